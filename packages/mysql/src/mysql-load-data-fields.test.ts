import { describe, expect, it } from 'vitest';
import { createEncoder, createRowFormatter } from './mysql-load-data-encoder.js';
import { formatField, parseField } from './mysql-load-data-fields.js';

const tricky = ['', 'plain', 'a\tb', 'line\nbreak', 'cr\r', 'nul\0x', 'back\\slash', '\\N', 'N', 'ünï €', '\\\\t'];

describe('LOAD DATA fields (the MySQL line path)', () => {
  it('parses back every value it formats, NULL included', () => {
    for (const v of [...tricky, null]) expect(parseField(formatField(v))).toBe(v);
  });

  it('formats a value as the sink encoder does, so a rewritten field equals the row path', () => {
    const cols = [
      { name: 'id', kind: 'integer', arrayDimensions: 0, rawType: 'int' },
      { name: 'v', kind: 'text', arrayDimensions: 0, rawType: 'text' },
      { name: 'b', kind: 'blob', arrayDimensions: 0, rawType: 'blob' },
    ] as const;
    const rows = tricky.map((v, i) => [String(i), v, i % 2 ? null : '00FF0A'] as const);
    const encoded = Buffer.from(createEncoder(cols, { hexText: true })(rows)).toString('utf8');
    const line = createRowFormatter(cols, { hexText: true });
    expect(rows.map((r) => line(r)).join('')).toBe(encoded);
    // Split at literal tabs and newlines only: every field parses back to its value.
    const parsed = encoded
      .slice(0, -1)
      .split('\n')
      .map((l) => l.split('\t').map(parseField));
    expect(parsed).toEqual(rows.map((r) => [...r]));
    expect(parsed.map((r) => r.map(formatField).join('\t') + '\n').join('')).toBe(encoded);
  });

  it('reads the escapes LOAD DATA knows that the encoder never writes', () => {
    expect(parseField('\\b\\Z\\q')).toBe('\b\x1aq');
  });
});
