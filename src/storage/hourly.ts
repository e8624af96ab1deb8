/**
 * Per-hour counts for the history chart, derived from events. Nothing here reads storage: like the tally
 * (`tallyDecisions` in src/shared/tracking/tally.ts), a chart is a function of the event list, so it can
 * never disagree with the events it was computed from.
 */
import type { Decision, PersonEvent } from './schema.js';

/** One hour of a chart: people counted from `start` (inclusive) to the next local hour (exclusive). */
export interface HourBucket {
  /** Epoch milliseconds of the local hour's start. */
  start: number;
  masked: number;
  unmasked: number;
  uncertain: number;
}

const HOUR_MS = 3_600_000;

const FIELD: Record<Decision, 'masked' | 'unmasked' | 'uncertain'> = {
  with_mask: 'masked',
  without_mask: 'unmasked',
  uncertain: 'uncertain',
};

/**
 * Start of the local hour containing `time`, in local time so that a chart's 9 o'clock is the guard's.
 * Floors with the instant's own UTC offset instead of `setMinutes(0)`: in the repeated hour of an autumn DST
 * change, `setMinutes(0)` resolves the ambiguous local 02:00 to the first one and would fold both hours together.
 */
export function hourStart(time: number): number {
  const offsetMs = new Date(time).getTimezoneOffset() * 60_000;
  const local = time - offsetMs;
  return local - (((local % HOUR_MS) + HOUR_MS) % HOUR_MS) + offsetMs;
}

/** The next local hour's start after `start`. Flooring one hour later stays right across DST changes. */
function nextHour(start: number): number {
  const next = hourStart(start + HOUR_MS);
  // Invariant for the loop below: strictly increasing, even in a zone with half-hour DST steps.
  return next > start ? next : start + HOUR_MS;
}

/** The longest span (hours) that {@link hourlyOf} fills with empty hours between the hours with people. */
export const MAX_FILLED_HOURS = 72;

/**
 * Per-hour buckets for a bar chart, one per local hour from the first event's hour to the last's, including
 * empty hours so that a quiet hour shows as a gap rather than vanishing. A shift past midnight simply runs on
 * into the next day's hours. Removed records (`removed` set, see PersonEvent) are no people and are left out,
 * like in the tally. Empty input gives an empty array. Over {@link MAX_FILLED_HOURS} hours from first to last
 * (a shift run for days, or a phone clock set wrong in the middle of one) only the hours with people are given:
 * one clock set back ten years made 175,000 empty hours, and drawing them froze the page, counting included.
 */
export function hourlyOf(
  events: readonly Pick<PersonEvent, 'decision' | 'time' | 'removed'>[],
): HourBucket[] {
  const byHour = new Map<number, HourBucket>();
  let first = Infinity;
  let last = -Infinity;
  for (const event of events) {
    if (event.removed !== undefined) continue;
    const start = hourStart(event.time);
    first = Math.min(first, start);
    last = Math.max(last, start);
    let bucket = byHour.get(start);
    if (!bucket) {
      bucket = { start, masked: 0, unmasked: 0, uncertain: 0 };
      byHour.set(start, bucket);
    }
    bucket[FIELD[event.decision]] += 1;
  }
  if (byHour.size === 0) return [];
  if (last - first > MAX_FILLED_HOURS * HOUR_MS)
    return [...byHour.values()].sort((a, b) => a.start - b.start);
  const buckets: HourBucket[] = [];
  for (let start = first; start <= last; start = nextHour(start)) {
    buckets.push(byHour.get(start) ?? { start, masked: 0, unmasked: 0, uncertain: 0 });
  }
  return buckets;
}

/** The local calendar day containing `time`, as [start, end) epoch milliseconds (23 or 25 h at DST changes). */
export function dayRange(time: number): [number, number] {
  const date = new Date(time);
  const [year, month, day] = [date.getFullYear(), date.getMonth(), date.getDate()];
  // Both ends from the calendar date: where DST starts at midnight, midnight does not exist and the day
  // starts at 01:00; the next day must still start at its own midnight, not at the moved start plus a day.
  return [new Date(year, month, day).getTime(), new Date(year, month, day + 1).getTime()];
}
