import { describe, expect, it } from 'vitest';
import { keyType } from './key-type.js';

describe('keyType', () => {
  it('widening an integer key keeps it the same key; other type changes do not', () => {
    for (const t of ['int', 'int(11)', 'integer', 'bigint', 'bigint unsigned', 'smallint', 'int8', 'serial', 'bigserial']) expect(keyType(t)).toBe('integer');
    expect(keyType('uuid')).toBe('uuid');
    expect(keyType('varchar(36)')).toBe('varchar(36)');
    expect(keyType('interval')).toBe('interval');
  });
});
