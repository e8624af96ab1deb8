/**
 * A phone whose clock lost the date: left offline with a flat battery, it may wake up on 1 January 1970 with
 * nothing to set it right. The live screen says so and counts on; the shift counted meanwhile, stamped 1970, is
 * not deleted as 56 years old once the clock is put right (the days kept count from the last true time the app
 * had recorded, Shift.notBefore).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EARLIEST_TRUE_TIME } from '../../src/storage/shift-log.ts';
import { onDiskInPage } from '../helpers/app-database.ts';
import { untilWatching, type AppSession } from '../helpers/browser.ts';
import { watchOnePerson } from '../helpers/one-person.ts';
import { tallyOf, total } from '../helpers/tally.ts';

/** Set in localStorage, the page's clock is left alone (the phone's date was put right). */
const TRUE_CLOCK = 'maskguard-test-true-clock';

/** Every page of the session: `Date` reads 1 January 1970, 08:00 local time, and runs on from there. */
function clockLostTheDate(flag: string): void {
  try {
    if (localStorage.getItem(flag) === '1') return;
  } catch {
    // No storage on this document (about:blank): the shift is harmless there.
  }
  const TrueDate = Date;
  const offset = new TrueDate(1970, 0, 1, 8).getTime() - TrueDate.now();
  class LostDate extends TrueDate {
    constructor(...args: ConstructorParameters<DateConstructor> | []) {
      if (args.length === 0) super(TrueDate.now() + offset);
      else super(...(args as ConstructorParameters<DateConstructor>));
    }
    static override now(): number {
      return TrueDate.now() + offset;
    }
  }
  globalThis.Date = LostDate as DateConstructor;
}

const hint = 'mask-guard-app .clock-hint';
const panel = 'mask-guard-app shift-panel';
const YEAR_1971 = new Date(1971, 0, 1).getTime();

describe('a phone whose clock lost the date', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-clock-'));
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    // One masked person in view for a minute.
    ({ app, page } = await watchOnePerson(
      dir,
      { leadSeconds: 0, showSeconds: 60, gapSeconds: 1 },
      (session) => session.context.addInitScript(clockLostTheDate, TRUE_CLOCK),
    ));
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says the date cannot be right, and counts on', async () => {
    expect(await page.evaluate(() => new Date().getFullYear())).toBe(1970);
    await page.locator(hint).waitFor();
    const text = (await page.locator(hint).textContent())!.replace(/\s+/g, ' ');
    expect(text).toContain('1970');
    expect(text).toContain("set the date and time in the phone's settings");
    await expect.poll(async () => total(await tallyOf(page)), { timeout: 60_000 }).toBe(1);
    expect(await tallyOf(page)).toMatchObject({ masked: 1 });
  });

  it('keeps the shift counted meanwhile once the clock is put right', async () => {
    await page.locator('mask-guard-app view-tabs button[data-view=shift]').click();
    await page.locator(`${panel} button[name=end]`).click();
    await page.locator(`${panel} [role=alertdialog] button[name=confirm-end]`).click();
    await page.locator(`${panel} button[name=start]`).waitFor();
    const [ended] = (await onDiskInPage(page, 'shifts')).filter((s) => s.end !== undefined);
    expect(ended).toBeDefined();
    expect(ended!.start).toBeLessThan(YEAR_1971);
    expect(ended!.end).toBeLessThan(YEAR_1971);
    // No shift before it: the earliest true time is all the app knows of when it really ended.
    expect(ended!.notBefore).toBe(EARLIEST_TRUE_TIME);

    // The guard sets the date; the app opens again and prunes the shifts kept longer than 90 days.
    await page.evaluate((flag) => localStorage.setItem(flag, '1'), TRUE_CLOCK);
    await page.reload();
    await untilWatching(page);
    expect(await page.evaluate(() => new Date().getFullYear())).toBeGreaterThan(2025);
    expect(await page.locator(hint).count()).toBe(0);
    // The prune that opening starts deletes in milliseconds; the models took seconds to load meanwhile.
    await page.waitForTimeout(2_000);
    expect((await onDiskInPage(page, 'shifts')).map((s) => s.id)).toContain(ended!.id);
    // And History still offers it.
    await page.locator('mask-guard-app view-tabs button[data-view=history]').click();
    const option = page.locator(
      `mask-guard-app history-view select[name=shift] option[value="${ended!.id}"]`,
    );
    await option.waitFor({ state: 'attached', timeout: 10_000 });
    expect(await option.textContent()).toContain('Main door');
  });
});
