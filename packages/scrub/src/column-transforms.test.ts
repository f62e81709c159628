import { describe, expect, it } from 'vitest';
import { shiftDate, shiftDay } from './column-transforms.js';

/** The same shift through `Date` (years 100 to 9999, where `Date.UTC` reads the year as written). */
function byDate(text: string, days: number): string {
  const t = Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10))) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10) + text.slice(10);
}

describe('shiftDate', () => {
  it('moves dates and timestamps by whole days, keeping the time and zone, as Date arithmetic does', () => {
    let seed = 7;
    const next = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed % n);
    for (let i = 0; i < 20_000; i++) {
      const y = 100 + next(9800);
      const text = `${String(y).padStart(4, '0')}-${String(1 + next(12)).padStart(2, '0')}-${String(1 + next(28)).padStart(2, '0')}${i % 2 ? ' 13:45:10.25+02' : ''}`;
      const days = next(361) - 180;
      const expected = byDate(text, days);
      if (expected.slice(0, 4) > '9999' || expected.startsWith('+')) continue;
      expect(shiftDate(text, days), `${text} ${days}`).toBe(expected);
    }
  });

  it('crosses leap days and years', () => {
    expect(shiftDate('2024-02-28 10:00:00+00', 2)).toBe('2024-03-01 10:00:00+00');
    expect(shiftDate('2023-02-28', 1)).toBe('2023-03-01');
    expect(shiftDate('2000-03-01', -1)).toBe('2000-02-29');
    expect(shiftDate('1900-03-01', -1)).toBe('1900-02-28');
    expect(shiftDate('1999-12-31T23:59:59', 1)).toBe('2000-01-01T23:59:59');
    expect(shiftDate('0050-06-15', 10)).toBe('0050-06-25');
  });

  it('keeps what it cannot shift: infinity, BC dates, zero dates, years outside 1 to 9999', () => {
    for (const text of ['infinity', '-infinity', '2020-01-01 BC', '0000-00-00', '0000-00-00 00:00:00', '2020-00-15', '2020-04-00', 'not a date', '20200101']) expect(shiftDate(text, 30)).toBe(text);
    expect(shiftDate('9999-12-31', 1)).toBe('9999-12-31');
    expect(shiftDate('0001-01-01', -1)).toBe('0001-01-01');
  });

  it('moves a day counted from 2000-01-01 (a binary date or timestamp) as it moves the date, and keeps it where the text is kept', () => {
    const DAY = 86_400_000;
    const epoch = Date.UTC(2000, 0, 1);
    // the date's text where it is in years 1–9999 (what PostgreSQL prints there), else undefined (BC, infinity, year 10000+)
    const textOf = (day: number): string | undefined => {
      const iso = new Date(epoch + day * DAY).toISOString();
      return /^\d{4}-/.test(iso) && !iso.startsWith('0000') ? iso.slice(0, 10) : undefined;
    };
    const first = Math.round((new Date('0001-01-01T00:00:00Z').getTime() - epoch) / DAY);
    const last = Math.round((new Date('9999-12-31T00:00:00Z').getTime() - epoch) / DAY);
    for (const day of [-1_000_000, first - 1, first, first + 3, -1, 0, 59, 60, 10_000, last - 3, last, last + 1, 3_000_000]) {
      for (const days of [-180, -4, -1, 1, 4, 180]) {
        const text = textOf(day);
        const moved = text === undefined ? text : shiftDate(text, days);
        expect(shiftDay(day, days), `${day} ${text} ${days}`).toBe(moved === text ? undefined : day + days);
        if (moved !== text) expect(textOf(day + days)).toBe(moved);
      }
    }
  });
});
