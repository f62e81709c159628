import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BinaryValueError, numericParts, pgDate, pgTime, pgTimestamp, TIMESTAMP_INFINITY, tsvectorEntries, uuidBytes } from './postgres-binary-values.js';

describe('pgDate', () => {
  it('counts days from 2000-01-01, across leap years, centuries and eras', () => {
    expect(pgDate('2000-01-01')).toBe(0);
    expect(pgDate('2000-03-01')).toBe(60); // 2000 is a leap year
    expect(pgDate('1999-12-31')).toBe(-1);
    expect(pgDate('1970-01-01')).toBe(-10_957);
    expect(pgDate('2024-02-29 13:00:00')).toBe(pgDate('2024-02-29')); // a time after the date is ignored
    expect(pgDate('0001-01-01 BC')).toBe(pgDate('0001-01-01') - 366); // 1 BC (year 0) is a leap year
    expect(pgDate('infinity')).toBe(2_147_483_647);
  });

  it('agrees with JavaScript dates for any day from 1 AD to 9999', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        expect(pgDate(iso)).toBe(Math.floor((Date.parse(`${iso}T00:00:00Z`) - Date.parse('2000-01-01T00:00:00Z')) / 86_400_000));
      }),
    );
  });

  it('refuses what is not a date, naming the form it expects', () => {
    for (const bad of ['2024-02-30', '2023-02-29', '2024-13-01', '01/02/2024', 'today', '2024-01-01x']) {
      expect(() => pgDate(bad)).toThrow(BinaryValueError);
    }
    expect(() => pgDate('next tuesday')).toThrow('"next tuesday" is not a date (YYYY-MM-DD)');
  });
});

describe('pgTimestamp', () => {
  it('counts microseconds from 2000-01-01, with fractions, offsets and eras', () => {
    expect(pgTimestamp('2000-01-01 00:00:00', false)).toBe(0);
    expect(pgTimestamp('2000-01-01 00:00:00.000001', false)).toBe(1);
    expect(pgTimestamp('2000-01-01T00:00:01.5', false)).toBe(1_500_000);
    expect(pgTimestamp('2000-01-01 00:00:00.0000005', false)).toBe(1); // the 7th digit rounds
    expect(pgTimestamp('2000-01-01 01:00:00+01', true)).toBe(0);
    expect(pgTimestamp('2000-01-01 00:00:00-05:30', true)).toBe(19_800_000_000);
    expect(pgTimestamp('2000-01-01 00:00:00+0530', true)).toBe(-19_800_000_000);
    expect(pgTimestamp('2000-01-01 00:00:00Z', true)).toBe(0);
    expect(pgTimestamp('2000-01-01 00:00:00', true)).toBe(0); // no offset: UTC
    expect(pgTimestamp('2000-01-01 00:00:00+05', false)).toBe(0); // timestamp without time zone ignores the offset
    expect(pgTimestamp('2000-01-01', false)).toBe(0);
    expect(pgTimestamp('2000-01-02 24:00:00', false)).toBe(2 * 86_400_000_000);
    expect(pgTimestamp('infinity', true)).toBe(TIMESTAMP_INFINITY);
  });

  it('is exact far from 2000, where a double no longer holds the microseconds', () => {
    const far = pgTimestamp('9999-12-31 23:59:59.999999', false);
    expect(typeof far).toBe('bigint');
    expect(far).toBe(BigInt(pgDate('9999-12-31')) * 86_400_000_000n + 86_399_999_999n);
    expect(pgTimestamp('0044-03-15 12:00:00 BC', true)).toBe(BigInt(pgDate('0044-03-15 BC')) * 86_400_000_000n + 43_200_000_000n);
  });

  it('agrees with JavaScript dates to the millisecond', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1800-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const text = d.toISOString().replace('T', ' ').replace('Z', '+00');
        expect(pgTimestamp(text, true)).toBe((d.getTime() - Date.parse('2000-01-01T00:00:00Z')) * 1000);
      }),
    );
  });

  it('refuses what is not a timestamp', () => {
    for (const bad of ['2024-01-01 25:00:00', '2024-01-01 10:60:00', '2024-01-01 10:00:00.', 'now', '2024-01-01 10:00:00 Europe/Paris', '2024-01-01 24:00:01']) {
      expect(() => pgTimestamp(bad, true), bad).toThrow(BinaryValueError);
    }
  });
});

describe('pgTime', () => {
  it('counts microseconds since midnight', () => {
    expect(pgTime('00:00:00')).toBe(0);
    expect(pgTime('23:59:59.999999')).toBe(86_399_999_999);
    expect(pgTime('12:30')).toBe(45_000_000_000);
    expect(() => pgTime('12:30:00+01')).toThrow(BinaryValueError);
  });
});

describe('numericParts', () => {
  it('splits a decimal into base-10000 digits from its weight, keeping the display scale', () => {
    expect(numericParts('0')).toEqual({ sign: 0, weight: 0, dscale: 0, digits: [] });
    expect(numericParts('-0.00')).toEqual({ sign: 0, weight: 0, dscale: 2, digits: [] });
    expect(numericParts('12.50')).toEqual({ sign: 0, weight: 0, dscale: 2, digits: [12, 5000] });
    expect(numericParts('-12.5')).toEqual({ sign: 0x4000, weight: 0, dscale: 1, digits: [12, 5000] });
    expect(numericParts('10000.5')).toEqual({ sign: 0, weight: 1, dscale: 1, digits: [1, 0, 5000] });
    expect(numericParts('0.00012')).toEqual({ sign: 0, weight: -1, dscale: 5, digits: [1, 2000] });
    expect(numericParts('1200000000')).toEqual({ sign: 0, weight: 2, dscale: 0, digits: [12] });
    expect(numericParts('1.5e3')).toEqual({ sign: 0, weight: 0, dscale: 0, digits: [1500] });
    expect(numericParts('15e-3')).toEqual({ sign: 0, weight: -1, dscale: 3, digits: [150] });
    expect(numericParts(' +7 ')).toEqual({ sign: 0, weight: 0, dscale: 0, digits: [7] });
    expect(numericParts('.5')).toEqual({ sign: 0, weight: -1, dscale: 1, digits: [5000] });
    expect(numericParts('NaN').sign).toBe(0xc000);
    expect(numericParts('-Infinity').sign).toBe(0xf000);
  });

  it('gives back the number it was given (digits × 10000^weight)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 12 }), (unscaled, scale) => {
        const abs = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
        const text = `${unscaled < 0n ? '-' : ''}${abs.slice(0, abs.length - scale)}${scale > 0 ? `.${abs.slice(abs.length - scale)}` : ''}`;
        const parts = numericParts(text);
        // Rebuild the value scaled by 10^(4·k) so it is an integer, and compare.
        const k = Math.max(0, parts.digits.length - 1 - parts.weight);
        let rebuilt = 0n;
        for (const [i, d] of parts.digits.entries()) rebuilt += BigInt(d) * 10_000n ** BigInt(parts.weight - i + k);
        if (parts.sign === 0x4000) rebuilt = -rebuilt;
        expect(rebuilt * 10n ** BigInt(scale)).toBe(unscaled * 10_000n ** BigInt(k));
        expect(parts.dscale).toBe(scale);
        for (const d of parts.digits) expect(d).toBeLessThan(10_000);
      }),
    );
  });

  it('refuses what is not a number', () => {
    for (const bad of ['', '.', '1.2.3', '12abc', '0x10', '1e']) expect(() => numericParts(bad), bad).toThrow(BinaryValueError);
  });
});

describe('uuidBytes', () => {
  it('reads hex with or without hyphens and braces', () => {
    const out = new Uint8Array(16);
    uuidBytes('{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}', out, 0);
    expect(Buffer.from(out).toString('hex')).toBe('a0eebc999c0b4ef8bb6d6bb9bd380a11');
    uuidBytes('a0eebc999c0b4ef8bb6d6bb9bd380a12', out, 0);
    expect(out[15]).toBe(0x12);
    expect(() => uuidBytes('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1', out, 0)).toThrow(BinaryValueError);
    expect(() => uuidBytes('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g', out, 0)).toThrow(BinaryValueError);
  });
});

describe('tsvectorEntries', () => {
  it('reads quoted and bare lexemes with positions and weights, merging repeats as tsvector_in does', () => {
    expect(tsvectorEntries("'fat':2,4A cat:3 'it''s' b\\ c 'x\\'y'")).toEqual([
      { lexeme: 'fat', positions: [2, (3 << 14) | 4] },
      { lexeme: 'cat', positions: [3] },
      { lexeme: "it's", positions: [] },
      { lexeme: 'b c', positions: [] },
      { lexeme: "x'y", positions: [] },
    ]);
    expect(tsvectorEntries('a:3 b a:1,3B,99999')).toEqual([
      { lexeme: 'a', positions: [1, (2 << 14) | 3, 16_383] },
      { lexeme: 'b', positions: [] },
    ]);
    expect(tsvectorEntries('  ')).toEqual([]);
  });

  it('refuses what tsvector_in refuses', () => {
    expect(tsvectorEntries("a'b c:1*")).toEqual([
      { lexeme: "a'b", positions: [] },
      { lexeme: 'c', positions: [(3 << 14) | 1] },
    ]);
    for (const bad of ["'open", 'a:0', "''", 'a:b', 'a: b', 'a:1,b']) expect(() => tsvectorEntries(bad), bad).toThrow(BinaryValueError);
  });
});
