import { test } from '@playwright/test';
import { signIn, waitForHydration } from './helpers';
test('shots', async ({ page }) => {
  const m = new Date().toISOString().slice(0, 7);
  await page.goto(`/uk/events?month=${m}`); await waitForHydration(page);
  await page.locator('.month').screenshot({ path: '/tmp/shot-month.png' });
  await page.goto('/uk/events/14'); await waitForHydration(page);
  await page.locator('article').screenshot({ path: '/tmp/shot-event.png' });
  await signIn(page, 'admin@balti.demo');
  await page.goto('/ro/events/new'); await waitForHydration(page);
  await page.locator('form.form').screenshot({ path: '/tmp/shot-new.png' });
});
