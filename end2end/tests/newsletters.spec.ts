import { expect, test } from '@playwright/test';
import { hasJs, localLink, mailTo, signIn, uniqueEmail, waitForHydration } from './helpers';

// Each project writes its own quarter of 2025 (the demo's issues are 2026's).
const QUARTER: Record<string, string> = { desktop: '1', phone: '2', 'no-js': '3' };

test('a visitor subscribes from a phone in Ukrainian; the secretariat writes an issue, publishes it, and it reaches the subscriber', async ({ page, browser, baseURL }, info) => {
  test.setTimeout(150_000);
  const js = hasJs(info);
  const base = baseURL as string;
  const email = uniqueEmail(`buletin-${info.project.name}`);
  const stamp = `${info.project.name} ${Date.now().toString(36)}`;
  const titleRo = `Rețeaua ONG la începutul anului (${stamp})`;
  const titleUk = `Мережа ГО на початку року (${stamp})`;

  // A visitor on a cheap phone subscribes and confirms the address by the mailed link.
  const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 360, height: 740 }, isMobile: js, hasTouch: js });
  const phone = await context.newPage();
  await phone.goto('/uk/newsletters');
  await expect(phone.getByRole('heading', { level: 1 })).toBeVisible();
  await phone.getByLabel('Адреса електронної пошти').fill(email);
  await phone.getByRole('button', { name: 'Підписатися' }).click();
  await expect(phone.getByText('Майже готово', { exact: false })).toBeVisible();
  await expect.poll(async () => (await mailTo(base, email)).length).toBe(1);
  const [confirmation] = await mailTo(base, email);
  await phone.goto(localLink(confirmation.body, /https?:\/\/\S+\/newsletters\/confirm\?token=\S+/));
  await phone.getByRole('button', { name: 'Підтвердити' }).click();
  await expect(phone.getByText('Вашу адресу підтверджено', { exact: false })).toBeVisible();

  // The secretariat writes a draft: only staff see it.
  await signIn(page, 'admin@balti.demo', undefined, js);
  await page.goto('/ro/newsletters');
  await page.getByRole('link', { name: 'Scrieți un număr nou' }).click();
  if (js) await waitForHydration(page);
  await page.locator('#field-year').selectOption('2025');
  await page.locator('#field-quarter').selectOption(QUARTER[info.project.name]);
  await page.locator('#field-title_ro').fill(titleRo);
  await page.locator('#field-body_ro').fill('Trei întâlniri ale rețelei și un atelier despre voluntariat.\n\nVă așteptăm la următoarea întâlnire tematică.');
  await page.locator('#field-title_uk').fill(titleUk);
  await page.locator('#field-body_uk').fill('Три зустрічі мережі та семінар про волонтерство.\n\nЧекаємо на вас на наступній тематичній зустрічі.');
  await page.getByRole('button', { name: 'Salvați ciorna' }).click();
  await expect(page.getByText('Ciorna a fost salvată.', { exact: false })).toBeVisible();
  await expect(page.getByRole('heading', { name: titleRo })).toBeVisible();
  const issuePage = page.url().split('?')[0];
  const hidden = await phone.goto(issuePage.replace('/ro/', '/uk/'));
  expect(hidden?.status()).toBe(404);

  // Published: public at once, in the visitor's language, and mailed by the notification job.
  await page.getByRole('button', { name: 'Publicați și trimiteți abonaților' }).click();
  await expect(page.getByText('Numărul a fost publicat.', { exact: false })).toBeVisible();
  await phone.goto('/uk/newsletters');
  await phone.getByRole('link', { name: titleUk }).click();
  await expect(phone.getByRole('heading', { name: titleUk })).toBeVisible();
  await expect(phone.getByText('Три зустрічі мережі')).toBeVisible();
  const fits = await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits, 'no sideways scrolling at 360 px').toBe(true);
  await expect
    .poll(async () => (await mailTo(base, email)).filter((m) => m.subject.includes(titleUk)).length, { timeout: 60_000 })
    .toBe(1);
  const issue = (await mailTo(base, email)).find((m) => m.subject.includes(titleUk));
  expect(issue?.body).toContain('Чекаємо на вас');
  await context.close();
});
