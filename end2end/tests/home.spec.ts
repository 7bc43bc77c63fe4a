import { expect, test } from '@playwright/test';
import { hasJs, LANGS, pinsOnMap, shownCount, waitForMap as waitForHydration } from './helpers';

const HEADINGS: Record<string, string> = {
  ro: 'Rapoarte în zona vizibilă',
  ru: 'Сообщения в видимой области',
  uk: 'Звернення у видимій області',
  en: 'Reports in the visible area',
};

test('the root address sends the visitor to a language', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/(ro|ru|uk|en)$/);
});

test('the language switch keeps the page and works in all four languages', async ({ page }) => {
  await page.goto('/ro?status=new');
  for (const lang of ['ru', 'uk', 'en', 'ro']) {
    await page.getByRole('navigation', { name: /Limba|Язык|Мова|Language/ }).locator(`a[hreflang="${lang}"]`).click();
    await expect(page).toHaveURL(new RegExp(`/${lang}\\?status=new$`));
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expect(page.getByRole('heading', { name: HEADINGS[lang] })).toBeVisible();
  }
});

test('the reports are listed as accessible HTML beside the map', async ({ page }, info) => {
  await page.goto('/en');
  const list = page.locator('.report-list > li');
  await expect(list.first()).toBeVisible();
  expect(await list.count()).toBeGreaterThan(10);
  // Reports sent with an address only are listed once staff have placed their pin.
  const total = await pinsOnMap(page);
  expect(total).toBeGreaterThanOrEqual(60);
  if (!hasJs(info)) {
    // Without the map, the list covers the whole locality.
    await expect(page.locator('#in-view .count')).toHaveText(`${total} reports in the visible area`);
    return;
  }
  // With the map, the list follows its view (narrower on a phone): as many as the pins shown.
  await waitForHydration(page);
  await expect.poll(async () => (await page.locator('.leaflet-marker-icon.pin').count()) === (await shownCount(page))).toBe(true);
  expect(await shownCount(page)).toBeGreaterThanOrEqual(60);
  expect(await shownCount(page)).toBeLessThanOrEqual(total);
});

test('the map shows the demo pins and the boundary without a network', async ({ page }, info) => {
  test.skip(!hasJs(info), 'the map needs WASM');
  await page.goto('/ro');
  await waitForHydration(page);
  // Every report in the map's view has its pin (on a phone the view is narrower than the city).
  await expect.poll(async () => (await page.locator('.leaflet-marker-icon.pin').count()) === (await shownCount(page))).toBe(true);
  expect(await shownCount(page)).toBeGreaterThanOrEqual(60);
  expect(await shownCount(page)).toBeLessThanOrEqual(await pinsOnMap(page));
  await expect(page.locator('path.leaflet-interactive, path').first()).toBeAttached();
  // No broken tile images are shown: failed tiles stay invisible and a notice explains.
  await expect(page.getByText('Harta de fundal nu este disponibilă')).toBeVisible();
  const brokenVisible = await page.locator('img.leaflet-tile:not(.leaflet-tile-loaded)').evaluateAll(
    (imgs) => imgs.filter((i) => getComputedStyle(i).visibility !== 'hidden').length,
  );
  expect(brokenVisible).toBe(0);
});

test('hydration: a pin opens its popup with a link to the report', async ({ page }, info) => {
  test.skip(!hasJs(info), 'popups need WASM');
  await page.goto('/en');
  await waitForHydration(page);
  const pin = page.locator('.leaflet-marker-icon.pin').first();
  await pin.click({ force: true });
  const popup = page.locator('.leaflet-popup');
  await expect(popup).toBeVisible();
  await expect(popup.getByRole('link', { name: 'Open the report' })).toHaveAttribute('href', /^\/en\/reports\/\d+$/);
});

test('a status filter narrows pins and list in place, and survives a reload', async ({ page }, info) => {
  await page.goto('/ro');
  if (hasJs(info)) {
    await waitForHydration(page);
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  }
  await page.locator('.filters-panel > summary').click();
  await page.getByLabel('Nou', { exact: true }).check();
  if (!hasJs(info)) {
    await page.getByRole('button', { name: 'Aplică' }).click();
  }
  await expect(page).toHaveURL(/status=new/);
  const fresh = await pinsOnMap(page, 'status=new');
  let shown = fresh;
  if (hasJs(info)) {
    // Same document: the filter applied without a reload.
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    // The map's view (narrower on a phone) shows its new reports, and only those.
    await expect.poll(async () => (await page.locator('.leaflet-marker-icon.pin').count()) === (await shownCount(page))).toBe(true);
    await expect(page.locator('.leaflet-marker-icon.pin--resolved')).toHaveCount(0);
    shown = await shownCount(page);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(fresh);
    // The new count is announced: the list is replaced, the status line beside it is not.
    await expect(page.locator('#in-view-status')).toHaveText(`${shown} rapoarte în zona vizibilă`);
  }
  await expect(page.locator('#in-view .count')).toHaveText(`${shown} rapoarte în zona vizibilă`);
  await page.reload();
  await page.locator('.filters-panel > summary').click();
  await expect(page.getByLabel('Nou', { exact: true })).toBeChecked();
  if (hasJs(info)) await waitForHydration(page);
  await expect(page.locator('#in-view .count')).toHaveText(`${shown} rapoarte în zona vizibilă`);
});

test('each language sets <html lang> and translated navigation', async ({ page }) => {
  const nav: Record<string, string> = { ro: 'Inițiative', ru: 'Инициативы', uk: 'Ініціативи', en: 'Initiatives' };
  for (const lang of LANGS) {
    await page.goto(`/${lang}`);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expect(page.locator('.site-nav a', { hasText: nav[lang] }).first()).toBeAttached();
  }
});

test('the page fits a 360-pixel phone without sideways scrolling', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'phone layout only');
  await page.goto('/ro');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.locator('.map')).toBeVisible();
  const box = await page.locator('.map').boundingBox();
  expect(box?.width).toBeGreaterThanOrEqual(350);
});

test('an unknown address is a translated 404', async ({ page }) => {
  const res = await page.goto('/ru/nothing-here');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Страница не найдена' })).toBeVisible();
});
