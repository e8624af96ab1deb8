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
// which the history's list of thousands of people paid for several times a row. (So a change of the phone's
// time zone shows from the next start of the app; a summer-time change is within the zone and shows at once.)
let timeFormat: Intl.DateTimeFormat | undefined;
let secondsFormat: Intl.DateTimeFormat | undefined;

/** `09:05` in the phone's locale and time zone. */
export function formatTime(time: number): string {
  timeFormat ??= new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' });
  return timeFormat.format(time);
}

/** `09:05:12`, for the event list where several people may arrive within a minute. */
export function formatTimeSeconds(time: number): string {
  secondsFormat ??= new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return secondsFormat.format(time);
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

let hourFormat: Intl.DateTimeFormat | undefined;

/** {@link hourFormatFor} in the phone's locale. */
export function formatHour(time: number): string {
  hourFormat ??= hourFormatFor([]);
  return hourFormat.format(time);
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
