import { expect, test } from '@playwright/test';
import { hasJs, signIn, waitForHydration } from './helpers';

// A cheap phone: every step must fit 360 px without sideways scrolling.
test.use({ viewport: { width: 360, height: 740 } });

test('a citizen builds a ballot with the budget bar on a phone, confirms it and gets a receipt', async ({ page }, info) => {
  const js = hasJs(info);
  await signIn(page, 'cetatean@balti.demo', undefined, js);
  await page.goto('/ro/budget/2027/vote');
  if (js) await waitForHydration(page);
  const city = page.locator('section.budget-section').first();
  // Start from an empty ballot (the other browser project may have voted before).
  while ((await city.getByRole('button', { name: 'Scoate' }).count()) > 0) {
    await city.getByRole('button', { name: 'Scoate' }).first().click();
    await expect(page).toHaveURL(/\/ro\/budget\/2027\/vote/);
  }
  await expect(city.locator('progress')).toHaveAttribute('value', '0');

  const card = (title: string) => city.locator('li.budget-card', { hasText: title });
  await card('Fântâni de apă potabilă').getByRole('button', { name: 'Adaugă' }).click();
  await expect(card('Fântâni de apă potabilă').getByRole('button', { name: 'Scoate' })).toBeVisible();
  await expect(city.locator('progress')).toHaveAttribute('value', '240000');
  await card('Atelier de teatru').getByRole('button', { name: 'Adaugă' }).click();
  await expect(city.locator('progress')).toHaveAttribute('value', '390000');
  await expect(city.locator('.budget-bar')).toContainText('Rămas:');
  // Saved on the server: a reload keeps both choices.
  await page.reload();
  await expect(city.locator('li.budget-card--chosen')).toHaveCount(2);

  await city.locator('#field-document').fill('2000111122233');
  await city.getByLabel(/Declar că am cel puțin 16 ani/).check();
  await city.getByRole('button', { name: 'Confirm votul' }).click();
  await expect(city.getByText('Votul dvs. este confirmat și se numără.')).toBeVisible();
  await expect(city.getByText(/Codul buletinului: [A-Z2-9]{10}/)).toBeVisible();
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits, 'no sideways scrolling at 360 px').toBe(true);

  // After voting, the voter may say who they are and how it went: optional, only counted.
  await city.getByRole('link', { name: 'Spuneți-ne, dacă doriți, cine sunteți și cum vi s-a părut' }).click();
  await expect(page).toHaveURL(/\/ro\/budget\/2027\/indicators/);
  await expect(page.getByRole('table')).toContainText('Încredere în proces');
  await page.getByLabel('Statutul').selectOption('refugee');
  await page.getByLabel('Cât de mulțumit(ă) sunteți de bugetul civic?').selectOption('5');
  await page.getByRole('button', { name: 'Salvează răspunsurile' }).click();
  await expect(page.getByText('Vă mulțumim! Răspunsurile au fost salvate.')).toBeVisible();
  await expect(page.getByLabel('Statutul')).toHaveValue('refugee');
  const fitsToo = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fitsToo, 'the indicators page fits 360 px').toBe(true);
});

test('the results page shows what was funded, what did not fit and how people voted', async ({ page }) => {
  await page.goto('/ro/budget/2026/results');
  await expect(page.getByRole('heading', { level: 1, name: 'Rezultate' })).toBeVisible();
  const row = page.locator('tr', { hasText: 'Parc de joacă incluziv în cartierul Dacia' });
  await expect(row).toContainText('Finanțat');
  await expect(page.getByText(/Participanți: \d+ \(\d+ online, \d+ pe hârtie\)/).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Descarcă CSV' }).first()).toBeVisible();
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits, 'no sideways scrolling at 360 px').toBe(true);
});

test('the edition page counts confirmed ballots live while the information centre enters paper ones', async ({ page, browser }, info) => {
  test.skip(!hasJs(info), 'the live count needs the page script; without it the page shows the count at load');
  await page.goto('/ro/budget/2027');
  await waitForHydration(page);
  const count = page.getByTestId('live-count');
  const before = Number((await count.textContent())?.replace(/\D/g, '') ?? '0');

  const desk = await browser.newPage();
  await signIn(desk, 'admin@balti.demo');
  await desk.goto('/ro/budget/2027/paper');
  const stamp = `${Date.now()}${info.project.name.length}`;
  await desk.getByLabel('Numărul foii').first().fill(`L-${stamp}`);
  await desk.getByLabel('Numărul actului de identitate (verificat)').first().fill(`DOC${stamp}`);
  await desk.locator('input[type="checkbox"][name^="choices"]').first().check();
  await desk.getByRole('button', { name: 'Înregistrează buletinul' }).first().click();
  await expect(desk.getByText(/Buletinul pe hârtie a fost înregistrat/)).toBeVisible();
  await desk.close();

  // The first page, untouched, shows the new count without a reload.
  await expect
    .poll(async () => Number((await count.textContent())?.replace(/\D/g, '') ?? '0'), { timeout: 5_000 })
    .toBeGreaterThan(before);
});
