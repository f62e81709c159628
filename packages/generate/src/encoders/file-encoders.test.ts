import { describe, expect, it } from 'vitest';
import type { EncoderColumn } from '@understudy/core';
import { createEncoder as csv, csvHeader } from './csv-encoder.js';
import { createEncoder as jsonl } from './jsonl-encoder.js';

const col = (name: string): EncoderColumn => ({ name, kind: 'text', arrayDimensions: 0, rawType: 'text' });
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('CSV encoder (RFC 4180)', () => {
  it('tells NULL (empty, unquoted) from the empty string ("") and quotes what needs it', () => {
    const encode = csv([col('a'), col('b'), col('c'), col('d')]);
    expect(text(encode([[null, '', 'x,y', 'say "hi"\nbye']]))).toBe(',"","x,y","say ""hi""\nbye"\r\n');
    expect(text(encode([[1, true, Buffer.from([0, 255]), ['a', null]]]))).toBe('1,true,\\x00ff,"{""a"",NULL}"\r\n');
    expect(csvHeader([col('id'), col('a,b')])).toBe('id,"a,b"\r\n');
  });
});

describe('JSONL encoder', () => {
  it('writes one object per row, bytes as base64', () => {
    const encode = jsonl([col('id'), col('name'), col('blob'), col('tags')]);
    expect(text(encode([[1, null, Buffer.from('hi'), ['x']]]))).toBe('{"id":1,"name":null,"blob":"aGk=","tags":["x"]}\n');
  });
});
