import { describe, expect, it } from 'vitest';
import { mysqlDefault } from './drizzle-mysql-expressions.js';
import { mysqlColumnType } from './drizzle-mysql-types.js';

describe('mysqlColumnType', () => {
  it.each([
    ['int', { rawType: 'int(11)', kind: 'integer' }],
    ['int unsigned', { rawType: 'int(10) unsigned', kind: 'integer', unsigned: true }],
    ['tinyint', { rawType: 'tinyint(4)', kind: 'tinyint' }],
    ['smallint unsigned', { rawType: 'smallint(5) unsigned', kind: 'smallint', unsigned: true }],
    ['mediumint', { rawType: 'mediumint(9)', kind: 'mediumint' }],
    ['bigint unsigned', { rawType: 'bigint(20) unsigned', kind: 'bigint', unsigned: true }],
    ['serial', { rawType: 'bigint(20) unsigned', kind: 'bigint', unsigned: true, serial: true }],
    ['boolean', { rawType: 'tinyint(1)', kind: 'boolean' }],
    ['decimal', { rawType: 'decimal(10,0)', kind: 'decimal', precision: 10, scale: 0 }],
    ['decimal(10,2)', { rawType: 'decimal(10,2)', kind: 'decimal', precision: 10, scale: 2 }],
    ['double', { rawType: 'double', kind: 'double' }],
    ['real', { rawType: 'double', kind: 'double' }],
    ['float', { rawType: 'float', kind: 'real' }],
    ['varchar(50)', { rawType: 'varchar(50)', kind: 'varchar', length: 50 }],
    ['char', { rawType: 'char(1)', kind: 'char', length: 1 }],
    ['binary(16)', { rawType: 'binary(16)', kind: 'binary', length: 16 }],
    ['text', { rawType: 'text', kind: 'text' }],
    ['json', { rawType: 'json', kind: 'json' }],
    ['datetime(3)', { rawType: 'datetime(3)', kind: 'timestamp', fractionalSeconds: 3 }],
    ['timestamp', { rawType: 'timestamp', kind: 'timestamptz' }],
    ['time', { rawType: 'time', kind: 'time' }],
    ['year', { rawType: 'year(4)', kind: 'year' }],
    ["enum('a','it''s')", { rawType: "enum('a','it''s')", kind: 'enum', values: ['a', "it's"] }],
  ])('%s', (drizzle, expected) => {
    expect(mysqlColumnType(drizzle)).toMatchObject({ arrayDimensions: 0, ...expected });
  });
});

describe('mysqlDefault', () => {
  it('unquotes literals and spells timestamps as CURRENT_TIMESTAMP', () => {
    expect(mysqlDefault("'pending'")).toEqual({ kind: 'literal', value: 'pending' });
    expect(mysqlDefault("'it''s'")).toEqual({ kind: 'literal', value: "it's" });
    expect(mysqlDefault(true)).toEqual({ kind: 'literal', value: '1' });
    expect(mysqlDefault(3)).toEqual({ kind: 'literal', value: '3' });
    expect(mysqlDefault('(now())')).toEqual({ kind: 'expression', expression: 'CURRENT_TIMESTAMP' });
    expect(mysqlDefault('CURRENT_TIMESTAMP(3)')).toEqual({ kind: 'expression', expression: 'CURRENT_TIMESTAMP(3)' });
    expect(mysqlDefault('(uuid())')).toEqual({ kind: 'expression', expression: 'uuid()' });
  });
});
