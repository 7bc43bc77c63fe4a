import { expect, Page, test } from '@playwright/test';
import { hasJs, signIn, waitForHydration } from './helpers';

/** Opens `url` and, when the browser runs WASM, waits for hydration. */
async function open(page: Page, url: string, js: boolean) {
  await page.goto(url);
  if (js) await waitForHydration(page);
}

test('staff ask a question; a citizen answers and every open browser sees it live', async ({ page, browser }, info) => {
  const js = hasJs(info);
  // The city hall creates the poll: two choices of three, results public from the start.
  await signIn(page, 'spatii.verzi@balti.demo', undefined, js);
  await open(page, '/ro/polls/new', js);
  const question = `Unde plantăm copaci în primăvară? (${Date.now()})`;
  await page.locator('#field-question_ro').fill(question);
  await page.locator('#field-question_en').fill('Where should we plant trees in spring?');
  await page.locator('#field-options_ro').fill('Strada Independenței\nParcul Central\nBulevardul Victoriei');
  await page.locator('#field-options_en').fill('Independence Street\nCentral Park\nVictory Boulevard');
  await page.locator('#field-max_choices').fill('2');
  await page.getByRole('button', { name: 'Creează un sondaj' }).click();
  await expect(page).toHaveURL(/\/ro\/polls\/\d+\?created=/);
  await expect(page.getByRole('heading', { name: question })).toBeVisible();
  const pollPath = new URL(page.url()).pathname;
  const pollId = pollPath.split('/').pop();

  // An anonymous visitor watches the results; they cannot vote without an account.
  const watcherContext = await browser.newContext({ javaScriptEnabled: js });
  const watcher = await watcherContext.newPage();
  await open(watcher, pollPath, js);
  const participants = watcher.getByTestId('poll-participants');
  await expect(participants).toHaveText('0 participanți');
  await expect(watcher.getByRole('link', { name: 'Autentificare' }).first()).toBeVisible();
  await expect(watcher.locator('.poll-form')).toHaveCount(0);

  // A citizen votes for two places.
  const voterContext = await browser.newContext({ javaScriptEnabled: js });
  const voter = await voterContext.newPage();
  await signIn(voter, 'cetatean@balti.demo', undefined, js);
  await open(voter, pollPath, js);
  await expect(voter.getByText('Alegeți cel mult 2 variante.')).toBeVisible();
  await voter.getByLabel('Strada Independenței').check();
  await voter.getByLabel('Bulevardul Victoriei').check();
  await voter.getByRole('button', { name: 'Votează' }).click();
  await expect(voter.getByText('Mulțumim, votul a fost înregistrat.')).toBeVisible();
  await expect(voter.getByText('Ați votat în acest sondaj.')).toBeVisible();
  await expect(voter.locator('.poll-form')).toHaveCount(0);

  // The watcher's page follows without a reload when it runs the app; without JavaScript a
  // reload shows the same numbers.
  if (!js) await watcher.reload();
  await expect(participants).toHaveText('1 participant');
  const independence = watcher.locator('.bars__item').filter({ hasText: 'Strada Independenței' });
  await expect(independence.locator('.bars__numbers')).toContainText('1 vot');
  await expect(independence.locator('.bars__numbers')).toContainText('100');
  const park = watcher.locator('.bars__item').filter({ hasText: 'Parcul Central' });
  await expect(park.locator('.bars__numbers')).toContainText('0 voturi');

  // The open data agrees, in the poll's English wording too.
  const data = await (await page.request.get(`/api/v1/polls/${pollId}`)).json();
  expect(data.participants).toBe(1);
  await open(watcher, `/en/polls/${pollId}`, js);
  await expect(watcher.getByRole('heading', { name: 'Where should we plant trees in spring?' })).toBeVisible();
  await expect(watcher.getByTestId('poll-participants')).toHaveText('1 participant');
  await watcherContext.close();
  await voterContext.close();
});

test('a citizen launches an initiative, neighbours support it, the city hall answers', async ({ page, browser }, info) => {
  const js = hasJs(info);
  await signIn(page, 'cetatean@balti.demo', undefined, js);
  await open(page, '/ro/initiatives/new', js);
  const title = `Bănci noi în parcul Andries ${Date.now()}`;
  await page.locator('#field-title').fill(title);
  await page
    .locator('#field-body')
    .fill('Propun câte o bancă nouă la fiecare 50 de metri pe aleea principală, cu coșuri de gunoi alături.');
  await page.locator('#ini-category').selectOption('green-spaces');
  await page.getByRole('button', { name: 'Lansează o inițiativă' }).click();
  await expect(page).toHaveURL(/\/ro\/initiatives\/\d+\?created=/);
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  // The author's own vote counts.
  await expect(page.getByTestId('initiative-votes')).toHaveText('1 vot');
  const path = new URL(page.url()).pathname;

  // A neighbour supports it, withdraws, and supports it again: one vote at a time.
  const neighbourContext = await browser.newContext({ javaScriptEnabled: js });
  const neighbour = await neighbourContext.newPage();
  await signIn(neighbour, 'moderator@balti.demo', undefined, js);
  await open(neighbour, path, js);
  await neighbour.getByRole('button', { name: 'Susțin' }).click();
  await expect(neighbour.getByText('Susțineți această inițiativă.')).toBeVisible();
  await expect(neighbour.getByTestId('initiative-votes')).toHaveText('2 voturi');
  await neighbour.getByRole('button', { name: 'Retrag votul' }).click();
  await expect(neighbour.getByRole('button', { name: 'Susțin' })).toBeVisible();
  await expect(neighbour.getByTestId('initiative-votes')).toHaveText('1 vot');
  await neighbour.getByRole('button', { name: 'Susțin' }).click();
  await expect(neighbour.getByTestId('initiative-votes')).toHaveText('2 voturi');
  await neighbourContext.close();

  // The newest-first list shows it with its count.
  await open(page, '/ro/initiatives?sort=newest', js);
  const card = page.locator('.report-card').filter({ hasText: title });
  await expect(card.locator('.votes')).toHaveText('2 voturi');

  // The city hall answers on the platform.
  const staffContext = await browser.newContext({ javaScriptEnabled: js });
  const staff = await staffContext.newPage();
  await signIn(staff, 'spatii.verzi@balti.demo', undefined, js);
  await open(staff, path, js);
  await staff.locator('#field-answer').fill('Vom instala zece bănci noi până în iunie, din bugetul de întreținere.');
  await staff.getByRole('button', { name: 'Publică răspunsul' }).click();
  await expect(staff).toHaveURL(/answered=/);
  await staffContext.close();
  await open(page, path, js);
  const answer = page.locator('section').filter({ hasText: 'Răspunsul Primăriei' });
  await expect(answer.getByText('Vom instala zece bănci noi până în iunie')).toBeVisible();
});

test('the demo initiatives show their badge level and progress to the next', async ({ page }) => {
  await page.goto('/ro/initiatives');
  const data = await (await page.request.get('/api/v1/initiatives')).json();
  const seeded = data.initiatives.find((i: { title: string }) => i.title === 'Кинотеатр');
  expect(seeded).toBeTruthy();
  const card = page.locator('.report-card').filter({ hasText: 'Кинотеатр' });
  await expect(card.locator('.votes')).toHaveText(`${seeded.votes} de voturi`);
  await card.getByRole('link', { name: 'Кинотеатр' }).click();
  await expect(page.getByTestId('initiative-votes')).toHaveText(`${seeded.votes} de voturi`);
  // Between START (10+) and GO (100+): the badge shows START and how far GO is.
  expect(seeded.level).toBe('start');
  await expect(page.locator('.report-page__header').getByText('START')).toBeVisible();
  await expect(page.locator('.level-progress')).toContainText('GO');
});
