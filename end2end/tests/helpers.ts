import { expect, Page, TestInfo } from '@playwright/test';

export const LANGS = ['ro', 'ru', 'uk', 'en'] as const;

export function hasJs(info: TestInfo): boolean {
  return info.project.name !== 'no-js';
}

/** Waits until the WASM bundle has hydrated the page (the map mounts only then). */
export async function waitForHydration(page: Page) {
  await expect(page.locator('.leaflet-container')).toBeVisible();
}
