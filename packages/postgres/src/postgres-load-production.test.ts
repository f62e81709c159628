/**
 * The load's set-aside on shapes production schemas have and textbook ones do
 * not (PGlite always, a PostgreSQL server when UNDERSTUDY_TEST_PG_URL is set):
 * identifiers at the 63-byte limit, a view that depends on a primary key,
 * index attributes a DROP loses, user triggers, and tables the role does not own.
 * Every check reads the catalog or the rows in SQL.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnsOf, LOAD_TEST_DATABASES, loadRows, uniqueSchemaName, type LoadTestDatabase } from './test-load-targets.js';

const long = (stem: string): string => `${stem}_${'x'.repeat(63)}`.slice(0, 63);

describe.each(LOAD_TEST_DATABASES)('a load into production-shaped tables (%s)', (_label, open) => {
  let db: LoadTestDatabase;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db?.close();
  });

  async function prepare(ddl: string | ((ns: string) => string)): Promise<{ ns: string; schema: Awaited<ReturnType<LoadTestDatabase['introspect']>> }> {
    const ns = uniqueSchemaName();
    await db.exec(`CREATE SCHEMA ${ns}; SET search_path = ${ns}; ${typeof ddl === 'string' ? ddl : ddl(ns)}; RESET search_path;`);
    return { ns, schema: await db.introspect(ns) };
  }

  it('sets aside and puts back keys and indexes whose names are 63 bytes long', async () => {
    const parentName = long('organisation_group_member_organisation_member_id_group_id');
    const { ns, schema } = await prepare(`
      CREATE TABLE "${parentName}" (id int, code text, CONSTRAINT "${long('pk_organisation_group_member')}" PRIMARY KEY (id));
      CREATE UNIQUE INDEX "${long('uq_organisation_group_member_code')}" ON "${parentName}" (code);
      CREATE INDEX "${long('ix_organisation_group_member_code_lower')}" ON "${parentName}" (lower(code));
      CREATE TABLE child (id int PRIMARY KEY, parent_id int CONSTRAINT "${long('fk_child_organisation_group_member_parent')}" REFERENCES "${parentName}")`);
    const before = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = '${ns}'`);
    const parent = `${ns}.${parentName}`;
    const sink = await db.openSink({ schema, truncate: false });
    await loadRows(sink, { table: parent, columns: columnsOf(schema, parent), rows: 3 }, [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    await loadRows(sink, { table: `${ns}.child`, columns: columnsOf(schema, `${ns}.child`), rows: 2 }, [
      [1, 1],
      [2, 3],
    ]);
    await sink.commit({ advanceSequences: true });
    expect(await db.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = '${ns}'`)).toEqual(before);
    const names = await db.query<{ name: string }>(`SELECT conname AS name FROM pg_constraint WHERE connamespace = '${ns}'::regnamespace AND contype IN ('p', 'u', 'f') ORDER BY 1`);
    expect(names.map((r) => r.name)).toEqual([long('fk_child_organisation_group_member_parent'), long('pk_organisation_group_member'), 'child_pkey'].sort());
    expect(await db.query(`SELECT count(*)::int AS n FROM "${ns}"."${parentName}"`)).toEqual([{ n: 3 }]);
  });

  it('leaves in place a primary key a view depends on, and still loads and checks the table', async () => {
    const { ns, schema } = await prepare(`
      CREATE TABLE customer (id int PRIMARY KEY, name text);
      CREATE TABLE rental (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customer);
      CREATE VIEW rentals_per_customer AS SELECT c.id, c.name, count(r.id) AS n FROM customer c LEFT JOIN rental r ON r.customer_id = c.id GROUP BY c.id;
      CREATE MATERIALIZED VIEW customer_names AS SELECT c.id, c.name FROM customer c GROUP BY c.id`);
    const sink = await db.openSink({ schema, truncate: false });
    await loadRows(sink, { table: `${ns}.customer`, columns: columnsOf(schema, `${ns}.customer`), rows: 2 }, [
      [1, 'ada'],
      [2, 'bob'],
    ]);
    await loadRows(sink, { table: `${ns}.rental`, columns: columnsOf(schema, `${ns}.rental`), rows: 3 }, [
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
    await sink.commit({ advanceSequences: true });
    expect(await db.query(`SELECT id, n::int AS n FROM ${ns}.rentals_per_customer ORDER BY id`)).toEqual([
      { id: 1, n: 2 },
      { id: 2, n: 1 },
    ]);
    const keys = await db.query<{ name: string }>(`SELECT conname AS name FROM pg_constraint WHERE connamespace = '${ns}'::regnamespace AND contype IN ('p', 'f') ORDER BY 1`);
    expect(keys.map((r) => r.name)).toEqual(['customer_pkey', 'rental_customer_id_fkey', 'rental_pkey']);
    // The key stayed, so a duplicate still fails the load (and nothing is kept).
    const again = await db.openSink({ schema, truncate: true });
    const error = await loadRows(again, { table: `${ns}.customer`, columns: columnsOf(schema, `${ns}.customer`), rows: 2 }, [
      [1, 'x'],
      [1, 'y'],
    ]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(error)).toMatch(/duplicate key/);
    expect(await db.query(`SELECT count(*)::int AS n FROM ${ns}.customer`)).toEqual([{ n: 2 }]);
  });

  it('puts back CLUSTER ON, REPLICA IDENTITY USING INDEX and comments of the keys and indexes it set aside', async () => {
    const { ns, schema } = await prepare(`
      CREATE TABLE t (id int PRIMARY KEY, code text NOT NULL, at int, parent int);
      CREATE UNIQUE INDEX t_code ON t (code);
      CREATE INDEX t_at ON t (at);
      ALTER TABLE t ADD CONSTRAINT t_parent_fkey FOREIGN KEY (parent) REFERENCES t (id);
      ALTER TABLE t CLUSTER ON t_at;
      ALTER TABLE t REPLICA IDENTITY USING INDEX t_code;
      COMMENT ON INDEX t_at IS 'by time';
      COMMENT ON CONSTRAINT t_pkey ON t IS 'the key';
      COMMENT ON CONSTRAINT t_parent_fkey ON t IS 'the tree'`);
    const read = (): Promise<unknown[]> =>
      db.query(`
        SELECT ic.relname AS index, i.indisclustered AS clustered, i.indisreplident AS replica, obj_description(i.indexrelid, 'pg_class') AS comment
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = '${ns}.t'::regclass
        UNION ALL
        SELECT conname, NULL, NULL, obj_description(oid, 'pg_constraint') FROM pg_constraint WHERE conrelid = '${ns}.t'::regclass AND contype IN ('p', 'u', 'f')
        ORDER BY 1`);
    const before = await read();
    const sink = await db.openSink({ schema, truncate: false });
    await loadRows(sink, { table: `${ns}.t`, columns: columnsOf(schema, `${ns}.t`), rows: 2 }, [
      [1, 'a', 5, null],
      [2, 'b', 6, 1],
    ]);
    await sink.commit({ advanceSequences: true });
    expect(await read()).toEqual(before);
    expect(await db.query(`SELECT relreplident AS r FROM pg_class WHERE oid = '${ns}.t'::regclass`)).toEqual([{ r: 'i' }]);
  });

  it('disables the triggers a load target names, enables them again as they were, and runs the others', async () => {
    const { ns, schema } = await prepare(
      (ns) => `
      CREATE TABLE audit (what text);
      CREATE TABLE booking (id int PRIMARY KEY, room int NOT NULL, at timestamptz NOT NULL, UNIQUE (room, at));
      CREATE FUNCTION now_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := '2020-01-01'; RETURN NEW; END $$;
      CREATE FUNCTION check_room() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.room > 100 THEN RAISE EXCEPTION 'Incorrect room_id in %', NEW.id; END IF; RETURN NEW; END $$;
      CREATE FUNCTION log_it() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO ${ns}.audit VALUES (TG_OP); RETURN NEW; END $$;
      CREATE TRIGGER a_now BEFORE INSERT ON booking FOR EACH ROW EXECUTE FUNCTION now_at();
      CREATE TRIGGER b_room BEFORE INSERT ON booking FOR EACH ROW EXECUTE FUNCTION check_room();
      CREATE TRIGGER c_log AFTER INSERT ON booking FOR EACH ROW EXECUTE FUNCTION log_it();
      ALTER TABLE booking ENABLE ALWAYS TRIGGER b_room`,
    );
    const sink = await db.openSink({ schema, truncate: false });
    const key = `${ns}.booking`;
    const rows = [
      [1, 200, '2024-01-01 10:00:00+00'],
      [2, 200, '2024-01-01 11:00:00+00'],
    ];
    await loadRows(sink, { table: key, columns: columnsOf(schema, key), rows: 2, disableTriggers: ['a_now', 'b_room', 'no_such_trigger'] }, rows);
    await sink.commit({ advanceSequences: true });
    // a_now would have made the unique key collide and b_room would have refused room 200; c_log ran.
    expect(await db.query(`SELECT id, room, to_char(at AT TIME ZONE 'UTC', 'HH24:MI') AS at FROM ${key} ORDER BY id`)).toEqual([
      { id: 1, room: 200, at: '10:00' },
      { id: 2, room: 200, at: '11:00' },
    ]);
    expect(await db.query(`SELECT count(*)::int AS n FROM ${ns}.audit`)).toEqual([{ n: 2 }]);
    expect(await db.query(`SELECT tgname AS name, tgenabled AS enabled FROM pg_trigger WHERE tgrelid = '${key}'::regclass AND NOT tgisinternal ORDER BY 1`)).toEqual([
      { name: 'a_now', enabled: 'O' },
      { name: 'b_room', enabled: 'A' },
      { name: 'c_log', enabled: 'O' },
    ]);
  });

  it('loads tables the role may write but does not own with their keys in place, and says so', async () => {
    const role = `writer_${randomBytes(3).toString('hex')}`;
    const { ns, schema } = await prepare(
      (ns) => `
      CREATE ROLE ${role} LOGIN;
      CREATE TABLE parent (id int PRIMARY KEY);
      CREATE TABLE kid (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parent, code text UNIQUE);
      GRANT USAGE ON SCHEMA ${ns} TO ${role};
      GRANT SELECT, INSERT, UPDATE, TRUNCATE, REFERENCES ON ALL TABLES IN SCHEMA ${ns} TO ${role};
      -- PGlite loads with COPY FROM '/dev/blob', which needs this.
      GRANT pg_read_server_files TO ${role}`,
    );
    try {
      const { sink, done } = await db.openSinkAs(role, { schema, truncate: true });
      try {
        expect(sink.anyTableOrder).toBe(false);
        await loadRows(sink, { table: `${ns}.parent`, columns: columnsOf(schema, `${ns}.parent`), rows: 2 }, [[1], [2]]);
        await loadRows(sink, { table: `${ns}.kid`, columns: columnsOf(schema, `${ns}.kid`), rows: 2 }, [
          [1, 1, 'a'],
          [2, 2, 'b'],
        ]);
        await sink.commit({ advanceSequences: true });
        expect(sink.notes?.join('\n')).toMatch(new RegExp(`${ns}\\.kid, ${ns}\\.parent|${ns}\\.parent, ${ns}\\.kid`));
        expect(sink.notes?.join('\n')).toMatch(/does not own/);
      } finally {
        await done();
      }
      expect(await db.query(`SELECT count(*)::int AS n FROM ${ns}.kid JOIN ${ns}.parent p ON p.id = kid.parent_id`)).toEqual([{ n: 2 }]);
    } finally {
      await db.exec(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });
});
