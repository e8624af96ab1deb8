/**
 * Saving an export on the phone: the file name and the download itself. The CSV text comes from
 * `toCsv` (src/shared/csv.ts); its columns are documented in docs/csv.md.
 */
import { CSV_DIALECTS, csvDialectFor, localTime, type CsvDialect } from '../shared/csv.ts';

/**
 * The byte order mark: Excel opens a CSV without one in the system's legacy code page, which turns a door
 * name such as "Entrée" into mojibake. Other spreadsheets and `csv` readers skip it.
 */
export const UTF8_BOM = '\uFEFF';

/**
 * `maskguard-<door>-<YYYY-MM-DD>.csv`, the date being the local day of `time`; a shift's export adds its start
 * time and, while it runs, that it does (`maskguard-<door>-<YYYY-MM-DD>-<HHmm>[-running].csv`, see
 * {@link shiftCsvFileName}). The door keeps its letters
 * (any script, with their combining marks: the vowel signs of Hindi or Thai) and digits; runs of anything
 * else, characters that file systems reject included, become one `-` (with any mark left on them: an emoji's
 * variation selector). At most 60 characters of it as a reader counts them, cut between them (never inside a
 * syllable or a character written with two UTF-16 units). An empty result (a door named "///") falls back to
 * `door`.
 */
export function csvFileName(door: string, time: number): string {
  const kept = door
    .normalize('NFC')
    .replace(/(?:[^\p{L}\p{M}\p{N}]\p{M}*)+/gu, '-')
    .replace(/^\p{M}+/u, '');
  const slug = characters(kept)
    .slice(0, 60)
    .join('')
    .replace(/^-+|-+$/g, '');
  return `maskguard-${slug === '' ? 'door' : slug}-${localTime(time).slice(0, 10)}.csv`;
}

/**
 * The file name of one shift's export: two shifts at one door on one day get two names, and an export taken
 * while the shift still ran says so, so that it is not taken for the whole shift (a UX exploration: the export
 * made during a shift and the one made after it ended had the same name, and the phone kept "(1)" copies).
 */
export function shiftCsvFileName(shift: { door: string; start: number; end?: number }): string {
  const start = localTime(shift.start);
  const suffix = `-${start.slice(11, 13)}${start.slice(14, 16)}${shift.end === undefined ? '-running' : ''}`;
  return csvFileName(shift.door, shift.start).replace(/\.csv$/, `${suffix}.csv`);
}

/** `text` as a reader counts its characters (grapheme clusters), or by code point where that is not known. */
function characters(text: string): string[] {
  if (typeof Intl.Segmenter !== 'function') return Array.from(text);
  return Array.from(
    new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text),
    (s) => s.segment,
  );
}

/**
 * Starts a download of the CSV text `parts` (strings, or Blobs of it) as `fileName` (with the BOM), through a
 * Blob URL and an `<a download>`.
 */
export function downloadCsv(fileName: string, parts: readonly (string | Blob)[]): void {
  const url = URL.createObjectURL(new Blob([UTF8_BOM, ...parts], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later rather than now: the browser may read the Blob after click() has returned.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const DIALECT_KEY = 'maskguard.csv-dialect';

/**
 * The export's dialect as last chosen on this device; before any choice, the one the device's language
 * expects (`semicolon` where it writes 1.5 as "1,5"). A device setting, so in localStorage like the screen's
 * preferences; unreadable storage means the default.
 */
export function loadCsvDialect(): CsvDialect {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(DIALECT_KEY);
  } catch {
    // Blocked storage: the default.
  }
  return CSV_DIALECTS.includes(stored as CsvDialect)
    ? (stored as CsvDialect)
    : csvDialectFor(globalThis.navigator?.language);
}

/** Remembers the dialect; a full or blocked storage only costs remembering it. */
export function saveCsvDialect(dialect: CsvDialect): void {
  try {
    localStorage.setItem(DIALECT_KEY, dialect);
  } catch {
    // Ignored on purpose: see above.
  }
}
