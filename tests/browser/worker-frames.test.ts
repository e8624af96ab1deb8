/**
 * The detection worker over a long run: it never holds more than one frame, and after 3,000 frames it holds
 * as many tfjs tensors as after the first 100 (nothing leaks per frame).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessSession } from '../../scripts/lib/harness-session.ts';
import { composeAndRun } from '../../scripts/lib/bench-page.ts';

describe('detection worker over 3,000 frames', () => {
  let session: HarnessSession;
  beforeAll(async () => {
    // Near range on a small frame with one face: every frame runs detector, crop and classifier.
    session = await openHarness({}, { range: 'near' });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('keeps its tensor count and holds one frame at a time', async () => {
    const run = { width: 320, height: 240, photos: ['2-photo.jpg'] };
    const first = await composeAndRun(session.page, { ...run, frames: 100 });
    expect(first.frames).toBe(100);
    const after100 = await session.stats();
    const rest = await composeAndRun(session.page, { ...run, frames: 2900 });
    expect(rest.frames).toBe(2900);
    const after3000 = await session.stats();
    expect(after3000.liveTensors).toBe(after100.liveTensors);
    expect(after3000.framesProcessed).toBeGreaterThanOrEqual(3000);
    expect(after3000.maxFramesHeld).toBe(1);
    expect(after3000.framesHeld).toBe(0);
    expect(rest.classify.median).toBeGreaterThan(0); // the classifier ran: a face was found
    expect(session.app.foreignRequests).toEqual([]);
  }, 1_200_000);

  it('drops, never queues, a frame sent while one is in flight, and closes it', async () => {
    const result = await session.page.evaluate(async () => {
      const canvas = new OffscreenCanvas(64, 48);
      canvas.getContext('2d')!.fillRect(0, 0, 64, 48);
      const frames = await Promise.all([0, 1, 2].map(() => createImageBitmap(canvas)));
      const outcomes = await Promise.all(
        frames.map((f, i) => window.maskGuardHarness.detectBitmap(f, 'video', performance.now() + i)),
      );
      return { answered: outcomes.map((o) => o !== undefined), widths: frames.map((f) => f.width) };
    });
    expect(result.answered).toEqual([true, false, false]);
    // Every bitmap was closed or transferred: none is left holding pixels in the page.
    expect(result.widths).toEqual([0, 0, 0]);
  });
});
