/** Which people History's list draws of a long list: a bounded window, moved earlier, later and to one person. */
import { describe, expect, it } from 'vitest';
import {
  NEWEST_FIRST,
  ROWS_AT_FIRST,
  ROWS_AT_MOST,
  ROWS_MORE,
  pinned,
  rowRange,
  showEarlier,
  showIndex,
  showLater,
  type RowWindow,
} from '../../src/components/event-list-rows.ts';

/** Taps "Show earlier" until the first person is drawn; the ranges drawn on the way. */
function allEarlier(length: number): [number, number][] {
  let window: RowWindow = NEWEST_FIRST;
  const ranges = [rowRange(window, length)];
  while (rowRange(window, length)[0] > 0) {
    window = showEarlier(window, length);
    ranges.push(rowRange(window, length));
  }
  return ranges;
}

describe("History's list of people", () => {
  it('draws a short list whole, and the newest of a long one', () => {
    expect(rowRange(NEWEST_FIRST, 0)).toEqual([0, 0]);
    expect(rowRange(NEWEST_FIRST, 40)).toEqual([0, 40]);
    expect(rowRange(NEWEST_FIRST, 3000)).toEqual([3000 - ROWS_AT_FIRST, 3000]);
  });

  it('never draws more than the bound, however far back the guard goes, and reaches the first person', () => {
    const length = 3000;
    const ranges = allEarlier(length);
    for (const [start, end] of ranges) expect(end - start).toBeLessThanOrEqual(ROWS_AT_MOST);
    expect(ranges.at(-1)![0]).toBe(0);
    // Each step shows the people just before those drawn, and keeps the nearest of them drawn.
    for (let i = 1; i < ranges.length; i++) {
      const [start, end] = ranges[i]!;
      const [before] = ranges[i - 1]!;
      expect(start).toBe(Math.max(0, before - ROWS_MORE));
      expect(end).toBeGreaterThan(before);
    }
    // The newest are drawn until the window is full, then no longer.
    expect(ranges[1]).toEqual([length - ROWS_AT_FIRST - ROWS_MORE, length]);
    expect(ranges[2]![1]).toBeLessThan(length);
  });

  it('stays on the people drawn while more are counted, unless it shows the newest', () => {
    const back = showEarlier(showEarlier(NEWEST_FIRST, 3000), 3000);
    expect(back.kind).toBe('from');
    expect(rowRange(back, 3005)).toEqual(rowRange(back, 3000));
    expect(rowRange(NEWEST_FIRST, 3005)).toEqual([3005 - ROWS_AT_FIRST, 3005]);
    const two = showEarlier(NEWEST_FIRST, 3000);
    expect(rowRange(two, 3001)).toEqual([3001 - ROWS_AT_FIRST - ROWS_MORE, 3001]);
  });

  it('draws a whole list of up to the bound, following the newest', () => {
    const ranges = allEarlier(ROWS_AT_MOST);
    expect(ranges.at(-1)).toEqual([0, ROWS_AT_MOST]);
    const window = showEarlier(showEarlier(NEWEST_FIRST, ROWS_AT_MOST), ROWS_AT_MOST);
    expect(window.kind).toBe('newest');
  });

  it('moves later a step at a time back to the newest, which it then follows', () => {
    const length = 1000;
    let window: RowWindow = { kind: 'from', from: 0 };
    const starts = [rowRange(window, length)[0]];
    while (window.kind === 'from') {
      const [, end] = rowRange(window, length);
      window = showLater(window, length);
      const [start, next] = rowRange(window, length);
      // The next people are drawn, and the window stays full.
      expect(next).toBeGreaterThan(end);
      expect(next - start).toBe(ROWS_AT_MOST);
      starts.push(start);
    }
    expect(starts).toEqual([0, 200, 400, 600, 700]);
    expect(rowRange(window, length + 1)).toEqual([length + 1 - ROWS_AT_MOST, length + 1]);
  });

  it('goes to one person: drawn where they are, or in the middle of a window, or among the newest', () => {
    const length = 3000;
    expect(showIndex(NEWEST_FIRST, length, 2950)).toBe(NEWEST_FIRST);
    const middle = showIndex(NEWEST_FIRST, length, 1234);
    const [start, end] = rowRange(middle, length);
    expect(start).toBeLessThanOrEqual(1234);
    expect(end).toBeGreaterThan(1234);
    expect(1234 - start).toBe(ROWS_AT_MOST / 2);
    expect(rowRange(showIndex(NEWEST_FIRST, length, 5), length)).toEqual([0, ROWS_AT_MOST]);
    const recent = showIndex(NEWEST_FIRST, length, length - 150);
    expect(recent).toEqual({ kind: 'newest', rows: 150 });
    expect(rowRange(showIndex(middle, length, length - 1), length)[1]).toBe(length);
  });

  it('keeps a pinned person drawn while people are counted after them (a change being chosen at a busy door)', () => {
    // 102 people, the newest 100 drawn; the guard goes to #4 (index 3), drawn at the window's top.
    const found = showIndex(NEWEST_FIRST, 102, 3);
    expect(rowRange(found, 102)).toEqual([2, 102]);
    // Following the newest, two more counts slide them out (what the exploration saw) ...
    expect(rowRange(found, 104)[0]).toBeGreaterThan(3);
    // ... pinned, the same people are drawn (nothing moves), and they stay, with every person counted after
    // them drawn, up to the bound.
    const held = pinned(found, 102);
    expect(rowRange(held, 102)).toEqual([2, 102]);
    for (const length of [104, 150, 302, 400])
      expect(rowRange(held, length)).toEqual([2, Math.min(length, 302)]);
    // Earlier and later still move it, as from any window.
    expect(rowRange(showEarlier(held, 104), 104)).toEqual([0, 104]);
    // A window already fixed in place is kept as it is.
    const back: RowWindow = { kind: 'from', from: 500 };
    expect(pinned(back, 3000)).toBe(back);
  });
});
