import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addBudget, hasJs, PhaseStarts, setPhase, signIn, startEdition } from './helpers';

const DATES: PhaseStarts = {
  information_from: '2024-01-10T09:00',
  proposals_from: '2024-02-01T09:00',
  review_from: '2024-03-01T00:00',
  voting_from: '2024-04-01T08:00',
  results_from: '2024-05-01T00:00',
  implementation_from: '2024-06-01T00:00',
};

test('staff migrate a past edition: create it, add a budget, import a Pabulib count and publish its results', async ({ page, request }, info) => {
  const js = hasJs(info);
  const slug = `e2e-${info.project.name.replace(/[^a-z0-9]/g, '')}-${Date.now().toString(36)}`;
  const title = `Bugetul civic ${slug}`;

  // A Pabulib file of the demo's counted city budget, as the open data publishes it.
  const editions = await (await request.get('/api/v1/budget/editions')).json();
  const demo = (editions.editions ?? editions).find((e: { slug: string }) => e.slug === '2026');
  const detail = await (await request.get(`/api/v1/budget/editions/${demo.id}`)).json();
  const pb = await (await request.get(`/api/v1/budget/budgets/${detail.budgets[0].id}/results.pb`)).text();
  const dir = mkdtempSync(join(tmpdir(), 'agora-pb-'));
  const good = join(dir, 'balti-2026.pb');
  writeFileSync(good, pb);
  const broken = join(dir, 'broken.pb');
  writeFileSync(broken, pb.replace(/^budget;.*$/m, 'budget;lots'));

  await signIn(page, 'admin@balti.demo', undefined, js);
  await startEdition(page, slug, title, DATES, js);

  // A budget of its own, with a knapsack ballot.
  await addBudget(page, 'Cartierul Dacia', 300000, js);
  await expect(page.locator('section[aria-labelledby="setup-budgets"] li', { hasText: 'Cartierul Dacia' })).toBeVisible();

  // A broken file is refused at its line; the good one becomes a budget.
  const importForm = page.locator('form[enctype="multipart/form-data"]');
  await importForm.locator('#import-file').setInputFiles(broken);
  await importForm.getByRole('button', { name: 'Importă' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Rândul' })).toContainText('budget');
  await importForm.locator('#import-file').setInputFiles(good);
  await importForm.locator('#field-name').fill('Tot orașul (2024)');
  await importForm.getByRole('button', { name: 'Importă' }).click();
  await expect(page.getByText('Fișierul a fost importat ca buget nou.')).toBeVisible();
  await expect(page.locator('section[aria-labelledby="setup-budgets"] li', { hasText: 'Tot orașul (2024)' })).toBeVisible();
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits, 'no sideways scrolling').toBe(true);

  // Results published: the imported ballots are counted by Agora's rule.
  await setPhase(page, slug, 'results', js);
  await expect(page.locator('.budget-timeline__phase--current')).toContainText('Rezultate');
  await page.goto(`/ro/budget/${slug}/results`);
  await expect(page.getByRole('heading', { name: /Tot orașul \(2024\)/ })).toBeVisible();
  await expect(page.getByText('Parc de joacă incluziv în cartierul Dacia').first()).toBeVisible();
});
