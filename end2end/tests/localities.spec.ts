import { expect, test } from '@playwright/test';
import { hasJs, waitForHydration, waitForMap } from './helpers';

// Sîngerei is the demo's second locality, with its own site at /{lang}/singerei.

test('a visitor switches to Sîngerei and sees its map and categories, on a phone', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'the phone viewport');
  await page.goto('/ro');
  await waitForHydration(page);
  await expect(page.getByTestId('current-locality')).toHaveText('Bălți');

  // The switcher is a disclosure of plain links: it works by keyboard and without WASM.
  const menu = page.getByTestId('locality-menu');
  await menu.locator('summary').focus();
  await page.keyboard.press('Enter');
  const list = menu.getByRole('navigation', { name: 'Localitățile' });
  await expect(list.getByRole('link', { name: 'Bălți' })).toHaveAttribute('aria-current', 'page');
  await list.getByRole('link', { name: 'Sîngerei' }).click();

  await expect(page).toHaveURL(/\/ro\/singerei$/);
  await expect(page.getByTestId('current-locality')).toHaveText('Sîngerei');
  // Sîngerei's categories in the filters, not Bălți's.
  const categories = page.locator('input[name="category"]');
  await expect(categories).toHaveCount(4);
  await expect(page.locator('input[name="category"][value="water-sewerage"]')).toBeAttached();
  await expect(page.locator('input[name="category"][value="green-spaces"]')).toHaveCount(0);
  // Its reports beside the map, and the map centred on the town with its pins.
  await expect(page.locator('.report-list').getByText('Felinare stinse în parcul central')).toBeVisible();
  if (hasJs(info)) {
    await waitForMap(page);
    await expect(page.locator('.leaflet-marker-icon.pin').first()).toBeAttached();
    const link = await page.locator('.report-list a').first().getAttribute('href');
    expect(link).toMatch(/^\/ro\/singerei\/reports\/\d+$/);
  }
  // Nothing is wider than the phone.
  const over = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(over).toBeLessThanOrEqual(0);

  // Links stay on Sîngerei's site: the report form files into Sîngerei.
  await page.goto('/ro/singerei/reports/new');
  await expect(page.locator('input[name="locality"]')).toHaveValue('singerei');
  await expect(page.locator('input[name="category"][value="water-sewerage"]')).toHaveCount(1);
  await expect(page.locator('input[name="category"][value="green-spaces"]')).toHaveCount(0);
});

test('the other languages keep the locality', async ({ page }) => {
  await page.goto('/ro/singerei/polls');
  await page.getByRole('navigation', { name: /Limba|Язык|Мова|Language/ }).locator('a[hreflang="ru"]').click();
  await expect(page).toHaveURL(/\/ru\/singerei\/polls$/);
  await expect(page.getByTestId('current-locality')).toHaveText('Сынжерей');
});
