import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/**
 * Waits until the app on `page` has registered its service worker and the worker controls the page (the
 * first visit's install). Fails with a message naming the likely cause when the app registers none.
 */
export async function waitForServiceWorkerControl(page: Page, timeout = 170_000): Promise<void> {
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration()) !== undefined), {
      timeout: 60_000,
      message: 'the app registers its service worker (offline.start() from src/offline, called by main.ts)',
    })
    .toBe(true);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout });
}
