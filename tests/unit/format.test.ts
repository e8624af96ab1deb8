import { describe, expect, it } from 'vitest';
import {
  formatCompliance,
  formatTime,
  formatTimeSeconds,
  hourFormatFor,
} from '../../src/components/format.ts';

describe('hourFormatFor', () => {
  const midnight = new Date(2025, 5, 3, 0, 0).getTime();
  const afternoon = new Date(2025, 5, 3, 13, 0).getTime();

  it('writes an hour as short as a twelve-hour clock allows (the labels ran together as "12:00 AM01:00 AM")', () => {
    expect(hourFormatFor('en-US').format(midnight)).toBe('12 AM');
    expect(hourFormatFor('en-US').format(afternoon)).toBe('1 PM');
  });

  it('keeps the minutes where clocks have 24 hours, so that a lone "13" is not read as a count', () => {
    expect(hourFormatFor('en-GB').format(midnight)).toBe('00:00');
    expect(hourFormatFor('de-DE').format(afternoon)).toBe('13:00');
  });
});

describe('formatCompliance', () => {
  it('never reads 100 % with someone unmasked, nor 0 % with someone masked', () => {
    expect(formatCompliance({ masked: 249, unmasked: 1, compliancePercent: 99.6 })).toBe('99%');
    expect(formatCompliance({ masked: 1, unmasked: 249, compliancePercent: 0.4 })).toBe('1%');
    expect(formatCompliance({ masked: 0, unmasked: 0, compliancePercent: null })).toBe('–');
  });
});

describe('formatTime and formatTimeSeconds', () => {
  it('write a time that is not one as a dash instead of throwing (one damaged record broke the whole list)', () => {
    expect(formatTime(Number.NaN)).toBe('–');
    expect(formatTimeSeconds(Number.POSITIVE_INFINITY)).toBe('–');
  });

  it("follow the phone's time zone when it changes, as Date does", () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const utc = formatTimeSeconds(Date.UTC(2025, 5, 3, 9, 5, 12));
      process.env.TZ = 'Asia/Kolkata';
      const india = formatTimeSeconds(Date.UTC(2025, 5, 3, 9, 5, 12));
      expect(utc).toMatch(/09:05:12/);
      expect(india).toMatch(/02:35:12/);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
