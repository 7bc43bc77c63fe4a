import { CDPSession, expect, Page, test } from '@playwright/test';
import { hasJs, LANGS, signIn, waitForHydration, waitForMap } from './helpers';

/** How far the page is wider than the screen (0 when nothing scrolls sideways). */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The elements that stick out on the right, for a readable failure. */
async function culprits(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const box = el.getBoundingClientRect();
      const parent = el.parentElement?.getBoundingClientRect();
      if (box.width > 0 && box.right > width + 0.5 && parent && parent.right <= width + 0.5) {
        out.push(`<${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}"> ${Math.round(box.right)} px`);
      }
    }
    return out.slice(0, 5);
  });
}

const PAGES = [
  '',
  '/reports',
  '/reports/new',
  '/reports/1',
  '/reports/3',
  '/initiatives',
  '/initiatives/1',
  '/initiatives/new',
  '/polls',
  '/polls/1',
  '/polls/2',
  '/login',
  '/signup',
  '/forgot',
];
const CLERK_PAGES = ['/staff', '/staff?department=all', '/reports/7', '/reports/13', '/account', '/polls/new'];
const ADMIN_PAGES = ['/admin', '/admin/audit', '/staff', '/reports/1'];
const OPERATOR_PAGES = ['/admin/outbox', '/admin/localities'];

test('no page is wider than a 360-pixel phone, in any language', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'the phone viewport');
  test.setTimeout(360_000);
  const wide: string[] = [];
  const check = async (paths: string[]) => {
    for (const lang of LANGS) {
      for (const path of paths) {
        await page.goto(`/${lang}${path}`);
        await waitForHydration(page);
        const over = await overflow(page);
        if (over > 0) wide.push(`/${lang}${path} is ${over} px too wide: ${(await culprits(page)).join(', ')}`);
      }
    }
  };
  await check(PAGES);
  await signIn(page, 'spatii.verzi@balti.demo');
  await check(CLERK_PAGES);
  await signIn(page, 'admin@balti.demo');
  await check(ADMIN_PAGES);
  await signIn(page, 'operator@agora.demo');
  await check(OPERATOR_PAGES);
  expect(wide, wide.join('\n')).toEqual([]);
});

/** Fingers that land at `points`, move together by `dy` pixels and lift, as a touch screen
 * reports them to the browser (so the page's touch-action rules and scrolling apply). */
async function swipe(cdp: CDPSession, points: { x: number; y: number }[], dy: number) {
  const at = (step: number) => points.map((p, id) => ({ x: p.x, y: p.y + (dy * step) / 10, id }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
  for (let step = 1; step <= 10; step++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(step) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

test('on a phone one finger scrolls the page past the map, two fingers move the map', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'touch gestures');
  await page.goto('/ro');
  await waitForMap(page);
  const map = page.getByTestId('city-map');
  const box = await map.boundingBox();
  expect(box).not.toBeNull();
  // The map leaves room for the list: it does not fill the screen.
  expect(box!.height).toBeLessThan(740 * 0.7);
  // Where the map shows its first pin (Leaflet keeps the pane at 0,0 after a touch gesture and
  // moves the layers).
  const pane = () => page.evaluate(() => document.querySelector('.leaflet-marker-icon.pin')?.getAttribute('style') ?? '');
  // The pins arrive with the map's data, after the map itself.
  await expect(page.locator('.leaflet-marker-icon.pin').first()).toBeAttached();
  const before = await pane();
  const cdp = await page.context().newCDPSession(page);

  // One finger, in the middle of the map: the page scrolls, the map stays where it was.
  const cx = box!.x + box!.width / 2;
  const cy = box!.y + box!.height * 0.7;
  await swipe(cdp, [{ x: cx, y: cy }], -250);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(100);
  expect(await pane()).toBe(before);
  await expect(page.locator('.map__gesture-hint')).toHaveText('Folosiți două degete pentru a muta harta');
  await expect(page.locator('.map__gesture-hint')).toHaveClass(/map__gesture-hint--shown/);

  // Two fingers moving together pan the map, and the page stays put (once the swipe's fling
  // has come to rest).
  let last = -1;
  await expect
    .poll(async () => {
      const now = await page.evaluate(() => window.scrollY);
      const settled = now === last;
      last = now;
      return settled;
    })
    .toBe(true);
  await page.evaluate(() => window.scrollTo(0, 0));
  await swipe(cdp, [{ x: cx - 40, y: cy - 100 }, { x: cx + 40, y: cy - 100 }], 120);
  await expect.poll(pane).not.toBe(before);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
});

test("on a phone the report form's pin is still placed with a tap and dragged with one finger", async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'touch gestures');
  await page.goto('/ro/reports/new');
  await waitForMap(page);
  const map = page.locator('.map--picker');
  const box = (await map.boundingBox())!;
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  const status = page.getByTestId('pin-status');
  await expect(status).toContainText('în interiorul localității');
  const placed = await page.getByLabel('Latitudine').inputValue();
  const pin = (await page.locator('.leaflet-marker-draggable').boundingBox())!;
  const scrolled = await page.evaluate(() => window.scrollY);
  const cdp = await page.context().newCDPSession(page);
  await swipe(cdp, [{ x: pin.x + pin.width / 2, y: pin.y + pin.height / 2 }], 60);
  await expect(page.getByLabel('Latitudine')).not.toHaveValue(placed);
  expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
});

test('on a phone the main action is always in view and in the menu', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'the phone layout');
  await page.goto('/ro');
  if (hasJs(info)) await waitForHydration(page);
  const cta = page.locator('.report-cta');
  // Wholly on the screen, not cut at its right edge.
  await expect(cta).toBeInViewport({ ratio: 1 });
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await expect(cta).toBeInViewport({ ratio: 1 });
  await cta.click();
  await expect(page).toHaveURL(/\/ro\/reports\/new$/);

  for (const path of ['/ro/polls', '/ro/reports/1']) {
    await page.goto(path);
    await page.locator('.site-menu > summary').click();
    const link = page.locator('.site-menu').getByRole('link', { name: 'Raportează o problemă' });
    await expect(link).toBeVisible();
    await expect(link).toHaveAttribute('href', '/ro/reports/new');
  }
});

test('without JavaScript the maps say that they need it and point to the list', async ({ page }, info) => {
  test.skip(hasJs(info), 'the no-JavaScript view');
  await page.goto('/ro');
  const note = page.locator('.map__noscript');
  await expect(note).toContainText('Harta interactivă are nevoie de JavaScript');
  await expect(page.getByText('Se încarcă')).toHaveCount(0);
  await note.getByRole('link', { name: 'Vezi lista' }).click();
  await expect(page).toHaveURL(/#in-view-title$/);
  await expect(page.locator('#in-view .report-list > li').first()).toBeVisible();

  await page.goto('/en/reports/1');
  await expect(page.locator('.map__noscript')).toContainText('The interactive map needs JavaScript');
  await expect(page.getByText('Loading')).toHaveCount(0);
  await page.goto('/ro/reports/new');
  await expect(page.locator('.map__noscript')).toContainText('Scrieți adresa sau coordonatele');
});
