// make bench: each main page loaded cold on an emulated cheap phone (Lighthouse's mobile
// settings: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU slowed 4×, 360 px), in
// Debian's chromium through the DevTools protocol. Prints one line per page; asserts nothing.
//   node end2end/bench/pages.mjs http://127.0.0.1:3000 /ro /ro/reports/new ...
import { chromium } from 'playwright-core';

const [base, ...paths] = process.argv.slice(2);
const RUNS = Number(process.env.AGORA_BENCH_RUNS ?? 3);

// Runs before any page script: records the largest contentful paint. The island loader marks
// the moment the page is interactive with `performance.mark("agora-interactive")`.
const OBSERVE = () => {
  window.__bench = { lcp: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.lcp = Math.max(window.__bench.lcp, e.startTime);
  }).observe({ type: 'largest-contentful-paint', buffered: true });
};
const INTERACTIVE = () => performance.getEntriesByName('agora-interactive')[0]?.startTime ?? 0;

async function measure(browser, path) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.addInitScript(OBSERVE);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const urls = new Map();
  const bytes = { all: 0, code: 0 };
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    const url = new URL(urls.get(e.requestId) ?? base);
    if (url.origin !== new URL(base).origin) return; // map tiles come from elsewhere
    bytes.all += e.encodedDataLength;
    if (/\/pkg\/[^/]+\.(js|wasm)$/.test(url.pathname)) bytes.code += e.encodedDataLength;
  });
  await page.goto(base + path, { waitUntil: 'load' });
  await page.waitForFunction(
    () => document.documentElement.dataset.hydrated === 'true',
    null,
    { timeout: 60_000 },
  );
  await page.waitForLoadState('networkidle');
  // LCP is final once the page has been interacted with or hidden; read it after a quiet moment.
  await page.waitForTimeout(500);
  const lcp = await page.evaluate(() => window.__bench.lcp);
  const interactive = await page.evaluate(INTERACTIVE);
  await context.close();
  return { lcp, interactive, ...bytes };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kib = (n) => (n / 1024).toFixed(1).padStart(8);
const secs = (ms) => (ms / 1000).toFixed(2).padStart(6);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
});
console.log(`page load on a throttled phone, cold cache, median of ${RUNS} runs (map tiles not counted)`);
console.log('page                      transferred KiB   WASM+JS KiB   LCP s   interactive s');
for (const path of paths) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(browser, path));
  console.log(
    `${path.padEnd(26)}${kib(median(runs.map((r) => r.all)))}        ${kib(median(runs.map((r) => r.code)))}   ` +
      `${secs(median(runs.map((r) => r.lcp)))}   ${secs(median(runs.map((r) => r.interactive)))}`,
  );
}
await browser.close();
