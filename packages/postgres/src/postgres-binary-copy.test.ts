/**
 * COPY's binary format against real databases (PGlite always, the server when
 * UNDERSTUDY_TEST_PG_URL is set): the same rows loaded as COPY text and as
 * binary must give the same table, value for value, for every type the binary
 * encoder writes, tricky and random values alike; a table with a type it does
 * not write goes as text; a value it cannot read names its table and column.
 */
import { UsageError } from '@understudy/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPY_BINARY_MODULE, COPY_TEXT_ENCODING } from './postgres-load-session.js';
import { tsvectorEntries } from './postgres-binary-values.js';
import { columnsOf, LOAD_TEST_DATABASES, loadRows, uniqueSchemaName, type LoadTestDatabase } from './test-load-targets.js';

/** Every type the binary encoder writes, through domains and arrays too. */
const DDL = `
  CREATE TYPE mood AS ENUM ('ok', 'it''s "fine"', 'żółć');
  CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
  CREATE DOMAIN short_text AS varchar(5);
  CREATE TABLE t (
    id int PRIMARY KEY, b boolean, s smallint, i integer, l bigint, r real, d double precision,
    n numeric(12,4), nn numeric, tx text, v varchar(10), c char(5), m mood, ba bytea,
    dt date, ts timestamp(3), tz timestamptz, tm time, u uuid, j json, jb jsonb, tv tsvector,
    ta text[], ia int[][], ma mood[], p positive, st short_text, pa positive[], na numeric(6,2)[], tsa timestamptz[]
  )`;

const unicode = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\u0000'));
const ascii = fc.string({ maxLength: 12 }).filter((s) => !s.includes('\u0000'));
const text = fc.oneof(unicode, ascii, fc.constantFrom('', 'NULL', '\\N', 'tab\there', 'a\nb\r\n', '"q"', '{x,y}', '\\'));
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const decimal = (intDigits: number, fracDigits: number) =>
  fc
    .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** BigInt(intDigits) - 1n }), fc.integer({ min: 0, max: fracDigits }), fc.bigInt({ min: 0n, max: 10n ** BigInt(fracDigits) - 1n }))
    .map(([neg, whole, scale, frac]) => `${neg ? '-' : ''}${whole}${scale > 0 ? `.${String(frac).padStart(fracDigits, '0').slice(0, scale)}` : ''}`);
const date = fc
  .tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.boolean())
  .map(([y, mo, d, bc]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}${bc && y < 300 ? ' BC' : ''}`);
const clock = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 999_999 }))
  .map(([h, mi, s, digits, us]) => `${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${digits > 0 ? `.${pad(us, 6).slice(0, digits)}` : ''}`);
const offset = fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45)).map(([sign, h, m]) => `${sign}${pad(h, 2)}${m ? `:${pad(m, 2)}` : ''}`);
const timestamptz = fc.tuple(date, clock, offset).map(([d, c, o]) => (d.endsWith(' BC') ? `${d.slice(0, -3)} ${c}${o} BC` : `${d} ${c}${o}`));
const lexeme = fc.string({ unit: fc.constantFrom('a', 'b', 'é', "'", '\\', ' ', ':', 'x'), minLength: 1, maxLength: 6 });
const tsvector = fc
  .array(fc.tuple(lexeme, fc.array(fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('', 'A', 'B', 'c', 'D')), { maxLength: 3 })), { maxLength: 5 })
  .map((entries) =>
    entries.map(([lex, positions]) => `'${lex.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${positions.length > 0 ? `:${positions.map(([p, w]) => `${p}${w}`).join(',')}` : ''}`).join(' '),
  );
const json = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v));
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 6, nil: null });

const row = fc.tuple(
  nullable(fc.boolean()),
  nullable(fc.integer({ min: -32_768, max: 32_767 })),
  nullable(fc.integer({ min: -2_147_483_648, max: 2_147_483_647 })),
  nullable(fc.maxSafeInteger()),
  nullable(fc.float({ min: Math.fround(-1e30), max: Math.fround(1e30) }).map((f) => (Object.is(f, -0) ? 0 : f))),
  nullable(fc.double().map((f) => (Object.is(f, -0) ? 0 : f))), // COPY text writes -0 as 0
  nullable(decimal(8, 6)),
  nullable(fc.oneof(decimal(30, 20), fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e5', '-2.50E-3'))),
  nullable(text),
  nullable(fc.string({ maxLength: 10 }).filter((s) => !s.includes('\u0000'))),
  nullable(fc.string({ maxLength: 5 }).filter((s) => !s.includes('\u0000'))),
  nullable(fc.constantFrom('ok', `it's "fine"`, 'żółć')),
  nullable(fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a))),
  nullable(fc.oneof(date, fc.constantFrom('infinity', '-infinity'))),
  nullable(fc.tuple(date, clock).map(([d, c]) => (d.endsWith(' BC') ? `${d.slice(0, -3)} ${c} BC` : `${d} ${c}`))),
  nullable(timestamptz),
  nullable(clock),
  nullable(fc.uuid()),
  nullable(json),
  nullable(json),
  nullable(tsvector),
  nullable(fc.array(nullable(text), { maxLength: 4 })),
  nullable(fc.integer({ min: 1, max: 3 }).chain((w) => fc.array(fc.array(nullable(fc.integer()), { minLength: w, maxLength: w }), { minLength: 1, maxLength: 3 }))),
  nullable(fc.array(fc.constantFrom('ok', 'żółć'), { maxLength: 3 })),
  nullable(fc.integer({ min: 1, max: 1000 })),
  nullable(fc.string({ maxLength: 5 }).filter((s) => !s.includes('\u0000'))),
  nullable(fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 3 })),
  nullable(fc.array(nullable(decimal(4, 3)), { maxLength: 3 })),
  nullable(fc.array(timestamptz, { maxLength: 2 })),
);

/** Tricky values a generator or a config could give, beside the random ones. */
const TRICKY: unknown[][] = [
  [
    true,
    -32_768,
    -2_147_483_648,
    Number.MIN_SAFE_INTEGER,
    3.4e38,
    Number.MAX_VALUE,
    '-99999999.99994',
    '0.000000000000000000001',
    'tab\there \\N',
    'żółć',
    'a',
    'ok',
    Buffer.alloc(0),
    '0001-01-01 BC',
    '1999-12-31 23:59:59.9995',
    '2000-02-29 12:00:00.5-14:30',
    '24:00:00',
    '00000000-0000-0000-0000-000000000000',
    '{"a":[1,2,{"b":null}]}',
    '{"z":1,"a":2,"a":3}',
    "'a':1,2,3 'a':2B 'b'",
    [],
    [
      [1, 2],
      [3, 4],
    ],
    [],
    1,
    '',
    [],
    [],
    [],
  ],
  [
    'yes',
    '7',
    '-12',
    '9007199254740993',
    'NaN',
    '-Infinity',
    '0',
    '-0.0000',
    `it's`,
    ' spaces ',
    'x',
    'żółć',
    '\\x00ff10',
    '2024-02-29',
    '1900-01-01 00:00:00',
    '2024-06-01 10:00:00Z',
    '23:59:59.999999',
    '{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}',
    '[]',
    '"just a string"',
    '',
    [null, ''],
    [[null]],
    ['ok'],
    2147483647,
    'abcde',
    [1],
    [null, '1.5'],
    ['2024-01-01 00:00:00+00'],
  ],
];

describe.each(LOAD_TEST_DATABASES)('COPY binary format (%s)', (_label, open) => {
  let db: LoadTestDatabase;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db?.close();
  });

  async function schemaWith(ddl: string) {
    const ns = uniqueSchemaName();
    await db.exec(`CREATE SCHEMA ${ns}; SET search_path = ${ns}; ${ddl}; RESET search_path;`);
    return { ns, schema: await db.introspect(ns) };
  }

  /** Loads `rows` into table `t` of a fresh schema in the given format; returns every column as text, by id. */
  async function load(rows: readonly unknown[][], copyFormat: 'text' | 'binary'): Promise<{ module: string; values: Record<string, unknown>[] }> {
    const { ns, schema } = await schemaWith(DDL);
    const target = { table: `${ns}.t`, columns: columnsOf(schema, `${ns}.t`), rows: rows.length };
    const sink = await db.openSink({ schema, truncate: false, copyFormat });
    const module = (sink.encodingFor?.(target) ?? sink.encoding).module;
    await loadRows(sink, target, rows, 7);
    await sink.commit({ advanceSequences: false });
    const list = target.columns.map((c) => `${c.name}::text AS ${c.name}`).join(', ');
    return { module, values: await db.query(`SELECT ${list} FROM ${ns}.t AS src ORDER BY src.id`) };
  }

  it('loads every type it writes exactly as COPY text does, for tricky and random values', async () => {
    const random = fc.sample(row, { numRuns: 400, seed: 20261206 });
    const rows = [...TRICKY, ...random].map((values, i) => [i + 1, ...values]);
    const asText = await load(rows, 'text');
    const asBinary = await load(rows, 'binary');
    expect(asText.module).toBe(COPY_TEXT_ENCODING.module);
    expect(asBinary.module).toBe(COPY_BINARY_MODULE);
    expect(asBinary.values).toHaveLength(rows.length);
    for (const [i, want] of asText.values.entries())
      expect(asBinary.values[i], `row ${i + 1}: ${JSON.stringify(rows[i], (_k, v: unknown) => (Buffer.isBuffer(v) ? `\\x${v.toString('hex')}` : v))}`).toEqual(want);
  });

  it('reads tsvector text as tsvector_in does: the same lexemes and positions, and the same refusals', async () => {
    const samples = fc.sample(fc.string({ unit: fc.constantFrom('a', 'é', "'", '\\', ' ', ':', ',', '1', '2', '0', 'A', '*', 'z'), maxLength: 10 }), { numRuns: 300, seed: 7 });
    for (const s of [...new Set(samples)]) {
      const theirs = await db.query<{ v: string }>(`SELECT $q$${s}$q$::tsvector::text AS v`).then(
        (r) => r[0]!.v,
        () => undefined,
      );
      let ours: string | undefined;
      try {
        // What a tsvector of our entries prints as: PostgreSQL sorts the lexemes (the receive function does too).
        ours = tsvectorEntries(s)
          .map((e) => ({ e, key: Buffer.from(e.lexeme) }))
          .sort((a, b) => Buffer.compare(a.key, b.key))
          .map(
            ({ e }) =>
              `'${e.lexeme.replace(/'/g, "''").replace(/\\/g, '\\\\')}'${e.positions.length > 0 ? `:${e.positions.map((p) => `${p & 16_383}${['', 'C', 'B', 'A'][p >> 14]}`).join(',')}` : ''}`,
          )
          .join(' ');
      } catch {
        ours = undefined;
      }
      expect(ours, JSON.stringify(s)).toBe(theirs);
    }
  });

  it('loads a table with a type it does not write (interval) as COPY text, and its other tables as binary', async () => {
    const { ns, schema } = await schemaWith(`CREATE TABLE a (id int, span interval); CREATE TABLE b (id int, at date)`);
    const sink = await db.openSink({ schema, truncate: false });
    const a = { table: `${ns}.a`, columns: columnsOf(schema, `${ns}.a`), rows: 1 };
    const b = { table: `${ns}.b`, columns: columnsOf(schema, `${ns}.b`), rows: 1 };
    expect(sink.encodingFor?.(a).module).toBe(COPY_TEXT_ENCODING.module);
    expect(sink.encodingFor?.(b).module).toBe(COPY_BINARY_MODULE);
    await loadRows(sink, a, [[1, '3 days 04:05:06']]);
    await loadRows(sink, b, [[1, '2024-05-01']]);
    await sink.commit({ advanceSequences: false });
    expect(await db.query(`SELECT a.span::text AS span, b.at::text AS at FROM ${ns}.a JOIN ${ns}.b USING (id)`)).toEqual([{ span: '3 days 04:05:06', at: '2024-05-01' }]);
  });

  it('names the table and column of a value it cannot read, and loads nothing', async () => {
    const { ns, schema } = await schemaWith(`CREATE TABLE e (id int, due date); INSERT INTO e VALUES (0, '2020-01-01')`);
    const sink = await db.openSink({ schema, truncate: true });
    const target = { table: `${ns}.e`, columns: columnsOf(schema, `${ns}.e`), rows: 2 };
    const error = await loadRows(sink, target, [
      [1, '2024-01-01'],
      [2, 'next tuesday'],
    ]).then(
      () => undefined,
      (e: unknown) => e,
    );
    await sink.rollback();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(`${ns}.e.due: "next tuesday" is not a date (YYYY-MM-DD)`);
    expect((error as UsageError).hint).toMatch(/config or a profile/);
    expect(await db.query(`SELECT id FROM ${ns}.e`)).toEqual([{ id: 0 }]);
  });
});
