import { expect, Page, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { hasJs, pinsOnMap, signIn, waitForHydration, waitForMap } from './helpers';

// axe-core, injected into each page by the test (the page's CSP allows no inline script, so it
// is evaluated through the DevTools protocol rather than added as a <script>).
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** The page's serious and critical accessibility violations, as readable lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations: Violation[] = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

// Every kind of page, as a visitor sees it and as the city hall does.
const PUBLIC_PAGES = [
  '/ro',
  '/ro/reports',
  '/ro/reports/new',
  '/ro/reports/1',
  '/ro/initiatives',
  '/ro/initiatives/1',
  '/ro/initiatives/new',
  '/ro/polls',
  '/ro/polls/1',
  '/ro/polls/2',
  '/ro/login',
  '/ro/signup',
  '/ro/forgot',
  '/ro/reset?token=unknown',
  '/ro/confirm?token=unknown',
  '/ro/subscriptions/confirm?token=unknown',
  '/ro/no-such-page',
  '/ro/budget',
  '/ro/budget/2026',
  '/ro/budget/2026/projects/1',
  '/ro/budget/2026/results',
  '/ro/budget/2026/indicators',
  '/ro/budget/2026/report',
  '/ro/budget/2027',
  '/ro?projects=1',
  '/ro/events',
  '/ro/events?past=1',
  `/uk/events?month=${new Date().toISOString().slice(0, 7)}`,
  '/ro/events/1',
  '/uk/services',
  '/uk/services?need=counselling',
  '/uk/services?need=legal_aid&speaks=uk&found=1',
  '/ro/services/1',
  '/ru/services/1/sheet',
  '/uk/resources',
  '/ro/newsletters',
  '/ru/newsletters/1',
  '/uk/newsletters/confirm?token=unknown',
  '/uk/offline',
  '/uk/surveys',
  '/uk/surveys/1',
  '/en/surveys/2/results',
  '/ro/kiosk',
  '/en/kiosk/glance',
  '/ru',
  '/uk/reports/new',
  '/en/polls/2',
];
const STAFF_PAGES = [
  '/ro/staff',
  '/ro/staff?department=all',
  '/ro/reports/1',
  '/ro/reports/13',
  '/ro/polls/new',
  '/ro/account',
  '/ro/admin',
  '/ro/admin/audit',
  '/ro/admin/outbox',
  '/ro/admin/localities',
  // A funded project with the implementation forms.
  '/ro/budget/2026/projects/1',
  // Setting up the civic budget.
  '/ro/budget/new',
  '/ro/budget/2027/setup',
  // The NGO network's calendar: proposing an event, the organisations.
  '/ro/events/new',
  '/ro/admin/organisations',
  // The directory: its desk, the form, an entry's page with the keepers' buttons.
  '/ro/services',
  '/ro/services/new',
  '/ro/services/1/edit',
  '/ro/resources/new',
  // The quarterly newsletter: the secretariat's list and form.
  '/ro/newsletters',
  '/ro/newsletters/new',
  '/ro/newsletters/1/edit',
  // Surveys: the editor, a survey's staff tools, its private results.
  '/ro/surveys/new',
  '/ro/surveys/1/edit',
  '/ro/surveys/1',
  '/ro/surveys/1/results',
];

async function auditAll(page: Page, paths: string[]) {
  const found: string[] = [];
  for (const path of paths) {
    await page.goto(path);
    await waitForHydration(page);
    for (const line of await seriousViolations(page)) found.push(`${path}: ${line}`);
  }
  expect(found, found.join('\n')).toEqual([]);
}

test.describe('axe-core finds nothing serious', () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'axe runs as a script in the page');

  test('on every public page', async ({ page }) => {
    test.setTimeout(120_000);
    await auditAll(page, PUBLIC_PAGES);
  });

  test('on the pages of the city hall, its clerk and a signed-in citizen', async ({ page }) => {
    test.setTimeout(120_000);
    await signIn(page, 'admin@balti.demo');
    await auditAll(page, STAFF_PAGES);
    await signIn(page, 'spatii.verzi@balti.demo');
    await auditAll(page, ['/ro/staff', '/ro/reports/7', '/ro/reports/13']);
    await signIn(page, 'cetatean@balti.demo');
    await auditAll(page, ['/ro/polls/2', '/ro/account', '/ro/reports/new']);
  });

  test('on the pages of a kiosk', async ({ page, context, baseURL }) => {
    test.setTimeout(120_000);
    const host = new URL(baseURL ?? 'http://127.0.0.1:3000').hostname;
    await context.addCookies([{ name: 'agora_kiosk', value: '300', domain: host, path: '/', httpOnly: true }]);
    await auditAll(page, ['/ro/kiosk', '/uk/reports/new', '/ro/reports/1', '/ro/polls/2', '/en/kiosk/glance']);
  });

  test('on the report form showing its errors', async ({ page }) => {
    await page.goto('/ro/reports/new');
    await waitForHydration(page);
    // What only the server refuses: a title too short, a place outside the city.
    await page.getByLabel('Latitudine').fill('47.0105');
    await page.getByLabel('Longitudine').fill('28.8638');
    await page.getByLabel('Spații verzi').check();
    await page.getByLabel('Titlu').fill('ab');
    await page.getByLabel('Descriere').fill('Un copac a căzut peste gard.');
    await page.getByRole('button', { name: 'Trimite raportul' }).click();
    await expect(page.locator('.error-summary')).toBeVisible();
    const found = await seriousViolations(page);
    expect(found, found.join('\n')).toEqual([]);
  });
});

test('the skip link moves the keyboard to the content, also once the page is interactive', async ({ page }, info) => {
  test.skip(info.project.name === 'phone', 'a keyboard journey');
  for (const path of ['/ro', '/ro/reports/new', '/ro/reports/1', '/ro/polls/2']) {
    await page.goto(path);
    if (hasJs(info)) await waitForHydration(page);
    await page.keyboard.press('Tab');
    await expect(page.locator('.skip-link').first()).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('main#main')).toBeFocused();
    // The next Tab goes on from the content, not from the top of the page.
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => !!document.activeElement?.closest('main'));
    expect(inMain, `${path}: the Tab after the skip link is inside <main>`).toBe(true);
  }
});

test('each page has a title that names it', async ({ page }) => {
  const titles: [string, RegExp][] = [
    ['/ro', /^Harta problemelor raportate · Agora Bălți$/],
    ['/ro/reports', /^Rapoarte · Agora Bălți$/],
    ['/ro/reports/new', /^Raportează o problemă · Agora Bălți$/],
    ['/ro/initiatives', /^Inițiative · Agora Bălți$/],
    ['/ro/polls', /^Sondaje · Agora Bălți$/],
    ['/ro/login', /^Autentificare · Agora Bălți$/],
    ['/ru/polls', /^Опросы · Agora Бельцы$/],
    ['/en/reports/new', /^Report a problem · Agora Bălți$/],
    ['/ro/no-such-page', /^Pagina nu a fost găsită · Agora Bălți$/],
  ];
  for (const [path, title] of titles) {
    await page.goto(path);
    await expect(page).toHaveTitle(title);
  }
  // A report's page is named after the report; its <h1> says the same.
  await page.goto('/ro/reports/1');
  const heading = (await page.locator('h1').textContent())?.trim() ?? '';
  expect(heading.length).toBeGreaterThan(3);
  await expect(page).toHaveTitle(`${heading} · Agora Bălți`);
  await page.goto('/en/polls/2');
  await expect(page).toHaveTitle('Which cultural activities would you like in Bălți in 2027? · Agora Bălți');
});

test('following a link loads the new page whole: its title is announced and reading starts at the top', async ({ page }, info) => {
  // Pages are server-rendered and links are plain links (no client-side router in any bundle),
  // so each navigation is a document load that screen readers announce by its title.
  await page.goto('/ro');
  if (hasJs(info)) await waitForHydration(page);
  const nav = page.locator('nav.site-nav:visible').first();
  if (info.project.name === 'phone') await page.locator('.site-menu > summary').click();
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await nav.getByRole('link', { name: 'Sondaje' }).click();
  await expect(page).toHaveURL(/\/ro\/polls$/);
  await expect(page).toHaveTitle('Sondaje · Agora Bălți');
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBeUndefined();
  await expect(page.getByRole('heading', { level: 1, name: 'Sondaje' })).toBeVisible();
});

test('the map is one Tab stop, with a way past it to the list of the same reports', async ({ page }, info) => {
  test.skip(info.project.name !== 'desktop', 'a keyboard journey');
  await page.goto('/ro');
  await waitForMap(page);
  await expect(page.locator('.leaflet-marker-icon.pin')).toHaveCount(await pinsOnMap(page));
  // No pin, cluster or zoom button is a Tab stop of its own (the attribution's links are).
  const stops = await page
    .locator('.leaflet-container [tabindex="0"], .leaflet-container a[href]:not([tabindex="-1"]):not(.leaflet-control-attribution a)')
    .count();
  expect(stops).toBe(0);
  await expect(page.getByTestId('city-map')).toHaveAttribute('tabindex', '0');

  // From the header, a few Tabs reach the map's skip link, then the map itself.
  const reached: string[] = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return el.dataset.testid ?? el.textContent?.trim() ?? el.tagName;
    });
    reached.push(here);
    if (here === 'city-map') break;
  }
  expect(reached).toContain('Sari peste hartă');
  expect(reached[reached.length - 1]).toBe('city-map');
  // The next Tab leaves the map for the main action: one stop for all its pins.
  await page.keyboard.press('Tab');
  await expect(page.locator('.report-cta')).toBeFocused();
  // Arrow keys move the focused map, + zooms it.
  const before = await page.evaluate(() => document.querySelector('.leaflet-map-pane')?.getAttribute('style'));
  await page.getByTestId('city-map').focus();
  await page.keyboard.press('ArrowRight');
  await expect
    .poll(() => page.evaluate(() => document.querySelector('.leaflet-map-pane')?.getAttribute('style')))
    .not.toBe(before);

  // The skip link passes the map by.
  await page.goto('/ro');
  await waitForMap(page);
  await page.getByRole('link', { name: 'Sari peste hartă' }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(page.locator('.report-cta')).toBeFocused();
});

test("Leaflet's own controls speak the visitor's language", async ({ page }, info) => {
  test.skip(!hasJs(info), 'Leaflet needs JavaScript');
  const words: Record<string, [string, string, string]> = {
    ro: ['Mărește', 'Micșorează', 'Închide'],
    ru: ['Приблизить', 'Отдалить', 'Закрыть'],
    uk: ['Наблизити', 'Віддалити', 'Закрити'],
    en: ['Zoom in', 'Zoom out', 'Close'],
  };
  for (const [lang, [zoomIn, zoomOut, close]] of Object.entries(words)) {
    await page.goto(`/${lang}`);
    await waitForMap(page);
    await expect(page.locator('.leaflet-control-zoom-in')).toHaveAttribute('aria-label', zoomIn);
    await expect(page.locator('.leaflet-control-zoom-out')).toHaveAttribute('aria-label', zoomOut);
    await page.locator('.leaflet-marker-icon.pin').first().click({ force: true });
    await expect(page.locator('.leaflet-popup-close-button')).toHaveAttribute('aria-label', close);
    const english = await page.locator('.leaflet-container [aria-label="Zoom in"], .leaflet-container [aria-label="Close popup"]').count();
    expect(lang === 'en' || english === 0).toBe(true);
  }
});
