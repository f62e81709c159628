/**
 * Every column kind the Schema model knows goes through a rehearsal snapshot and
 * a data diff without error, on PGlite, PostgreSQL 15 (UNDERSTUDY_TEST_PG_URL) and
 * MariaDB (UNDERSTUDY_TEST_MYSQL_URL): scalars, arrays, domains, enums and
 * composite types. One table with a primary key (rows hashed by key) and one
 * without (aggregates only). Some rows of every column are changed; the diff must
 * report every column, and for the keyed table exactly the rows whose value
 * changed, counted here from the values read before and after in SQL. The data
 * fingerprint (taken after each pending migration) reads every kind too.
 *
 * A new kind in `ColumnKind` fails this test until it is listed below for each
 * engine (or listed as one the engine does not have).
 *
 * And the user's view: `understudy rehearse fixtures/migrations/rehearse/uuid-keys`
 * (uuid keys, MAC addresses) runs through, its data diff counting every device
 * whose address changed, counted again in SQL on the kept database.
 */
import { ColumnKind, type RehearsalTarget, type Schema } from '@understudy/core';
import { openMysqlRehearsalTarget } from '@understudy/mysql';
import { postgresDialect } from '@understudy/postgres';
import { diffData, RehearsalReportModel } from '@understudy/rehearse';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
const MYSQL_URL = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: snapshot of every type on PGlite only');
if (!MYSQL_URL) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the snapshot of every MariaDB type');

/** A column: its SQL type, two different values (SQL literals), and the kind introspection must give it. */
interface TypeCase {
  readonly name: string;
  readonly type: string;
  readonly before: string;
  readonly after: string;
  readonly kind: ColumnKind;
  readonly arrayDimensions?: number;
}

const ROWS = 24;
/** Rows whose value is changed: `id <= CHANGED`; one of them (id 4) was NULL. */
const CHANGED = 6;

const POSTGRES_CASES: readonly TypeCase[] = [
  { name: 'c_smallint', type: 'smallint', before: '1', after: '2', kind: 'smallint' },
  { name: 'c_integer', type: 'integer', before: '1', after: '2', kind: 'integer' },
  { name: 'c_bigint', type: 'bigint', before: '1', after: '9000000000', kind: 'bigint' },
  { name: 'c_decimal', type: 'numeric(8,2)', before: '1.50', after: '2.25', kind: 'decimal' },
  { name: 'c_real', type: 'real', before: '1.5', after: '2.5', kind: 'real' },
  { name: 'c_double', type: 'double precision', before: '1.5', after: '2.5', kind: 'double' },
  { name: 'c_money', type: 'money', before: "'1.50'", after: "'2.75'", kind: 'money' },
  { name: 'c_boolean', type: 'boolean', before: 'false', after: 'true', kind: 'boolean' },
  { name: 'c_char', type: 'char(3)', before: "'abc'", after: "'xyz'", kind: 'char' },
  { name: 'c_internal_char', type: '"char"', before: "'a'", after: "'z'", kind: 'char' },
  { name: 'c_varchar', type: 'varchar(20)', before: "'before'", after: "'after'", kind: 'varchar' },
  { name: 'c_text', type: 'text', before: "'before'", after: "'after'", kind: 'text' },
  { name: 'c_name', type: 'name', before: "'before'", after: "'after'", kind: 'text' },
  { name: 'c_citext', type: 'citext', before: "'Before'", after: "'After'", kind: 'citext' },
  { name: 'c_bytea', type: 'bytea', before: "'\\x0102'", after: "'\\xff00'", kind: 'blob' },
  { name: 'c_bit', type: 'bit(4)', before: "B'1010'", after: "B'0101'", kind: 'bit' },
  { name: 'c_varbit', type: 'varbit(8)', before: "B'101'", after: "B'11110000'", kind: 'varbit' },
  { name: 'c_date', type: 'date', before: "'2024-01-01'", after: "'2025-06-30'", kind: 'date' },
  { name: 'c_time', type: 'time', before: "'10:00'", after: "'23:59:59'", kind: 'time' },
  { name: 'c_timetz', type: 'timetz', before: "'10:00+02'", after: "'11:00-05'", kind: 'timetz' },
  { name: 'c_timestamp', type: 'timestamp', before: "'2024-01-01 10:00'", after: "'2025-01-01 10:00'", kind: 'timestamp' },
  { name: 'c_timestamptz', type: 'timestamptz', before: "'2024-01-01 10:00+00'", after: "'2025-01-01 10:00+00'", kind: 'timestamptz' },
  { name: 'c_interval', type: 'interval', before: "'1 day'", after: "'2 hours'", kind: 'interval' },
  { name: 'c_uuid', type: 'uuid', before: "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", after: "'00000000-0000-4000-8000-000000000001'", kind: 'uuid' },
  { name: 'c_json', type: 'json', before: `'{"a":1}'`, after: `'[1,2]'`, kind: 'json' },
  { name: 'c_jsonb', type: 'jsonb', before: `'{"a":1}'`, after: `'{"b":[true]}'`, kind: 'jsonb' },
  { name: 'c_xml', type: 'xml', before: "'<a>1</a>'", after: "'<b/>'", kind: 'xml' },
  { name: 'c_inet', type: 'inet', before: "'10.0.0.1'", after: "'::1'", kind: 'inet' },
  { name: 'c_cidr', type: 'cidr', before: "'10.0.0.0/8'", after: "'192.168.0.0/16'", kind: 'cidr' },
  { name: 'c_macaddr', type: 'macaddr', before: "'08:00:2b:01:02:03'", after: "'00:00:00:00:00:01'", kind: 'macaddr' },
  { name: 'c_macaddr8', type: 'macaddr8', before: "'08:00:2b:01:02:03:04:05'", after: "'ff:00:00:00:00:00:00:01'", kind: 'macaddr8' },
  { name: 'c_enum', type: 'mood', before: "'sad'", after: "'happy'", kind: 'enum' },
  { name: 'c_range', type: 'int4range', before: "'[1,5)'", after: "'[7,9)'", kind: 'range' },
  { name: 'c_multirange', type: 'int4multirange', before: "'{[1,5)}'", after: "'{[1,2),[7,9)}'", kind: 'multirange' },
  { name: 'c_tsvector', type: 'tsvector', before: "'a fat cat'", after: "'a lean dog'", kind: 'tsvector' },
  { name: 'c_tsquery', type: 'tsquery', before: "'fat & cat'", after: "'lean | dog'", kind: 'tsquery' },
  { name: 'c_point', type: 'point', before: "'(1,2)'", after: "'(3,4)'", kind: 'geometric' },
  { name: 'c_polygon', type: 'polygon', before: "'((0,0),(1,1),(1,0))'", after: "'((0,0),(2,2),(2,0))'", kind: 'geometric' },
  { name: 'c_oid', type: 'oid', before: '1', after: '2', kind: 'oid' },
  { name: 'c_regclass', type: 'regclass', before: "'pg_class'", after: "'pg_type'", kind: 'oid' },
  { name: 'c_hstore', type: 'hstore', before: `'a=>1'`, after: `'b=>2'`, kind: 'hstore' },
  { name: 'c_ltree', type: 'ltree', before: "'top.a'", after: "'top.b.c'", kind: 'ltree' },
  { name: 'c_composite', type: 'money_pair', before: "row(1, 'eur')", after: "row(2, 'usd')", kind: 'other' },
  { name: 'c_uuid_domain', type: 'uuid_key', before: "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", after: "'00000000-0000-4000-8000-000000000002'", kind: 'uuid' },
  { name: 'c_int_domain', type: 'positive', before: '1', after: '7', kind: 'integer' },
  { name: 'c_mac_domain', type: 'mac_address', before: "'08:00:2b:01:02:03'", after: "'08:00:2b:01:02:04'", kind: 'macaddr' },
  { name: 'c_uuid_array', type: 'uuid[]', before: "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'", after: "'{}'", kind: 'uuid', arrayDimensions: 1 },
  { name: 'c_int_matrix', type: 'int[][]', before: "'{{1,2},{3,4}}'", after: "'{{5}}'", kind: 'integer', arrayDimensions: 2 },
  { name: 'c_enum_array', type: 'mood[]', before: "'{sad}'", after: "'{happy,sad}'", kind: 'enum', arrayDimensions: 1 },
  { name: 'c_macaddr_array', type: 'macaddr[]', before: "'{08:00:2b:01:02:03}'", after: "'{}'", kind: 'macaddr', arrayDimensions: 1 },
  { name: 'c_json_array', type: 'jsonb[]', before: `array['{"a":1}'::jsonb]`, after: `array['[]'::jsonb]`, kind: 'jsonb', arrayDimensions: 1 },
  { name: 'c_composite_array', type: 'money_pair[]', before: "array[row(1, 'eur')::money_pair]", after: 'array[]::money_pair[]', kind: 'other', arrayDimensions: 1 },
];

const POSTGRES_SETUP = [
  "create type mood as enum ('sad', 'ok', 'happy')",
  'create type money_pair as (amount int, currency text)',
  'create domain uuid_key as uuid',
  'create domain positive as int check (value > 0)',
  'create domain mac_address as macaddr',
];

/**
 * Kinds that no PostgreSQL column has (MySQL's own), or whose extension neither PGlite's build
 * nor the test server has (PostGIS, pgvector).
 */
const NOT_POSTGRES: readonly ColumnKind[] = ['tinyint', 'mediumint', 'binary', 'varbinary', 'year', 'set', 'spatial', 'vector'];

const MYSQL_CASES: readonly TypeCase[] = [
  { name: 'c_tinyint', type: 'tinyint', before: '1', after: '-2', kind: 'tinyint' },
  { name: 'c_smallint', type: 'smallint unsigned', before: '1', after: '65000', kind: 'smallint' },
  { name: 'c_mediumint', type: 'mediumint', before: '1', after: '2', kind: 'mediumint' },
  { name: 'c_integer', type: 'int', before: '1', after: '2', kind: 'integer' },
  { name: 'c_bigint', type: 'bigint', before: '1', after: '9000000000', kind: 'bigint' },
  { name: 'c_decimal', type: 'decimal(8,2)', before: '1.50', after: '2.25', kind: 'decimal' },
  { name: 'c_real', type: 'float', before: '1.5', after: '2.5', kind: 'real' },
  { name: 'c_double', type: 'double', before: '1.5', after: '2.5', kind: 'double' },
  { name: 'c_boolean', type: 'tinyint(1)', before: '0', after: '1', kind: 'boolean' },
  { name: 'c_bit', type: 'bit(4)', before: "b'1010'", after: "b'0101'", kind: 'bit' },
  { name: 'c_char', type: 'char(3)', before: "'abc'", after: "'xyz'", kind: 'char' },
  { name: 'c_varchar', type: 'varchar(20)', before: "'before'", after: "'after'", kind: 'varchar' },
  { name: 'c_text', type: 'text', before: "'before'", after: "'after'", kind: 'text' },
  { name: 'c_binary', type: 'binary(2)', before: "x'0102'", after: "x'ff00'", kind: 'binary' },
  { name: 'c_varbinary', type: 'varbinary(8)', before: "x'0102'", after: "x'ff0000'", kind: 'varbinary' },
  { name: 'c_blob', type: 'blob', before: "x'0102'", after: "x'ff'", kind: 'blob' },
  { name: 'c_date', type: 'date', before: "'2024-01-01'", after: "'2025-06-30'", kind: 'date' },
  { name: 'c_time', type: 'time(3)', before: "'10:00:00.5'", after: "'23:59:59'", kind: 'time' },
  { name: 'c_datetime', type: 'datetime', before: "'2024-01-01 10:00'", after: "'2025-01-01 10:00'", kind: 'timestamp' },
  { name: 'c_timestamp', type: 'timestamp NULL', before: "'2024-01-01 10:00'", after: "'2025-01-01 10:00'", kind: 'timestamptz' },
  { name: 'c_year', type: 'year', before: '2024', after: '1999', kind: 'year' },
  { name: 'c_enum', type: "enum('sad','ok','happy')", before: "'sad'", after: "'happy'", kind: 'enum' },
  { name: 'c_set', type: "set('a','b','c')", before: "'a'", after: "'b,c'", kind: 'set' },
  { name: 'c_json', type: 'json', before: `'{"a":1}'`, after: `'[1,2]'`, kind: 'json' },
  { name: 'c_uuid', type: 'uuid', before: "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", after: "'00000000-0000-4000-8000-000000000001'", kind: 'uuid' },
  { name: 'c_inet6', type: 'inet6', before: "'::1'", after: "'2001:db8::1'", kind: 'inet' },
  { name: 'c_inet4', type: 'inet4', before: "'10.0.0.1'", after: "'192.168.0.1'", kind: 'inet' },
  { name: 'c_geometry', type: 'point', before: "ST_GeomFromText('POINT(1 2)')", after: "ST_GeomFromText('POINT(3 4)')", kind: 'spatial' },
];

/** Kinds no MariaDB 10.11 column has (VECTOR came in 11.7). */
const NOT_MARIADB: readonly ColumnKind[] = [
  'money',
  'citext',
  'varbit',
  'timetz',
  'interval',
  'jsonb',
  'xml',
  'cidr',
  'macaddr',
  'macaddr8',
  'range',
  'multirange',
  'tsvector',
  'tsquery',
  'geometric',
  'oid',
  'vector',
  'hstore',
  'ltree',
  'other',
];

interface Engine {
  readonly name: string;
  readonly open: () => Promise<RehearsalTarget>;
  readonly cases: readonly TypeCase[];
  readonly setup: readonly string[];
  readonly missing: readonly ColumnKind[];
  /** `CREATE TABLE` for the cases, with or without a primary key. */
  readonly createTable: (table: string, keyed: boolean, cases: readonly TypeCase[]) => string;
  /** One column's values as text, by id, in SQL. */
  readonly valuesAsText: (table: string, column: string) => string;
  /** The first value in the column's own order, as text (PostgreSQL: to check min and max). */
  readonly firstInOrder?: (table: string, c: TypeCase, direction: 'asc' | 'desc') => string;
}

/** `regclass` and the like are ordered, and their min and max printed, as the oids they are. */
const postgresFirst = (table: string, c: TypeCase, direction: 'asc' | 'desc'): string =>
  `select ${c.name}${c.kind === 'oid' ? '::oid' : ''}::text as v from ${table} where ${c.name} is not null order by ${c.name} ${direction} limit 1`;

const postgresTable = (table: string, keyed: boolean, cases: readonly TypeCase[]): string =>
  `create table ${table} (id int${keyed ? ' primary key' : ' not null'}, ${cases.map((c) => `${c.name} ${c.type}`).join(', ')})`;
const mysqlTable = (table: string, keyed: boolean, cases: readonly TypeCase[]): string =>
  `CREATE TABLE ${table} (id int NOT NULL${keyed ? ' PRIMARY KEY' : ''}, ${cases.map((c) => `${c.name} ${c.type}`).join(', ')})`;

const engines: Engine[] = [
  {
    name: 'PGlite',
    open: () => postgresDialect.openRehearsalTarget!({ extensions: ['citext', 'hstore', 'ltree'] }),
    cases: POSTGRES_CASES,
    setup: ['create extension citext', 'create extension hstore', 'create extension ltree', ...POSTGRES_SETUP],
    missing: NOT_POSTGRES,
    createTable: postgresTable,
    valuesAsText: (table, column) => `select id, ${column}::text as v from ${table} order by id`,
    firstInOrder: postgresFirst,
  },
  ...(PG_URL
    ? [
        {
          name: 'PostgreSQL 15',
          open: () => postgresDialect.openRehearsalTarget!({ url: PG_URL }),
          cases: POSTGRES_CASES,
          setup: ['create extension citext', 'create extension hstore', 'create extension ltree', ...POSTGRES_SETUP],
          missing: NOT_POSTGRES,
          createTable: postgresTable,
          valuesAsText: (table: string, column: string) => `select id, ${column}::text as v from ${table} order by id`,
          firstInOrder: postgresFirst,
        },
      ]
    : []),
  ...(MYSQL_URL
    ? [
        {
          name: 'MariaDB',
          open: () => openMysqlRehearsalTarget({ url: MYSQL_URL }),
          cases: MYSQL_CASES,
          setup: [],
          missing: NOT_MARIADB,
          createTable: mysqlTable,
          valuesAsText: (table: string, column: string) => `SELECT id, HEX(CONCAT(${column})) AS v FROM ${table} ORDER BY id`,
        },
      ]
    : []),
];

describe.each(engines)('a snapshot and a data diff of every column kind on $name', (engine) => {
  let target: RehearsalTarget;
  let schemaA: Schema;

  beforeAll(async () => {
    target = await engine.open();
    for (const statement of engine.setup) await target.execute(statement);
    for (const [table, keyed] of [
      ['typed', true],
      ['typed_nokey', false],
    ] as const) {
      await target.execute(engine.createTable(table, keyed, engine.cases));
      // Every 4th row is NULL in every column; the others hold the "before" value.
      const rows = Array.from({ length: ROWS }, (_, i) => i + 1).map((id) => `(${id}, ${engine.cases.map((c) => (id % 4 === 0 ? 'NULL' : c.before)).join(', ')})`);
      await target.execute(`insert into ${table} values ${rows.join(', ')}`);
    }
    schemaA = await target.introspect();
  });
  afterAll(async () => {
    await target?.close();
  });

  it('covers every kind of the Schema model the engine has', () => {
    const table = Object.values(schemaA.tables).find((t) => t.name === 'typed')!;
    for (const c of engine.cases) {
      const column = table.columns.find((col) => col.name === c.name)!;
      expect([column.name, column.kind, column.arrayDimensions]).toEqual([c.name, c.kind, c.arrayDimensions ?? 0]);
    }
    const covered = new Set(table.columns.map((c) => c.kind));
    const expected = ColumnKind.options.filter((k) => !engine.missing.includes(k));
    expect(expected.filter((k) => !covered.has(k))).toEqual([]);
  });

  it('fingerprints every column kind: rows, non-NULL values, and a content sum the same values give in another table', async () => {
    const fingerprint = await target.fingerprint!();
    const typed = Object.entries(fingerprint.tables).find(([k]) => k.endsWith('.typed'))![1];
    const unkeyed = Object.entries(fingerprint.tables).find(([k]) => k.endsWith('.typed_nokey'))![1];
    expect([typed.rows, typed.key, unkeyed.rows, unkeyed.key]).toEqual([ROWS, ['id'], ROWS, []]);
    const nonNull = ROWS - Math.floor(ROWS / 4);
    for (const c of engine.cases) {
      expect(typed.columns[c.name]!.nonNull, c.name).toBe(nonNull);
      expect(typed.columns[c.name]!.content, c.name).not.toBe('0');
      // The same values in another table: the same sum (what tells a move from a loss).
      expect(unkeyed.columns[c.name]!.content, c.name).toBe(typed.columns[c.name]!.content);
    }
  });

  it('snapshots both tables, and the diff reports every changed column with the rows SQL says changed', async () => {
    const snapshotA = await target.snapshot(schemaA);
    const valuesBefore = new Map<string, Array<Record<string, unknown>>>();
    for (const c of engine.cases) valuesBefore.set(c.name, await target.query!(engine.valuesAsText('typed', c.name)));
    for (const table of ['typed', 'typed_nokey']) {
      await target.execute(`update ${table} set ${engine.cases.map((c) => `${c.name} = ${c.after}`).join(', ')} where id <= ${CHANGED}`);
    }
    const schemaB = await target.introspect();
    const snapshotB = await target.snapshot(schemaB);
    // Where the snapshot keeps a min and max, they are the values the column's own order puts first and last.
    const typedB = Object.entries(snapshotB.tables).find(([k]) => k.endsWith('.typed'))![1];
    for (const c of engine.firstInOrder ? engine.cases : []) {
      const { min, max } = typedB.columns[c.name]!;
      if (min === null) continue;
      expect([min, max], c.name).toEqual([(await target.query!(engine.firstInOrder!('typed', c, 'asc')))[0]!['v'], (await target.query!(engine.firstInOrder!('typed', c, 'desc')))[0]!['v']]);
    }
    const changes = diffData(snapshotA, snapshotB);
    const keyed = changes.find((t) => t.table.endsWith('.typed'))!;
    const unkeyed = changes.find((t) => t.table.endsWith('.typed_nokey'))!;
    expect(keyed).toMatchObject({ rowsBefore: ROWS, rowsAfter: ROWS, rowsLost: 0, rowsAdded: 0 });
    for (const c of engine.cases) {
      const before = valuesBefore.get(c.name)!;
      const after = await target.query!(engine.valuesAsText('typed', c.name));
      const changedInSql = after.filter((row, i) => row['v'] !== before[i]!['v']).length;
      expect(changedInSql, c.name).toBe(CHANGED);
      expect(keyed.columns.find((col) => col.column === c.name)?.changedRows, c.name).toBe(changedInSql);
      // Without a key the diff sees the change in NULLs, distinct values or the range.
      expect(
        unkeyed.columns.map((col) => col.column),
        c.name,
      ).toContain(c.name);
    }
  });
});

const cliEnvironments = [{ name: 'PGlite', args: [] as string[] }, ...(PG_URL ? [{ name: 'PostgreSQL 15', args: ['--url', PG_URL, '--keep'] }] : [])];

describe.each(cliEnvironments)('rehearse a history with uuid keys and MAC addresses on $name', ({ name, args }) => {
  it('passes, and the data diff counts every row whose address changed', async () => {
    const json = join(await mkdtemp(join(tmpdir(), 'understudy-uuid-')), 'report.json');
    const result = await runCli(['rehearse', 'fixtures/migrations/rehearse/uuid-keys', '--rows', '150', '--no-down', '--json', json, ...args]);
    expect(result.code, result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    const mac = report.dataChanges.find((t) => t.table === 'public.devices')!.columns.find((c) => c.column === 'mac')!;
    if (name === 'PGlite') {
      expect(mac.changedRows).toBe(150);
      return;
    }
    const database = new URL(report.environment.replace(/ \(kept\)$/, '')).pathname.slice(1);
    const client = new pg.Client({ connectionString: PG_URL!.replace(/\/[^/]*$/, `/${database}`) });
    await client.connect();
    try {
      // Every EUI-48 address widened to EUI-64 reads differently: each device row changed.
      const { rows } = await client.query<{ n: number }>("select count(*)::int as n from devices where mac::text like '%:ff:fe:%'");
      expect(mac.changedRows).toBe(rows[0]!.n);
      expect(rows[0]!.n).toBe(150);
    } finally {
      await client.end();
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop database if exists "${database}" with (force)`);
      await admin.end();
    }
  });
});
