/**
 * Every PostgreSQL fixture that loads on PostgreSQL 15, introspected from PGlite
 * (PostgreSQL 18, always) and from a real server (when UNDERSTUDY_TEST_PG_URL is
 * set): exact counts checked against the DDL by hand, and the two engines must
 * give the same model.
 */
import { fileURLToPath } from 'node:url';
import { countSchema, UsageError, type Schema, type SchemaCounts } from '@understudy/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgliteConnection } from './postgres-connection.js';
import { openPglite, postgresDialect } from './postgres-dialect.js';
import { createScratchDatabase, dropScratchDatabase, urlForDatabase } from './postgres-scratch-database.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/schemas/', import.meta.url));
const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];

interface Fixture {
  readonly name: string;
  readonly files: readonly string[];
  /**
   * Counts read off the DDL by hand. countSchema counts keys, checks and indexes
   * wherever they are declared (partitions included); what a partition inherits
   * from its parent is not introspected, so nothing is counted twice.
   */
  readonly counts: SchemaCounts;
  /**
   * PostgreSQL 16+ no longer qualifies column names with their table in a
   * single-table view (`SELECT region …` instead of `SELECT stock_items.region …`).
   * The deparser's output cannot be normalised in general, so for fixtures with
   * such views the view definitions are left out of the PG 15 vs PGlite comparison.
   */
  readonly viewDefinitionsDifferAcrossVersions?: boolean;
}

const counts = (c: Partial<SchemaCounts>): SchemaCounts => ({
  tables: 0,
  partitions: 0,
  columns: 0,
  primaryKeys: 0,
  foreignKeys: 0,
  uniques: 0,
  checks: 0,
  indexes: 0,
  enums: 0,
  enumValues: 0,
  domains: 0,
  sequences: 0,
  views: 0,
  extensions: 0,
  ...c,
});

const pagila = counts({
  // actor, address, category, city, country, customer, film, film_actor, film_category, inventory,
  // language, payment (partitioned), rental, staff, store; payment_p2022_01 … _07.
  tables: 15,
  partitions: 7,
  columns: 87,
  primaryKeys: 15,
  // 18 on plain tables + 3 declared on each of the partitions p2022_01 … _06 (the README's 36).
  foreignKeys: 36,
  // idx_unq_manager_staff_id, idx_unq_rental_rental_date_inventory_id_customer_id (rental_category is on a materialized view).
  uniques: 2,
  checks: 0,
  // 15 primary keys + 13 plain + 2 unique indexes on tables, + 3 declared on each of p2022_01 … _06.
  // (The payment PK's per-partition copies are attached to the parent's index and not repeated.)
  indexes: 48,
  enums: 1,
  enumValues: 5,
  domains: 2,
  sequences: 13,
  views: 8,
});

const FIXTURE_LIST: readonly Fixture[] = [
  {
    name: 'hard-cases',
    files: ['hard-cases/postgres.sql'],
    counts: counts({
      tables: 12,
      partitions: 3,
      columns: 65,
      primaryKeys: 12,
      foreignKeys: 9,
      uniques: 5,
      checks: 6,
      indexes: 18,
      enums: 1,
      enumValues: 3,
      domains: 2,
      sequences: 6,
      views: 2,
      extensions: 1,
    }),
    viewDefinitionsDifferAcrossVersions: true,
  },
  { name: 'pagila', files: ['pagila/schema.sql'], counts: pagila },
  {
    name: 'pagila + jsonb',
    files: ['pagila/schema.sql', 'pagila/schema-jsonb.sql'],
    // Two more tables of 3 columns, no keys, each with an identity sequence.
    counts: { ...pagila, tables: 17, columns: 93, sequences: 15 },
  },
  {
    name: 'chinook',
    files: ['chinook/postgresql/schema.sql'],
    counts: counts({ tables: 11, columns: 64, primaryKeys: 11, foreignKeys: 11, indexes: 22 }),
  },
  {
    name: 'chinook identity',
    files: ['chinook/postgresql/schema-identity-pks.sql'],
    // Identity keys on every table but playlist_track (composite key): 10 identity sequences.
    counts: counts({ tables: 11, columns: 64, primaryKeys: 11, foreignKeys: 11, indexes: 22, sequences: 10 }),
  },
  {
    name: 'northwind',
    files: ['northwind/schema.sql'],
    counts: counts({ tables: 14, columns: 92, primaryKeys: 14, foreignKeys: 13, indexes: 14 }),
  },
];

/** The model minus what legitimately differs between engines (version, source). */
function comparable(schema: Schema, fixture: Fixture): Schema {
  const { serverVersion: _v, source: _s, ...rest } = schema;
  if (!fixture.viewDefinitionsDifferAcrossVersions) return rest;
  const views = Object.fromEntries(Object.entries(rest.views).map(([k, { definition: _d, ...v }]) => [k, v]));
  return { ...rest, views };
}

let lite: PgliteConnection;
const liteModels = new Map<string, Schema>();

async function loadIntoPglite(fixture: Fixture): Promise<Schema> {
  await lite.reset();
  for (const file of fixture.files) await lite.loadSqlFile(FIXTURES + file);
  return lite.introspect();
}

beforeAll(async () => {
  lite = await openPglite({ extensions: ['hstore'] });
  for (const fixture of FIXTURE_LIST) liteModels.set(fixture.name, await loadIntoPglite(fixture));
});

afterAll(async () => {
  await lite?.close();
});

function model(name: string): Schema {
  const schema = liteModels.get(name);
  if (!schema) throw new Error(`fixture ${name} was not introspected`);
  return schema;
}

describe('PGlite introspection of the fixtures', () => {
  it.each(FIXTURE_LIST.map((f) => [f.name, f] as const))('%s has the exact counts of its DDL', (name, fixture) => {
    const schema = model(name);
    expect(schema.serverVersion).toMatch(/^PGlite \(PostgreSQL 18\.\d+\)$/);
    expect(countSchema(schema)).toEqual(fixture.counts);
  });

  it('pagila: partitions, their own FKs, the full-text column, enum and domains', () => {
    const schema = model('pagila');
    const payment = schema.tables['public.payment']!;
    expect(payment.kind).toBe('partitioned');
    expect(payment.partitioning).toBe('PARTITION BY RANGE (payment_date)');
    expect(payment.rowEstimate).toBeNull();
    const partitions = Object.values(schema.tables).filter((t) => t.partitionOf === 'public.payment');
    expect(partitions.map((p) => p.name).sort()).toEqual([1, 2, 3, 4, 5, 6, 7].map((m) => `payment_p2022_0${m}`));
    const p1 = schema.tables['public.payment_p2022_01']!;
    expect(p1.partitioning).toBe("FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00')");
    // The PK cloned from the parent is not repeated on the partition; its own FKs and indexes are.
    expect(p1.primaryKey).toBeUndefined();
    expect(p1.foreignKeys.map((f) => f.name)).toEqual(['payment_p2022_01_customer_id_fkey', 'payment_p2022_01_rental_id_fkey', 'payment_p2022_01_staff_id_fkey']);
    const allFks = Object.values(schema.tables).reduce((n, t) => n + t.foreignKeys.length, 0);
    expect(allFks).toBe(36);
    const film = schema.tables['public.film']!;
    expect(film.columns.find((c) => c.name === 'fulltext')).toMatchObject({ kind: 'tsvector', nullable: false });
    // tsvector_update_trigger(fulltext, …) overwrites fulltext on every insert: a load leaves it to the trigger.
    expect(film.triggers?.find((t) => t.name === 'film_fulltext_trigger')).toEqual({
      name: 'film_fulltext_trigger',
      timing: 'before',
      events: ['insert', 'update'],
      inserts: [],
      sets: ['fulltext'],
      reads: ['title', 'description'],
    });
    expect(film.columns.find((c) => c.name === 'rating')).toMatchObject({
      kind: 'enum',
      enum: 'public.mpaa_rating',
      default: { kind: 'literal', value: "'G'::public.mpaa_rating" },
    });
    expect(film.columns.find((c) => c.name === 'release_year')).toMatchObject({ kind: 'integer', domain: 'public.year' });
    expect(film.columns.find((c) => c.name === 'film_id')?.default).toEqual({
      kind: 'sequence',
      sequence: 'public.film_film_id_seq',
      expression: "nextval('public.film_film_id_seq'::regclass)",
    });
    expect(film.columns.find((c) => c.name === 'special_features')).toMatchObject({ kind: 'text', arrayDimensions: 1 });
    expect(schema.enums['public.mpaa_rating']?.values).toEqual(['G', 'PG', 'PG-13', 'R', 'NC-17']);
    expect(schema.domains['public.year']).toMatchObject({
      baseType: 'integer',
      kind: 'integer',
      checks: [{ name: 'year_check', expression: 'VALUE >= 1901 AND VALUE <= 2155' }],
    });
    expect(schema.views['public.rental_by_category']?.materialized).toBe(true);
    expect(schema.notes).toEqual([expect.stringMatching(/^10 functions not modelled/), expect.stringMatching(/^15 triggers not modelled/)]);
  });

  it('chinook identity: GENERATED ALWAYS keys with their sequences', () => {
    const schema = model('chinook identity');
    expect(schema.tables['public.album']!.columns[0]!.default).toEqual({
      kind: 'identity',
      generation: 'always',
      sequence: 'public.album_album_id_seq',
    });
    expect(schema.sequences['public.album_album_id_seq']?.ownedBy).toEqual({ table: 'public.album', column: 'album_id' });
    expect(schema.tables['public.employee']!.foreignKeys[0]).toMatchObject({
      name: 'employee_reports_to_fkey',
      references: { table: 'public.employee', columns: ['employee_id'] },
    });
  });

  describe('hard cases', () => {
    const table = (key: string) => {
      const t = model('hard-cases').tables[key];
      if (!t) throw new Error(`no table ${key}`);
      return t;
    };
    const column = (key: string, name: string) => {
      const c = table(key).columns.find((x) => x.name === name);
      if (!c) throw new Error(`no column ${key}.${name}`);
      return c;
    };

    it('identity ALWAYS and BY DEFAULT, serial, generated stored column', () => {
      expect(column('auth.users', 'id').default).toEqual({ kind: 'identity', generation: 'always', sequence: 'auth.users_id_seq' });
      expect(column('public.employees', 'id').default).toEqual({
        kind: 'identity',
        generation: 'by-default',
        sequence: 'public.employees_id_seq',
      });
      expect(column('public.UserAccount', 'Id').default).toMatchObject({ kind: 'sequence', sequence: 'public.UserAccount_Id_seq' });
      const duration = column('public.bookings', 'duration');
      expect(duration.generated).toEqual({ expression: 'ends_at - starts_at', stored: true });
      expect(duration.default).toBeUndefined();
    });

    it('composite, self-referencing, cross-schema and deferrable foreign keys', () => {
      expect(table('public.stock_items').foreignKeys).toEqual([
        {
          name: 'stock_items_warehouse_fkey',
          columns: ['region', 'warehouse_code'],
          references: { table: 'public.warehouses', columns: ['region', 'code'] },
          onDelete: 'no action',
          onUpdate: 'cascade',
          match: 'full',
          deferrable: false,
          initiallyDeferred: false,
        },
      ]);
      expect(table('public.warehouses').primaryKey).toEqual({ name: 'warehouses_pkey', columns: ['region', 'code'] });
      expect(table('public.employees').foreignKeys[0]).toMatchObject({
        columns: ['manager_id'],
        references: { table: 'public.employees', columns: ['id'] },
        onDelete: 'set null',
      });
      expect(table('public.UserAccount').foreignKeys[0]).toMatchObject({
        columns: ['UserId'],
        references: { table: 'auth.users', columns: ['id'] },
        onDelete: 'cascade',
      });
      for (const [key, fk] of [
        ['public.departments', 'departments_head_id_fkey'],
        ['public.department_heads', 'department_heads_department_id_fkey'],
      ] as const) {
        expect(table(key).foreignKeys.find((f) => f.name === fk)).toMatchObject({ deferrable: true, initiallyDeferred: true });
      }
      expect(column('public.authors', 'favorite_book_id').nullable).toBe(true);
    });

    it('enum, enum array, multi-dimensional array, domains, ranges and other types', () => {
      expect(column('public.order', 'moods')).toMatchObject({
        rawType: 'public.mood[]',
        kind: 'enum',
        enum: 'public.mood',
        arrayDimensions: 1,
        default: { kind: 'literal', value: "'{}'::public.mood[]" },
      });
      expect(column('public.order', 'status').default).toEqual({ kind: 'literal', value: "'ok'::public.mood" });
      expect(column('public.order', 'scores')).toMatchObject({ kind: 'integer', arrayDimensions: 2 });
      expect(column('public.order', 'code')).toMatchObject({ kind: 'varchar', length: 8, domain: 'public.short_code', nullable: false });
      expect(column('public.bookings', 'guests')).toMatchObject({ kind: 'integer', domain: 'public.positive_int' });
      expect(model('hard-cases').domains['public.positive_int']).toMatchObject({
        baseType: 'integer',
        notNull: false,
        checks: [{ name: 'positive_int_check', expression: 'VALUE > 0' }],
      });
      expect(model('hard-cases').domains['public.short_code']).toMatchObject({ kind: 'varchar', length: 8, notNull: true });
      expect(column('public.bookings', 'room_numbers')).toMatchObject({ kind: 'range', elementType: 'integer' });
      const kinds = Object.fromEntries(table('public.bookings').columns.map((c) => [c.name, c.kind]));
      expect(kinds).toMatchObject({
        id: 'uuid',
        reminder: 'interval',
        client_ip: 'inet',
        network: 'cidr',
        device: 'macaddr',
        preferences: 'jsonb',
        contract: 'blob',
        price: 'money',
        ratio: 'double',
        flags: 'varbit',
      });
      expect(column('public.books', 'extra')).toMatchObject({ kind: 'hstore', rawType: 'public.hstore' });
      expect(column('auth.users', 'created_at')).toMatchObject({ kind: 'timestamptz', fractionalSeconds: 3 });
      expect(column('public.stock_items', 'unit_price')).toMatchObject({ kind: 'decimal', precision: 10, scale: 2 });
      expect(column('public.UserAccount', 'DisplayName').collation).toBe('C');
      expect(column('public.UserAccount', 'EmailAddress').comment).toBe('Where we send receipts');
    });

    it('unique constraints, partial and expression unique indexes, NULLS NOT DISTINCT', () => {
      expect(table('auth.users').uniques).toEqual([{ name: 'users_email_lower_key', columns: [null], expressions: ['lower(email)'], origin: 'index' }]);
      expect(table('public.stock_items').uniques).toEqual([{ name: 'stock_items_active_sku_key', columns: ['region', 'sku'], origin: 'index', where: 'quantity > 0' }]);
      expect(table('public.UserAccount').uniques).toEqual([
        {
          name: 'UserAccount_DisplayName_Locale_key',
          columns: ['DisplayName', 'Locale'],
          origin: 'constraint',
          nullsNotDistinct: true,
          deferrable: false,
        },
        { name: 'UserAccount_EmailAddress_key', columns: ['EmailAddress'], origin: 'constraint', deferrable: false },
      ]);
      expect(table('public.warehouses').uniques).toEqual([{ name: 'warehouses_name_key', columns: ['name'], origin: 'constraint', deferrable: true }]);
    });

    it('checks without their CHECK wrapper, with columns, NOT VALID', () => {
      expect(table('public.order').checks).toEqual([
        { name: 'order_group_between', expression: '"group" >= 1 AND "group" <= 10', columns: ['group'] },
        { name: 'order_select_in', expression: `"select" = ANY (ARRAY['a'::text, 'b'::text, 'c'::text])`, columns: ['select'] },
      ]);
      expect(table('public.bookings').checks).toEqual([
        { name: 'bookings_ends_after_starts', expression: 'ends_at > starts_at', columns: ['ends_at', 'starts_at'] },
        { name: 'bookings_guests_small', expression: 'guests::integer <= 12', columns: ['guests'], notValid: true },
      ]);
    });

    it('partitions: bounds, no repeated keys, no identity of their own', () => {
      const events = table('public.events');
      expect(events).toMatchObject({ kind: 'partitioned', partitioning: 'PARTITION BY RANGE (occurred_at)', rowEstimate: null });
      expect(events.foreignKeys.map((f) => f.references.table)).toEqual(['auth.users']);
      const p2024 = table('public.events_2024');
      expect(p2024).toMatchObject({
        kind: 'partition',
        partitionOf: 'public.events',
        partitioning: "FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00')",
        foreignKeys: [],
        uniques: [],
        indexes: [],
      });
      expect(p2024.primaryKey).toBeUndefined();
      expect(p2024.columns.find((c) => c.name === 'id')?.default).toBeUndefined();
      expect(table('public.events_default').partitioning).toBe('DEFAULT');
    });

    it('namespaces, sequences, views and extensions', () => {
      const schema = model('hard-cases');
      expect(schema.namespaces).toEqual(['auth', 'public']);
      expect(schema.extensions).toEqual([{ name: 'hstore', version: '1.8', schema: 'public' }]);
      expect(schema.sequences['public.ticket_numbers']).toEqual({
        schema: 'public',
        name: 'ticket_numbers',
        dataType: 'integer',
        start: '1000',
        increment: '10',
        min: '1',
        max: '2147483647',
        cycle: true,
      });
      expect(Object.keys(schema.views)).toEqual(['public.active_stock', 'public.bookings_per_day']);
      expect(schema.tables['auth.users']?.comment).toBe('Accounts that can sign in');
    });
  });

  it('the public introspectSqlFile path (a fresh PGlite) gives the same model as the shared instance', async () => {
    const schema = await postgresDialect.introspectSqlFile(FIXTURES + 'hard-cases/postgres.sql');
    expect(schema.source).toBe(`file:${FIXTURES}hard-cases/postgres.sql`);
    const { source: _a, ...fresh } = schema;
    const { source: _b, ...shared } = model('hard-cases');
    expect(fresh).toEqual(shared);
  });

  it('filters namespaces, and names an unknown one with the ones that exist', async () => {
    await lite.reset();
    await lite.loadSqlFile(FIXTURES + 'hard-cases/postgres.sql');
    const authOnly = await lite.introspect({ schemas: ['auth'] });
    expect(authOnly.namespaces).toEqual(['auth']);
    expect(Object.keys(authOnly.tables)).toEqual(['auth.users']);
    expect(authOnly.enums).toEqual({});
    const error = await lite.introspect({ schemas: ['public', 'nope'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain('"nope"');
    expect((error as UsageError).hint).toBe('Schemas that exist: auth, public.');
  });

  it('loads what pg_dump files contain: meta-commands, COPY data, unknown owners, an emptied search_path', async () => {
    await lite.reset();
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/understudy-pg-`);
    const file = `${dir}/dump.sql`;
    await writeFile(
      file,
      [
        '\\restrict abc123',
        "SELECT pg_catalog.set_config('search_path', '', false);",
        'CREATE DATABASE shop WITH TEMPLATE = template0;',
        'SET default_table_access_method = heap;',
        'CREATE TABLE public.t (id integer PRIMARY KEY, note text);',
        'ALTER TABLE public.t OWNER TO ghost_owner;',
        'GRANT SELECT ON public.t TO ghost_reader;',
        'COPY public.t (id, note) FROM stdin;',
        '1\tone',
        '2\ttwo',
        '\\.',
        '',
        '\\unrestrict abc123',
        '',
      ].join('\n'),
    );
    const searchPath = async () => (await sql<{ path: string }>`select current_setting('search_path') as path`.execute(lite.db)).rows[0]?.path;
    const before = await searchPath();
    const report = await lite.loadSqlFile(file);
    expect(report.notes).toEqual([
      'skipped psql command \\restrict (line 1)',
      'skipped CREATE DATABASE (line 3): the file is loaded into this database',
      'created missing role "ghost_owner" for line 6',
      'created missing role "ghost_reader" for line 7',
      'skipped COPY data for public.t (line 8): rows are not schema',
      'skipped psql command \\unrestrict (line 13)',
    ]);
    const schema = await lite.introspect();
    expect(Object.keys(schema.tables)).toEqual(['public.t']);
    // The file emptied search_path; the loader reset the session afterwards.
    expect(await searchPath()).toBe(before);
    expect(before).toContain('public');
    const count = await sql<{ n: number }>`select count(*)::int as n from public.t`.execute(lite.db);
    expect(count.rows[0]?.n).toBe(0);
  });

  it('reads the column a tsvector trigger sets only from an enabled BEFORE INSERT trigger of the built-in function', async () => {
    await lite.reset();
    await lite.pglite.exec(`
      CREATE TABLE public.doc (id integer PRIMARY KEY, body text, "Search" tsvector, other tsvector, late tsvector, off tsvector);
      CREATE TRIGGER doc_search BEFORE INSERT OR UPDATE ON public.doc
        FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger("Search", 'pg_catalog.english', body);
      CREATE TRIGGER doc_other BEFORE UPDATE ON public.doc
        FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(other, 'pg_catalog.english', body);
      CREATE TRIGGER doc_late AFTER INSERT ON public.doc
        FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(late, 'pg_catalog.english', body);
      CREATE TRIGGER doc_off BEFORE INSERT ON public.doc
        FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(off, 'pg_catalog.english', body);
      ALTER TABLE public.doc DISABLE TRIGGER doc_off;
      CREATE FUNCTION public.tsvector_update_trigger() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
      CREATE TRIGGER doc_mine BEFORE INSERT ON public.doc FOR EACH ROW EXECUTE FUNCTION public.tsvector_update_trigger('other');`);
    const schema = await lite.introspect();
    const sets = Object.fromEntries((schema.tables['public.doc']!.triggers ?? []).map((t) => [t.name, t.sets]));
    // Only the enabled BEFORE INSERT trigger of pg_catalog's function: not on UPDATE only, AFTER, disabled, or a look-alike.
    expect(sets).toEqual({ doc_late: undefined, doc_mine: undefined, doc_off: undefined, doc_other: undefined, doc_search: ['Search'] });
  });

  it('reads the columns a tsvector trigger makes its vector from, and the configuration column of the _column variant', async () => {
    await lite.reset();
    await lite.pglite.exec(`
      CREATE TABLE public.doc (id integer PRIMARY KEY, title text, "Body" text, cfg regconfig, v1 tsvector, v2 tsvector);
      CREATE TRIGGER doc_v1 BEFORE INSERT OR UPDATE ON public.doc
        FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(v1, 'pg_catalog.simple', title, "Body");
      CREATE TRIGGER doc_v2 BEFORE INSERT ON public.doc
        FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger_column(v2, cfg, "Body");`);
    const schema = await lite.introspect();
    const reads = Object.fromEntries((schema.tables['public.doc']!.triggers ?? []).map((t) => [t.name, t.reads]));
    expect(reads).toEqual({ doc_v1: ['title', 'Body'], doc_v2: ['cfg', 'Body'] });
  });

  it('PostgreSQL 18 features (PGlite): virtual generated columns, NOT ENFORCED FKs, NOT NULL constraint rows', async () => {
    await lite.reset();
    await lite.pglite.exec(`
      CREATE TABLE public.parent (id integer PRIMARY KEY);
      CREATE TABLE public.child (
        id integer NOT NULL,
        parent_id integer CONSTRAINT child_parent_fkey REFERENCES public.parent (id) NOT ENFORCED,
        minutes integer NOT NULL,
        hours numeric GENERATED ALWAYS AS (minutes / 60.0) VIRTUAL
      );`);
    const schema = await lite.introspect();
    const child = schema.tables['public.child']!;
    expect(child.columns.find((c) => c.name === 'hours')).toMatchObject({
      generated: { expression: 'minutes::numeric / 60.0', stored: false },
    });
    expect(child.foreignKeys[0]).toMatchObject({ name: 'child_parent_fkey', virtual: true, notValid: true });
    // PostgreSQL 18 keeps NOT NULL as pg_constraint rows (contype 'n'); they are `nullable: false`, not checks.
    expect(child.checks).toEqual([]);
    expect(child.columns.map((c) => c.nullable)).toEqual([false, true, false, true]);
  });

  it('the kysely driver serialises concurrent transactions on the one PGlite connection', async () => {
    await lite.reset();
    await sql`create table public.counter (n integer not null)`.execute(lite.db);
    await sql`insert into public.counter values (0)`.execute(lite.db);
    const bump = () =>
      lite.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ n: number }>`select n from public.counter`.execute(trx);
        await new Promise((r) => setTimeout(r, 5));
        await sql`update public.counter set n = ${rows[0]!.n + 1}`.execute(trx);
      });
    await Promise.all([bump(), bump(), bump(), bump()]);
    await expect(
      lite.db.transaction().execute(async (trx) => {
        await sql`update public.counter set n = 100`.execute(trx);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const { rows } = await sql<{ n: number }>`select n from public.counter`.execute(lite.db);
    expect(rows[0]?.n).toBe(4);
    const trx = await lite.db.startTransaction().execute();
    const sp = await trx.savepoint('before_bump').execute();
    await sql`update public.counter set n = 99`.execute(sp);
    await sp.rollbackToSavepoint('before_bump').execute();
    await trx.commit().execute();
    const after = await sql<{ n: number }>`select n from public.counter`.execute(lite.db);
    expect(after.rows[0]?.n).toBe(4);
  });
});

if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping PostgreSQL server tests');

describe.skipIf(!PG_URL)('PostgreSQL server introspection matches PGlite', () => {
  const url = PG_URL ?? '';
  const databases: string[] = [];

  afterAll(async () => {
    for (const name of databases) await dropScratchDatabase(url, name);
  });

  it.each(FIXTURE_LIST.map((f) => [f.name, f] as const))('%s', async (name, fixture) => {
    const database = await createScratchDatabase(url, 'understudy_test');
    databases.push(database);
    const conn = await postgresDialect.connect(urlForDatabase(url, database));
    let schema: Schema;
    try {
      const { PostgresServerConnection } = await import('./postgres-connection.js');
      if (!(conn instanceof PostgresServerConnection)) throw new Error('expected a server connection');
      for (const file of fixture.files) await conn.loadSqlFile(FIXTURES + file);
      schema = await conn.introspect();
    } finally {
      await conn.close();
    }
    expect(schema.serverVersion).toMatch(/^PostgreSQL \d+\.\d+$/);
    expect(countSchema(schema)).toEqual(fixture.counts);
    expect(comparable(schema, fixture)).toEqual(comparable(model(name), fixture));
  });

  it('introspectSqlFile with a server URL loads the file into a throwaway database there', async () => {
    const schema = await postgresDialect.introspectSqlFile(FIXTURES + 'chinook/postgresql/schema.sql', { url });
    const fixture = FIXTURE_LIST.find((f) => f.name === 'chinook')!;
    expect(comparable(schema, fixture)).toEqual(comparable(model('chinook'), fixture));
  });
});
