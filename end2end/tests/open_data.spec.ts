import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { hasJs, LANGS } from './helpers';

// The open-data page on a phone, in every language, and a download started from it: with the
// script, a progress bar and a saved file; without it, a plain download of the same file.
test('the open-data page fits a phone in four languages and its downloads work', async ({ page }, info) => {
  test.skip(info.project.name === 'desktop', 'the phone and no-JS projects');
  test.setTimeout(120_000);
  for (const lang of LANGS) {
    await page.goto(`/${lang}`);
    await page.locator(`footer a[href="/${lang}/open-data"]`).click();
    await expect(page).toHaveURL(new RegExp(`/${lang}/open-data$`));
    await expect(page.locator('h1')).toBeVisible();
    await expect(page.locator('a[rel="license"]')).toHaveAttribute('href', 'https://creativecommons.org/licenses/by/4.0/');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(wide, `/${lang}/open-data scrolls sideways`).toBeLessThanOrEqual(0);
    const rows = await page.locator('section[aria-labelledby="dataset-reports"] dl dd').first().textContent();
    expect(Number((rows ?? '').replace(/\D/g, ''))).toBeGreaterThan(100);
  }

  await page.goto('/en/open-data');
  const link = page.locator('a[href="/api/v1/export/reports.csv?locality=balti"]');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe('balti-reports.csv');
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toContain('"id","url","created_at"');
  expect(lines.length).toBeGreaterThan(100);
  if (hasJs(info)) {
    // The script read the stream: its bar is full and its status says how much arrived.
    const item = page.locator('li.download', { has: link });
    await expect(item.locator('progress')).toHaveAttribute('value', '1');
    await expect(item.locator('[role="status"]')).toContainText('Downloaded');
  }
});
