/**
 * Per-hour chart buckets and local days, in a zone with daylight saving time so that the 23- and 25-hour
 * days are exercised. Node reads TZ when it changes, so the zone is set for this file and restored after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILLED_HOURS, dayRange, hourStart, hourlyOf } from '../../src/storage/hourly.ts';

const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Berlin';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const utc = (iso: string) => Date.parse(iso);

describe('hourlyOf', () => {
  it('is empty for no events', () => {
    expect(hourlyOf([])).toEqual([]);
  });

  it('buckets by local hour, with empty hours between, and counts each decision', () => {
    const events = [
      { time: utc('2024-06-01T07:05:00Z'), decision: 'with_mask' as const }, // 09:05 CEST
      { time: utc('2024-06-01T07:59:59Z'), decision: 'without_mask' as const },
      { time: utc('2024-06-01T09:00:00Z'), decision: 'uncertain' as const }, // 11:00 CEST
    ];
    expect(hourlyOf(events)).toEqual([
      { start: utc('2024-06-01T07:00:00Z'), masked: 1, unmasked: 1, uncertain: 0 },
      { start: utc('2024-06-01T08:00:00Z'), masked: 0, unmasked: 0, uncertain: 0 },
      { start: utc('2024-06-01T09:00:00Z'), masked: 0, unmasked: 0, uncertain: 1 },
    ]);
  });

  it('gives only the hours with people when they span more than MAX_FILLED_HOURS (a clock set wrong)', () => {
    // One person counted with the phone's clock ten years back: 87,600 empty hours would be drawn.
    const events = [
      { decision: 'with_mask' as const, time: utc('2016-03-01T10:20:00Z') },
      { decision: 'without_mask' as const, time: utc('2026-03-01T10:20:00Z') },
      { decision: 'with_mask' as const, time: utc('2026-03-01T10:40:00Z') },
    ];
    const buckets = hourlyOf(events);
    expect(buckets.map((b) => [b.start, b.masked, b.unmasked])).toEqual([
      [utc('2016-03-01T10:00:00Z'), 1, 0],
      [utc('2026-03-01T10:00:00Z'), 1, 1],
    ]);
    // Just within the limit, the empty hours between are still there.
    const near = hourlyOf([
      events[1]!,
      { ...events[1]!, time: events[1]!.time + MAX_FILLED_HOURS * 3_600_000 },
    ]);
    expect(near).toHaveLength(MAX_FILLED_HOURS + 1);
  });

  it('skips the hour that does not exist in spring and keeps both 02:00 hours in autumn', () => {
    // 31 March 2024: 02:00 CET becomes 03:00 CEST; 01:30 and 03:30 local are one real hour apart.
    const spring = hourlyOf([
      { time: utc('2024-03-31T00:30:00Z'), decision: 'with_mask' },
      { time: utc('2024-03-31T01:30:00Z'), decision: 'with_mask' },
    ]);
    expect(spring.map((b) => b.start)).toEqual([utc('2024-03-31T00:00:00Z'), utc('2024-03-31T01:00:00Z')]);
    // 27 October 2024: 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
    const autumn = hourlyOf([
      { time: utc('2024-10-27T00:30:00Z'), decision: 'with_mask' },
      { time: utc('2024-10-27T01:30:00Z'), decision: 'without_mask' },
    ]);
    expect(autumn).toEqual([
      { start: utc('2024-10-27T00:00:00Z'), masked: 1, unmasked: 0, uncertain: 0 },
      { start: utc('2024-10-27T01:00:00Z'), masked: 0, unmasked: 1, uncertain: 0 },
    ]);
  });
});

describe('hourStart and dayRange', () => {
  it('floor to the local hour and the local day, 23 or 25 hours long at DST changes', () => {
    expect(hourStart(utc('2024-06-01T07:42:13.5Z'))).toBe(utc('2024-06-01T07:00:00Z'));
    expect(dayRange(utc('2024-06-01T12:00:00Z'))).toEqual([
      utc('2024-05-31T22:00:00Z'),
      utc('2024-06-01T22:00:00Z'),
    ]);
    const [springStart, springEnd] = dayRange(utc('2024-03-31T12:00:00Z'));
    expect(springEnd - springStart).toBe(23 * 3_600_000);
    const [autumnStart, autumnEnd] = dayRange(utc('2024-10-27T12:00:00Z'));
    expect(autumnEnd - autumnStart).toBe(25 * 3_600_000);
  });

  it('ends a day where the next one starts when DST begins at midnight (no hour in two days)', () => {
    // Chile: on 2024-09-08 clocks go from 00:00 to 01:00, so that day starts at 01:00 (04:00 UTC).
    process.env.TZ = 'America/Santiago';
    try {
      const [start, end] = dayRange(utc('2024-09-08T15:00:00Z'));
      const [nextStart] = dayRange(utc('2024-09-09T15:00:00Z'));
      expect(start).toBe(utc('2024-09-08T04:00:00Z'));
      expect(end).toBe(nextStart);
      expect(end - start).toBe(23 * 3_600_000);
    } finally {
      process.env.TZ = 'Europe/Berlin';
    }
  });
});
