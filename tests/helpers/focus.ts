import type { Page } from 'playwright-core';

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
