/**
 * CSV export of counted people, one row per person (RFC 4180). Pure: no DOM, worker or Node globals, so the
 * page, the worker and Node tests can all use it. The columns are documented in docs/csv.md; keep them in sync.
 */

/** The shift fields the export needs (structurally, a storage `Shift` fits). */
export interface CsvShift {
  id: string;
  door: string;
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
  corrected?: { from: string };
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
] as const;

/** RFC 4180 line break. */
const CRLF = '\r\n';

/**
 * Quotes a field when RFC 4180 requires it (a comma, a double quote, CR or LF), doubling inner quotes.
 * Other fields are left bare so the file stays readable.
 */
export function escapeField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
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
function fields(event: CsvEvent, door: string): string[] {
  return [
    event.shiftId,
    defuseFormula(door),
    event.id,
    new Date(event.time).toISOString(),
    localTime(event.time),
    event.decision,
    event.averageConfidence === null ? '' : event.averageConfidence.toFixed(3),
    String(event.framesSeen),
    (event.timeInViewMs / 1000).toFixed(1),
    event.source,
    event.corrected?.from ?? '',
  ];
}

/**
 * The CSV text for `events`, in the order given, with a header row and CRLF after every row (the last
 * included). `shifts` supplies the door names; an event whose shift is missing gets an empty door.
 */
export function toCsv(shifts: readonly CsvShift[], events: readonly CsvEvent[]): string {
  const doors = new Map(shifts.map((shift) => [shift.id, shift.door]));
  const rows = [CSV_COLUMNS.join(',')];
  for (const event of events)
    rows.push(
      fields(event, doors.get(event.shiftId) ?? '')
        .map(escapeField)
        .join(','),
    );
  return rows.join(CRLF) + CRLF;
}
