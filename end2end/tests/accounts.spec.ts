import { APIRequestContext, expect, request, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PASSWORD, hasJs, signIn, uniqueEmail, waitForHydration } from './helpers';

/** The confirmation link sent to `email`, read from the outbox as the operator reads it. */
async function confirmationLink(baseURL: string, email: string): Promise<string> {
  const api: APIRequestContext = await request.newContext({ baseURL });
  const login = await api.post('/api/auth/login', {
    form: { email: 'operator@agora.demo', password: DEMO_PASSWORD, lang: 'ro' },
  });
  expect(login.ok()).toBeTruthy();
  const outbox = await (await api.get('/api/admin/outbox')).json();
  await api.dispose();
  const message = outbox.find((m: { to: string }) => m.to === email);
  expect(message, `a mail to ${email}`).toBeTruthy();
  const link = /https?:\/\/\S+\/confirm\?token=\S+/.exec(message.body)?.[0];
  expect(link).toBeTruthy();
  return new URL(link as string).pathname + new URL(link as string).search;
}

test('sign up, confirm by mail, report as a citizen; a new staff member resolves it', async ({ page, browser, baseURL }, info) => {
  test.skip(info.project.name === 'phone', 'one full journey per engine is enough; the phone runs the pieces');
  const email = uniqueEmail('maria');
  await page.goto('/ro/signup');
  if (hasJs(info)) await waitForHydration(page);
  await page.locator('#field-display_name').fill('Maria Test');
  await page.locator('#field-email').fill(email);
  await page.locator('#field-password').fill('o parolă suficient de lungă');
  await page.getByRole('button', { name: 'Creează contul' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Verificați căsuța de e-mail' })).toBeVisible();

  await page.goto(await confirmationLink(baseURL as string, email));
  if (hasJs(info)) await waitForHydration(page);
  await page.getByRole('button', { name: 'Confirm adresa' }).click();
  await expect(page.getByText('Adresa a fost confirmată')).toBeVisible();
  await signIn(page, email, 'o parolă suficient de lungă', hasJs(info));

  // Report as a signed-in citizen (typed coordinates work with or without WASM).
  await page.goto('/ro/reports/new');
  if (hasJs(info)) await waitForHydration(page);
  await page.getByLabel('Latitudine').fill('47.7640');
  await page.getByLabel('Longitudine').fill('27.9275');
  await page.getByLabel('Latitudine').press('Tab');
  await page.getByLabel('Iluminat public stradal').check();
  const title = `Felinar stins ${Date.now()}`;
  await page.getByLabel('Titlu').fill(title);
  await page.getByLabel('Descriere').fill('Felinarul de lângă trecerea de pietoni nu arde.');
  await expect(page.getByText('Raportați ca')).toBeVisible();
  await page.getByRole('button', { name: 'Trimite raportul' }).click();
  await expect(page).toHaveURL(/\/ro\/reports\/\d+\?created=1/);
  const reportPath = new URL(page.url()).pathname;

  // "My reports".
  await page.goto('/ro/reports?mine=1');
  await expect(page.getByRole('heading', { name: 'Rapoartele mele' })).toBeVisible();
  await expect(page.getByRole('link', { name: title })).toBeVisible();

  // An administrator makes a newcomer staff of the lighting enterprise.
  const staffEmail = uniqueEmail('lumteh');
  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await staff.goto('/ro/signup');
  if (hasJs(info)) await waitForHydration(staff);
  await staff.locator('#field-display_name').fill('Electrician Lumteh');
  await staff.locator('#field-email').fill(staffEmail);
  await staff.locator('#field-password').fill('parola electricianului');
  await staff.getByRole('button', { name: 'Creează contul' }).click();
  await expect(staff.getByRole('status')).toBeVisible();
  await staff.goto(await confirmationLink(baseURL as string, staffEmail));
  if (hasJs(info)) await waitForHydration(staff);
  await staff.getByRole('button', { name: 'Confirm adresa' }).click();
  await expect(staff.getByText('Adresa a fost confirmată')).toBeVisible();

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, 'admin@balti.demo', undefined, hasJs(info));
  await admin.goto('/ro/admin');
  if (hasJs(info)) await waitForHydration(admin);
  const grant = admin.locator('form').filter({ has: admin.locator('#grant-role') });
  await grant.locator('#field-email').fill(staffEmail);
  await grant.locator('#grant-role').selectOption('staff');
  await grant.locator('#grant-department').selectOption({ label: 'Î.M. „Lumteh”' });
  await grant.getByRole('button', { name: 'Acordă' }).click();
  await expect(admin.locator('table').getByText(staffEmail)).toBeVisible();
  await adminContext.close();

  // The new staff member resolves the citizen's report.
  await signIn(staff, staffEmail, 'parola electricianului', hasJs(info));
  await staff.goto(reportPath);
  if (hasJs(info)) await waitForHydration(staff);
  await staff.locator('#staff-status').selectOption('accepted');
  await staff.locator('#staff-department').selectOption({ label: 'Î.M. „Lumteh”' });
  await staff.getByRole('button', { name: 'Salvează', exact: true }).click();
  await expect(staff.locator('.report-page__header .badge--accepted')).toBeVisible();
  await staff.locator('#staff-status').selectOption('resolved');
  await staff.locator('#field-body-staff').fill('Becul a fost înlocuit.');
  await staff.getByRole('button', { name: 'Salvează', exact: true }).click();
  await expect(staff.locator('.report-page__header .badge--resolved')).toBeVisible();
  await staffContext.close();

  await page.goto(reportPath);
  await expect(page.locator('.timeline').getByText('Becul a fost înlocuit.')).toBeVisible();
});

test('wrong credentials get one translated message, in every language', async ({ page }, info) => {
  const expected: Record<string, string> = {
    ro: 'Adresa de e-mail sau parola nu este corectă.',
    ru: 'Неверный адрес электронной почты или пароль.',
    uk: 'Неправильна адреса електронної пошти або пароль.',
    en: 'The e-mail address or the password is not correct.',
  };
  for (const lang of Object.keys(expected)) {
    await page.goto(`/${lang}/login`);
    if (hasJs(info)) await waitForHydration(page);
    await page.locator('#field-email').fill('cetatean@balti.demo');
    await page.locator('#field-password').fill('definitely wrong');
    await page.locator('form.form button[type="submit"]').click();
    await expect(page.getByRole('alert').filter({ hasText: expected[lang] })).toBeVisible();
  }
});

test('signing out from the menu ends the session', async ({ page }, info) => {
  test.skip(!hasJs(info), 'the menu is the same form without WASM; covered by the API tests');
  await signIn(page, 'cetatean@balti.demo');
  await waitForHydration(page);
  await page.locator('.user-menu > summary').click();
  await page.getByRole('button', { name: 'Ieșire' }).click();
  await expect(page.locator('.user-link')).toBeVisible();
  await page.goto('/ro/account');
  await expect(page.getByText('Pentru aceasta trebuie să vă autentificați.')).toBeVisible();
});

test('pages carry a CSP that the hydrated app never violates', async ({ page }, info) => {
  test.skip(!hasJs(info), 'needs scripts');
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
  });
  for (const path of ['/ro', '/ro/reports/new', '/ro/reports/5']) {
    const res = await page.goto(path);
    expect(res?.headers()['content-security-policy']).toContain("'nonce-");
    await waitForHydration(page);
    await expect(page.locator('.leaflet-container').first()).toBeVisible();
  }
  expect(violations).toEqual([]);
});

test('the operator adds a second locality and administers each one separately', async ({ page }, info) => {
  const js = hasJs(info);
  await signIn(page, 'operator@agora.demo', undefined, js);
  // Sîngerei joins through the operator's page, from its JSON description.
  await page.goto('/ro/admin/localities');
  if (js) await waitForHydration(page);
  const description = readFileSync(join(__dirname, '../../docs/examples/singerei.json'), 'utf8');
  await page.locator('textarea[name="json"]').fill(description);
  await page.getByRole('button', { name: 'Salvează' }).click();
  await expect(page).toHaveURL(/\/ro\/admin\/localities\?saved=/);
  await expect(page.locator('li', { hasText: 'Sîngerei (singerei' })).toBeVisible();

  // The administration page offers both localities; a department saved in Sîngerei stays there.
  await page.goto('/ro/admin');
  if (js) await waitForHydration(page);
  const switcher = page.getByRole('navigation', { name: 'Localitățile pe care le administrați' });
  await switcher.getByRole('link', { name: 'Sîngerei' }).click();
  await expect(page.locator('#staff-heading')).toContainText('Sîngerei');
  await expect(switcher.getByRole('link', { name: 'Sîngerei' })).toHaveAttribute('aria-current', 'page');
  const department = `Serviciul tehnic ${Date.now()}`;
  const newDepartment = page.locator('form.department-form').last();
  await newDepartment.locator('input[name="name"]').fill(department);
  await newDepartment.getByRole('button', { name: 'Salvează' }).click();
  await expect(page.locator('#staff-heading')).toContainText('Sîngerei');
  await expect(page.locator(`input[value="${department}"]`)).toHaveCount(1);

  await switcher.getByRole('link', { name: /Bălți/ }).click();
  await expect(page.locator('#staff-heading')).toContainText('Bălți');
  await expect(page.locator(`input[value="${department}"]`)).toHaveCount(0);
});
