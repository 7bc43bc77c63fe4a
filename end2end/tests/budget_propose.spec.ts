import { expect, test } from '@playwright/test';
import path from 'path';
import { addBudget, hasJs, setPhase, signIn, startEdition, waitForHydration } from './helpers';

const PHOTO = path.join(__dirname, '..', 'fixtures', 'tree.jpg');

test('a resident proposes a project from a phone and staff review it onto the ballot', async ({ page, browser }, info) => {
  const js = hasJs(info);
  const slug = `e2e-propose-${info.project.name.replace(/[^a-z0-9]/g, '')}-${Date.now().toString(36)}`;
  // Proposals open now, review far away.
  await signIn(page, 'admin@balti.demo', undefined, js);
  await startEdition(page, slug, `Bugetul civic ${slug}`, {
    information_from: '2026-01-01T00:00',
    proposals_from: '2026-01-02T00:00',
    review_from: '2999-01-01T00:00',
    voting_from: '2999-02-01T00:00',
    results_from: '2999-03-01T00:00',
    implementation_from: '2999-04-01T00:00',
  }, js);
  await addBudget(page, 'Tot orașul', 500000, js);
  await setPhase(page, slug, 'proposals', js);

  // The resident, on a phone.
  const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 360, height: 740 }, isMobile: js, hasTouch: js });
  const phone = await context.newPage();
  await signIn(phone, 'cetatean@balti.demo', undefined, js);
  await phone.goto(`/ro/budget/${slug}`);
  await phone.getByRole('link', { name: 'Propuneți un proiect' }).first().click();
  if (js) await waitForHydration(phone);
  const title = `Bănci noi în scuarul de lângă școală (${info.project.name})`;
  await phone.getByLabel('Titlul proiectului').fill(title);
  await phone.getByLabel('Descrierea').fill('Zece bănci și două mese pentru părinții care își așteaptă copiii.');
  await phone.getByLabel('Costul estimat, în lei').fill('45000');
  await phone.getByLabel('Direcția').selectOption('green');
  await phone.getByLabel('Grup mixt de localnici și refugiați sau migranți').check();
  await phone.getByLabel('Fotografii (opțional)').setInputFiles([PHOTO, PHOTO]);
  // First kept as a draft, then completed and submitted.
  await phone.getByRole('button', { name: 'Salvează ca ciornă' }).click();
  await expect(phone.getByText('Ciorna a fost salvată.')).toBeVisible();
  await expect(phone.getByRole('img', { name: 'Fotografia 2 a proiectului' })).toBeVisible();
  await phone.getByRole('link', { name: 'Modificați propunerea' }).click();
  if (js) await waitForHydration(phone);
  await expect(phone.getByLabel('Titlul proiectului')).toHaveValue(title);
  await expect(phone.getByLabel('Grup mixt de localnici și refugiați sau migranți')).toBeChecked();
  // One of the two photos goes.
  await phone.getByLabel('Șterge fotografia 2').check();
  await phone.getByLabel('Costul estimat, în lei').fill('48000');
  await phone.getByRole('button', { name: 'Depune propunerea' }).click();
  await expect(phone.getByText('Propunerea a fost depusă. Primăria o va evalua.')).toBeVisible();
  await expect(phone.getByText('Depusă, în evaluare').first()).toBeVisible();
  await expect(phone.getByText(/48[.\s\u00a0]?000 lei/).first()).toBeVisible();
  // Proposing makes a participant: the optional questions about them are offered.
  await expect(phone.getByRole('link', { name: /Spuneți-ne, dacă doriți/ })).toBeVisible();
  const fits = await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits, 'no sideways scrolling at 360 px').toBe(true);
  const projectPage = phone.url().split('?')[0];
  await expect(phone.getByRole('img', { name: 'Fotografia 2 a proiectului' })).toHaveCount(0);
  const photo = phone.getByRole('img', { name: 'Fotografia 1 a proiectului' });
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  // Staff review it: feasible, at a revised cost, with a public reason.
  await page.goto(projectPage);
  if (js) await waitForHydration(page);
  await page.getByLabel('Fezabil, pe buletin').check();
  await page.getByLabel('Motivul (public)').fill('Terenul aparține municipiului; costul a fost verificat.');
  await page.getByLabel('Costul revizuit, în lei (opțional)').fill('52000');
  await page.getByRole('button', { name: 'Salvează evaluarea' }).click();
  await expect(page.getByText('Evaluarea a fost salvată.')).toBeVisible();

  // The resident sees the outcome and the reason.
  await phone.goto(projectPage);
  await expect(phone.getByText('Fezabil, pe buletin').first()).toBeVisible();
  await expect(phone.getByText('Terenul aparține municipiului; costul a fost verificat.')).toBeVisible();
  await expect(phone.getByText(/52[.\s\u00a0]?000 lei/).first()).toBeVisible();
  // Submitted, its photo is public.
  const anonymous = await browser.newContext({ javaScriptEnabled: js });
  const visitor = await anonymous.newPage();
  await visitor.goto(projectPage);
  const seen = visitor.getByRole('img', { name: 'Fotografia 1 a proiectului' });
  await expect.poll(() => seen.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await anonymous.close();
  await context.close();
});
