import { describe, expect, it } from 'vitest';
import {
  csvParts,
  CSV_COLUMNS,
  csvDialectFor,
  defuseFormula,
  escapeField,
  toCsv,
  utcOffset,
  type CsvEvent,
} from '../../src/shared/csv.ts';
import { parseCsv } from '../helpers/csv.ts';

const time = Date.UTC(2024, 5, 1, 7, 15, 2, 345);
/** The expected local_time, computed independently of the code under test. */
function localOf(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
const auto: CsvEvent = {
  id: 'e1',
  shiftId: 's1',
  time,
  decision: 'without_mask',
  averageConfidence: 0.91234,
  framesSeen: 42,
  timeInViewMs: 3449,
  source: 'auto',
  number: 7,
};
const manual: CsvEvent = {
  id: 'e2',
  shiftId: 's1',
  time: time + 60_000,
  decision: 'with_mask',
  averageConfidence: null,
  framesSeen: 0,
  timeInViewMs: 0,
  source: 'manual',
  corrected: { from: 'uncertain' },
};

describe('toCsv', () => {
  it('writes the documented header and one row per person, every row ending in CRLF', () => {
    const text = toCsv([{ id: 's1', door: 'North' }], [auto, manual]);
    expect(text.split('\r\n')).toEqual([
      'shift_id,door,event_id,time_iso,local_time,decision,average_confidence,frames_seen,time_in_view_s,source,corrected_from,shift_ended_by,person_number,utc_offset',
      `s1,North,e1,2024-06-01T07:15:02.345Z,${localOf(time)},without_mask,0.912,42,3.4,auto,,,7,${utcOffset(time)}`,
      `s1,North,e2,2024-06-01T07:16:02.345Z,${localOf(time + 60_000)},with_mask,,0,0.0,manual,uncertain,,,${utcOffset(time + 60_000)}`,
      '',
    ]);
    expect(CSV_COLUMNS).toHaveLength(14);
  });

  it('says which clock local_time is on: local_time is time_iso plus utc_offset', () => {
    // Winter and summer (daylight saving where the test runs), and a moment in each half-hour zone's reach.
    for (const iso of ['2024-01-15T23:30:00.000Z', '2024-07-15T00:45:00.000Z', '2024-03-31T01:30:00.000Z']) {
      const at = Date.parse(iso);
      const [, , , timeIso, local, , , , , , , , , offset] = toCsv([], [{ ...auto, time: at }])
        .split('\r\n')[1]!
        .split(',');
      expect(offset).toMatch(/^[+-][0-9]{2}:[0-9]{2}$/);
      const [sign, hours, minutes] = [offset![0], Number(offset!.slice(1, 3)), Number(offset!.slice(4))];
      const ahead = (sign === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
      expect(Date.parse(`${local!.replace(' ', 'T')}Z`) - ahead).toBe(Date.parse(timeIso!) - (at % 1000));
    }
  });

  it('says how each shift ended: by the guard, by the app after hours with nobody, or not yet', () => {
    const shifts = [
      { id: 's1', door: 'North', end: time + 1 },
      { id: 's2', door: 'North', end: time + 2, endReason: 'idle' as const },
      { id: 's3', door: 'North' },
    ];
    const events = ['s1', 's2', 's3', 'gone'].map((shiftId, i) => ({ ...auto, id: `e${i}`, shiftId }));
    const column = CSV_COLUMNS.indexOf('shift_ended_by');
    expect(
      parseCsv(toCsv(shifts, events))
        .slice(1)
        .map((row) => row[column]),
    ).toEqual(['guard', 'app_idle', '', '']);
  });

  it('gives a record the guard removed from the count no row', () => {
    const removed = { ...auto, id: 'e3', removed: { at: time + 5_000 } };
    const rows = parseCsv(toCsv([{ id: 's1', door: 'North' }], [auto, removed, manual]));
    expect(rows.slice(1).map((row) => row[CSV_COLUMNS.indexOf('event_id')])).toEqual(['e1', 'e2']);
  });

  it('writes only the header for no events', () => {
    expect(toCsv([], [])).toBe(CSV_COLUMNS.join(',') + '\r\n');
  });

  it('quotes commas, quotes and line breaks so the door reads back unchanged', () => {
    const doors = ['Gate 3, "VIP" side', 'two\nlines', 'cr\r\nlf', 'plain', 'Tür Süd — 北门'];
    const shifts = doors.map((door, i) => ({ id: `s${i}`, door }));
    const events = doors.map((_, i) => ({ ...auto, id: `e${i}`, shiftId: `s${i}` }));
    const rows = parseCsv(toCsv(shifts, events));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1).map((row) => row[1])).toEqual(doors);
    expect(rows.slice(1).every((row) => row.length === CSV_COLUMNS.length)).toBe(true);
  });

  it('defuses a door name a spreadsheet would run as a formula', () => {
    const doors = ['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\tTab', 'A=B', 'Door -1'];
    const shifts = doors.map((door, i) => ({ id: `s${i}`, door }));
    const events = doors.map((_, i) => ({ ...auto, id: `e${i}`, shiftId: `s${i}` }));
    expect(
      parseCsv(toCsv(shifts, events))
        .slice(1)
        .map((row) => row[1]),
    ).toEqual([`'=HYPERLINK("http://x","y")`, "'+1", "'-2+3", "'@SUM(A1)", "'\tTab", 'A=B', 'Door -1']);
  });

  it('writes nothing of a kept picture: a person with one gives the same row as without', () => {
    const withPicture = { ...auto, thumbnailId: auto.id }; // a storage PersonEvent with a thumbnail
    const shifts = [{ id: 's1', door: 'North' }];
    expect(toCsv(shifts, [withPicture])).toBe(toCsv(shifts, [auto]));
  });

  it('leaves the door empty for an event whose shift is unknown', () => {
    expect(parseCsv(toCsv([], [auto]))[1]![1]).toBe('');
  });
});

describe('csvParts', () => {
  it('splits the text into parts of at most the rows asked, which joined are the whole text', () => {
    const events = Array.from({ length: 7 }, (_, i) => ({ ...auto, id: `e${i}`, time: time + i * 1000 }));
    events[3] = { ...events[3]!, removed: { at: time + 9_000 } };
    const shifts = [{ id: 's1', door: 'North' }];
    for (const dialect of ['comma', 'semicolon'] as const) {
      const parts = [...csvParts(shifts, events, dialect, 3)];
      // The header and 6 people (one removed) at 3 rows a part.
      expect(parts.map((part) => part.split('\r\n').length - 1)).toEqual([3, 3, 1]);
      expect(parts.every((part) => part.endsWith('\r\n'))).toBe(true);
      expect(parts.join('')).toBe(toCsv(shifts, events, dialect));
    }
    expect([...csvParts(shifts, [], 'comma', 3)]).toEqual([CSV_COLUMNS.join(',') + '\r\n']);
  });
});

describe('toCsv, semicolon dialect (spreadsheets that write 1,5)', () => {
  it('splits columns at semicolons and writes decimal commas; otherwise the same fields', () => {
    const shifts = [{ id: 's1', door: 'North' }];
    const text = toCsv(shifts, [auto, manual], 'semicolon');
    expect(text.split('\r\n')).toEqual([
      CSV_COLUMNS.join(';'),
      `s1;North;e1;2024-06-01T07:15:02.345Z;${localOf(time)};without_mask;0,912;42;3,4;auto;;;7;${utcOffset(time)}`,
      `s1;North;e2;2024-06-01T07:16:02.345Z;${localOf(time + 60_000)};with_mask;;0;0,0;manual;uncertain;;;${utcOffset(time + 60_000)}`,
      '',
    ]);
    const decimalsAsPoints = parseCsv(text, ';').map((row) =>
      row.map((f) => f.replace(/^(\d+),(\d+)$/, '$1.$2')),
    );
    expect(decimalsAsPoints).toEqual(parseCsv(toCsv(shifts, [auto, manual])));
  });

  it('quotes semicolons, quotes and line breaks, and leaves commas bare, so the door reads back unchanged', () => {
    const doors = ['Gate 3; "VIP" side', 'Entrée Nord, B', 'two\nlines', 'plain'];
    const shifts = doors.map((door, i) => ({ id: `s${i}`, door }));
    const events = doors.map((_, i) => ({ ...auto, id: `e${i}`, shiftId: `s${i}` }));
    const text = toCsv(shifts, events, 'semicolon');
    expect(text).toContain(';Entrée Nord, B;');
    const rows = parseCsv(text, ';');
    expect(rows.slice(1).map((row) => row[1])).toEqual(doors);
    expect(rows.every((row) => row.length === CSV_COLUMNS.length)).toBe(true);
  });
});

describe('csvDialectFor', () => {
  it('chooses semicolons where the language writes 1.5 as "1,5", commas elsewhere', () => {
    for (const locale of ['de-DE', 'fr-FR', 'es-ES', 'pt-BR', 'it', 'ru', 'nl-NL']) {
      expect(csvDialectFor(locale), locale).toBe('semicolon');
    }
    for (const locale of ['en-US', 'en-GB', 'ja-JP', 'zh-CN', 'hi-IN', 'es-MX']) {
      expect(csvDialectFor(locale), locale).toBe('comma');
    }
  });

  it('falls back to commas for a tag it cannot read', () => {
    expect(csvDialectFor('not a locale!')).toBe('comma');
  });
});

describe('field helpers', () => {
  it('escapeField quotes only when needed and doubles inner quotes', () => {
    expect(escapeField('abc')).toBe('abc');
    expect(escapeField('a,b')).toBe('"a,b"');
    expect(escapeField('say "hi"')).toBe('"say ""hi"""');
    expect(escapeField('a\nb')).toBe('"a\nb"');
    expect(escapeField('a\rb')).toBe('"a\rb"');
    expect(escapeField('a;b')).toBe('a;b');
    expect(escapeField('a;b', ';')).toBe('"a;b"');
    expect(escapeField('0,912', ';')).toBe('0,912');
  });

  it('defuseFormula prefixes only a leading trigger character', () => {
    expect(defuseFormula('=1')).toBe("'=1");
    expect(defuseFormula('\r=1')).toBe("'\r=1");
    expect(defuseFormula('North')).toBe('North');
    expect(defuseFormula('')).toBe('');
  });
});
