import type { Page } from 'playwright-core';

/**
 * Hides or shows the page as a phone does when the guard switches apps. Headless Chromium keeps every page
 * visible (neither another tab nor a minimized window changes it), so the page's visibility is overridden
 * and the event the browser would fire is fired.
 */
export async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hide) => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (hide ? 'hidden' : 'visible'),
    });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hide });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}
