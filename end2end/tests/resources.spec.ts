import { expect, test } from '@playwright/test';
import { hasJs, signIn, waitForHydration } from './helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test('an NGO member shares a PDF guide from a phone; once the secretariat publishes it, anyone downloads it', async ({ page, browser }, info) => {
  const js = hasJs(info);
  const title = `Ghidul voluntarului (${info.project.name} ${Date.now().toString(36)})`;
  const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 360, height: 740 }, isMobile: js, hasTouch: js });
  const phone = await context.newPage();
  await signIn(phone, 'ong@balti.demo', undefined, js);
  await phone.goto('/ro/resources/new');
  if (js) await waitForHydration(phone);
  await phone.locator('#field-title_ro').fill(title);
  await phone.locator('#field-description_ro').fill('Drepturile și obligațiile voluntarilor, pe scurt, cu modele de acorduri.');
  // A file that is not a PDF is refused, with what to do.
  await phone.getByLabel('Sau un fișier').setInputFiles({ name: 'ghid.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>not a pdf</html>') });
  await phone.getByRole('button', { name: 'Trimiteți resursa' }).click();
  await expect(phone.getByText('Fișierul nu este un PDF.').first()).toBeVisible();
  await phone.locator('#field-title_ro').fill(title);
  await phone.locator('#field-description_ro').fill('Drepturile și obligațiile voluntarilor, pe scurt, cu modele de acorduri.');
  await phone.getByLabel('Sau un fișier').setInputFiles({ name: 'Ghidul voluntarului.pdf', mimeType: 'application/pdf', buffer: PDF });
  await phone.getByRole('button', { name: 'Trimiteți resursa' }).click();
  await expect(phone.getByText('Resursa a fost trimisă.', { exact: false })).toBeVisible();
  const fits = await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits, 'no sideways scrolling at 360 px').toBe(true);

  // The secretariat publishes it from the desk.
  await signIn(page, 'relatii.publice@balti.demo', undefined, js);
  await page.goto('/ro/resources');
  const waiting = page.locator('.desk__item', { hasText: title });
  await waiting.getByRole('button', { name: 'Publicați' }).click();
  await expect(page.getByText('Resursa a fost publicată.')).toBeVisible();

  // Anyone finds it and downloads the file.
  const visitor = await browser.newContext({ javaScriptEnabled: js });
  const stranger = await visitor.newPage();
  await stranger.goto('/ro/resources?words=voluntarului');
  const link = stranger.getByRole('link', { name: title });
  await expect(link).toBeVisible();
  await expect(stranger.getByText('PDF, 1 KB: Ghidul voluntarului.pdf').first()).toBeVisible();
  const href = await link.getAttribute('href');
  const download = await stranger.request.get(href ?? '');
  expect(download.status()).toBe(200);
  expect(download.headers()['content-disposition']).toContain('attachment');
  expect(Buffer.from(await download.body()).equals(PDF)).toBe(true);
  await context.close();
  await visitor.close();
});
