import type { Page } from 'playwright-core';

/**
 * A switch for a full phone, as page code (an init script, or evaluated in a page): while it is on, every
 * IndexedDB write fails the way Chromium fails one over quota: the request succeeds, then the transaction
 * aborts with a QuotaExceededError and the write is rolled back. (Chromium's real quota cannot be lowered
 * here: DevTools' `Storage.overrideQuotaForOrigin` left both `navigator.storage.estimate()` and IndexedDB
 * writes unchanged in this Chromium.) Installs itself once per page.
 */
export const DISK_SWITCH = `(() => {
  if (globalThis.__diskSwitch) return;
  globalThis.__diskSwitch = true;
  for (const method of ['put', 'add']) {
    const original = IDBObjectStore.prototype[method];
    IDBObjectStore.prototype[method] = function (...args) {
      const request = original.apply(this, args);
      if (globalThis.__diskFull) {
        const transaction = this.transaction;
        request.addEventListener('success', () => {
          const full = new DOMException('test: the disk is full', 'QuotaExceededError');
          Object.defineProperty(transaction, 'error', { get: () => full, configurable: true });
          transaction.abort();
        });
      }
      return request;
    };
  }
})();`;

/** Turns the full disk of {@link DISK_SWITCH} on or off in `page` (installing the switch if needed). */
export async function setDiskFull(page: Page, full: boolean): Promise<void> {
  await page.evaluate(DISK_SWITCH);
  await page.evaluate((on) => ((globalThis as { __diskFull?: boolean }).__diskFull = on), full);
}
