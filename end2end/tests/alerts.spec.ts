import { expect, test } from '@playwright/test';
import { localLink, mailTo, signIn, uniqueEmail } from './helpers';

test('an address subscribes to an area, hears of a new report there, and leaves in one click', async ({ page, baseURL }, info) => {
  test.skip(info.project.name === 'desktop', 'the phone and no-JavaScript projects walk it');
  test.setTimeout(120_000);
  const base = baseURL as string;
  const email = uniqueEmail(`alerta-${info.project.name}`);

  await page.goto('/ro/alerts');
  await page.getByLabel('Latitudine').fill('47.7617');
  await page.getByLabel('Longitudine').fill('27.9291');
  await page.getByLabel('Spații verzi').check();
  await page.getByLabel('Adresa dvs. de e-mail').fill(email);
  await page.getByRole('button', { name: 'Abonează-mă' }).click();

  // Double opt-in: the alert works only once the address confirms it.
  await expect.poll(async () => (await mailTo(base, email)).length).toBe(1);
  const [confirmation] = await mailTo(base, email);
  await page.goto(localLink(confirmation.body, /https?:\/\/\S+\/alerts\/confirm\?token=\S+/));
  await page.getByRole('button', { name: 'Confirm alerta' }).click();
  await expect(page.getByText('Alerta a fost confirmată.')).toBeVisible();

  // Someone reports a problem inside the circle; the notification job (every 15 s) mails it.
  const title = `Bancă ruptă ${Date.now()}`;
  const created = await page.request.post('/api/reports/create', {
    multipart: {
      lang: 'ro',
      category: 'green-spaces',
      title,
      description: 'O bancă din scuar este ruptă și are cuie ieșite.',
      lat: '47.7619',
      lng: '27.9293',
    },
  });
  expect(created.ok(), await created.text()).toBeTruthy();
  await expect
    .poll(async () => (await mailTo(base, email)).filter((m) => m.body.includes(title)).length, { timeout: 60_000 })
    .toBe(1);
  const alert = (await mailTo(base, email)).find((m) => m.body.includes(title));

  // The way out works without signing in: the link opens the address's subscriptions.
  await page.goto(localLink(alert?.body ?? '', /https?:\/\/\S+\/unsubscribe\/\S+/));
  await expect(page).toHaveURL(/\/ro\/subscriptions\?token=/);
  await page.getByRole('button', { name: 'Dezabonare' }).first().click();
  await expect(page.getByText('Abonarea a fost oprită.')).toBeVisible();
  await expect(page.getByText('Nu aveți nicio abonare.')).toBeVisible();
});

test('an announcement the city hall publishes shows on the home page in all four languages', async ({ page }, info) => {
  test.skip(info.project.name !== 'desktop', 'one publication is enough; the banner is checked in every language');
  await signIn(page, 'spatii.verzi@balti.demo');
  await page.goto('/ro/announcements');
  const stamp = Date.now();
  const titles = {
    ro: `Apa se oprește pe strada Pușkin ${stamp}`,
    ru: `Отключение воды на улице Пушкина ${stamp}`,
    uk: `Відключення води на вулиці Пушкіна ${stamp}`,
    en: `Water cut on Pushkin street ${stamp}`,
  };
  for (const [lang, title] of Object.entries(titles)) {
    await page.locator(`#field-title_${lang}`).fill(title);
  }
  await page.locator('#field-body_ro').fill('Lucrări la rețeaua de apă între orele 9 și 17.');
  // Valid from an hour ago until tomorrow, in the city's time as the form reads it.
  const local = (d: Date) =>
    new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Chisinau', dateStyle: 'short', timeStyle: 'short' })
      .format(d)
      .replace(' ', 'T');
  await page.locator('#field-valid_from').fill(local(new Date(Date.now() - 3_600_000)));
  await page.locator('#field-valid_until').fill(local(new Date(Date.now() + 86_400_000)));
  await page.getByRole('button', { name: 'Publică' }).click();
  await expect(page.getByText('Notificarea a fost publicată.')).toBeVisible();

  for (const [lang, title] of Object.entries(titles)) {
    await page.goto(`/${lang}`);
    await expect(page.locator('.announcements')).toContainText(title);
  }
});
