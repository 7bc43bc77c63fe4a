import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LANGS } from './helpers';

const BY_STATUS: Record<string, string> = {
  ro: 'Rapoarte după statut',
  ru: 'Сообщения по статусу',
  uk: 'Повідомлення за статусом',
  en: 'Reports by status',
};

test('the statistics page shows each chart with its table in every language, on a phone', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'the phone project walks it');
  for (const lang of LANGS) {
    await page.goto(`/${lang}/statistics`);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    const chart = page.getByRole('img', { name: BY_STATUS[lang] });
    await expect(chart).toBeVisible();
    // Each chart is an SVG drawn on the server, with the same figures in a table beside it.
    expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('table.data-table').count()).toBeGreaterThanOrEqual(3);
    const box = await chart.boundingBox();
    expect(box?.width ?? 0).toBeLessThanOrEqual(360);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `/${lang}/statistics scrolls sideways`).toBeLessThanOrEqual(0);
  }
});

test('the 2023 report printed to PDF by chromium shows the published figures', async ({ page }, info) => {
  test.skip(info.project.name !== 'desktop', 'printing needs one project');
  await page.goto('/ro/statistics/year/2023');
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const file = join(mkdtempSync(join(tmpdir(), 'agora-year-')), 'report-2023.pdf');
  writeFileSync(file, pdf);
  // Debian's poppler-utils (installed by `.ci/setup test`) reads the text back.
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  // The city's published 2023 figures: 112 reports, 83 finished and 29 in progress; Spații verzi
  // 31, Iluminat public stradal 25, Drumuri… 18; PFON-23's 142 votes.
  for (const figure of ['112', '83', '29', 'Spații verzi 31', 'Iluminat public stradal 25', '142']) {
    expect(text, `"${figure}" in the printed report`).toContain(figure);
  }
  // Printed without the site's navigation.
  expect(text).not.toContain('Raportează o problemă');
  expect(pdf.length).toBeGreaterThan(10_000);
});
