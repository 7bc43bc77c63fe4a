import { expect, test, type Browser, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { controlled, hasJs, signIn, waitForHydration } from './helpers';

const PHOTO = path.join(__dirname, '..', 'fixtures', 'tree.jpg');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The outbox list's serious and critical accessibility violations (axe-core, as a11y.spec.ts). */
async function outboxViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string | null }[] };
    const axe = (window as unknown as { axe: { run: (c: object, o: object) => Promise<Result> } }).axe;
    const { violations } = await axe.run({ include: [['#offline-queue']] }, { resultTypes: ['violations'] });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  });
}

/**
 * Copies every waiting request in the outbox, key included: what a phone does when it loses the
 * answer to a request that did arrive (or two tabs send the same thing), so each is sent twice.
 */
async function sendEachTwice(page: Page) {
  await page.evaluate(() => new Promise<void>((resolve, reject) => {
    const open = indexedDB.open('agora-outbox');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const t = open.result.transaction('items', 'readwrite');
      const items = t.objectStore('items');
      const all = items.getAll();
      all.onsuccess = () => {
        for (const item of all.result) {
          if (item.state !== 'waiting') continue;
          const copy = { ...item, at: item.at + 1 };
          delete copy.id;
          items.add(copy);
        }
      };
      t.oncomplete = () => {
        open.result.close();
        // As the outbox's own writes do: every tab shows the change.
        new BroadcastChannel('agora-outbox').postMessage('changed');
        resolve();
      };
      t.onerror = () => reject(t.error);
    };
  }));
}

/** The city hall asks a question with one answer to choose; returns the poll's path. */
async function newPoll(browser: Browser, question: string): Promise<string> {
  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await signIn(staff, 'spatii.verzi@balti.demo');
  await staff.goto('/ro/polls/new');
  await waitForHydration(staff);
  await staff.locator('#field-question_ro').fill(question);
  await staff.locator('#field-options_ro').fill('Parcul Central\nStrada Independenței');
  await staff.getByRole('button', { name: 'Creează un sondaj' }).click();
  await expect(staff).toHaveURL(/\/ro\/polls\/\d+\?created=/);
  const pollPath = new URL(staff.url()).pathname;
  await staffContext.close();
  return pollPath;
}

test('offline, a report with a photo and a poll vote wait on the phone, then arrive once when the network returns', async ({ page, context, browser }, info) => {
  test.skip(!hasJs(info), 'the outbox is a script; without it forms post as always');
  test.setTimeout(120_000);

  const question = `Unde punem bănci noi? (${Date.now()})`;
  const pollPath = await newPoll(browser, question);

  // A citizen fills the report form and opens the poll in another tab, while online.
  await signIn(page, 'cetatean@balti.demo');
  await page.goto('/ro/reports/new');
  await waitForHydration(page);
  const map = page.locator('.map--picker');
  const box = await map.boundingBox();
  await map.click({ position: { x: (box?.width ?? 300) / 2, y: (box?.height ?? 200) / 2 } });
  await expect(page.getByTestId('pin-status')).toContainText('în interiorul localității');
  await page.getByLabel('Spații verzi').check();
  const title = `Bancă ruptă ${Date.now()}`;
  await page.getByLabel('Titlu').fill(title);
  await page.getByLabel('Descriere').fill('Banca de lângă fântână are scândurile rupte de o săptămână.');
  await page.locator('#field-photos').setInputFiles(PHOTO);

  const poll = await context.newPage();
  await poll.goto(pollPath);
  await waitForHydration(poll);
  await expect(poll.getByTestId('poll-participants')).toHaveText('0 participanți');

  await context.setOffline(true);
  try {
    // The report is kept, not posted: the page stays and says it waits.
    await page.getByRole('button', { name: 'Trimite raportul' }).click();
    const outbox = page.locator('#offline-queue');
    await expect(outbox).toBeVisible();
    await expect(outbox.getByRole('heading')).toHaveText('Făcute fără conexiune');
    const report = outbox.locator('.offline-queue__item').filter({ hasText: title });
    await expect(report).toContainText('Raport');
    await expect(report).toContainText('Așteaptă să fie trimis');
    await expect(page).toHaveURL(/\/ro\/reports\/new$/);

    // So is the vote, named by its question and the answer chosen.
    await poll.getByLabel('Parcul Central').check();
    await poll.getByRole('button', { name: 'Votează' }).click();
    const vote = poll.locator('#offline-queue .offline-queue__item').filter({ hasText: question });
    await expect(vote).toContainText(`Vot ${question}: Parcul Central`);
    await expect(vote).toContainText('Așteaptă să fie trimis');
    await expect(poll.locator('#offline-queue .offline-queue__item--waiting')).toHaveCount(2);

    // Each will be sent twice, with the same key.
    await sendEachTwice(page);
    await expect(page.locator('#offline-queue .offline-queue__item--waiting')).toHaveCount(4);
  } finally {
    await context.setOffline(false);
  }

  // Back online, they go by themselves; the repeats are answered as the first ones were.
  await expect(page.locator('#offline-queue .offline-queue__item--sent')).toHaveCount(4, { timeout: 30_000 });
  await expect(page.locator('#offline-queue .offline-queue__item--refused')).toHaveCount(0);
  const reports = page.locator('#offline-queue .offline-queue__item').filter({ hasText: title });
  await expect(reports).toHaveCount(2);
  for (const row of await reports.all()) await expect(row).toContainText('Trimis.');
  const links = await reports.getByRole('link', { name: 'Deschide raportul' }).evaluateAll(
    (as) => as.map((a) => a.getAttribute('href')),
  );
  expect(links).toHaveLength(2);
  expect(links[0]).toMatch(/\/ro\/reports\/\d+$/);
  expect(links[1]).toBe(links[0]);
  await expect(poll.locator('#offline-queue .offline-queue__item').filter({ hasText: question }).first()).toContainText('Trimis.', { timeout: 30_000 });

  // Exactly once: one report with that title, its photo; one participant in the poll.
  const geojson = await (await page.request.get('/api/v1/reports.geojson?bbox=27.85,47.70,28.02,47.82')).json();
  const same = geojson.features.filter((f: { properties: { title?: string } }) => f.properties.title === title);
  expect(same).toHaveLength(1);
  await page.goto(links[0] as string);
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.locator('.gallery img')).toHaveCount(1);
  await poll.reload();
  await expect(poll.getByTestId('poll-participants')).toHaveText('1 participant');
  await expect(poll.getByText('Ați votat în acest sondaj.')).toBeVisible();

  expect(await outboxViolations(poll)).toEqual([]);

  // Removed from the list by the person.
  for (let left = 4; left > 0; left--) {
    await page.locator('#offline-queue .offline-queue__dismiss').first().click();
    await expect(page.locator('#offline-queue .offline-queue__item')).toHaveCount(left - 1);
  }
  await expect(page.locator('#offline-queue')).toBeHidden();
});

test('a request the server refuses is shown as refused, with its reason', async ({ page, context }, info) => {
  test.skip(!hasJs(info), 'the outbox is a script');
  // An anonymous visitor; a description too short for the server (the browser only asks for one).
  await page.goto('/ro/reports/new');
  await waitForHydration(page);
  await controlled(page);
  // Loaded once more through the worker, which keeps this page (made for nobody) and its script.
  await page.reload();
  await waitForHydration(page);
  await page.getByLabel('Spații verzi').check();
  await page.getByLabel('Titlu').fill(`Groapă ${Date.now()}`);
  await page.getByLabel('Descriere').fill('Groapă.');
  await page.locator('#field-address').fill('Strada Ștefan cel Mare 1');
  await context.setOffline(true);
  try {
    await page.getByRole('button', { name: 'Trimite raportul' }).click();
    await expect(page.locator('#offline-queue .offline-queue__item--waiting')).toHaveCount(1);
    // Kept on the device: the page, opened again without a network, still lists it.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Raportează o problemă');
    await expect(page.locator('#offline-queue .offline-queue__item--waiting')).toHaveCount(1);
  } finally {
    await context.setOffline(false);
  }
  const row = page.locator('#offline-queue .offline-queue__item--refused');
  await expect(row).toContainText('Refuzat: Verificați datele introduse. Textul este prea scurt.');
  await expect(row.getByRole('link')).toHaveCount(0);
});

test('what someone signed in kept is neither shown to nor sent by the next person on the phone', async ({ page, context, browser }, info) => {
  test.skip(!hasJs(info), 'the outbox is a script');
  test.setTimeout(120_000);
  const question = `Ce zi e mai bună pentru curățenie? (${Date.now()})`;
  const pollPath = await newPoll(browser, question);
  await signIn(page, 'cetatean@balti.demo');
  await page.goto(pollPath);
  await waitForHydration(page);
  await context.setOffline(true);
  try {
    await page.getByLabel('Parcul Central').check();
    await page.getByRole('button', { name: 'Votează' }).click();
    await expect(page.locator('#offline-queue .offline-queue__item--waiting')).toHaveCount(1);
    // The citizen's session ends before the network returns.
    await context.clearCookies();
  } finally {
    await context.setOffline(false);
  }
  // Someone else signs in on the same phone: the vote is not theirs to see or to send.
  await signIn(page, 'spatii.verzi@balti.demo');
  await page.goto(pollPath);
  await expect(page.locator('#offline-queue')).toBeHidden();
  await expect(page.getByTestId('poll-participants')).toHaveText('0 participanți');

  // Its maker signs in again: it goes.
  await context.clearCookies();
  await signIn(page, 'cetatean@balti.demo');
  await expect(page.locator('#offline-queue .offline-queue__item--sent')).toContainText(`${question}: Parcul Central`, { timeout: 30_000 });
  await page.goto(pollPath);
  await expect(page.getByTestId('poll-participants')).toHaveText('1 participant');
});
