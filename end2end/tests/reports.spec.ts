import { expect, test } from '@playwright/test';
import path from 'node:path';
import { hasJs, pinsOnMap, signIn, waitForHydration } from './helpers';

const PHOTO = path.join(__dirname, '..', 'fixtures', 'tree.jpg');

test('a citizen reports a problem with a photo, then staff accept and resolve it', async ({ page, browser }, info) => {
  test.skip(!hasJs(info), 'the map-driven flow needs WASM; the no-JS flow is tested below');
  await page.goto('/ro/reports/new');
  await waitForHydration(page);
  await expect(page.locator('.leaflet-container')).toBeVisible();
  const map = page.locator('.map--picker');
  const box = await map.boundingBox();
  await map.click({ position: { x: (box?.width ?? 300) / 2, y: (box?.height ?? 200) / 2 } });
  await expect(page.getByTestId('pin-status')).toContainText('în interiorul localității');
  await page.getByLabel('Spații verzi').check();
  const title = `Copac căzut ${Date.now()}`;
  await page.getByLabel('Titlu').fill(title);
  await page.getByLabel('Descriere').fill('Un copac a căzut pe trotuar după vânt și blochează trecerea.');
  await page.locator('#field-photos').setInputFiles(PHOTO);
  await page.getByRole('button', { name: 'Trimite raportul' }).click();

  await expect(page).toHaveURL(/\/ro\/reports\/\d+\?created=1/);
  await expect(page.getByRole('status').filter({ hasText: 'Raportul a fost trimis' })).toBeVisible();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.locator('.gallery img')).toHaveCount(1);
  const reportUrl = new URL(page.url()).pathname;
  const id = reportUrl.split('/').pop();

  // On the map and in the list.
  await page.goto('/ro');
  await waitForHydration(page);
  await expect(page.locator('.report-list').getByRole('link', { name: title })).toBeVisible();
  await expect(page.locator('.leaflet-marker-icon.pin').first()).toBeVisible();

  // The city hall answers and resolves it, in its own browser.
  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await signIn(staff, 'spatii.verzi@balti.demo');
  await staff.goto(reportUrl);
  await waitForHydration(staff);
  await expect(staff.locator('#staff-status')).toBeVisible();
  await staff.locator('#staff-status').selectOption('accepted');
  await staff.locator('#staff-department').selectOption({ label: 'Î.M. „Spații Verzi”' });
  await staff.locator('#field-body-staff').fill('Echipa vine mâine dimineață.');
  await staff.getByRole('button', { name: 'Salvează', exact: true }).click();
  await expect(staff.locator('.badge--accepted').first()).toBeVisible();
  await staff.locator('#staff-status').selectOption('resolved');
  await staff.locator('#field-body-staff').fill('Copacul a fost îndepărtat.');
  await staff.getByRole('button', { name: 'Salvează', exact: true }).click();
  await expect(staff.locator('.badge--resolved').first()).toBeVisible();
  await staffContext.close();

  // The citizen's page shows the timeline with both official responses.
  await page.goto(`/ro/reports/${id}`);
  const timeline = page.locator('.timeline');
  await expect(timeline.getByText('Echipa vine mâine dimineață.')).toBeVisible();
  await expect(timeline.getByText('Copacul a fost îndepărtat.')).toBeVisible();
  await expect(timeline.locator('.official-badge')).toHaveCount(2);
  await expect(page.locator('.report-page__header .badge--resolved')).toHaveText('Finalizat');
});

test('a category filter hides other pins and survives a reload', async ({ page }, info) => {
  test.skip(!hasJs(info), 'pins need WASM; the no-JS list is filtered by the same address');
  await page.goto('/ro');
  await waitForHydration(page);
  await page.locator('.filters-panel > summary').click();
  await page.getByLabel('Iluminat public stradal').check();
  await expect(page).toHaveURL(/category=street-lighting/);
  const expected = await pinsOnMap(page, 'category=street-lighting');
  await expect(page.locator('.leaflet-marker-icon.pin')).toHaveCount(expected);
  await expect(page.locator('.pin__icon[src="/icons/tree.svg"]')).toHaveCount(0);
  await page.reload();
  await waitForHydration(page);
  await expect(page.locator('.leaflet-marker-icon.pin')).toHaveCount(expected);
  await page.locator('.filters-panel > summary').click();
  await expect(page.getByLabel('Iluminat public stradal')).toBeChecked();
});

test('without JavaScript the form still sends a report from typed coordinates', async ({ page }, info) => {
  test.skip(hasJs(info), 'the progressive-enhancement path');
  await page.goto('/ro/reports/new');
  await page.getByLabel('Latitudine').fill('47.7580');
  await page.getByLabel('Longitudine').fill('27.9200');
  await page.getByLabel('Adresa sau un reper').fill('Piața centrală, intrarea de nord');
  await page.getByLabel('Salubrizare și deșeuri').check();
  await page.getByLabel('Titlu').fill('Containere pline lângă piață');
  await page.getByLabel('Descriere').fill('Containerele nu au fost golite de trei zile.');
  await page.locator('#field-photos').setInputFiles(PHOTO);
  await page.getByRole('button', { name: 'Trimite raportul' }).click();
  await expect(page).toHaveURL(/\/ro\/reports\/\d+\?created=1/);
  await expect(page.getByText('Raportul a fost trimis')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Containere pline lângă piață' })).toBeVisible();
});

test('without JavaScript a refused report shows a translated error', async ({ page }, info) => {
  test.skip(hasJs(info), 'the progressive-enhancement path');
  await page.goto('/en/reports/new');
  await page.getByLabel('Latitude').fill('47.0105');
  await page.getByLabel('Longitude').fill('28.8638');
  await page.getByLabel('Waste and street cleaning').check();
  await page.getByLabel('Title').fill('Far away');
  await page.getByLabel('Description').fill('This point is in Chișinău, not in Bălți.');
  await page.getByRole('button', { name: 'Send the report' }).click();
  await expect(page.getByRole('alert').filter({ hasText: "outside the locality's boundary" })).toBeVisible();
});

test('the pin is placed and moved with the keyboard, and announced', async ({ page }, info) => {
  test.skip(info.project.name !== 'desktop', 'keyboard flow on desktop');
  await page.goto('/ro/reports/new');
  await waitForHydration(page);
  await page.getByLabel('Latitudine').fill('47.761700');
  await page.getByLabel('Latitudine').press('Tab');
  await page.getByLabel('Longitudine').fill('27.929100');
  await page.getByLabel('Longitudine').press('Tab');
  const status = page.getByTestId('pin-status');
  await expect(status).toContainText('47.76170, 27.92910');
  await page.getByRole('button', { name: 'Mută punctul 5 m spre nord' }).press('Enter');
  await expect(status).toContainText('47.76174');
  const pin = page.locator('.leaflet-marker-draggable');
  await pin.focus();
  await page.keyboard.press('ArrowRight');
  await expect(status).not.toContainText('27.92910,');
  await expect(page.getByLabel('Latitudine')).toHaveValue(/^47\.7617/);
});

test('the form offers open reports of the chosen category near the pin, to support instead', async ({ page }, info) => {
  test.skip(info.project.name !== 'desktop', 'the list follows the pin once the page is hydrated');
  // An open report of the city's green spaces, with a confirmed place, to stand 11 m from.
  const answer = await page.request.get('/open311/v2/requests.json?service_code=green-spaces&status=open');
  expect(answer.ok()).toBeTruthy();
  const open = ((await answer.json()) as { service_request_id: number; lat?: number; long?: number }[]).find(
    (r) => r.lat !== undefined && r.lat !== null,
  );
  expect(open, 'the demo data has an open green-spaces report with a place').toBeTruthy();
  const { service_request_id: id, lat, long } = open!;

  await signIn(page, 'cetatean@balti.demo');
  await page.goto('/ro/reports/new');
  await waitForHydration(page);
  const nearby = page.locator('section.nearby');
  await expect(nearby).toBeHidden();
  await page.getByLabel('Latitudine').fill((lat! + 0.0001).toFixed(6));
  await page.getByLabel('Latitudine').press('Tab');
  await page.getByLabel('Longitudine').fill(long!.toFixed(6));
  await page.getByLabel('Longitudine').press('Tab');
  await expect(nearby, 'nothing is offered before a category is chosen').toBeHidden();
  await page.getByLabel('Spații verzi').check();
  await expect(nearby).toBeVisible();
  await expect(nearby.getByRole('heading', { name: 'Este aceeași problemă?' })).toBeVisible();
  const card = nearby.locator('li.report-card').filter({ has: page.locator(`a[href="/ro/reports/${id}"]`) });
  await expect(card).toHaveCount(1);
  await expect(card.getByRole('button', { name: 'Am și eu această problemă' })).toBeVisible();
  // Another category near the same pin offers something else, or nothing.
  await page.getByLabel('Drumuri').check();
  await expect(nearby.locator(`a[href="/ro/reports/${id}"]`)).toHaveCount(0);
});

test('the report form speaks Russian and Ukrainian', async ({ page }) => {
  await page.goto('/ru/reports/new');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await expect(page.getByRole('heading', { name: 'Сообщить о проблеме' })).toBeVisible();
  await expect(page.getByLabel('Заголовок')).toBeVisible();
  await expect(page.getByLabel('Описание')).toBeVisible();
  await expect(page.getByLabel('Зелёные насаждения')).toBeAttached();
  await expect(page.getByRole('button', { name: 'Отправить сообщение' })).toBeVisible();
  await page.goto('/uk/reports/new');
  await expect(page.locator('html')).toHaveAttribute('lang', 'uk');
  await expect(page.getByRole('heading', { name: 'Повідомити про проблему' })).toBeVisible();
  await expect(page.getByLabel('Заголовок')).toBeVisible();
  await expect(page.getByLabel('Опис', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Зелені насадження')).toBeAttached();
  await expect(page.getByRole('button', { name: 'Надіслати звернення' })).toBeVisible();
});

test('an unknown report is a 404 page', async ({ page }) => {
  const res = await page.goto('/ro/reports/987654');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Pagina nu a fost găsită' })).toBeVisible();
});
