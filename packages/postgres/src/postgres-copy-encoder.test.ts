import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayLiteral, copyField, createEncoder, encodeCopyRows } from './postgres-copy-encoder.js';

describe('COPY text encoder', () => {
  it('escapes fields and writes NULL as \\N', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField('')).toBe('');
    expect(copyField(true)).toBe('t');
    expect(copyField(false)).toBe('f');
    expect(copyField(1.5)).toBe('1.5');
    expect(copyField(Buffer.from([0, 0xab]))).toBe('\\\\x00ab');
  });

  it('writes array literals with quoting, NULLs and nesting', () => {
    expect(arrayLiteral(['a', null, 'b c', '', 'NULL', 'null', 'x"y', 'p\\q', '{', ','])).toBe('{a,NULL,"b c","","NULL","null","x\\"y","p\\\\q","{",","}');
    expect(
      arrayLiteral([
        [1, 2],
        [3, null],
      ]),
    ).toBe('{{1,2},{3,NULL}}');
    expect(arrayLiteral([])).toBe('{}');
    // The array literal is COPY-escaped as a whole.
    expect(copyField(['a\tb', 'c\\d'])).toBe('{"a\\tb","c\\\\\\\\d"}');
  });

  it('encodes rows to tab-separated lines as UTF-8 bytes', () => {
    const encode = createEncoder(
      [
        { name: 'a', kind: 'integer', arrayDimensions: 0, rawType: 'integer' },
        { name: 'b', kind: 'text', arrayDimensions: 0, rawType: 'text' },
      ],
      {},
    );
    expect(
      Buffer.from(
        encode([
          [1, 'żółć'],
          [null, null],
        ]),
      ).toString('utf8'),
    ).toBe('1\tżółć\n\\N\t\\N\n');
    expect(encodeCopyRows([])).toBe('');
  });

  it('writes the same bytes as the string encoder, for any values', () => {
    const scalar = fc.oneof(
      fc.constant(null),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: fc.constantFrom('a', ' ', '\\', '\t', '\n', '\r', '"', ',', '{', '}', '\u0001', '\u007f', 'é', '漢', '🎉') }),
      fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\\', '\t', 'é', '🎉'), minLength: 20, maxLength: 60 }),
      fc.constantFrom('NULL', 'null', '', '\\N'),
      fc.integer(),
      fc.double(),
      fc.bigInt(),
      fc.boolean(),
      fc.uint8Array({ maxLength: 8 }),
    );
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.array(fc.array(scalar, { minLength: 1, maxLength: 2 }), { maxLength: 2 }));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((width) => fc.array(fc.array(value, { minLength: width, maxLength: width }), { maxLength: 6 })),
        (rows) => {
          const width = rows[0]?.length ?? 1;
          const columns = Array.from({ length: width }, (_, i) => ({ name: `c${i}`, kind: 'text' as const, arrayDimensions: 0, rawType: 'text' }));
          const encode = createEncoder(columns, {});
          expect(Buffer.from(encode(rows)).toString('utf8')).toBe(encodeCopyRows(rows, width));
          // The encoder is reused between chunks: a second call starts over.
          expect(Buffer.from(encode(rows.slice(0, 1))).toString('utf8')).toBe(encodeCopyRows(rows.slice(0, 1), width));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
