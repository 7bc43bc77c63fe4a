import { CDPSession, expect, Page, test } from '@playwright/test';
import { waitForHydration } from './helpers';

// What a page may download of Agora's own code (WASM + JS), compressed as the browser got it.
// Leaflet is counted apart: it is a library, fetched only where a map is shown.
const MAIN_BUDGET = 150_000;
const ANY_BUDGET = 200_000;

const PAGES: { path: string; budget: number; map: boolean }[] = [
  { path: '/ro', budget: MAIN_BUDGET, map: true },
  { path: '/ro/reports/new', budget: MAIN_BUDGET, map: true },
  { path: '/ro/polls/1', budget: MAIN_BUDGET, map: false },
  { path: '/ro/initiatives/1', budget: MAIN_BUDGET, map: false },
  { path: '/ro/reports/1', budget: ANY_BUDGET, map: true },
  { path: '/ro/initiatives', budget: ANY_BUDGET, map: false },
  { path: '/ro/reports', budget: ANY_BUDGET, map: false },
  { path: '/ro/login', budget: ANY_BUDGET, map: false },
  { path: '/ro/events', budget: ANY_BUDGET, map: true },
  { path: '/ro/events/1', budget: ANY_BUDGET, map: true },
  { path: '/uk/services', budget: ANY_BUDGET, map: false },
  { path: '/uk/services?need=legal_aid', budget: ANY_BUDGET, map: true },
  { path: '/uk/services?found=1', budget: ANY_BUDGET, map: true },
  { path: '/ro/services/1', budget: ANY_BUDGET, map: true },
  { path: '/ro/newsletters', budget: ANY_BUDGET, map: false },
  { path: '/ro/newsletters/1', budget: ANY_BUDGET, map: false },
  { path: '/uk/surveys', budget: ANY_BUDGET, map: false },
  { path: '/uk/surveys/1', budget: ANY_BUDGET, map: false },
  { path: '/en/surveys/2/results', budget: ANY_BUDGET, map: false },
];

type Fetch = { url: string; bytes: number; fromNetwork: boolean };

/** Every request of a navigation as the network saw it (DevTools protocol): bytes on the wire. */
async function recordFetches(page: Page, cdp: CDPSession, path: string): Promise<Fetch[]> {
  const urls = new Map<string, string>();
  const fromCache = new Set<string>();
  const fetches: Fetch[] = [];
  const sent = (e: { requestId: string; request: { url: string } }) => urls.set(e.requestId, e.request.url);
  const cached = (e: { requestId: string }) => fromCache.add(e.requestId);
  const received = (e: { requestId: string; response: { fromDiskCache?: boolean; fromPrefetchCache?: boolean } }) => {
    if (e.response.fromDiskCache || e.response.fromPrefetchCache) fromCache.add(e.requestId);
  };
  const finished = (e: { requestId: string; encodedDataLength: number }) => {
    const url = urls.get(e.requestId);
    if (url) fetches.push({ url, bytes: e.encodedDataLength, fromNetwork: !fromCache.has(e.requestId) });
  };
  cdp.on('Network.requestWillBeSent', sent);
  cdp.on('Network.requestServedFromCache', cached);
  cdp.on('Network.responseReceived', received);
  cdp.on('Network.loadingFinished', finished);
  await page.goto(path);
  await waitForHydration(page);
  await page.waitForLoadState('networkidle');
  cdp.off('Network.requestWillBeSent', sent);
  cdp.off('Network.requestServedFromCache', cached);
  cdp.off('Network.responseReceived', received);
  cdp.off('Network.loadingFinished', finished);
  return fetches;
}

const own = (f: Fetch) => /\/pkg\/[^/]+\.(js|wasm)$/.test(new URL(f.url).pathname);
const leaflet = (f: Fetch) => new URL(f.url).pathname.startsWith('/leaflet/');
const total = (fs: Fetch[]) => fs.reduce((sum, f) => sum + f.bytes, 0);

test.describe('size budget', () => {
  // What the server and the browser's HTTP cache do, as on a first visit before the service
  // worker takes over (its own cache is tested in offline.spec.ts): the DevTools protocol
  // cannot tell the worker's cache from the network.
  test.use({ serviceWorkers: 'block' });
  for (const { path, budget, map } of PAGES) {
    test(`${path} downloads at most ${budget / 1000} KB of its own code, and nothing again`, async ({ page }, info) => {
      test.skip(info.project.name !== 'desktop', 'one measurement is enough');
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      const first = await recordFetches(page, cdp, path);
      const code = first.filter(own);
      const library = first.filter(leaflet);
      console.log(
        `budget ${path}: own WASM+JS ${total(code)} bytes (${code.map((f) => new URL(f.url).pathname.split('/').pop()).join(', ') || 'none'}); ` +
          `Leaflet ${total(library)} bytes; all ${total(first)} bytes`,
      );
      expect(total(code), `${path}: own WASM+JS over ${budget} bytes`).toBeLessThanOrEqual(budget);
      expect(library.length > 0, `${path}: Leaflet only with a map`).toBe(map);

      // A second visit asks the network for the page only: built assets are immutable.
      const again = await recordFetches(page, cdp, path);
      const refetched = again.filter((f) => f.fromNetwork && (own(f) || leaflet(f) || f.url.includes('/pkg/agora.')));
      expect(refetched.map((f) => f.url)).toEqual([]);
    });
  }
});
