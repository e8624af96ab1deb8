/** CheckRate: the camera's checked frames a second while someone is in view, and when that is too slow. */
import { describe, expect, it } from 'vitest';
import { CheckRate, SLOW_CHECKS_PER_SECOND } from '../../src/pipeline/check-rate.ts';

/** Records `count` frames with a face, `stepMs` apart from `fromMs`; returns the time after the last. */
function faces(rate: CheckRate, fromMs: number, count: number, stepMs: number): number {
  for (let i = 0; i < count; i++) rate.record(fromMs + i * stepMs, true);
  return fromMs + count * stepMs;
}

describe('CheckRate', () => {
  it('says nothing at full speed, nor before it has measured 4 intervals between frames with a face', () => {
    const rate = new CheckRate();
    faces(rate, 0, 4, 700);
    expect(rate.perSecond).toBeUndefined();
    expect(rate.slow).toBeUndefined();
    const fast = new CheckRate();
    faces(fast, 0, 20, 100);
    expect(fast.perSecond).toBeCloseTo(10, 6);
    expect(fast.slow).toBeUndefined();
  });

  it('reports a phone checking under 2 frames a second while someone is in view, and keeps it when nobody is', () => {
    const rate = new CheckRate();
    const end = faces(rate, 0, 6, 700);
    expect(rate.slow).toBeCloseTo(1000 / 700, 6);
    expect(rate.slow!).toBeLessThan(SLOW_CHECKS_PER_SECOND);
    // Nobody in view (frames then come at the pacing's 2 a second): still a slow phone.
    rate.record(end, false);
    rate.record(end + 500, false);
    expect(rate.slow).toBeCloseTo(1000 / 700, 6);
  });

  it('does not count the paced frames of an empty doorway, nor flicker just above the line', () => {
    const rate = new CheckRate();
    // Two a second with nobody in view, then someone at full speed: fast.
    for (let t = 0; t < 5000; t += 500) rate.record(t, false);
    faces(rate, 5000, 10, 100);
    expect(rate.slow).toBeUndefined();
    // Slow, then a little faster but under 2.5 a second: still said; at 3 a second: gone.
    let t = faces(rate, 10_000, 6, 600);
    expect(rate.slow).toBeDefined();
    t = faces(rate, t, 6, 450);
    expect(rate.slow).toBeCloseTo(1000 / 450, 6);
    faces(rate, t, 6, 333);
    expect(rate.slow).toBeUndefined();
  });

  it('measures across people passing one by one, each in 3 frames with empty frames between', () => {
    const rate = new CheckRate();
    let t = 0;
    for (let person = 0; person < 3; person++) {
      t = faces(rate, t, 3, 650);
      rate.record(t, false);
      t += 650;
    }
    expect(rate.slow).toBeCloseTo(1000 / 650, 6);
  });

  it('forgets on reset (another camera or a file)', () => {
    const rate = new CheckRate();
    faces(rate, 0, 6, 800);
    rate.reset();
    expect(rate.slow).toBeUndefined();
    expect(rate.perSecond).toBeUndefined();
  });
});
