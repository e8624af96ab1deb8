/**
 * DoorwayPacing: every frame while someone is in view or held by the tracker, two a second once the doorway
 * has been empty for IDLE_AFTER_MS, every frame again from the first face.
 */
import { describe, expect, it } from 'vitest';
import { DoorwayPacing, IDLE_AFTER_MS, IDLE_FRAME_INTERVAL_MS } from '../../src/pipeline/doorway-pacing.ts';

describe('DoorwayPacing', () => {
  it('checks every frame when a source starts, and paces once nobody has been seen for IDLE_AFTER_MS', () => {
    const pacing = new DoorwayPacing();
    pacing.start(1000);
    expect(pacing.minInterval(1000)).toBe(0);
    for (let t = 1100; t < 1000 + IDLE_AFTER_MS; t += 100) pacing.observed(t, 0, 0);
    expect(pacing.minInterval(1000 + IDLE_AFTER_MS - 1)).toBe(0);
    expect(pacing.idle(1000 + IDLE_AFTER_MS)).toBe(true);
    expect(pacing.minInterval(1000 + IDLE_AFTER_MS)).toBe(IDLE_FRAME_INTERVAL_MS);
  });

  it('paces a doorway that was never started (no source yet) as empty', () => {
    expect(new DoorwayPacing().minInterval(0)).toBe(IDLE_FRAME_INTERVAL_MS);
  });

  it('goes back to every frame with the first face, and paces again IDLE_AFTER_MS after the last', () => {
    const pacing = new DoorwayPacing();
    pacing.start(0);
    pacing.observed(5000, 0, 0);
    expect(pacing.minInterval(5000)).toBe(IDLE_FRAME_INTERVAL_MS);
    pacing.observed(5500, 1, 1);
    expect(pacing.minInterval(5500)).toBe(0);
    pacing.observed(6000, 0, 0);
    expect(pacing.minInterval(5500 + IDLE_AFTER_MS - 1)).toBe(0);
    expect(pacing.minInterval(5500 + IDLE_AFTER_MS)).toBe(IDLE_FRAME_INTERVAL_MS);
  });

  it('keeps every frame while the tracker holds a person out of view (a face turned away)', () => {
    const pacing = new DoorwayPacing();
    pacing.start(0);
    pacing.observed(100, 1, 1);
    // No face, but the person's track is held: frames right after a gap must not be skipped.
    for (let t = 200; t <= 100 + 3 * IDLE_AFTER_MS; t += 100) pacing.observed(t, 0, 1);
    expect(pacing.minInterval(100 + 3 * IDLE_AFTER_MS)).toBe(0);
    pacing.observed(100 + 3 * IDLE_AFTER_MS + 100, 0, 0);
    expect(pacing.idle(100 + 4 * IDLE_AFTER_MS + 100)).toBe(true);
  });

  it('is not put back by a result older than the last sighting (results may come out of order)', () => {
    const pacing = new DoorwayPacing();
    pacing.start(0);
    pacing.observed(4000, 1, 1);
    pacing.observed(3000, 1, 1);
    expect(pacing.idle(4000 + IDLE_AFTER_MS)).toBe(true);
  });
});
