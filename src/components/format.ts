/** How the views write times, decisions and sizes for the guard (presentation only, no logic). */
import type { Decision } from '../storage/index.ts';

/** A decision in the guard's words, as on the live screen's boxes. */
export const DECISION_TEXT: Record<Decision, string> = {
  with_mask: 'Mask',
  without_mask: 'No mask',
  uncertain: 'Uncertain',
};

/**
 * Compliance as the tally shows it, a whole percentage: `–` before anyone is decided. Rounded, except that it
 * never reads 100 % while someone was unmasked, nor 0 % while someone was masked (249 of 250 is 99 %, not 100).
 */
export function formatCompliance(tally: {
  masked: number;
  unmasked: number;
  compliancePercent: number | null;
}) {
  if (tally.compliancePercent === null) return '–';
  let percent = Math.round(tally.compliancePercent);
  if (tally.unmasked > 0) percent = Math.min(percent, 99);
  if (tally.masked > 0) percent = Math.max(percent, 1);
  return `${percent}%`;
}

// One formatter each, made on first use: `toLocaleTimeString` with options builds a new one at every call,
// which the history's list of thousands of people paid for several times a row. A formatter keeps the time
// zone it was made in, so they are made again when the phone's zone changes (seen as its offset from UTC now
// changing, a summer-time change included), or the hours written would disagree with the days and hours
// that Date computes in the new zone.
let timeFormat: Intl.DateTimeFormat | undefined;
let secondsFormat: Intl.DateTimeFormat | undefined;
let hourFormat: Intl.DateTimeFormat | undefined;
let formatsOffset: number | undefined;

/** `format` of `time`, or `–` for a time that is not one (a damaged record must not break a whole list). */
function written(format: () => Intl.DateTimeFormat, time: number): string {
  const offset = new Date().getTimezoneOffset();
  if (offset !== formatsOffset) {
    formatsOffset = offset;
    timeFormat = secondsFormat = hourFormat = undefined;
  }
  return Number.isFinite(time) ? format().format(time) : '–';
}

/** `09:05` in the phone's locale and time zone. */
export function formatTime(time: number): string {
  return written(
    () => (timeFormat ??= new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' })),
    time,
  );
}

/** `09:05:12`, for the event list where several people may arrive within a minute. */
export function formatTimeSeconds(time: number): string {
  return written(
    () =>
      (secondsFormat ??= new Intl.DateTimeFormat([], {
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })),
    time,
  );
}

/**
 * The start of an hour as a chart's axis writes it, as short as the locale allows: `9 AM` where clocks have
 * twelve hours ("09:00 AM" beside the next hour's ran together), `09:00` where they have 24.
 */
export function hourFormatFor(locales: string | string[]): Intl.DateTimeFormat {
  const twelve = new Intl.DateTimeFormat(locales, { hour: 'numeric' }).resolvedOptions().hour12 === true;
  return new Intl.DateTimeFormat(
    locales,
    twelve ? { hour: 'numeric' } : { hour: '2-digit', minute: '2-digit' },
  );
}

/** {@link hourFormatFor} in the phone's locale. */
export function formatHour(time: number): string {
  return written(() => (hourFormat ??= hourFormatFor([])), time);
}

/** `Tue 3 Jun` (or the locale's equivalent). */
export function formatDay(time: number): string {
  return new Date(time).toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' });
}

/** `YYYY-MM-DD` of the local day, the value an `<input type="date">` takes. */
export function dateInputValue(time: number): string {
  const d = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Bytes as `12.3 MB`, decimal units as phones show storage. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
