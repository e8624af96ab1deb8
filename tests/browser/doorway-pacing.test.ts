/**
 * Fewer frames checked while the doorway is empty (DoorwayPacing), in the real app with a fake camera: an
 * empty doorway for 8 s, one masked person for 4 s, empty again (looped by Chromium). Every frame the page
 * sends to the detection worker and every answer is recorded (helpers/worker-traffic.ts); the test checks
 * the frame discipline, not speed: no two frames closer than IDLE_FRAME_INTERVAL_MS once nobody has been in
 * view for a while, frames as fast as the detector answers while the person is there, and the person counted
 * once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AppSession } from '../helpers/browser.ts';
import { watchOnePerson } from '../helpers/one-person.ts';
import { tallyOf } from '../helpers/tally.ts';
import { IDLE_AFTER_MS, IDLE_FRAME_INTERVAL_MS } from '../../src/pipeline/doorway-pacing.ts';
import { DEFAULT_TRACKER_OPTIONS } from '../../src/shared/tracking/options.ts';
import { recordWorkerTraffic, workerTraffic, type WorkerTraffic } from '../helpers/worker-traffic.ts';

describe('frames checked while the doorway is empty', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-pacing-'));
  let app: AppSession;
  let page: Page;
  let traffic: WorkerTraffic;

  beforeAll(async () => {
    ({ app, page } = await watchOnePerson(dir, { leadSeconds: 8, showSeconds: 4, gapSeconds: 1 }, (session) =>
      recordWorkerTraffic(session.context),
    ));
    // One loop of the video (13 s) and then some: the person comes and goes at least once, with empty
    // doorway on both sides.
    await page.waitForTimeout(17_000);
    traffic = await workerTraffic(page);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The page time of the last answer with a face at or before `at` (−∞ if none). */
  const lastFaceBefore = (at: number) =>
    Math.max(-Infinity, ...traffic.answers.filter((a) => a.faces > 0 && a.at <= at).map((a) => a.at));

  it('sends no two frames closer than IDLE_FRAME_INTERVAL_MS once the doorway has been empty', () => {
    // Idle from IDLE_AFTER_MS after the camera started (every frame at first: whoever is at the door is seen
    // at once) or after the person's track is let go (the tracker holds it maxGapMs after the last face),
    // measured from the answer, which comes after the frame's timestamp; 300 ms to spare.
    const started = traffic.sent[0]!;
    const idleFrom = (at: number) =>
      Math.max(
        started + IDLE_AFTER_MS,
        lastFaceBefore(at) + DEFAULT_TRACKER_OPTIONS.maxGapMs + IDLE_AFTER_MS,
      ) + 300;
    const pairs = traffic.sent
      .slice(1)
      .map((at, i) => ({ from: traffic.sent[i]!, at }))
      .filter(({ from, at }) => from >= idleFrom(at) && lastFaceBefore(at) === lastFaceBefore(from));
    // The empty doorway before and after the person: at 2 frames a second, well over 10 pairs.
    expect(pairs.length).toBeGreaterThan(10);
    // One millisecond for the counting clock and the page clock being read at different moments.
    const shortest = Math.min(...pairs.map(({ from, at }) => at - from));
    expect(shortest).toBeGreaterThanOrEqual(IDLE_FRAME_INTERVAL_MS - 1);
  });

  it('checks frames faster than that while the person is in view, and counts them once', async () => {
    const withFace = traffic.answers.filter((a) => a.faces > 0);
    expect(withFace.length).toBeGreaterThanOrEqual(DEFAULT_TRACKER_OPTIONS.minFrames);
    const first = withFace[0]!.at;
    const last = withFace.find(
      (a, i) => withFace[i + 1] === undefined || withFace[i + 1]!.at - a.at > 3000,
    )!.at;
    const inView = traffic.sent.filter((at) => at >= first && at <= last);
    const intervals = inView.slice(1).map((at, i) => at - inView[i]!);
    // Paced, no interval could be shorter than IDLE_FRAME_INTERVAL_MS; unpaced, the next frame goes as soon as
    // the detector answers (a few per second here even on a busy machine).
    expect(Math.min(...intervals)).toBeLessThan(0.8 * IDLE_FRAME_INTERVAL_MS);
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
  });
});
