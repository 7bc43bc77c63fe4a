import { expect, type BrowserContext, type Page, test } from '@playwright/test';
import jsQR from 'jsqr';
import { signIn, waitForHydration } from './helpers';

// The information centre's touch screen: full HD, touch, no keyboard of its own, and a camera
// (chromium's stand-in device, allowed without asking).
test.use({
  viewport: { width: 1920, height: 1080 },
  hasTouch: true,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    ],
  },
});

async function cookie(context: BrowserContext, name: string): Promise<string | undefined> {
  return (await context.cookies()).find((c) => c.name === name)?.value;
}

/** Reads the QR code drawn in `selector` the way a phone's camera would: as pixels. */
async function decodeCode(page: Page, selector: string): Promise<string | undefined> {
  const size = 400;
  const pixels = await page.locator(selector).evaluate(async (svg, size) => {
    const image = new Image();
    image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const g = canvas.getContext('2d') as CanvasRenderingContext2D;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, size, size);
    g.drawImage(image, 0, 0, size, size);
    return Array.from(g.getImageData(0, 0, size, size).data);
  }, size);
  return jsQR(Uint8ClampedArray.from(pixels), size, size)?.data;
}

test('a kiosk session files a report, offers it on a phone, then starts over leaving nothing', async ({ page, context }, info) => {
  test.skip(info.project.name !== 'desktop', 'one touch screen, with script');
  test.setTimeout(200_000);

  // A member of staff switches the screen to kiosk mode, and is signed out by it.
  await signIn(page, 'spatii.verzi@balti.demo');
  await page.goto('/ro/kiosk');
  await page.getByLabel('Timp fără atingere până la reluare').selectOption('30');
  await page.getByRole('button', { name: 'Pornește modul chioșc pe acest ecran' }).tap();
  await expect(page).toHaveURL(/\/ro\/kiosk$/);
  expect(await cookie(context, 'agora_kiosk')).toBe('30');
  expect(await cookie(context, 'agora_session')).toBeFalsy();
  await expect(page.locator('.site-header')).toHaveCount(0);
  // The first screen offers the four languages by their own names.
  const languages = page.locator('.kiosk-langs');
  for (const name of ['Română', 'Русский', 'Українська', 'English']) {
    await expect(languages.getByText(name, { exact: true })).toBeVisible();
  }
  // Large targets for fingers.
  const tile = page.locator('.kiosk-tile[href="/ro/reports/new"]');
  expect((await tile.boundingBox())?.height).toBeGreaterThanOrEqual(96);

  // A visitor reports a problem, by touch.
  await tile.tap();
  await waitForHydration(page);
  await page.getByText('Spații verzi', { exact: true }).tap();
  await page.getByLabel('Titlu').fill('Bancă ruptă lângă centrul de informare');
  await page.getByLabel('Descriere').fill('Spătarul băncii din fața primăriei este rupt de o săptămână.');
  await page.locator('#field-address').fill('Piața Independenței 1');
  // A photo from the screen's own camera joins the form's photos.
  await page.getByRole('button', { name: 'Fotografiați cu camera acestui ecran' }).tap();
  const camera = page.getByRole('dialog', { name: 'Fotografiați cu camera acestui ecran' });
  await expect(camera.locator('video')).toBeVisible();
  await expect.poll(() => camera.locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  await camera.getByRole('button', { name: 'Fotografiază' }).tap();
  await expect(camera).toBeHidden();
  await expect(page.getByText('Fotografii alese: 1')).toBeVisible();
  expect(await page.locator('#field-photos').evaluate((i: HTMLInputElement) => i.files?.length)).toBe(1);
  await page.getByRole('button', { name: 'Trimite raportul' }).tap();
  await expect(page).toHaveURL(/\/ro\/reports\/\d+\?created=1/);
  const id = /reports\/(\d+)/.exec(page.url())?.[1];
  // The photo arrived with the report.
  await expect(page.locator('.gallery__item img')).toHaveCount(1);

  // A code to follow it on the visitor's phone: it reads as this report's public address.
  const follow = page.locator('.kiosk-follow');
  await expect(follow).toBeVisible();
  const address = await follow.locator('.phone-code').getAttribute('data-address');
  expect(address).toMatch(new RegExp(`^https?://[^/]+/ro/reports/${id}$`));
  expect(await decodeCode(page, '.kiosk-follow .phone-code__picture svg')).toBe(address);
  // Any page offers to continue on a phone, from the bar.
  await page.getByText('Continuați pe telefon').tap();
  expect(await decodeCode(page, '.kiosk-bar .phone-code__picture svg')).toMatch(new RegExp(`/ro/reports/${id}\\?created=1$`));

  // The next visitor signs in and starts typing, then walks away.
  await page.goto('/ro/login');
  await page.locator('#field-email').fill('cetatean@balti.demo');
  await page.locator('#field-password').fill('agora-demo-2026');
  await page.locator('form.form button[type="submit"]').tap();
  await expect(page).not.toHaveURL(/\/login/);
  expect(await cookie(context, 'agora_session')).toBeTruthy();
  await page.goto('/ro/reports/new');
  await page.getByLabel('Titlu').fill('Ceva personal');

  // After the idle time the screen warns, counting down; then it starts over.
  const warning = page.getByRole('alertdialog');
  await expect(warning).toBeVisible({ timeout: 40_000 });
  await expect(warning).toContainText('Mai sunteți aici?');
  await expect(page).toHaveURL(/\/ro\/kiosk$/, { timeout: 25_000 });
  expect(await cookie(context, 'agora_session')).toBeFalsy();
  expect(await cookie(context, 'agora_kiosk')).toBe('30');
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  await page.locator('.kiosk-tile[href="/ro/reports/new"]').tap();
  await expect(page.getByLabel('Titlu')).toHaveValue('');
  await expect(page.getByText('Ceva personal')).toHaveCount(0);
});

test('an idle kiosk shows the city at a glance, and a touch brings back the start', async ({ page, context }, info) => {
  test.skip(info.project.name !== 'desktop', 'one touch screen, with script');
  test.setTimeout(120_000);
  const url = new URL(info.project.use.baseURL ?? process.env.AGORA_E2E_URL ?? 'http://127.0.0.1:3000');
  // The device's setting, as staff leave it (the switch itself is tested above).
  await context.addCookies([{ name: 'agora_kiosk', value: '30', domain: url.hostname, path: '/', httpOnly: true }]);
  await page.goto('/ro/kiosk');
  // Nobody touches the start screen: the city at a glance, one panel at a time.
  await expect(page).toHaveURL(/\/ro\/kiosk\/glance$/, { timeout: 45_000 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Orașul dintr-o privire');
  const panels = page.locator('[data-glance-panel]');
  expect(await panels.count()).toBeGreaterThan(1);
  await expect(page.locator('[data-glance-panel]:visible')).toHaveCount(1);
  await expect(page.locator('.glance-report').first()).toBeVisible();
  // A bare touch on the screen (not a locator's tap, which waits on a page that navigates at
  // the first touch).
  await page.touchscreen.tap(900, 700);
  await expect(page).toHaveURL(/\/ro\/kiosk$/);
});
