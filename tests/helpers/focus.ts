import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** What has keyboard focus in a page, looked up through shadow roots. */
export interface FocusedElement {
  tag: string;
  name: string | null;
  text: string;
  /** Inside a `role=alertdialog` (a question the guard must answer). */
  inDialog: boolean;
}

/** The element that has keyboard focus, through the shadow roots; null when focus has dropped to the body. */
export function focused(page: Page): Promise<FocusedElement | null> {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (el === null || el === document.body) return null;
    return {
      tag: el.localName,
      name: el.getAttribute('name'),
      text: (el.textContent ?? '').trim(),
      inDialog: el.closest('[role=alertdialog]') !== null,
    };
  });
}

/**
 * Waits until a button takes presses (`aria-disabled` "false"): the shift panel's buttons that act on one
 * person ignore presses for a moment after that person changed (SETTLE_MS in src/components/shift-panel.ts).
 */
export async function whenReady(locator: Locator): Promise<Locator> {
  await expect.poll(() => locator.getAttribute('aria-disabled'), { timeout: 10_000 }).toBe('false');
  return locator;
}
