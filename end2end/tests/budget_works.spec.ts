import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { hasJs, signIn, waitForHydration } from './helpers';

const PHOTO = path.join(__dirname, '..', 'fixtures', 'tree.jpg');
const PROJECT = 'Parc de joacă incluziv în cartierul Dacia';

test.use({ viewport: { width: 360, height: 740 } });

test('staff add a milestone with a photo on a phone; visitors see it and the funded projects on the map', async ({ page, browser }, info) => {
  const js = hasJs(info);
  await signIn(page, 'admin@balti.demo', undefined, js);
  await page.goto('/ro/budget/2026');
  const overview = page.locator('section[aria-labelledby="works-heading"]');
  await expect(overview.getByRole('heading', { name: 'Realizarea proiectelor finanțate' })).toBeVisible();
  await expect(overview.getByText(/\d+ din \d+ proiecte realizate/)).toBeVisible();
  await overview.getByRole('link', { name: PROJECT }).click();
  if (js) await waitForHydration(page);

  const work = page.locator('section[aria-labelledby="work-heading"]');
  await expect(work.getByRole('heading', { name: 'Realizare', exact: true })).toBeVisible();
  const text = `Au fost montate leagănele adaptate (${info.project.name} ${Date.now()}).`;
  const form = work.locator('form[enctype="multipart/form-data"]');
  await form.getByLabel('Ce s-a realizat').fill(text);
  await form.locator('#milestone-photo').setInputFiles(PHOTO);
  await form.getByRole('button', { name: 'Adăugați etapa' }).click();
  await expect(page.getByText('Etapa a fost adăugată')).toBeVisible();
  const item = page.locator('.milestones li', { hasText: text });
  await expect(item).toBeVisible();
  const photo = item.locator('img.milestone__photo');
  await expect(photo).toHaveAttribute('alt', /Fotografie a etapei din/);
  await photo.scrollIntoViewIfNeeded();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits, 'no sideways scrolling at 360 px').toBe(true);
  const projectPage = page.url();

  // A visitor sees the milestone, no staff forms, and the projects on the edition's map.
  const visitor = await browser.newPage({ javaScriptEnabled: js, viewport: { width: 360, height: 740 } });
  await visitor.goto(projectPage);
  await expect(visitor.locator('.milestones li', { hasText: text })).toBeVisible();
  await expect(visitor.getByRole('button', { name: 'Adăugați etapa' })).toHaveCount(0);
  await visitor.goto('/ro/budget/2026');
  const map = visitor.locator('section[aria-labelledby="works-heading"] .map-wrap, section[aria-labelledby="works-heading"] .static-map').first();
  await expect(map).toBeVisible();
  if (js) {
    await waitForHydration(visitor);
    await expect(visitor.locator('section[aria-labelledby="works-heading"] .leaflet-container')).toBeVisible();
  } else {
    await expect(visitor.locator('section[aria-labelledby="works-heading"] img.static-map[src*="static-map__pin"]').first()).toBeAttached();
  }
  await visitor.close();
});

test('the yearly implementation report prints in Ukrainian without the site around it', async ({ page }, info) => {
  test.skip(info.project.name !== 'desktop', 'printing needs one project');
  await page.goto('/uk/budget/2026/report');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Звіт про реалізацію');
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const file = join(mkdtempSync(join(tmpdir(), 'agora-budget-')), 'report-2026.pdf');
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  // The demo's finished playground, its actual cost (96 % of 480 000 lei) and its status.
  for (const words of ['Участь', 'Інклюзія та різноманіття', 'Parc de', '460 800', 'Реалізовано']) {
    expect(text, `"${words}" in the printed report`).toContain(words);
  }
  expect(text).not.toContain('Повідомити про проблему');
});

test('the city map shows the funded projects as a layer a visitor switches on', async ({ page }, info) => {
  const js = hasJs(info);
  await page.goto('/ro');
  await page.getByRole('link', { name: 'Arată proiectele bugetului civic' }).click();
  await expect(page).toHaveURL(/projects=1/);
  const list = page.locator('section[aria-labelledby="projects-on-map"]');
  await expect(list.getByRole('link', { name: PROJECT })).toBeVisible();
  await expect(list).toContainText('Realizat · 100\u00a0%');
  if (js) {
    await waitForHydration(page);
    const pins = page.locator('.leaflet-marker-icon.pin--project');
    await expect(pins.first()).toBeVisible();
    expect(await pins.count()).toBe(await list.locator('li').count());
    await page.locator(`.pin--project[title^="${PROJECT}"]`).click();
    await expect(page.locator('.leaflet-popup').getByRole('link', { name: 'Deschideți proiectul' })).toBeVisible();
  } else {
    await expect(page.locator('img.static-map[src*="static-map__project "]').first()).toBeAttached();
  }
  // Switched off, the map is the plain one again.
  await page.getByRole('link', { name: 'Ascunde proiectele bugetului civic' }).click();
  await expect(list).toHaveCount(0);
  await expect(page.locator('.pin--project, img.static-map[src*="static-map__project "]')).toHaveCount(0);
});
