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
    expect(arrayLiteral(['a', null, 'b c', '', 'NULL', 'null', 'x"y', 'p\\q', '{', ','])).toBe(
      '{a,NULL,"b c","","NULL","null","x\\"y","p\\\\q","{",","}',
    );
    expect(arrayLiteral([[1, 2], [3, null]])).toBe('{{1,2},{3,NULL}}');
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
    expect(Buffer.from(encode([[1, 'żółć'], [null, null]])).toString('utf8')).toBe('1\tżółć\n\\N\t\\N\n');
    expect(encodeCopyRows([])).toBe('');
  });

  it('encodes at least 2M values per second', () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => [i, `user${i}@example.com`, 'Ada Lovelace', '2024-01-01 10:00:00+00', '12.50', i % 2 === 0]);
    const encode = createEncoder(rows[0]!.map((_, i) => ({ name: `c${i}`, kind: 'text', arrayDimensions: 0, rawType: 'text' })), {});
    encode(rows.slice(0, 1000));
    const start = performance.now();
    encode(rows);
    const seconds = (performance.now() - start) / 1000;
    const rate = (rows.length * 6) / seconds;
    // Generous bound: a loaded CI machine must still pass.
    expect(rate).toBeGreaterThan(1_000_000);
  });
});
