import { expect, test } from '@playwright/test';
import { hasJs, signIn, waitForHydration } from './helpers';

test('a refugee finds legal advice on a phone in Ukrainian, opens the service and prints its referral sheet', async ({ browser }, info) => {
  const js = hasJs(info);
  const context = await browser.newContext({
    javaScriptEnabled: js,
    viewport: { width: 360, height: 740 },
    isMobile: js,
    hasTouch: js,
  });
  const phone = await context.newPage();
  const fits = () => phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  // What do you need? One big choice per kind of help, and no code to download for it.
  const wasm: string[] = [];
  phone.on('request', (r) => { if (/\.wasm$/.test(r.url())) wasm.push(r.url()); });
  await phone.goto('/uk/services');
  await expect(phone.getByRole('heading', { level: 1, name: 'Послуги та допомога' })).toBeVisible();
  expect(wasm, 'the first step runs no WASM').toEqual([]);
  expect(await fits(), 'no sideways scrolling at 360 px').toBe(true);
  await phone.getByRole('link', { name: /Юридична консультація/ }).click();

  // A few questions, in plain words; where you are is typed or put on the map.
  await expect(phone.getByRole('heading', { name: /Юридична консультація/ })).toBeVisible();
  if (js) await waitForHydration(phone);
  await phone.getByRole('radio', { name: 'Українська' }).check();
  await phone.getByRole('group', { name: /біженець|біженка|мігрант/i }).getByRole('radio', { name: 'Так' }).check();
  await phone.getByRole('checkbox', { name: 'Лише безкоштовні послуги' }).check();
  await phone.locator('#field-lat').fill('47.7617');
  await phone.locator('#field-lng').fill('27.9289');
  await phone.getByRole('button', { name: 'Показати послуги' }).click();

  // The matching services, nearest first, each marked open or closed now.
  await expect(phone).toHaveURL(/found=1/);
  await expect(phone.getByText('Ви шукали:')).toBeVisible();
  const items = phone.locator('.service-item');
  expect(await items.count()).toBeGreaterThan(0);
  await expect(items.first().locator('.badge')).toHaveText(/Зараз відчинено|Зараз зачинено|Цілодобово|За записом/);
  const distances = await items.locator('.tag').filter({ hasText: /\d+(,\d)? (m|km)$/ }).allTextContents();
  const metres = distances.map((d) => (d.endsWith('km') ? parseFloat(d.replace(',', '.')) * 1000 : parseFloat(d)));
  expect(metres.length).toBe(await items.count());
  expect([...metres].sort((a, b) => a - b)).toEqual(metres);
  expect(await fits(), 'no sideways scrolling at 360 px').toBe(true);
  const first = items.first().getByRole('link').first();
  const name = (await first.textContent()) ?? '';
  await first.click();

  // The service's page: everything needed to go there, and the referral sheet.
  await expect(phone.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(phone.getByText('Мови спілкування', { exact: false }).first()).toBeVisible();
  await expect(phone.locator('.hours-table, .service-facts')).not.toHaveCount(0);
  expect(await fits(), 'no sideways scrolling at 360 px').toBe(true);
  await phone.getByRole('link', { name: 'Надрукувати направлення' }).click();
  await expect(phone.getByText('Направлення', { exact: true })).toBeVisible();
  await expect(phone.getByRole('heading', { level: 1, name })).toBeVisible();
  expect(await fits(), 'the sheet fits a 360 px screen too').toBe(true);

  // Printed: no navigation, one A4 page.
  await phone.emulateMedia({ media: 'print' });
  await expect(phone.locator('.site-header')).toBeHidden();
  await expect(phone.locator('.sheet__tools')).toBeHidden();
  await expect(phone.getByRole('heading', { level: 1, name })).toBeVisible();
  if (!js) {
    // PDF rendering needs only one run.
    const pdf = await phone.pdf({ format: 'A4' });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length, 'the sheet fits one A4 page').toBe(1);
  }
  await phone.emulateMedia({ media: 'screen' });
  // The same sheet in Romanian, for the social worker's own file.
  await phone.getByRole('link', { name: 'Română' }).last().click();
  await expect(phone.getByText('Fișă de îndrumare', { exact: true })).toBeVisible();
  await context.close();
});

test('an NGO member adds a service; it is public once the city hall approves it', async ({ page, browser }, info) => {
  const js = hasJs(info);
  const tag = `${info.project.name} ${Date.now().toString(36)}`;
  const name = `Cazare de urgență pentru familii (${tag})`;
  const nameUk = `Екстрене житло для сімей (${tag})`;
  const member = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await signIn(member, 'ong@balti.demo', undefined, js);
  await member.goto('/ro/services');
  await member.getByRole('link', { name: 'Adăugați un serviciu' }).click();
  if (js) await waitForHydration(member);
  await member.locator('#field-provider').fill('Asociația Obștească „Casa Deschisă”');
  await member.locator('#field-category').selectOption('housing');
  await member.locator('#field-name_ro').fill(name);
  await member.locator('#field-description_ro').fill('Cazare pentru câteva nopți pentru familiile sosite de curând; sunați înainte.');
  await member.locator('#field-name_uk').fill(nameUk);
  await member.locator('#field-address').fill('str. Ștefan cel Mare 56, Bălți');
  await member.locator('#field-lat').fill('47.7588');
  await member.locator('#field-lng').fill('27.9255');
  await member.locator('#field-hours').fill('mo-fr 9:00-16:00');
  await member.locator('#field-speaks_ro').check();
  await member.locator('#field-speaks_uk').check();
  await member.locator('#field-audience').selectOption('refugees_migrants');
  await member.getByRole('button', { name: 'Trimiteți spre verificare' }).click();
  // A mistyped time comes back explained, with everything else still typed.
  await expect(member.getByText('Scrieți programul ca zile și ore', { exact: false })).toBeVisible();
  await expect(member.locator('#field-name_ro')).toHaveValue(name);
  await member.locator('#field-hours').fill('mo-fr 09:00-16:00');
  await member.getByRole('button', { name: 'Trimiteți spre verificare' }).click();
  await expect(member.getByText('Primăria va verifica înregistrarea', { exact: false })).toBeVisible();
  await expect(member.locator('.desk__item', { hasText: name })).toContainText('Așteaptă verificarea primăriei');

  // Not public yet.
  const listed = async () => JSON.stringify(await (await page.request.get('/api/v1/services?need=housing')).json());
  expect(await listed()).not.toContain(name);

  // The city hall approves it from its desk; the entry is public at once.
  await signIn(page, 'admin@balti.demo', undefined, js);
  await page.goto('/ro/services');
  await page.locator('.desk__item', { hasText: name }).getByRole('button', { name: 'Aprobați și publicați' }).click();
  await expect(page.getByText('Înregistrarea a fost salvată și este publică.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  expect(await listed()).toContain(name);

  const visitor = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await visitor.goto('/ro/services?need=housing&found=1');
  await expect(visitor.getByRole('link', { name })).toBeVisible();
  if (js) {
    await waitForHydration(visitor);
    await expect(visitor.locator(`.leaflet-marker-icon[title="${name}"]`)).toBeVisible();
  }
  await visitor.goto('/uk/services?need=housing&found=1');
  await expect(visitor.getByRole('link', { name: nameUk })).toBeVisible();
});
