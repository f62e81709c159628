/**
 * The PostgreSQL sinks against real databases (a server when UNDERSTUDY_TEST_PG_URL
 * is set, and PGlite always): exact round-trips of tricky values, all-or-nothing
 * loads, truncate/refuse, identity and sequences, deferred updates and cycles.
 */
import { ConnectionError, UsageError, type Sink } from '@understudy/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnsOf, LOAD_TEST_DATABASES, loadRows, uniqueSchemaName, type LoadTestDatabase } from './test-load-targets.js';

const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const tricky = ['tab\there', 'new\nline\r\ncrlf', 'back\\slash \\N \\.', `quotes ' " and {braces}, commas`, 'unicode: żółć 漢字 🎉', '', 'NULL'];

describe.each(LOAD_TEST_DATABASES)('PostgreSQL sink (%s)', (_label, open) => {
  let db: LoadTestDatabase;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db?.close();
  });

  async function prepare(ddl: (s: string) => string): Promise<{ ns: string; schema: Awaited<ReturnType<LoadTestDatabase['introspect']>> }> {
    const ns = uniqueSchemaName();
    await db.exec(`CREATE SCHEMA ${ns}; SET search_path = ${ns}; ${ddl(ns)}; RESET search_path;`);
    return { ns, schema: await db.introspect(ns) };
  }

  it('round-trips tricky values exactly', async () => {
    const { ns, schema } = await prepare(
      () => `CREATE TYPE mood AS ENUM ('ok', 'it''s "fine"');
        CREATE TABLE v (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, t text, n numeric(38,0), b bytea, j json,
          ts timestamp(6), tz timestamptz, bits varbit, m mood, arr text[], grid int[][], flag boolean, d double precision)`,
    );
    const key = `${ns}.v`;
    const columns = columnsOf(schema, key);
    const rows: unknown[][] = tricky.map((t, i) => [
      i + 1,
      t,
      '12345678901234567890123456789012345678',
      i === 0 ? allBytes : Buffer.from(t),
      JSON.stringify({ t, i }),
      '2024-02-29 23:59:59.123456',
      '1999-12-31 00:00:00.5+00',
      '0101',
      i % 2 ? 'ok' : `it's "fine"`,
      [t, null, 'a,b', '"q"', '\\', 'NULL', ''],
      [
        [1, null],
        [3, 4],
      ],
      i % 2 === 0,
      0.1 + 0.2,
    ]);
    rows.push([99, null, null, null, null, null, null, null, null, [], null, null, null]);
    const sink = await db.openSink({ schema, truncate: false });
    await loadRows(sink, { table: key, columns, rows: rows.length, overrideIdentity: true }, rows, 3);
    await sink.commit({ advanceSequences: true });
    const got = await db.query<Record<string, unknown>>(`
      SELECT id, t, n::text AS n, encode(b, 'hex') AS b, j::text AS j, ts::text AS ts, tz::text AS tz, bits::text AS bits,
        m::text AS m, array_to_json(arr)::text AS arr, grid::text AS grid, flag, d FROM ${ns}.v ORDER BY id`);
    expect(got).toHaveLength(rows.length);
    for (const [i, row] of got.entries()) {
      const want = rows[i]!;
      if (want[1] === null) {
        expect(row).toMatchObject({ id: 99, t: null, n: null, b: null, j: null, ts: null, flag: null, arr: '[]' });
        continue;
      }
      expect(row['t']).toBe(want[1]);
      expect(row['n']).toBe(want[2]);
      expect(row['b']).toBe((want[3] as Buffer).toString('hex'));
      expect(row['j']).toBe(want[4]);
      expect(row['ts']).toBe(want[5]);
      expect(row['bits']).toBe('0101');
      expect(row['m']).toBe(want[8]);
      expect(row['arr']).toBe(JSON.stringify(want[9]));
      expect(row['grid']).toBe('{{1,NULL},{3,4}}');
      expect(row['flag']).toBe(want[11]);
      expect(row['d']).toBe(0.1 + 0.2);
    }
    const tz = await db.query<{ tz: string }>(`SELECT to_char(tz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS tz FROM ${ns}.v WHERE id = 1`);
    expect(tz[0]?.tz).toBe('1999-12-31 00:00:00.500000');
    // Identity ALWAYS was written explicitly; the sequence moved past the largest id.
    const next = await db.query<{ id: number }>(`INSERT INTO ${ns}.v (t) VALUES ('next') RETURNING id`);
    expect(next[0]?.id).toBe(100);
  });

  it('is all-or-nothing: a failure on the 3rd table leaves every table as it was', async () => {
    const { ns, schema } = await prepare(
      () => `CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);
        CREATE TABLE c (id int PRIMARY KEY); INSERT INTO a VALUES (100); INSERT INTO c VALUES (7)`,
    );
    const sink = await db.openSink({ schema, truncate: true });
    await loadRows(sink, { table: `${ns}.a`, columns: columnsOf(schema, `${ns}.a`), rows: 3 }, [[1], [2], [3]]);
    await loadRows(sink, { table: `${ns}.b`, columns: columnsOf(schema, `${ns}.b`), rows: 2 }, [
      [1, 1],
      [2, 3],
    ]);
    // c's primary key is set aside for the load: the duplicate is found when the key is rebuilt, as c's rows end.
    const failure = await loadRows(sink, { table: `${ns}.c`, columns: columnsOf(schema, `${ns}.c`), rows: 3 }, [[1], [2], [1]], 5).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ConnectionError);
    await expect(sink.commit({ advanceSequences: true })).rejects.toThrow(/already ended/);
    expect(String((failure as Error).message)).toMatch(new RegExp(`keys, indexes and foreign keys of ${ns}\\.c after the load failed.*(could not create unique index|duplicate)`));
    await sink.rollback(); // safe to call again
    expect(await db.query(`SELECT id FROM ${ns}.a`)).toEqual([{ id: 100 }]);
    expect(await db.query(`SELECT id FROM ${ns}.b`)).toEqual([]);
    expect(await db.query(`SELECT id FROM ${ns}.c`)).toEqual([{ id: 7 }]);
  });

  it('names the tables of the schema that the target does not have, and loads nothing', async () => {
    const { ns, schema } = await prepare(() => `CREATE TABLE kept (id int PRIMARY KEY); CREATE TABLE gone (id int PRIMARY KEY)`);
    await db.exec(`DROP TABLE ${ns}.gone`);
    const error = await db.openSink({ schema, truncate: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(new RegExp(`^the schema names table ${ns}\\.gone, which .* does not have$`));
    expect((error as UsageError).hint).toMatch(/migrations/);
  });

  it('reports the rows a table already has, refuses to load into it, and empties it only when asked', async () => {
    const { ns, schema } = await prepare(
      () => `CREATE TABLE full_one (id serial PRIMARY KEY, x int); INSERT INTO full_one (x) VALUES (1), (2), (3);
        CREATE TABLE other (id int PRIMARY KEY); INSERT INTO other VALUES (9)`,
    );
    const keyOf = `${ns}.full_one`;
    const sink = await db.openSink({ schema, truncate: false });
    const existing = await sink.existingRows!([
      { table: keyOf, columns: ['id'], limit: 2 },
      { table: `${ns}.other`, columns: [], limit: 10 },
    ]);
    expect(existing).toEqual([
      { table: keyOf, rows: 2, more: true, values: { id: [1, 2] } },
      { table: `${ns}.other`, rows: 1, more: false, values: {} },
    ]);
    const error = await sink.beginTable({ table: keyOf, columns: columnsOf(schema, keyOf), rows: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain(`${keyOf} on`);
    expect((error as UsageError).hint).toContain('--truncate');
    expect(await db.query(`SELECT count(*)::int AS n FROM ${keyOf}`)).toEqual([{ n: 3 }]);
    // --truncate empties only the tables the load writes.
    const replacing = await db.openSink({ schema, truncate: true, tables: [keyOf] });
    await loadRows(replacing, { table: keyOf, columns: columnsOf(schema, keyOf), rows: 2 }, [
      [5, 50],
      [6, 60],
    ]);
    await replacing.commit({ advanceSequences: true });
    expect(await db.query(`SELECT id, x FROM ${keyOf} ORDER BY id`)).toEqual([
      { id: 5, x: 50 },
      { id: 6, x: 60 },
    ]);
    expect(await db.query(`SELECT id FROM ${ns}.other`)).toEqual([{ id: 9 }]);
  });

  it("fills a cycle's nullable FK with deferred updates, and loads a deferrable NOT NULL cycle", async () => {
    const { ns, schema } = await prepare(
      () => `CREATE TABLE dept (id int PRIMARY KEY, head_id int);
        CREATE TABLE emp (id int PRIMARY KEY, dept_id int NOT NULL REFERENCES dept);
        ALTER TABLE dept ADD FOREIGN KEY (head_id) REFERENCES emp;
        CREATE TABLE p (id int PRIMARY KEY, q_id int NOT NULL);
        CREATE TABLE q (id int PRIMARY KEY, p_id int NOT NULL REFERENCES p);
        ALTER TABLE p ADD FOREIGN KEY (q_id) REFERENCES q DEFERRABLE INITIALLY IMMEDIATE;
        CREATE INDEX emp_dept ON emp (dept_id)`,
    );
    const sink: Sink = await db.openSink({ schema, truncate: false });
    await loadRows(sink, { table: `${ns}.dept`, columns: columnsOf(schema, `${ns}.dept`, ['id']), rows: 2 }, [[1], [2]]);
    await loadRows(sink, { table: `${ns}.emp`, columns: columnsOf(schema, `${ns}.emp`), rows: 3 }, [
      [10, 1],
      [11, 2],
      [12, 2],
    ]);
    const { createEncoder } = (await import(sink.updateEncoding.module)) as typeof import('./postgres-copy-encoder.js');
    const keyColumns = columnsOf(schema, `${ns}.dept`, ['id']);
    const setColumns = columnsOf(schema, `${ns}.dept`, ['head_id']);
    const updates = await sink.beginUpdates({ table: `${ns}.dept`, keyColumns, setColumns, rows: 2 });
    await updates.write(
      createEncoder(
        [...keyColumns, ...setColumns],
        sink.updateEncoding.options,
      )([
        [1, 10],
        [2, 12],
      ]),
    );
    await updates.end();
    await loadRows(sink, { table: `${ns}.p`, columns: columnsOf(schema, `${ns}.p`), rows: 2 }, [
      [1, 1],
      [2, 1],
    ]);
    await loadRows(sink, { table: `${ns}.q`, columns: columnsOf(schema, `${ns}.q`), rows: 1 }, [[1, 2]]);
    await sink.commit({ advanceSequences: true });
    expect(await db.query(`SELECT id, head_id FROM ${ns}.dept ORDER BY id`)).toEqual([
      { id: 1, head_id: 10 },
      { id: 2, head_id: 12 },
    ]);
    expect(await db.query(`SELECT count(*)::int AS n FROM ${ns}.p JOIN ${ns}.q ON q.id = p.q_id`)).toEqual([{ n: 2 }]);
    // The secondary index dropped for the load is back.
    expect(await db.query(`SELECT indexname FROM pg_indexes WHERE schemaname = '${ns}' AND indexname = 'emp_dept'`)).toEqual([{ indexname: 'emp_dept' }]);
  });

  it('loads a partitioned table through its parent', async () => {
    const { ns, schema } = await prepare(
      () => `CREATE TABLE ev (id bigint GENERATED BY DEFAULT AS IDENTITY, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
        CREATE TABLE ev_2023 PARTITION OF ev FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
        CREATE TABLE ev_2024 PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE INDEX ev_at ON ev (at)`,
    );
    const sink = await db.openSink({ schema, truncate: true });
    await loadRows(sink, { table: `${ns}.ev`, columns: columnsOf(schema, `${ns}.ev`), rows: 3 }, [
      [1, '2023-05-01'],
      [2, '2024-05-01'],
      [3, '2024-06-01'],
    ]);
    await sink.commit({ advanceSequences: true });
    expect(await db.query(`SELECT count(*)::int AS n FROM ${ns}.ev_2024`)).toEqual([{ n: 2 }]);
    expect(await db.query(`INSERT INTO ${ns}.ev (at) VALUES ('2023-02-02') RETURNING id::int AS id`)).toEqual([{ id: 4 }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = '${ns}' AND indexname LIKE 'ev%at%'`)).toEqual([{ n: 3 }]);
  });

  it('checks a foreign key it set aside as soon as both its tables are loaded, and puts it back', async () => {
    const { ns, schema } = await prepare(() => `CREATE TABLE parent (id int PRIMARY KEY); CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent)`);
    const constraints = `SELECT conname FROM pg_constraint WHERE conrelid = '${ns}.child'::regclass AND contype = 'f'`;
    const before = await db.query(constraints);
    const sink = await db.openSink({ schema, truncate: false });
    await loadRows(sink, { table: `${ns}.parent`, columns: columnsOf(schema, `${ns}.parent`), rows: 1 }, [[1]]);
    // The orphan (parent 2) is found when child's rows end: both tables are final then.
    const error = await loadRows(sink, { table: `${ns}.child`, columns: columnsOf(schema, `${ns}.child`), rows: 2 }, [
      [1, 1],
      [2, 2],
    ]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(new RegExp(`foreign keys of ${ns}\\.child after the load failed.*violates foreign key`));
    expect(await db.query(`SELECT count(*)::int AS n FROM ${ns}.child`)).toEqual([{ n: 0 }]);
    expect(await db.query(constraints)).toEqual(before);
    expect(before).toHaveLength(1);
  });

  it('sets every table aside up front with prepare(), and still checks each one as its rows end', async () => {
    const { ns, schema } = await prepare(
      () => `CREATE TABLE p (id int PRIMARY KEY, tag text UNIQUE); CREATE INDEX p_tag ON p (tag);
        CREATE TABLE c (id int PRIMARY KEY, p_id int NOT NULL REFERENCES p)`,
    );
    const targets = [`${ns}.p`, `${ns}.c`].map((table) => ({ table, columns: columnsOf(schema, table), rows: 2 }));
    const ok = await db.openSink({ schema, truncate: false });
    await ok.prepare!(targets);
    await loadRows(ok, targets[0]!, [
      [1, 'a'],
      [2, 'b'],
    ]);
    await loadRows(ok, targets[1]!, [
      [10, 1],
      [11, 2],
    ]);
    await ok.commit({ advanceSequences: true });
    expect(await db.query(`SELECT count(*)::int AS n FROM ${ns}.c JOIN ${ns}.p ON p.id = c.p_id`)).toEqual([{ n: 2 }]);
    const constraints = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname = '${ns}' AND k.contype IN ('p', 'u', 'f')`,
    );
    expect(constraints).toEqual([{ n: 4 }]); // p_pkey, p_tag_key, c_pkey, c_p_id_fkey: all back
    expect(await db.query(`SELECT indexname FROM pg_indexes WHERE schemaname = '${ns}' AND indexname = 'p_tag'`)).toHaveLength(1);

    const bad = await db.openSink({ schema, truncate: true });
    await bad.prepare!(targets);
    const failure = await loadRows(bad, targets[0]!, [
      [1, 'a'],
      [2, 'a'],
    ]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String((failure as Error).message)).toMatch(new RegExp(`keys, indexes and foreign keys of ${ns}\\.p after the load failed.*(could not create unique index|duplicate)`));
    expect(await db.query(`SELECT count(*)::int AS n FROM ${ns}.c`)).toEqual([{ n: 2 }]); // the first load is untouched
  });

  it('leaves the checks of a table whose deferred updates follow until commit', async () => {
    const { ns, schema } = await prepare(() => `CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE u (id int PRIMARY KEY, p_id int REFERENCES p); CREATE INDEX u_p ON u (p_id)`);
    const sink = await db.openSink({ schema, truncate: false });
    await loadRows(sink, { table: `${ns}.p`, columns: columnsOf(schema, `${ns}.p`), rows: 1 }, [[1]]);
    // u's rows are not final (updates follow), so its orphan is not an error yet…
    await loadRows(sink, { table: `${ns}.u`, columns: columnsOf(schema, `${ns}.u`), rows: 2, updatesFollow: true }, [
      [1, 1],
      [2, 9],
    ]);
    // …but it is at commit, and nothing stays.
    await expect(sink.commit({ advanceSequences: true })).rejects.toThrow(new RegExp(`foreign keys of ${ns}\\.u after the load failed.*violates foreign key`));
    expect(await db.query(`SELECT count(*)::int AS n FROM ${ns}.u`)).toEqual([{ n: 0 }]);
    expect(await db.query(`SELECT indexname FROM pg_indexes WHERE schemaname = '${ns}' AND indexname = 'u_p'`)).toHaveLength(1);
  });

  it('rolls back at once while a COPY is still open (Ctrl-C)', async () => {
    const { ns, schema } = await prepare(() => `CREATE TABLE busy (id int PRIMARY KEY)`);
    const sink = await db.openSink({ schema, truncate: false, copyFormat: 'text' }); // the rows below are COPY text
    const columns = columnsOf(schema, `${ns}.busy`);
    const writer = await sink.beginTable({ table: `${ns}.busy`, columns, rows: 2 });
    await writer.write(Buffer.from('1\n2\n'));
    await sink.rollback();
    await sink.rollback();
    expect(await db.query(`SELECT count(*)::int AS n FROM ${ns}.busy`)).toEqual([{ n: 0 }]);
  });

  it('advances a sequence no column owns, named by the default', async () => {
    const { ns, schema } = await prepare(() => `CREATE SEQUENCE custom_seq; CREATE TABLE named (id int PRIMARY KEY DEFAULT nextval('custom_seq'), x text)`);
    expect(schema.tables[`${ns}.named`]?.columns[0]?.default?.kind).toBe('sequence');
    const sink = await db.openSink({ schema, truncate: false });
    await loadRows(sink, { table: `${ns}.named`, columns: columnsOf(schema, `${ns}.named`), rows: 2 }, [
      [40, 'a'],
      [41, 'b'],
    ]);
    await sink.commit({ advanceSequences: true });
    expect(await db.query(`INSERT INTO ${ns}.named (x) VALUES ('c') RETURNING id`)).toEqual([{ id: 42 }]);
  });
});
