/** Reading the app's tally in browser tests. */
import type { Page } from 'playwright-core';

/** The numbers a `<tally-board>` shows. */
export interface Counts {
  masked: number;
  unmasked: number;
  uncertain: number;
}

/** Everyone counted: masked, unmasked and uncertain. */
export const total = (c: Counts): number => c.masked + c.unmasked + c.uncertain;

/**
 * The numbers of the `<tally-board>` under `scope` (its data attributes). The default scope is the whole app,
 * which on the live tab holds one board only.
 */
export function tallyOf(page: Page, scope = 'mask-guard-app'): Promise<Counts> {
  return page.locator(`${scope} tally-board #counts`).evaluate((e: HTMLElement) => ({
    masked: Number(e.dataset.masked),
    unmasked: Number(e.dataset.unmasked),
    uncertain: Number(e.dataset.uncertain),
  }));
}
