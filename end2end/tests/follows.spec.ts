import { expect, test } from '@playwright/test';
import { hasJs, signIn } from './helpers';

// Each project follows its own initiative or with its own account, so the three can run side
// by side.
const WHO: Record<string, [number, string]> = {
  desktop: [1, 'cetatean@balti.demo'],
  phone: [2, 'cetatean@balti.demo'],
  'no-js': [1, 'moderator@balti.demo'],
};

test('a citizen follows an initiative, finds it among the subscriptions and stops following', async ({ page }, info) => {
  const js = hasJs(info);
  const [id, account] = WHO[info.project.name] ?? WHO.desktop;
  await signIn(page, account, undefined, js);
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
