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

/** The six phases' start dates of an edition, as its form's `datetime-local` fields take them. */
export type PhaseStarts = Record<
  'information_from' | 'proposals_from' | 'review_from' | 'voting_from' | 'results_from' | 'implementation_from',
  string
>;

/**
 * Starts a civic-budget edition through the staff's form, as `page`'s signed-in staff member,
 * and leaves `page` on its setup page.
 */
export async function startEdition(page: Page, slug: string, title: string, starts: PhaseStarts, js: boolean) {
  await page.goto('/ro/budget');
  await page.getByRole('link', { name: 'Ediție nouă' }).click();
  if (js) await waitForHydration(page);
  await page.locator('#field-slug').fill(slug);
  await page.locator('#field-title_ro').fill(title);
  for (const [field, value] of Object.entries(starts)) await page.locator(`#field-${field}`).fill(value);
  await page.getByRole('button', { name: 'Creează ediția' }).click();
  await expect(page.getByText('Ediția a fost salvată.')).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/ro/budget/${slug}/setup`));
  if (js) await waitForHydration(page);
}

/** Adds a knapsack budget from the setup page `page` is on. */
export async function addBudget(page: Page, name: string, amount: number, js: boolean) {
  await page.locator('#field-name_ro').fill(name);
  await page.locator('#field-amount').fill(String(amount));
  await page.getByRole('button', { name: 'Adaugă un buget' }).click();
  await expect(page.getByText('Bugetul a fost adăugat.')).toBeVisible();
  if (js) await waitForHydration(page);
}

/** Moves the edition `slug` to `phase` from its page, as staff. */
export async function setPhase(page: Page, slug: string, phase: string, js: boolean) {
  await page.goto(`/ro/budget/${slug}`);
  if (js) await waitForHydration(page);
  await page.locator('#budget-phase').selectOption(phase);
  await page.getByRole('button', { name: 'Schimbă etapa' }).click();
  await expect(page.getByText('Etapa a fost schimbată.')).toBeVisible();
}

/** Waits until the service worker controls the page (installed, activated, claimed). */
export async function controlled(page: Page) {
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  const isControlled = () => page.evaluate(() => navigator.serviceWorker.controller !== null);
  try {
    await expect.poll(isControlled, { timeout: 5000 }).toBe(true);
  } catch {
    // A document whose navigation began before the worker took charge (the redirect after
    // signing in, say) is never claimed: claim() ran for the documents open then. The next
    // load of the page is the worker's, as it is for a person.
    await page.reload();
    await expect.poll(isControlled).toBe(true);
  }
}
