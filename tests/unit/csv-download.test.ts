import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  UTF8_BOM,
  csvFileName,
  loadCsvDialect,
  saveCsvDialect,
  shiftCsvFileName,
} from '../../src/pipeline/csv-download.ts';

describe('csvFileName', () => {
  // Noon local time: the same calendar day in every time zone the test may run in.
  const june3 = new Date(2025, 5, 3, 12, 0, 0).getTime();

  it('names the file after the door and the local day', () => {
    expect(csvFileName('North entrance', june3)).toBe('maskguard-North-entrance-2025-06-03.csv');
  });

  it('keeps letters of any script and turns other runs into one dash', () => {
    expect(csvFileName('Entrée Nord, "B"', june3)).toBe('maskguard-Entrée-Nord-B-2025-06-03.csv');
    expect(csvFileName('入口 2', june3)).toBe('maskguard-入口-2-2025-06-03.csv');
    expect(csvFileName('a/b\\c:d*e?f<g>h|i', june3)).toBe('maskguard-a-b-c-d-e-f-g-h-i-2025-06-03.csv');
  });

  it("keeps a script's combining marks (Hindi and Thai vowel signs) inside its words", () => {
    expect(csvFileName('प्रवेश द्वार', june3)).toBe('maskguard-प्रवेश-द्वार-2025-06-03.csv');
    expect(csvFileName('ประตูหน้า', june3)).toBe('maskguard-ประตูหน้า-2025-06-03.csv');
    // A mark left on a character that was replaced goes with it (an emoji's variation selector).
    expect(csvFileName('Gate ❤️ 2', june3)).toBe('maskguard-Gate-2-2025-06-03.csv');
  });

  it('names a shift’s file after its start time too, and says when the shift was still running', () => {
    const start = new Date(2025, 5, 3, 7, 5, 0).getTime();
    expect(shiftCsvFileName({ door: 'North entrance', start, end: start + 3_600_000 })).toBe(
      'maskguard-North-entrance-2025-06-03-0705.csv',
    );
    expect(shiftCsvFileName({ door: 'North entrance', start })).toBe(
      'maskguard-North-entrance-2025-06-03-0705-running.csv',
    );
  });

  it('falls back to "door" when nothing of the name is left', () => {
    expect(csvFileName(' /// ', june3)).toBe('maskguard-door-2025-06-03.csv');
  });

  it('caps the door part of the name', () => {
    expect(csvFileName('x'.repeat(500), june3)).toBe(`maskguard-${'x'.repeat(60)}-2025-06-03.csv`);
    // Cut between characters: a letter outside the BMP (two UTF-16 units) at the cut is kept or left whole,
    // and so is a syllable (क with its vowel sign ि).
    expect(csvFileName(`${'a'.repeat(59)}𝐀𝐀𝐀`, june3)).toBe(`maskguard-${'a'.repeat(59)}𝐀-2025-06-03.csv`);
    expect(csvFileName(`${'a'.repeat(59)}कि`, june3)).toBe(`maskguard-${'a'.repeat(59)}कि-2025-06-03.csv`);
  });
});

describe('UTF8_BOM', () => {
  it('is the byte order mark, EF BB BF in UTF-8', () => {
    expect([...new TextEncoder().encode(UTF8_BOM)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});

describe('loadCsvDialect / saveCsvDialect', () => {
  /** A localStorage over a Map; `broken` makes every call throw, as blocked storage does. */
  function stubStorage(broken = false) {
    const items = new Map<string, string>();
    const fail = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => (broken ? fail() : (items.get(key) ?? null)),
      setItem: (key: string, value: string) => (broken ? fail() : void items.set(key, value)),
    });
    return items;
  }

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("defaults to the device language's dialect, then remembers the choice", () => {
    stubStorage();
    vi.stubGlobal('navigator', { language: 'de-DE' });
    expect(loadCsvDialect()).toBe('semicolon');
    saveCsvDialect('comma');
    expect(loadCsvDialect()).toBe('comma');
    vi.stubGlobal('navigator', { language: 'en-US' });
    saveCsvDialect('semicolon');
    expect(loadCsvDialect()).toBe('semicolon');
  });

  it('ignores a stored value it does not know, and blocked storage', () => {
    const items = stubStorage();
    vi.stubGlobal('navigator', { language: 'fr-FR' });
    items.set('maskguard.csv-dialect', 'tab');
    expect(loadCsvDialect()).toBe('semicolon');
    stubStorage(true);
    expect(() => saveCsvDialect('comma')).not.toThrow();
    expect(loadCsvDialect()).toBe('semicolon');
  });
});
