import { expect, test, type Page } from '@playwright/test';
import { controlled, hasJs, signIn } from './helpers';

/** The addresses the service worker keeps in its page cache. */
async function keptPages(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const names = await caches.keys();
    const name = names.find((n) => n.startsWith('agora-pages-'));
    if (!name) return [];
    const cache = await caches.open(name);
    return (await cache.keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search);
  });
}

test('installable: every page links a manifest with icons, and the worker covers the site', async ({ page, request }, info) => {
  test.skip(!hasJs(info), 'a service worker needs script');
  await page.goto('/ro');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBe('/manifest.webmanifest');
  const response = await request.get(href as string);
  expect(response.headers()['content-type']).toContain('manifest+json');
  const manifest = await response.json();
  expect(manifest).toMatchObject({ start_url: '/', scope: '/', display: 'standalone' });
  for (const size of ['192x192', '512x512']) {
    const icon = manifest.icons.find((i: { sizes: string; type: string }) => i.sizes === size && i.type === 'image/png');
    expect(icon, size).toBeTruthy();
    expect((await request.get(icon.src)).status()).toBe(200);
  }
  await controlled(page);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).scope)).toBe(new URL('/', page.url()).href);
  // Chromium's own verdict: the manifest parses cleanly, and nothing but the test browser's
  // private window stands in the way of installing.
  const cdp = await page.context().newCDPSession(page);
  const { errors } = await cdp.send('Page.getAppManifest');
  expect(errors).toEqual([]);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);
  // Another page also links the manifest.
  await page.goto('/en/polls');
  await expect(page.locator('link[rel="manifest"]')).toHaveCount(1);
});

test('offline, a page seen before opens with its styles, and one never seen says it needs a connection', async ({ page, context }, info) => {
  test.skip(!hasJs(info), 'a service worker needs script');
  await page.goto('/uk/initiatives');
  await controlled(page);
  // Seen once while the worker is in charge: kept.
  await page.reload();
  const heading = await page.getByRole('heading', { level: 1 }).textContent();
  await expect.poll(() => keptPages(page)).toContain('/uk/initiatives');

  await context.setOffline(true);
  try {
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading as string);
    // The stylesheet came from the worker's cache: the header has its colour.
    const header = await page.locator('.site-header').evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(header).not.toBe('rgba(0, 0, 0, 0)');

    await page.goto('/uk/polls');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Немає з’єднання');
    await expect(page.getByRole('link', { name: 'Спробувати ще раз' })).toBeVisible();
  } finally {
    await context.setOffline(false);
  }
  // Back online, the same address is the real page again.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Немає з’єднання');
});

test('a page made for someone signed in is never kept on the device', async ({ page }, info) => {
  test.skip(!hasJs(info), 'a service worker needs script');
  await signIn(page, 'cetatean@balti.demo');
  await controlled(page);
  await page.goto('/ro/account');
  await page.goto('/ro/initiatives');
  await page.goto('/ro/initiatives');
  const kept = await keptPages(page);
  expect(kept.filter((p) => !p.endsWith('/offline?kept'))).toEqual([]);
  // The offline pages were fetched without the session: no name in them.
  const offline = await page.evaluate(async () => {
    const names = await caches.keys();
    const cache = await caches.open(names.find((n) => n.startsWith('agora-pages-')) as string);
    return (await (await cache.match('/ro/offline?kept'))?.text()) ?? '';
  });
  expect(offline).toContain('data-offline-page');
  expect(offline).not.toContain('user-menu');
});
