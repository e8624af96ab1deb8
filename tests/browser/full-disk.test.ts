/**
 * A full phone in the real app: the person counted while nothing can be saved stays in the tally (kept in
 * memory), the live screen says so (not only the Settings sheet), and once space is back the person is
 * written to disk, once, and the warning goes away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DB_NAME } from '../../src/storage/schema.ts';
import { onDiskInPage } from '../helpers/app-database.ts';
import { untilWatching, type AppSession } from '../helpers/browser.ts';
import { watchOnePerson } from '../helpers/one-person.ts';
import { DISK_SWITCH, setDiskFull } from '../helpers/storage-full.ts';
import { tallyOf } from '../helpers/tally.ts';

const warning = 'mask-guard-app .storage-warning';

/** Person records on disk, read straight from the app's database. */
async function eventsOnDisk(page: Page): Promise<number> {
  return (await eventIdsOnDisk(page)).length;
}

/** Ids of the person records on disk, read straight from the app's database. */
const eventIdsOnDisk = (page: Page) => onDiskInPage(page, 'events', true);

/** Whether the page asks the browser to confirm leaving (a `beforeunload` listener cancels the event). */
const leavingIsQuestioned = (page: Page) =>
  page.evaluate(() => !window.dispatchEvent(new Event('beforeunload', { cancelable: true })));

describe('the phone runs out of storage while a person is counted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-full-'));
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    // One masked person, in view from 4 s after the camera starts, for a long time.
    ({ app, page } = await watchOnePerson(
      dir,
      { leadSeconds: 4, showSeconds: 60, gapSeconds: 1 },
      (session) => session.context.addInitScript({ content: DISK_SWITCH }),
    ));
    await setDiskFull(page, true);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the person in the tally and says on the live screen that the phone is full', async () => {
    await expect
      .poll(() => page.locator(warning).textContent(), { timeout: 30_000 })
      .toContain('Storage is full: 1 person kept in memory');
    expect(await page.locator(warning).textContent()).toContain('Free some space on the phone');
    expect(await page.locator(warning).textContent()).toContain('Keep MaskGuard open');
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    expect(await eventsOnDisk(page)).toBe(0);
    // Closing or reloading the page now would lose the person: the browser is asked to confirm first.
    expect(await leavingIsQuestioned(page)).toBe(true);
  }, 60_000);

  it('writes the person to disk once space is back, and the warning goes away', async () => {
    await setDiskFull(page, false);
    // The shift log retries every 15 s.
    await expect.poll(() => page.locator(warning).count(), { timeout: 40_000 }).toBe(0);
    expect(await eventsOnDisk(page)).toBe(1);
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    expect(await leavingIsQuestioned(page)).toBe(false);
    expect(app.foreignRequests).toEqual([]);
  }, 60_000);
});

describe('a slow disk: a person is counted while an earlier write has not finished', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-slow-'));
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    // One masked person, in view from 4 s after the camera starts.
    ({ app, page } = await watchOnePerson(dir, { leadSeconds: 4, showSeconds: 60, gapSeconds: 1 }));
    // Another connection holds a write transaction on the person records, renewing it until told to stop:
    // the app's own write waits behind it, as behind a slow or stalled disk.
    await page.evaluate(
      (name) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const store = open.result.transaction('events', 'readwrite').objectStore('events');
            const held = window as unknown as { holdDisk: boolean };
            held.holdDisk = true;
            const renew = () => {
              if (held.holdDisk) store.count().onsuccess = renew;
            };
            renew();
            resolve();
          };
        }),
      DB_NAME,
    );
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks before the page is closed or reloaded while the person is not yet on disk, and says why', async () => {
    // Counted: the alert state and the tracker have decided, but the record waits for the disk.
    await expect.poll(() => leavingIsQuestioned(page), { timeout: 30_000 }).toBe(true);
    // After 3 s of waiting the live screen says so (the tally, read from the log, does not have them yet).
    const said = async () => ((await page.locator(warning).textContent()) ?? '').replace(/\s+/g, ' ');
    await expect.poll(said, { timeout: 15_000 }).toContain('Saving is slow: 1 person is not on the phone');
    expect(await said()).toContain('keep MaskGuard open until this goes away');
  }, 60_000);

  it('writes the person once the disk is free, and then lets the page go', async () => {
    await page.evaluate(() => ((window as unknown as { holdDisk: boolean }).holdDisk = false));
    await expect.poll(() => eventsOnDisk(page), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => leavingIsQuestioned(page), { timeout: 5_000 }).toBe(false);
    await expect.poll(() => page.locator(warning).count(), { timeout: 5_000 }).toBe(0);
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    expect(app.foreignRequests).toEqual([]);
  }, 60_000);
});

describe('the guard reloads the page while the phone is full', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-full-reload-'));
  let app: AppSession;
  let page: Page;
  /** Full from the first page on, and still full after the reload, until the test frees it. */
  const fullAcrossReloads = `${DISK_SWITCH}
    if (sessionStorage.getItem('test-disk-full') === null) sessionStorage.setItem('test-disk-full', '1');
    globalThis.__diskFull = sessionStorage.getItem('test-disk-full') === '1';`;
  const setFull = async (full: boolean) => {
    await page.evaluate((on) => sessionStorage.setItem('test-disk-full', on ? '1' : '0'), full);
    await setDiskFull(page, full);
  };

  beforeAll(async () => {
    // In view from the start (the fake camera starts its file again for the reloaded page: the person is
    // still there, as at a real door).
    ({ app, page } = await watchOnePerson(
      dir,
      { leadSeconds: 0, showSeconds: 60, gapSeconds: 1 },
      (session) => session.context.addInitScript({ content: fullAcrossReloads }),
    ));
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The record of the person counted before the reload, as History listed it (kept in memory then). */
  let countedBefore: string | null;

  it('keeps the person kept in memory through the reload, counted once', async () => {
    await expect
      .poll(() => page.locator(warning).textContent(), { timeout: 30_000 })
      .toContain('Storage is full: 1 person kept in memory');
    await page.locator('mask-guard-app view-tabs button[data-view=history]').click();
    const rows = page.locator('mask-guard-app history-view event-list tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    countedBefore = await rows.first().getAttribute('data-event');
    await page.reload();
    await untilWatching(page);
    // Still full: the person the page before could not write is in this page's memory, and said so.
    await expect
      .poll(() => page.locator(warning).textContent(), { timeout: 30_000 })
      .toContain('Storage is full: 1 person kept in memory');
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    expect(await eventsOnDisk(page)).toBe(0);
    // Given time, the person still at the door is not counted again.
    await page.waitForTimeout(5000);
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
  }, 180_000);

  it('writes them once space is back, once', async () => {
    await setFull(false);
    await expect.poll(() => page.locator(warning).count(), { timeout: 40_000 }).toBe(0);
    // The very record the page before kept in memory (not a new count of someone still at the door).
    expect(await eventIdsOnDisk(page)).toEqual([countedBefore]);
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    expect(app.foreignRequests).toEqual([]);
  }, 60_000);
});
