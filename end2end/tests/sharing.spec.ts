import { expect, test, type APIRequestContext } from '@playwright/test';
import { hasJs } from './helpers';

/** What a link-preview parser (Facebook's, Telegram's) reads: the page's Open Graph tags. */
function openGraph(html: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const m of html.matchAll(/<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)"/g)) {
    tags[m[1]] ??= m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  }
  return tags;
}

/** The first initiative of the demo without a photo of its own, by its page's address. */
async function initiativeWithoutPhoto(request: APIRequestContext): Promise<string> {
  const list = await (await request.get('/ro/initiatives')).text();
  const ids = [...new Set([...list.matchAll(/href="\/ro\/initiatives\/(\d+)"/g)].map((m) => m[1]))];
  for (const id of ids) {
    const html = await (await request.get(`/ro/initiatives/${id}`)).text();
    if (openGraph(html)['og:image']?.includes('/media/previews/')) return `/ro/initiatives/${id}`;
  }
  throw new Error('no initiative without a photo in the demo');
}

test("a shared initiative's page is read by a preview parser: tags and a 1200×630 PNG", async ({ request }, info) => {
  test.skip(info.project.name !== 'desktop', 'one HTTP check is enough');
  const path = await initiativeWithoutPhoto(request);
  const response = await request.get(path, { headers: { 'User-Agent': 'facebookexternalhit/1.1' } });
  expect(response.status()).toBe(200);
  const og = openGraph(await response.text());
  expect(og['og:title']).toBeTruthy();
  expect(og['og:description']).toBeTruthy();
  expect(og['og:url']).toMatch(new RegExp(`${path}$`));
  expect(og['og:locale']).toBe('ro_MD');
  expect(og['twitter:card']).toBe('summary_large_image');
  expect(og['og:image:width']).toBe('1200');
  expect(og['og:image:height']).toBe('630');

  // The image, fetched as the parser would: a real PNG whose header says 1200×630.
  const image = await request.get(new URL(og['og:image']).pathname + new URL(og['og:image']).search);
  expect(image.status()).toBe(200);
  expect(image.headers()['content-type']).toBe('image/png');
  const png = await image.body();
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.readUInt32BE(16)).toBe(1200);
  expect(png.readUInt32BE(20)).toBe(630);
  expect(png.length).toBeGreaterThan(5_000);
});

test('share links work without third-party scripts, and the link is copied', async ({ page, context, request }, info) => {
  const path = await initiativeWithoutPhoto(request);
  await page.goto(path.replace('/ro/', '/en/'));
  const share = page.getByRole('region', { name: 'Share' });
  await expect(share.getByRole('link', { name: /Share on Facebook/ })).toHaveAttribute('href', /^https:\/\/www\.facebook\.com\/sharer\/sharer\.php\?u=http/);
  await expect(share.getByRole('link', { name: /Send on Telegram/ })).toHaveAttribute('href', /^https:\/\/t\.me\/share\/url\?url=/);
  await expect(share.getByRole('link', { name: /Send on Viber/ })).toHaveAttribute('href', /^viber:\/\/forward\?text=/);
  await expect(share.getByRole('link', { name: /Send on WhatsApp/ })).toHaveAttribute('href', /^https:\/\/wa\.me\/\?text=/);
  const field = share.getByLabel('Link to this page');
  const url = await field.inputValue();
  expect(url).toMatch(new RegExp(`${path.replace('/ro/', '/en/')}$`));
  // No script of another site is on the page.
  const scripts = await page.locator('script[src]').evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).src));
  for (const src of scripts) expect(new URL(src).origin).toBe(new URL(page.url()).origin);

  const copy = share.getByRole('button', { name: 'Copy link' });
  if (!hasJs(info)) {
    // Without script the address is there to copy by hand.
    await expect(copy).toBeHidden();
    return;
  }
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await copy.click();
  await expect(share.getByRole('status')).toHaveText('Link copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
});

test("a shared link opens in the sharer's language unless the visitor chose another", async ({ page, request }) => {
  const path = await initiativeWithoutPhoto(request);
  // Someone who never chose sees the sharer's Romanian.
  await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ro');
  // A visitor who picks Ukrainian with the switch…
  await page.getByRole('navigation', { name: /Limba/ }).locator('a[hreflang="uk"]').click();
  await expect(page).toHaveURL(new RegExp(`${path.replace('/ro/', '/uk/')}$`));
  // …then opens a Romanian link from a chat gets the page in Ukrainian.
  await page.goto(path);
  await expect(page).toHaveURL(new RegExp(`${path.replace('/ro/', '/uk/')}$`));
  await expect(page.locator('html')).toHaveAttribute('lang', 'uk');
  // Switching back within the site still works.
  await page.getByRole('navigation', { name: /Мова/ }).locator('a[hreflang="ro"]').click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
});
