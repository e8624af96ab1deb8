/**
 * A crashed or hung detection worker in the real app: the page restarts it, says so, and resumes counting;
 * the person standing at the door while it restarts is counted once, not again when they are seen after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AppSession } from '../helpers/browser.ts';
import { watchOnePerson } from '../helpers/one-person.ts';
import { tallyOf, total } from '../helpers/tally.ts';
import { FRAME_TIMEOUT_MS } from '../../src/pipeline/detection-client.ts';

const status = 'mask-guard-app header > [role=status]';

describe('detection worker crash while a person stands at the door', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-restart-'));
  let app: AppSession;
  let page: Page;
  const statuses: string[] = [];
  let countedBeforeCrash = 0;
  let final = { masked: 0, unmasked: 0, uncertain: 0 };

  beforeAll(async () => {
    // One masked person standing 16 s, then an empty doorway (the file loops: stop before it starts again).
    ({ app, page } = await watchOnePerson(dir, { showSeconds: 16, leadSeconds: 1, gapSeconds: 8 }));
    const start = Date.now();
    while (total(await tallyOf(page)) === 0 && Date.now() - start < 15_000) await page.waitForTimeout(100);
    countedBeforeCrash = total(await tallyOf(page));
    // An uncaught error in the worker's global scope: what a crash of the wasm runtime looks like to the page.
    const worker = page.workers().find((w) => w.url().includes('detection.worker'));
    if (worker === undefined) throw new Error('no detection worker found');
    await worker.evaluate(() => {
      setTimeout(() => {
        throw new Error('test: the detection worker crashed');
      });
    });
    // Watch until the person has left (1 + 16 s after the camera started) and the track has ended.
    while (Date.now() - start < 19_500) {
      statuses.push((await page.locator(status).textContent()) ?? '');
      await page.waitForTimeout(100);
    }
    final = await tallyOf(page);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says the detector restarted, then watches again', () => {
    const restartedAt = statuses.findIndex((s) => s.includes('The detector restarted'));
    expect(restartedAt, statuses.join(' | ')).toBeGreaterThanOrEqual(0);
    expect(statuses.slice(restartedAt).some((s) => s.includes('Watching the door'))).toBe(true);
  });

  it('counts the person who stood there through the restart exactly once', () => {
    expect(countedBeforeCrash).toBe(1);
    expect(final).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
  });

  it('contacted no other host', () => {
    expect(app.foreignRequests).toEqual([]);
  });
});

describe('detection worker hung while a person stands at the door', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-hang-'));
  let app: AppSession;
  let page: Page;
  const statuses: string[] = [];
  let countedBeforeHang = 0;
  let final = { masked: 0, unmasked: 0, uncertain: 0 };

  beforeAll(async () => {
    // One masked person standing 24 s: counted, then the worker hangs longer than the client waits for a
    // frame, is replaced, and sees the person again; then an empty doorway.
    ({ app, page } = await watchOnePerson(dir, { showSeconds: 24, leadSeconds: 1, gapSeconds: 10 }));
    const start = Date.now();
    while (total(await tallyOf(page)) === 0 && Date.now() - start < 15_000) await page.waitForTimeout(100);
    countedBeforeHang = total(await tallyOf(page));
    const worker = page.workers().find((w) => w.url().includes('detection.worker'));
    if (worker === undefined) throw new Error('no detection worker found');
    // A frame that never finishes: the worker's thread is busy for longer than FRAME_TIMEOUT_MS.
    void worker
      .evaluate((ms) => {
        setTimeout(() => {
          const until = Date.now() + ms;
          while (Date.now() < until);
        });
      }, FRAME_TIMEOUT_MS + 5000)
      .catch(() => {});
    // Watch until the person has left (1 + 24 s after the camera started) and the track has ended.
    while (Date.now() - start < 27_500) {
      statuses.push((await page.locator(status).textContent()) ?? '');
      await page.waitForTimeout(100);
    }
    final = await tallyOf(page);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says the detector restarted, then watches again', () => {
    const restartedAt = statuses.findIndex((s) => s.includes('The detector restarted'));
    expect(restartedAt, statuses.join(' | ')).toBeGreaterThanOrEqual(0);
    expect(statuses.slice(restartedAt).some((s) => s.includes('Watching the door'))).toBe(true);
  });

  it('counts the person who stood there through the hang and the restart exactly once', () => {
    expect(countedBeforeHang).toBe(1);
    expect(final).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
  });
});
