import { expect, Page, request, TestInfo } from '@playwright/test';

export const LANGS = ['ro', 'ru', 'uk', 'en'] as const;

export function hasJs(info: TestInfo): boolean {
  return info.project.name !== 'no-js';
}

/**
 * Waits until the page is interactive: at once for a page without islands (plain HTML and
 * forms), else once the loader has hydrated every island and marked `<html data-hydrated>`.
 */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(
    () => !document.querySelector('leptos-island') || document.documentElement.dataset.hydrated === 'true',
    null,
    { timeout: 30_000 },
  );
}

/** Waits until the map has mounted (after hydration). */
export async function waitForMap(page: Page) {
  await waitForHydration(page);
  await expect(page.locator('.leaflet-container').first()).toBeVisible();
}

export const DEMO_PASSWORD = 'agora-demo-2026';

/** Signs in through the login form and waits until the header shows the person. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, js = true) {
  await page.goto('/ro/login');
  if (js) await waitForHydration(page);
  await page.locator('#field-email').fill(email);
  await page.locator('#field-password').fill(password);
  await page.locator('form.form button[type="submit"]').click();
  await expect(page.locator('.user-menu, .user-link').first()).toBeVisible();
  await expect(page).not.toHaveURL(/\/login/);
}

/** A unique address for a run of the tests. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.md`;
}

/** How many reports the map shows as pins for `filters` (`status=new`…): those with a place on
 * the map, which a report sent with only an address has not yet. */
/** The number the list beside the map gives for the reports in view (its visible count line). */
export async function shownCount(page: Page): Promise<number> {
  const text = (await page.locator('#in-view .count').textContent()) ?? '';
  return Number.parseInt(text.replace(/\D+/g, ' ').trim().split(' ')[0] ?? '', 10);
}

export async function pinsOnMap(page: Page, filters = ''): Promise<number> {
  const geojson = await (await page.request.get(`/api/v1/reports.geojson?bbox=27.85,47.70,28.02,47.82&${filters}`)).json();
  return geojson.features.length;
}

/** The messages in the outbox for `email`, newest last, read as the operator reads them. */
export async function mailTo(baseURL: string, email: string): Promise<{ subject: string; body: string }[]> {
  const api = await request.newContext({ baseURL });
  const login = await api.post('/api/auth/login', {
    form: { email: 'operator@agora.demo', password: DEMO_PASSWORD, lang: 'ro' },
  });
  if (!login.ok()) throw new Error(`operator sign-in: ${login.status()}`);
  const outbox: { to: string; subject: string; body: string; id: number }[] = await (await api.get('/api/admin/outbox')).json();
  await api.dispose();
  return outbox.filter((m) => m.to === email).sort((a, b) => a.id - b.id);
}

/** The local address (path and query) of the first link in `body` that matches `pattern`. */
export function localLink(body: string, pattern: RegExp): string {
  const link = pattern.exec(body)?.[0];
  if (!link) throw new Error(`no ${pattern} in ${body}`);
  const url = new URL(link);
  return url.pathname + url.search;
}
