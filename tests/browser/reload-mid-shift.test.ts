/**
 * The guard reloads the page (or the phone does), closes the app and opens it again, or another MaskGuard tab
 * takes the counting over, or the phone ends the app in the background, while a person stands at the door:
 * the next page that counts carries on with the people the old one was tracking, so that person is not counted
 * a second time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { untilWatching, type AppSession } from '../helpers/browser.ts';
import { watchOnePerson } from '../helpers/one-person.ts';
import { tallyOf } from '../helpers/tally.ts';
import { setHidden } from '../helpers/visibility.ts';

const status = 'mask-guard-app header > [role=status]';
const boxes = 'mask-guard-app face-overlay [data-face]';

/** The person's number on their box ("#3 MASK"). */
async function personNumber(page: Page): Promise<number | undefined> {
  const text = (await page.locator(boxes).first().textContent()) ?? '';
  const match = /#(\d+)/.exec(text);
  return match === null ? undefined : Number(match[1]);
}

describe('a reload while someone stands at the door', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-reload-'));
  let app: AppSession | undefined;
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const onePersonCounted = async () => {
    // One masked person in view from the start for a minute (the fake camera starts its file again when the
    // next page opens it: the person is still there, as at a real door).
    await app?.close();
    const session = await watchOnePerson(dir, { leadSeconds: 0, showSeconds: 60, gapSeconds: 1 });
    app = session.app;
    const page = session.page;
    await expect
      .poll(() => tallyOf(page), { timeout: 30_000 })
      .toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    await expect.poll(() => personNumber(page), { timeout: 10_000 }).toBeDefined();
    return { page, number: await personNumber(page) };
  };
  /** The next page counts the person once, under the same number, also given time. */
  const countedOnceAs = async (page: Page, number: number | undefined) => {
    await untilWatching(page, 60_000);
    await expect.poll(() => personNumber(page), { timeout: 15_000 }).toBe(number);
    await page.waitForTimeout(5000);
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    expect(await personNumber(page)).toBe(number);
    expect(app!.foreignRequests).toEqual([]);
  };

  it('counts the person once when the app is closed and opened again at once (swiped away on a phone)', async () => {
    const { page, number } = await onePersonCounted();
    await page.close({ runBeforeUnload: true });
    const reopened = await app!.context.newPage();
    await reopened.goto(app!.server.url);
    await countedOnceAs(reopened, number);
  }, 180_000);

  it('counts the person once when the phone ends the app in the background without a pagehide', async () => {
    const { page, number } = await onePersonCounted();
    // The guard switches to another app; the phone then discards MaskGuard to free memory, which gives the page
    // no pagehide or unload: its renderer just ends.
    await setHidden(page, true);
    await page.locator(status, { hasText: 'Paused while MaskGuard is in the background' }).waitFor();
    const cdp = await app!.context.newCDPSession(page);
    const crashed = page.waitForEvent('crash');
    // Never answered: the renderer is gone.
    void cdp.send('Page.crash').catch(() => {});
    await crashed;
    const reopened = await app!.context.newPage();
    await reopened.goto(app!.server.url);
    await countedOnceAs(reopened, number);
  }, 180_000);

  it('counts the person once when another MaskGuard tab takes the counting over from a reloaded one', async () => {
    const { page, number } = await onePersonCounted();
    const other = await app!.context.newPage();
    await other.goto(app!.server.url);
    await other.locator(status, { hasText: 'already open in another tab' }).waitFor({ timeout: 30_000 });
    // The counting page reloads; the waiting one gets the counting first.
    await page.reload();
    await countedOnceAs(other, number);
  }, 180_000);

  it('counts the person once, under the same number', async () => {
    const { page, number } = await onePersonCounted();
    await page.reload();
    await countedOnceAs(page, number);
  }, 180_000);
});
