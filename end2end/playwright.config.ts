import { defineConfig } from '@playwright/test';

// Debian's chromium, never a downloaded browser. The server is started by `.ci/test e2e`,
// which passes its address in AGORA_E2E_URL.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.AGORA_E2E_URL ?? 'http://127.0.0.1:3000',
    launchOptions: chromium,
    trace: 'off',
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
    { name: 'phone', use: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } },
    // Progressive enhancement: the same pages with JavaScript (and so WASM) switched off.
    { name: 'no-js', use: { viewport: { width: 1280, height: 800 }, javaScriptEnabled: false } },
  ],
});
