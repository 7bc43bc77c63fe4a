import { expect, test } from '@playwright/test';
import { hasJs, signIn, waitForHydration } from './helpers';

/** A `datetime-local` value `days` from now at `time` (the city's wall clock). */
function dayAhead(days: number, time: string): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T${time}`;
}

test('an NGO member proposes an event from a phone; once staff approve it, it is in the calendar, on the map and in the feed', async ({ page, browser }, info) => {
  const js = hasJs(info);
  const title = `Seară de jocuri de societate (${info.project.name} ${Date.now().toString(36)})`;
  const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 360, height: 740 }, isMobile: js, hasTouch: js });
  const phone = await context.newPage();
  await signIn(phone, 'ong@balti.demo', undefined, js);
  await phone.goto('/ro/events');
  await phone.getByRole('link', { name: 'Propune un eveniment' }).click();
  if (js) await waitForHydration(phone);
  await phone.locator('#field-title_ro').fill(title);
  await phone.locator('#field-description_ro').fill('Jocuri de societate pentru localnici și refugiați; intrarea este liberă, ceaiul este din partea noastră.');
  await phone.locator('#field-title_uk').fill('Вечір настільних ігор');
  await phone.locator('#field-starts').fill(dayAhead(9, '18:00'));
  await phone.locator('#field-ends').fill(dayAhead(9, '20:30'));
  await phone.locator('#field-place').fill('Hubul intercultural, str. Ștefan cel Mare 56');
  await phone.locator('#field-lat').fill('47.7588');
  await phone.locator('#field-lng').fill('27.9255');
  await phone.locator('#field-audience').selectOption('refugees_migrants');
  await phone.locator('#field-category').selectOption('culture');
  // Ending before it starts: refused, with everything typed still there.
  await phone.locator('#field-ends').fill(dayAhead(9, '17:00'));
  await phone.getByRole('button', { name: 'Trimite evenimentul' }).click();
  await expect(phone.locator('#field-ends-error')).toBeVisible();
  await expect(phone.locator('#field-title_ro')).toHaveValue(title);
  await expect(phone.locator('#field-title_uk')).toHaveValue('Вечір настільних ігор');
  await expect(phone.locator('#field-category')).toHaveValue('culture');
  await expect(phone.locator('#field-lat')).toHaveValue(/^47\.7588/);
  await phone.locator('#field-ends').fill(dayAhead(9, '20:30'));
  await phone.getByRole('button', { name: 'Trimite evenimentul' }).click();
  await expect(phone.getByText('Evenimentul a fost trimis.', { exact: false })).toBeVisible();
  await expect(phone.getByText('Așteaptă aprobarea secretariatului')).toBeVisible();
  const fits = await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits, 'no sideways scrolling at 360 px').toBe(true);
  const eventPage = phone.url().split('?')[0];

  // Not public before the secretariat approves it.
  const visitor = await browser.newContext({ javaScriptEnabled: js });
  const stranger = await visitor.newPage();
  const hidden = await stranger.goto(eventPage);
  expect(hidden?.status()).toBe(404);

  // Staff publish it from the calendar's desk.
  await signIn(page, 'admin@balti.demo', undefined, js);
  await page.goto('/ro/events');
  const waiting = page.locator('.desk__item', { hasText: title });
  await waiting.getByRole('button', { name: 'Publică' }).click();
  await expect(page.getByText('Evenimentul este publicat în calendar.')).toBeVisible();
  await expect(page.locator('.desk__item', { hasText: title })).toHaveCount(0);

  // Everyone sees it: the list, its page, the map, the month and the calendar feed.
  await stranger.goto('/ro/events');
  await expect(stranger.getByRole('link', { name: title })).toBeVisible();
  if (js) {
    await waitForHydration(stranger);
    await expect(stranger.locator(`.leaflet-marker-icon[title="${title}"]`)).toBeVisible();
  } else {
    await expect(stranger.locator('img.static-map[src*="static-map__pin--initiative"]').first()).toBeAttached();
  }
  const month = dayAhead(9, '18:00').slice(0, 7);
  await stranger.goto(`/ro/events?month=${month}`);
  await expect(stranger.getByRole('link', { name: title })).toBeVisible();
  await stranger.getByRole('link', { name: title }).click();
  await expect(stranger.getByRole('heading', { name: title })).toBeVisible();
  await expect(stranger.getByText('Asociația Obștească „Casa Deschisă”')).toBeVisible();
  const add = await stranger.getByRole('link', { name: 'Adaugă în calendarul meu' }).getAttribute('href');
  const single = await stranger.request.get(add ?? '');
  expect(single.status()).toBe(200);
  expect((await single.text()).replace(/\r\n[ \t]/g, '')).toContain(`SUMMARY:${title}`);
  const feed = await stranger.request.get('/api/v1/events.ics');
  expect(feed.headers()['content-type']).toContain('text/calendar');
  const unfolded = (await feed.text()).replace(/\r\n[ \t]/g, '');
  expect(unfolded).toContain(`SUMMARY:${title}`);
  // In Ukrainian, the organisation's Ukrainian title.
  await stranger.goto(eventPage.replace('/ro/', '/uk/'));
  await expect(stranger.getByRole('heading', { name: 'Вечір настільних ігор' })).toBeVisible();
  await context.close();
  await visitor.close();
});
