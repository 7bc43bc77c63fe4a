import { expect, test } from '@playwright/test';
import { hasJs, signIn } from './helpers';

// Each project follows its own initiative, so the three can run side by side with one account.
const INITIATIVE: Record<string, number> = { desktop: 1, phone: 2, 'no-js': 3 };

test('a citizen follows an initiative, finds it among the subscriptions and stops following', async ({ page }, info) => {
  const js = hasJs(info);
  const id = INITIATIVE[info.project.name] ?? 1;
  await signIn(page, 'cetatean@balti.demo', undefined, js);
  await page.goto(`/ro/initiatives/${id}`);
  const box = page.locator('section[aria-labelledby="follow-title"]');
  await expect(box.getByRole('heading', { name: 'Urmăriți' })).toBeVisible();
  // Left over from an earlier run: start from not following.
  if (await box.getByRole('button', { name: 'Nu mai urmăriți' }).isVisible()) {
    await box.getByRole('button', { name: 'Nu mai urmăriți' }).click();
  }
  await box.getByRole('button', { name: 'Urmăriți' }).click();
  await expect(box.getByText('Urmăriți acest lucru: veți primi un e-mail.')).toBeVisible();

  const title = (await page.locator('h1').first().textContent())?.trim() ?? '';
  await page.goto('/ro/subscriptions');
  const item = page.locator('.subscriptions__item', { hasText: `Inițiativa: ${title}` });
  await expect(item).toBeVisible();
  await item.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/ro/initiatives/${id}`));

  await box.getByRole('button', { name: 'Nu mai urmăriți' }).click();
  await expect(box.getByRole('button', { name: 'Urmăriți' })).toBeVisible();
  if (info.project.name === 'phone') {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
  }
});

test('a visitor who is not signed in is asked to sign in to follow', async ({ page }) => {
  await page.goto('/ro/initiatives/1');
  const box = page.locator('section[aria-labelledby="follow-title"]');
  await expect(box.getByRole('link', { name: /Autentific/ })).toBeVisible();
});
