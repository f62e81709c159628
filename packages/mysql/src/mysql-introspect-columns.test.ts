import { describe, expect, it } from 'vitest';
import { buildColumn, classifyDefault, columnKind, normalizeTimestampExpression, parseEnumValues, parseOnUpdate } from './mysql-introspect-columns.js';
import type { ColumnRow } from './mysql-introspect-queries.js';
import { buildPartitioning } from './mysql-introspect-partitions.js';
import { referencedColumns, stripOuterParens } from './mysql-introspect-keys.js';

describe('parseEnumValues', () => {
  it('reads quotes, commas, backslashes and parentheses inside values', () => {
    expect(parseEnumValues("enum('new','it''s shipped','paid, in full')")).toEqual(['new', "it's shipped", 'paid, in full']);
    expect(parseEnumValues("set('a\\\\b','(x)','')")).toEqual(['a\\b', '(x)', '']);
    expect(parseEnumValues("enum('tab\there')")).toEqual(['tab\there']);
  });
});

describe('columnKind', () => {
  it.each([
    ['tinyint', 'tinyint(4)', 'tinyint'],
    ['tinyint', 'tinyint(1)', 'boolean'],
    ['tinyint', 'tinyint(1) unsigned', 'tinyint'],
    ['int', 'int(10) unsigned', 'integer'],
    ['mediumint', 'mediumint(8) unsigned', 'mediumint'],
    ['bigint', 'bigint(20)', 'bigint'],
    ['decimal', 'decimal(10,2)', 'decimal'],
    ['float', 'float', 'real'],
    ['double', 'double', 'double'],
    ['bit', 'bit(3)', 'bit'],
    ['char', 'char(2)', 'char'],
    ['varchar', 'varchar(50)', 'varchar'],
    ['mediumtext', 'mediumtext', 'text'],
    ['longblob', 'longblob', 'blob'],
    ['varbinary', 'varbinary(64)', 'varbinary'],
    ['datetime', 'datetime(3)', 'timestamp'],
    ['timestamp', 'timestamp', 'timestamptz'],
    ['time', 'time(2)', 'time'],
    ['year', 'year(4)', 'year'],
    ['enum', "enum('a')", 'enum'],
    ['set', "set('a')", 'set'],
    ['json', 'json', 'json'],
    ['point', 'point', 'spatial'],
    ['geomcollection', 'geomcollection', 'spatial'],
    ['uuid', 'uuid', 'uuid'],
    ['inet4', 'inet4', 'inet'],
    ['xmltype', 'xmltype', 'other'],
  ])('%s (%s) → %s', (dataType, columnType, kind) => {
    expect(columnKind(dataType, columnType)).toBe(kind);
  });
});

describe('classifyDefault', () => {
  it('reads MariaDB defaults (quoted strings, NULL text, bare expressions)', () => {
    expect(classifyDefault("'it''s'", '', true)).toEqual({ kind: 'literal', value: "it's" });
    expect(classifyDefault("'a\\\\b'", '', true)).toEqual({ kind: 'literal', value: 'a\\b' });
    expect(classifyDefault("''", '', true)).toEqual({ kind: 'literal', value: '' });
    expect(classifyDefault('NULL', '', true)).toBeUndefined();
    expect(classifyDefault(null, '', true)).toBeUndefined();
    expect(classifyDefault('-1.5e3', '', true)).toEqual({ kind: 'literal', value: '-1.5e3' });
    expect(classifyDefault("b'101'", '', true)).toEqual({ kind: 'literal', value: "b'101'" });
    expect(classifyDefault('current_timestamp()', 'on update current_timestamp()', true)).toEqual({
      kind: 'expression',
      expression: 'CURRENT_TIMESTAMP',
    });
    expect(classifyDefault('(1 + 1)', '', true)).toEqual({ kind: 'expression', expression: '(1 + 1)' });
    expect(classifyDefault('nextval(`shop`.`s`)', '', true)).toEqual({
      kind: 'sequence',
      sequence: 'shop.s',
      expression: 'nextval(`shop`.`s`)',
    });
  });

  it('reads MySQL defaults (raw strings, DEFAULT_GENERATED expressions)', () => {
    expect(classifyDefault('new', '', false)).toEqual({ kind: 'literal', value: 'new' });
    expect(classifyDefault('NULL', '', false)).toEqual({ kind: 'literal', value: 'NULL' });
    expect(classifyDefault("it's", '', false)).toEqual({ kind: 'literal', value: "it's" });
    expect(classifyDefault('now', '', false)).toEqual({ kind: 'literal', value: 'now' });
    expect(classifyDefault('CURRENT_TIMESTAMP', 'DEFAULT_GENERATED', false)).toEqual({
      kind: 'expression',
      expression: 'CURRENT_TIMESTAMP',
    });
    expect(classifyDefault('CURRENT_TIMESTAMP(3)', '', false, true)).toEqual({
      kind: 'expression',
      expression: 'CURRENT_TIMESTAMP(3)',
    });
    expect(classifyDefault('uuid()', 'DEFAULT_GENERATED', false)).toEqual({ kind: 'expression', expression: 'uuid()' });
  });

  it('reports AUTO_INCREMENT as a sequence', () => {
    expect(classifyDefault(null, 'auto_increment', false)).toEqual({ kind: 'sequence', expression: 'auto_increment' });
  });
});

describe('timestamps and ON UPDATE', () => {
  it('spells CURRENT_TIMESTAMP one way on both servers', () => {
    expect(normalizeTimestampExpression('current_timestamp()')).toBe('CURRENT_TIMESTAMP');
    expect(normalizeTimestampExpression('now(6)')).toBe('CURRENT_TIMESTAMP(6)');
    expect(normalizeTimestampExpression('curdate()')).toBe('curdate()');
    expect(parseOnUpdate('on update current_timestamp(3)')).toBe('CURRENT_TIMESTAMP(3)');
    expect(parseOnUpdate('DEFAULT_GENERATED on update CURRENT_TIMESTAMP')).toBe('CURRENT_TIMESTAMP');
    expect(parseOnUpdate('auto_increment')).toBeUndefined();
  });
});

describe('buildColumn', () => {
  const row = (overrides: Partial<ColumnRow>): ColumnRow => ({
    table_schema: 'shop',
    table_name: 't',
    column_name: 'c',
    ordinal_position: 1,
    column_default: null,
    is_nullable: 'NO',
    data_type: 'int',
    character_maximum_length: null,
    numeric_precision: null,
    numeric_scale: null,
    datetime_precision: null,
    character_set_name: null,
    collation_name: null,
    column_type: 'int(11)',
    extra: '',
    column_comment: '',
    generation_expression: '',
    ...overrides,
  });
  const mysql = { mariadb: false, jsonValidColumns: new Set<string>() };

  it('reads MySQL 8 generated columns (empty expression means not generated)', () => {
    expect(buildColumn(row({ extra: 'STORED GENERATED', generation_expression: '(`a` + 1)' }), mysql).generated).toEqual({
      expression: '`a` + 1',
      stored: true,
    });
    expect(buildColumn(row({}), mysql).generated).toBeUndefined();
  });

  it('reads MariaDB PERSISTENT as stored', () => {
    const column = buildColumn(row({ extra: 'PERSISTENT GENERATED', generation_expression: '`a` + 1' }), mysql);
    expect(column.generated?.stored).toBe(true);
  });

  it('marks unknown types unsupported', () => {
    expect(buildColumn(row({ data_type: 'mystery', column_type: 'mystery(3)' }), mysql)).toMatchObject({
      kind: 'other',
      unsupported: 'type mystery(3) is not known to Understudy',
    });
  });

  it('keeps the comment and charset of a text column', () => {
    expect(
      buildColumn(
        row({
          data_type: 'varchar',
          column_type: 'varchar(5)',
          character_maximum_length: 5,
          character_set_name: 'latin1',
          collation_name: 'latin1_swedish_ci',
          column_comment: 'a note',
          is_nullable: 'YES',
        }),
        mysql,
      ),
    ).toEqual({
      name: 'c',
      rawType: 'varchar(5)',
      kind: 'varchar',
      length: 5,
      arrayDimensions: 0,
      nullable: true,
      charset: 'latin1',
      collation: 'latin1_swedish_ci',
      comment: 'a note',
    });
  });
});

describe('check and partition text', () => {
  it('strips parentheses around a whole check clause only', () => {
    expect(stripOuterParens('((`a` > 0))')).toBe('`a` > 0');
    expect(stripOuterParens('(`a` > 0) and (`b` > 0)')).toBe('(`a` > 0) and (`b` > 0)');
    expect(stripOuterParens("(`a` <> ')')")).toBe("`a` <> ')'");
    expect(referencedColumns('`a` > `b` and `a` < 5 and `zz` = 1', ['a', 'b'])).toEqual(['a', 'b']);
  });

  it('spells HASH partitioning without bounds', () => {
    const part = (name: string) => ({
      table_schema: 's',
      table_name: 't',
      partition_name: name,
      subpartition_name: null,
      partition_method: 'HASH',
      subpartition_method: null,
      partition_expression: '`id`',
      subpartition_expression: null,
      partition_description: null,
    });
    expect(buildPartitioning([part('p0'), part('p1')])).toBe('HASH(id) (PARTITION p0, PARTITION p1)');
    expect(buildPartitioning([])).toBeUndefined();
  });
});
