/**
 * CSV export of counted people, one row per person (RFC 4180). Pure: no DOM, worker or Node globals, so the
 * page, the worker and Node tests can all use it. The columns are documented in docs/csv.md; keep them in sync.
 */
import { correctedFrom } from './corrections.ts';

/**
 * How fields and decimals are separated. `comma` is RFC 4180 with decimal points (`0.912`). `semicolon`
 * is what Excel opens by double-click where the decimal sign is a comma (most of Europe and Latin America):
 * there Excel splits columns at `;` and reads `0,912` as a number, but puts a whole comma-separated row
 * into one cell and takes `0.912` for text or a date.
 */
export type CsvDialect = 'comma' | 'semicolon';

export const CSV_DIALECTS: readonly CsvDialect[] = ['comma', 'semicolon'];

/** The dialect a spreadsheet in `locale` expects: `semicolon` where the locale writes 1.5 as "1,5". */
export function csvDialectFor(locale: string | undefined): CsvDialect {
  let decimal = '.';
  try {
    decimal =
      new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  } catch {
    // An invalid locale tag: RFC 4180.
  }
  return decimal === ',' ? 'semicolon' : 'comma';
}

const SEPARATOR: Record<CsvDialect, string> = { comma: ',', semicolon: ';' };

/** The shift fields the export needs (structurally, a storage `Shift` fits). */
export interface CsvShift {
  id: string;
  door: string;
  /** Epoch milliseconds; absent while the shift runs. */
  end?: number;
  /** `idle` when the app ended the shift because nobody was counted in it for hours; absent otherwise. */
  endReason?: 'idle';
}

/** How a shift ended, as the `shift_ended_by` column says it: empty while it runs (or is unknown). */
function endedBy(shift: CsvShift | undefined): string {
  if (shift?.end === undefined) return '';
  return shift.endReason === 'idle' ? 'app_idle' : 'guard';
}

/** The event fields the export needs (structurally, a storage `PersonEvent` fits). */
export interface CsvEvent {
  id: string;
  shiftId: string;
  /** Epoch milliseconds. */
  time: number;
  decision: 'with_mask' | 'without_mask' | 'uncertain';
  /** 0..1, or null for a person added by hand. */
  averageConfidence: number | null;
  framesSeen: number;
  timeInViewMs: number;
  source: 'auto' | 'manual';
  corrected?: { from: 'with_mask' | 'without_mask' | 'uncertain' };
  /** The number the person's box and alert showed; absent for a person added by hand. */
  number?: number;
  /** Set when the guard removed the record from the count: such a record gets no row. */
  removed?: unknown;
}

/** The header row, in column order. */
export const CSV_COLUMNS = [
  'shift_id',
  'door',
  'event_id',
  'time_iso',
  'local_time',
  'decision',
  'average_confidence',
  'frames_seen',
  'time_in_view_s',
  'source',
  'corrected_from',
  'shift_ended_by',
  'person_number',
  'utc_offset',
] as const;

/** RFC 4180 line break. */
const CRLF = '\r\n';

/**
 * Quotes a field when RFC 4180 requires it (the separator, a double quote, CR or LF), doubling inner
 * quotes. Other fields are left bare so the file stays readable (and `0,912` stays a number in the
 * semicolon dialect).
 */
export function escapeField(value: string, separator = ','): string {
  const special = value.includes(separator) || /["\r\n]/.test(value);
  return special ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Defuses text a spreadsheet would run as a formula: a leading `=`, `+`, `-`, `@`, tab or CR gets a `'`
 * prefix (OWASP's "CSV injection" advice). Only free text typed by a person needs this; in this export that is
 * the door name.
 */
export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `YYYY-MM-DD HH:mm:ss` in the exporting device's time zone: the form spreadsheets read as a date. */
export function localTime(time: number): string {
  const d = new Date(time);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** One row's fields, unescaped, in {@link CSV_COLUMNS} order. */
function fields(event: CsvEvent, shift: CsvShift | undefined, dialect: CsvDialect): string[] {
  const decimal = (value: number, digits: number) => {
    const text = value.toFixed(digits);
    return dialect === 'semicolon' ? text.replace('.', ',') : text;
  };
  return [
    event.shiftId,
    defuseFormula(shift?.door ?? ''),
    event.id,
    new Date(event.time).toISOString(),
    localTime(event.time),
    event.decision,
    event.averageConfidence === null ? '' : decimal(event.averageConfidence, 3),
    String(event.framesSeen),
    decimal(event.timeInViewMs / 1000, 1),
    event.source,
    correctedFrom(event) ?? '',
    endedBy(shift),
    event.number === undefined ? '' : String(event.number),
    utcOffset(event.time),
  ];
}

/**
 * `+01:00`: how far `local_time` is ahead of UTC at that moment on the exporting device (daylight saving
 * included), so a supervisor reading the file elsewhere knows which clock `local_time` is on.
 */
export function utcOffset(time: number): string {
  const minutes = -new Date(time).getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/** The events that get a row: every one but those the guard removed from the count. */
export function exportedEvents<E extends CsvEvent>(events: readonly E[]): E[] {
  return events.filter((event) => event.removed === undefined);
}

/**
 * The CSV text for `events`, in the order given, with a header row and CRLF after every row (the last
 * included); a record the guard removed from the count gets no row ({@link exportedEvents}). `shifts` supplies the door names and how each shift ended; an event whose shift is missing gets
 * an empty door and end.
 */
export function toCsv(
  shifts: readonly CsvShift[],
  events: readonly CsvEvent[],
  dialect: CsvDialect = 'comma',
): string {
  return [...csvParts(shifts, events, dialect)].join('');
}

/**
 * {@link toCsv}'s text in parts of at most `rowsPerPart` rows (the header row in the first), so that a caller can
 * let the page draw between them: written in one go, every kept shift (48,000 people) held a phone's page for
 * over a second. The parts joined are exactly toCsv's text.
 */
export function* csvParts(
  shifts: readonly CsvShift[],
  events: readonly CsvEvent[],
  dialect: CsvDialect = 'comma',
  rowsPerPart = 2_000,
): Generator<string> {
  const byId = new Map(shifts.map((shift) => [shift.id, shift]));
  const separator = SEPARATOR[dialect];
  let rows = [CSV_COLUMNS.join(separator)];
  for (const event of exportedEvents(events)) {
    rows.push(
      fields(event, byId.get(event.shiftId), dialect)
        .map((field) => escapeField(field, separator))
        .join(separator),
    );
    if (rows.length >= rowsPerPart) {
      yield rows.join(CRLF) + CRLF;
      rows = [];
    }
  }
  if (rows.length > 0) yield rows.join(CRLF) + CRLF;
}
