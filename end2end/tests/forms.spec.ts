import { APIRequestContext, expect, Page, request, test } from '@playwright/test';
import path from 'node:path';
import { DEMO_PASSWORD, hasJs, signIn, waitForHydration } from './helpers';

const PHOTO = path.join(__dirname, '..', 'fixtures', 'tree.jpg');

async function open(page: Page, url: string, js: boolean) {
  await page.goto(url);
  if (js) await waitForHydration(page);
}

/** Fills everything the report form asks for except its place. */
async function fillAllButThePlace(page: Page) {
  await page.getByLabel('Spații verzi').check();
  await page.getByLabel('Titlu').fill('Banca ruptă din scuar');
  await page.getByLabel('Descriere').fill('Spătarul băncii de lângă fântână este rupt de o săptămână.');
  await page.getByLabel('Numele dumneavoastră (opțional)').fill('Ana Popescu');
  await page.locator('#field-photos').setInputFiles(PHOTO);
}

test('without a place, the report form says what to do at the top and keeps what was typed', async ({ page }, info) => {
  const js = hasJs(info);
  await open(page, '/ro/reports/new', js);
  await fillAllButThePlace(page);
  await page.getByRole('button', { name: 'Trimite raportul' }).click();

  if (js) {
    // The browser's own check stops the form at the address, in the page's language: nothing
    // is sent, so the photo stays chosen.
    const address = page.locator('#field-address');
    await expect(address).toBeFocused();
    expect(await address.evaluate((el: HTMLInputElement) => el.validationMessage)).toBe(
      'Puneți un punct pe hartă, scrieți coordonatele sau scrieți adresa ori un reper.',
    );
    expect(await page.locator('#field-photos').evaluate((el: HTMLInputElement) => el.files?.length)).toBe(1);
    await expect(page).toHaveURL(/\/ro\/reports\/new$/);
    // With an address it goes.
    await address.fill('Scuarul de lângă Teatrul Național');
    await page.getByRole('button', { name: 'Trimite raportul' }).click();
    await expect(page).toHaveURL(/\/ro\/reports\/\d+\?created=1/);
    return;
  }

  // Without JavaScript the server answers: a summary at the top, holding the focus.
  const summary = page.locator('.error-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('heading')).toHaveText('Raportul nu a fost trimis. Corectați:');
  const fix = summary.getByRole('link', { name: 'Puneți un punct pe hartă, scrieți coordonatele sau scrieți adresa ori un reper.' });
  await expect(fix).toHaveAttribute('href', '#report-where');
  // The same words by the place's fields.
  await expect(page.locator('#report-where .field__error')).toContainText('Puneți un punct pe hartă');
  // Everything typed is still there; the photo, which a page cannot keep, is named.
  await expect(page.getByLabel('Titlu')).toHaveValue('Banca ruptă din scuar');
  await expect(page.getByLabel('Descriere')).toHaveValue('Spătarul băncii de lângă fântână este rupt de o săptămână.');
  await expect(page.getByLabel('Spații verzi')).toBeChecked();
  await expect(page.getByLabel('Numele dumneavoastră (opțional)')).toHaveValue('Ana Popescu');
  await expect(page.locator('#field-photos-again')).toContainText('„tree.jpg”');
  // Following the link takes the visitor to the place; then the report goes.
  await fix.click();
  await expect(page).toHaveURL(/#report-where$/);
  await page.getByLabel('Adresa sau un reper').fill('Scuarul de lângă Teatrul Național');
  await page.locator('#field-photos').setInputFiles(PHOTO);
  await page.getByRole('button', { name: 'Trimite raportul' }).click();
  await expect(page).toHaveURL(/\/ro\/reports\/\d+\?created=1/);
  await expect(page.locator('.gallery img')).toHaveCount(1);
});

test('a refused report lists every problem, each linked to its field, in the visitor\'s language', async ({ page }, info) => {
  const js = hasJs(info);
  await open(page, '/en/reports/new', js);
  // A place outside the city, a two-letter title: the server refuses both.
  await page.getByLabel('Latitude').fill('47.0105');
  await page.getByLabel('Longitude').fill('28.8638');
  await page.getByLabel('Waste and street cleaning').check();
  await page.getByLabel('Title').fill('ab');
  await page.getByLabel('Description').fill('This point is in Chișinău, not in Bălți.');
  await page.getByRole('button', { name: 'Send the report' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText([
    /outside the locality's boundary/,
    'Write a title of at least 3 characters.',
  ]);
  await expect(summary.getByRole('link').nth(1)).toHaveAttribute('href', '#field-title');
  await expect(page.locator('#field-title-error')).toHaveText('Write a title of at least 3 characters.');
  await expect(page.getByLabel('Latitude')).toHaveValue(/^47\.0105/);
  await expect(page.getByLabel('Title')).toHaveValue('ab');
  await expect(page.getByLabel('Waste and street cleaning')).toBeChecked();
});

/** A city wall-clock time `days` from now, as a `datetime-local` field holds it. */
function cityTime(days: number): string {
  const t = new Date(Date.now() + days * 86_400_000);
  return t.toISOString().slice(0, 16);
}

/** A fresh open poll with three answers, at most two each, made by the city hall's API. */
async function newPoll(baseURL: string): Promise<number> {
  const api: APIRequestContext = await request.newContext({ baseURL });
  const login = await api.post('/api/auth/login', {
    form: { email: 'spatii.verzi@balti.demo', password: DEMO_PASSWORD, lang: 'ro' },
  });
  expect(login.ok()).toBeTruthy();
  const res = await api.post('/api/polls/create', {
    form: {
      question_ro: `Ce bănci punem în parcuri? (${Date.now()})`,
      question_ru: '', question_uk: '', question_en: '',
      description_ro: '', description_ru: '', description_uk: '', description_en: '',
      options_ro: 'Din lemn\nDin metal\nDin piatră',
      options_ru: '', options_uk: '', options_en: '',
      links: '', max_choices: '2', opens_at: cityTime(-1), closes_at: cityTime(30),
      results_before_vote: 'on', lang: 'ro',
    },
  });
  expect(res.ok(), await res.text()).toBeTruthy();
  const id = Number(await res.text());
  await api.dispose();
  return id;
}

test('a poll allowing two answers stops a third, explains its shares and shows the vote cast', async ({ page, baseURL }, info) => {
  const js = hasJs(info);
  const poll = await newPoll(baseURL as string);
  await signIn(page, 'cetatean@balti.demo', undefined, js);
  await open(page, `/ro/polls/${poll}`, js);
  await expect(page.getByText('Alegeți cel mult 2 variante.')).toBeVisible();
  const options = page.locator('.poll-option input');
  await options.nth(0).check();
  await options.nth(1).check();
  if (js) {
    // At the limit the other answers cannot be ticked, and the page says why.
    await expect(page.getByTestId('choice-count')).toHaveText(
      'Ați ales 2 din 2. Ați ales câte variante se pot. Debifați una ca să alegeți alta.',
    );
    await expect(options.nth(2)).toBeDisabled();
    await options.nth(1).uncheck();
    await expect(options.nth(2)).toBeEnabled();
    await expect(page.getByTestId('choice-count')).toHaveText('Ați ales 1 din 2.');
    await options.nth(1).check();
  } else {
    // Without JavaScript nothing stops a third tick; the server's refusal says what to do.
    await options.nth(2).check();
    await page.getByRole('button', { name: 'Votează' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Ați bifat prea multe variante: alegeți cel mult 2.' })).toBeVisible();
    await expect(page.getByText('Textul este prea lung')).toHaveCount(0);
    await page.locator('.poll-option input').nth(0).check();
    await page.locator('.poll-option input').nth(1).check();
  }
  const first = (await page.locator('.poll-option').nth(0).textContent())?.trim() ?? '';
  const second = (await page.locator('.poll-option').nth(1).textContent())?.trim() ?? '';
  await page.getByRole('button', { name: 'Votează' }).click();
  await expect(page.getByText('Mulțumim, votul a fost înregistrat.')).toBeVisible();
  // The voter sees what they chose, and why the shares add up past 100 %.
  const vote = page.locator('.notice--ok').filter({ hasText: 'Votul dumneavoastră:' });
  await expect(vote).toContainText(first);
  await expect(vote).toContainText(second);
  await expect(page.getByText('Fiecare participant putea alege până la 2 variante')).toBeVisible();
});

test('content in another language is marked and named in the visitor\'s', async ({ page }, info) => {
  const js = hasJs(info);
  // The PFON poll has its description in Romanian only.
  await open(page, '/ru/polls/1', js);
  await expect(page).toHaveTitle(/^Выбор члена Комиссии/);
  await expect(page.getByText('Опрос № 1')).toBeVisible();
  const description = page.locator('.report-page__description');
  await expect(description.locator('[lang="ro"]')).toContainText('Programul de finanțare');
  await expect(description).toContainText('(на румынском языке)');
  await open(page, '/uk/polls/1', js);
  await expect(page.locator('.report-page__description')).toContainText('(румунською мовою)');

  // An initiative written in Russian, read in Romanian: named in Romanian.
  await open(page, '/ro/initiatives', js);
  const cinema = page.locator('.report-card').filter({ hasText: 'Кинотеатр' });
  await expect(cinema.getByRole('link', { name: 'Кинотеатр' })).toHaveAttribute('lang', 'ru');
  await cinema.getByRole('link', { name: 'Кинотеатр' }).click();
  await expect(page.getByText('Scrisă în limba rusă')).toBeVisible();
  await expect(page.getByText('Русский')).toHaveCount(0);
  // One initiative is "Inițiativa #n", never the plural.
  await expect(page.locator('.report-page__header .muted').first()).toHaveText(/^Inițiativa #\d+$/);
  // The level names stay as the city chose them, with the votes each takes in words.
  await expect(page.locator('.levels')).toContainText('START de la 10 voturi');
  await expect(page.locator('.levels')).toContainText('GO de la 100 de voturi');
  await open(page, '/en/initiatives', js);
  await expect(page.locator('#ini-level option[value="go"]')).toHaveText('GO — level 2 of 5');
});

test("a citizen's votes are listed in their language", async ({ page, browser }, info) => {
  const js = hasJs(info);
  // The moderator votes in the open poll through the API, then reads their account in Russian.
  await signIn(page, 'moderator@balti.demo', undefined, js);
  await open(page, '/ru/polls/2', js);
  if (await page.locator('.poll-form').count()) {
    await page.locator('.poll-option input').first().check();
    await page.getByRole('button', { name: 'Голосовать' }).click();
    await expect(page.locator('.notice--ok').first()).toBeVisible();
  }
  await open(page, '/ru/account', js);
  await expect(page.getByRole('link', { name: 'Какие культурные мероприятия вы хотите в Бельцах в 2027 году?' })).toBeVisible();
  await expect(page.getByText('Ce activități culturale doriți')).toHaveCount(0);
  void browser;
});
