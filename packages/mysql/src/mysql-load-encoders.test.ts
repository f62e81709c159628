import { describe, expect, it } from 'vitest';
import { createEncoder as createInsertEncoder, mysqlStringLiteral } from './mysql-insert-encoder.js';
import { createEncoder, loadDataEscape, mysqlText } from './mysql-load-data-encoder.js';
import { loadDataColumnsSql } from './mysql-load-sql.js';

const col = (name: string, kind: string) => ({ name, kind, arrayDimensions: 0, rawType: kind }) as const;
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('LOAD DATA encoder', () => {
  it('escapes fields, writes NULL as \\N and booleans as 1/0', () => {
    expect(loadDataEscape('a\tb\nc\rd\\e\0f')).toBe('a\\tb\\nc\\rd\\\\e\\0f');
    const encode = createEncoder([col('a', 'text'), col('b', 'boolean'), col('c', 'integer')] as never, {});
    expect(
      text(
        encode([
          ['x\ty', true, 3],
          [null, false, null],
        ]),
      ),
    ).toBe('x\\ty\t1\t3\n\\N\t0\t\\N\n');
  });

  it('writes binary as hex, SET arrays joined, and UTC timestamps without +00', () => {
    const encode = createEncoder([col('b', 'blob'), col('s', 'set'), col('t', 'timestamptz'), col('bits', 'bit')] as never, {});
    expect(text(encode([[Buffer.from([0, 255]), ['a', 'b'], '2024-01-01 00:00:00.5+00', '0101']]))).toBe('00ff\ta,b\t2024-01-01 00:00:00.5\t0101\n');
    expect(mysqlText('10:00:00+00', 'timetz')).toBe('10:00:00');
  });

  it("takes binary columns' values as hex when they are a snapshot reader's text (scrub)", () => {
    const encode = createEncoder([col('b', 'varbinary'), col('t', 'text')] as never, { hexText: true });
    expect(
      text(
        encode([
          ['00FF0A5C', '00FF'],
          [null, null],
        ]),
      ),
    ).toBe('00FF0A5C\t00FF\n\\N\t\\N\n');
    expect(text(createInsertEncoder([col('b', 'blob')] as never, { hexText: true })([['00ff'], ['']]))).toBe("(X'00ff')\n('')\n");
  });

  it('loads binary, bit and spatial columns through user variables', () => {
    expect(loadDataColumnsSql([col('id', 'integer'), col('b', 'blob'), col('f', 'bit'), col('g', 'spatial')] as never)).toBe(
      '(`id`, @v1, @v2, @v3) SET `b` = UNHEX(@v1), `f` = CAST(CONV(@v2, 2, 10) AS UNSIGNED), `g` = ST_GeomFromText(@v3)',
    );
  });
});

describe('INSERT encoder', () => {
  it('writes one escaped tuple a line, never a raw newline inside', () => {
    expect(mysqlStringLiteral(`it's\n"x"\\\0`)).toBe(`'it\\'s\\n\\"x\\"\\\\\\0'`);
    const encode = createInsertEncoder([col('a', 'text'), col('b', 'varbinary'), col('c', 'bit'), col('d', 'boolean')] as never, {});
    expect(
      text(
        encode([
          ['a\nb', Buffer.from([1, 2]), '01', true],
          [null, null, null, null],
        ]),
      ),
    ).toBe("('a\\nb',X'0102',b'01',1)\n(NULL,NULL,NULL,NULL)\n");
  });

  it('writes whole statements when given one', () => {
    const encode = createInsertEncoder([col('id', 'integer')] as never, { statement: 'INSERT INTO `t` (`id`) VALUES', rowsPerStatement: 2 });
    expect(text(encode([[1], [2], [3]]))).toBe('INSERT INTO `t` (`id`) VALUES (1),(2);\nINSERT INTO `t` (`id`) VALUES (3);\n');
  });
});
