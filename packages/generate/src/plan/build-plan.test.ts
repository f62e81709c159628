import { UsageError } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { generateDeferredUpdates, generateRows } from '../row/row-generator.js';
import { check, col, fk, schemaOf, tableOf, uniqueKey } from '../test-support/schema-builders.js';
import { FAKER_VERSION, GENERATOR_VERSION } from '../version.js';
import { buildPlan } from './build-plan.js';
import { PlanError, type PlanProblem } from './plan-errors.js';
import { loadColumns, PlanModel } from './plan-model.js';

function problemsOf(fn: () => unknown): PlanProblem[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    expect(error).toBeInstanceOf(UsageError);
    return [...(error as PlanError).problems];
  }
  throw new Error('expected a PlanError');
}

const id = (extra = {}) => col('id', 'integer', extra);

describe('buildPlan: impossible requests are typed errors naming table, column and maximum', () => {
  it('a unique smallint with 100k rows asked for that table (a blanket row count is capped instead)', () => {
    const schema = schemaOf([tableOf('public', 't', [id(), col('code', 'smallint')], { primaryKey: ['id'], uniques: [uniqueKey('t_code_key', ['code'])] })]);
    const [p] = problemsOf(() => buildPlan(schema, { seed: 1, tableRows: { t: 100_000 } }));
    expect(p!.code).toBe('unique-capacity');
    expect(p!.table).toBe('public.t');
    expect(p!.column).toBe('code');
    expect(p!.message).toContain('65536');
    expect(buildPlan(schema, { seed: 1, rows: 65_536 }).tables['public.t']!.columns[1]!.unique).toBe(true);
  });

  it('a unique char(2) with 10k rows, a unique enum, a unique boolean', () => {
    const schema = schemaOf(
      [
        tableOf('public', 'c', [id(), col('iso', 'char', { length: 2 })], { primaryKey: ['id'], uniques: [uniqueKey('c_iso_key', ['iso'])] }),
        tableOf('public', 'e', [id(), col('mood', 'enum', { enum: 'public.mood' })], { primaryKey: ['id'], uniques: [uniqueKey('e_mood_key', ['mood'])] }),
        tableOf('public', 'b', [id(), col('flag', 'boolean')], { primaryKey: ['id'], uniques: [uniqueKey('b_flag_key', ['flag'])] }),
      ],
      { enums: { 'public.mood': { schema: 'public', name: 'mood', values: ['sad', 'ok', 'happy'] } } },
    );
    const problems = problemsOf(() => buildPlan(schema, { seed: 1, tableRows: { c: 10_000, e: 10_000, b: 10_000 } }));
    expect(problems.map((p) => [p.table, p.column, p.code])).toEqual([
      ['public.b', 'flag', 'unique-capacity'],
      ['public.c', 'iso', 'unique-capacity'],
      ['public.e', 'mood', 'unique-capacity'],
    ]);
    expect(problems[1]!.message).toContain('1296');
    expect(problems[2]!.message).toContain('at most 3');
  });

  it('a junction table with more rows than pairs of parents', () => {
    const schema = schemaOf([
      tableOf('public', 'actor', [id()], { primaryKey: ['id'] }),
      tableOf('public', 'film', [id()], { primaryKey: ['id'] }),
      tableOf('public', 'film_actor', [col('actor_id', 'integer'), col('film_id', 'integer')], {
        primaryKey: ['actor_id', 'film_id'],
        foreignKeys: [fk('fa_actor', ['actor_id'], 'public.actor', ['id']), fk('fa_film', ['film_id'], 'public.film', ['id'])],
      }),
    ]);
    const [p] = problemsOf(() => buildPlan(schema, { seed: 1, tableRows: { actor: 20, film: 30, film_actor: 601 } }));
    expect(p!.code).toBe('unique-capacity');
    expect(p!.message).toContain('public.film_actor');
    expect(p!.message).toContain('600');
    expect(() => buildPlan(schema, { seed: 1, tableRows: { actor: 20, film: 30, film_actor: 600 } })).not.toThrow();
  });

  it('a unique key with only part of a foreign key is not numbered within the parent (hard-cases stock_items)', () => {
    const schema = schemaOf([
      tableOf('public', 'warehouses', [col('region', 'char', { length: 2 }), col('code', 'smallint')], { primaryKey: ['region', 'code'] }),
      tableOf('public', 'stock_items', [id(), col('region', 'char', { length: 2 }), col('warehouse_code', 'smallint'), col('sku', 'varchar', { length: 32 })], {
        primaryKey: ['id'],
        foreignKeys: [fk('stock_wh', ['region', 'warehouse_code'], 'public.warehouses', ['region', 'code'])],
        uniques: [uniqueKey('stock_region_sku', ['region', 'sku'])],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, tableRows: { warehouses: 50, stock_items: 5000 } });
    const sku = plan.tables['public.stock_items']!.columns.find((c) => c.name === 'sku')!;
    expect(sku.reason).not.toMatch(/numbered within/);
    const pairs = generateRows(plan, 'public.stock_items', 0, 5000).map((r) => `${String(r[1])}|${String(r[3])}`);
    expect(new Set(pairs).size).toBe(5000);
  });

  it('a 1:1 foreign key with more children than parents', () => {
    const schema = schemaOf([
      tableOf('public', 'users', [id()], { primaryKey: ['id'] }),
      tableOf('public', 'profile', [col('user_id', 'integer')], { primaryKey: ['user_id'], foreignKeys: [fk('p_u', ['user_id'], 'public.users', ['id'])] }),
    ]);
    const [p] = problemsOf(() => buildPlan(schema, { seed: 1, tableRows: { users: 10, profile: 11 } }));
    expect(p!.message).toContain('at most 10 rows');
  });

  it('an unbreakable FK cycle names its edges', () => {
    const schema = schemaOf([
      tableOf('public', 'a', [id(), col('b_id', 'integer')], { primaryKey: ['id'], foreignKeys: [fk('a_b', ['b_id'], 'public.b', ['id'])] }),
      tableOf('public', 'b', [id(), col('a_id', 'integer')], { primaryKey: ['id'], foreignKeys: [fk('b_a', ['a_id'], 'public.a', ['id'])] }),
    ]);
    const problems = problemsOf(() => buildPlan(schema, { seed: 1 }));
    expect(problems[0]!.code).toBe('unbreakable-cycle');
    expect(problems[0]!.message).toContain('public.a(b_id) → public.b');
    expect(problems[0]!.message).toContain('public.b(a_id) → public.a');
  });

  it('a NOT NULL FK to a table outside the schema, and config naming missing things', () => {
    const schema = schemaOf([
      tableOf('public', 'orders', [id(), col('customer_id', 'integer'), col('agent_id', 'integer', { nullable: true })], {
        primaryKey: ['id'],
        foreignKeys: [fk('o_c', ['customer_id'], 'crm.customer', ['id']), fk('o_a', ['agent_id'], 'crm.agent', ['id'])],
      }),
    ]);
    const problems = problemsOf(() => buildPlan(schema, { seed: 1, config: { tables: { nosuch: { rows: 1 }, orders: { columns: { nocolumn: { nullRate: 0 } } } } } }));
    expect(problems.map((p) => p.code).sort()).toEqual(['config', 'config', 'missing-parent']);
    const fixed = buildPlan(schema, { seed: 1, config: { tables: { orders: { columns: { customer_id: { values: [1, 2, 3] } } } } } });
    const columns = fixed.tables['public.orders']!.columns;
    expect(columns[2]!.reason).toMatch(/not loaded, so always NULL/);
    expect(generateRows(fixed, 'public.orders', 0, 50).every((r) => r[2] === null && [1, 2, 3].includes(r[1] as number))).toBe(true);
  });

  it('refuses a bad config with a UsageError', () => {
    const schema = schemaOf([tableOf('public', 't', [id()])]);
    expect(() => buildPlan(schema, { seed: 1, config: { tables: { t: { columns: { id: { generator: 'faker' } } } } } })).toThrow(/method/);
    expect(() => buildPlan(schema, { seed: 1, config: { bogus: 1 } as never })).toThrow(UsageError);
    expect(() => buildPlan(schema, { seed: 1, config: { tables: { t: { columns: { id: { generator: 'nosuch' } } } } } })).toThrow(/unknown generator "nosuch"/);
    expect(() => buildPlan(schema, { seed: 1, rows: -1 })).toThrow(UsageError);
  });
});

describe('buildPlan: keys, identity, cycles, partitions', () => {
  it('writes identity ALWAYS keys explicitly and records the sequence reset', () => {
    const schema = schemaOf(
      [
        tableOf('public', 'artist', [col('artist_id', 'integer', { default: { kind: 'identity', generation: 'always', sequence: 'artist_artist_id_seq' } }), col('name', 'varchar', { length: 120 })], {
          primaryKey: ['artist_id'],
        }),
        tableOf('public', 'album', [col('album_id', 'integer', { default: { kind: 'identity', generation: 'by-default' } }), col('artist_id', 'integer')], {
          primaryKey: ['album_id'],
          foreignKeys: [fk('album_artist', ['artist_id'], 'public.artist', ['artist_id'])],
        }),
      ],
      {
        sequences: { 'public.artist_artist_id_seq': { schema: 'public', name: 'artist_artist_id_seq', dataType: 'integer', start: '100', increment: '1', min: '1', max: '2147483647', cycle: false } },
      },
    );
    const plan = buildPlan(schema, { seed: 1, tableRows: { artist: 10, album: 40 } });
    const artist = plan.tables['public.artist']!;
    expect(artist.overridingSystemValue).toBe(true);
    expect(artist.sequences).toEqual([{ column: 'artist_id', sequence: 'public.artist_artist_id_seq', next: 110 }]);
    expect(artist.columns[0]!.reason).toMatch(/identity always.*OVERRIDING SYSTEM VALUE/);
    expect(plan.tables['public.album']!.overridingSystemValue).toBe(false);
    expect(generateRows(plan, 'public.artist', 0, 10).map((r) => r[0])).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    for (const [, artistId] of generateRows(plan, 'public.album', 0, 40)) expect(artistId).toBeGreaterThanOrEqual(100);
  });

  it('leaves generated columns to the database', () => {
    const schema = schemaOf([tableOf('public', 't', [id(), col('a', 'integer'), col('twice', 'integer', { generated: { expression: '(a * 2)', stored: true } })], { primaryKey: ['id'] })]);
    const plan = buildPlan(schema, { seed: 1, rows: 5 });
    const twice = plan.tables['public.t']!.columns[2]!;
    expect(twice.load).toBe(false);
    expect(twice.reason).toMatch(/generated column: left to the database/);
    expect(generateRows(plan, 'public.t', 0, 5).every((r) => r.length === 2)).toBe(true);
  });

  it("a config's JSON documents keep the fields generated columns read, and take a field's values from another table's column", () => {
    const schema = schemaOf([
      tableOf('public', 'clients', [col('id', 'text')], { primaryKey: ['id'] }),
      tableOf('public', 'sessions', [id(), col('data', 'jsonb'), col('deleted', 'boolean', { generated: { expression: "((data ->> 'deleted'::text))::boolean", stored: true } })], {
        primaryKey: ['id'],
      }),
    ]);
    const config = { tables: { sessions: { columns: { data: { generator: 'json', params: { fields: [{ path: ['client_id'], type: 'text', from: { table: 'public.clients', column: 'id' } }] } } } } } };
    const plan = buildPlan(schema, { seed: 1, tableRows: { clients: 30, sessions: 200 }, config });
    const clients = new Set(generateRows(plan, 'public.clients', 0, 30).map((r) => r[0]));
    const docs = generateRows(plan, 'public.sessions', 0, 200).map((r) => JSON.parse(String(r[1])) as { client_id: string; deleted: unknown });
    expect(docs.every((d) => clients.has(d.client_id) && typeof d.deleted === 'boolean')).toBe(true);
    expect(new Set(docs.map((d) => d.client_id)).size).toBeGreaterThan(20);
  });

  it('breaks a nullable cycle: NULL at insert, values in deferred updates', () => {
    const schema = schemaOf([
      tableOf('public', 'dept', [id(), col('head_id', 'integer', { nullable: true })], { primaryKey: ['id'], foreignKeys: [fk('dept_head', ['head_id'], 'public.emp', ['id'])] }),
      tableOf('public', 'emp', [id(), col('dept_id', 'integer')], { primaryKey: ['id'], foreignKeys: [fk('emp_dept', ['dept_id'], 'public.dept', ['id'])] }),
    ]);
    const plan = buildPlan(schema, { seed: 1, tableRows: { dept: 20, emp: 100 } });
    expect(plan.loadOrder).toEqual(['public.dept', 'public.emp']);
    const dept = plan.tables['public.dept']!;
    expect(dept.columns[1]!.deferred).toBe(true);
    expect(dept.deferredUpdates).toEqual([{ foreignKey: 'dept_head', columns: ['head_id'], keyColumns: ['id'] }]);
    expect(generateRows(plan, 'public.dept', 0, 20).every((r) => r[1] === null)).toBe(true);
    const updates = generateDeferredUpdates(plan, 'public.dept', 0, 20);
    expect(updates.length).toBeGreaterThan(10);
    for (const u of updates) {
      expect(u.key[0]).toBeGreaterThanOrEqual(1);
      expect(u.values[0]).toBeGreaterThanOrEqual(1);
      expect(u.values[0]).toBeLessThanOrEqual(100);
    }
  });

  it('lists deferrable constraints of a NOT NULL cycle', () => {
    const schema = schemaOf([
      tableOf('public', 'a', [id(), col('b_id', 'integer')], { primaryKey: ['id'], foreignKeys: [fk('a_b', ['b_id'], 'public.b', ['id'], { deferrable: true, initiallyDeferred: true })] }),
      tableOf('public', 'b', [id(), col('a_id', 'integer')], { primaryKey: ['id'], foreignKeys: [fk('b_a', ['a_id'], 'public.a', ['id'])] }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 10 });
    expect(plan.deferredConstraints).toEqual([{ table: 'public.a', foreignKey: 'a_b' }]);
  });

  it('loads a NOT NULL cycle unchecked where the target can switch FK checks off, and the rows still join', () => {
    const schema = schemaOf([
      tableOf('public', 'a', [id(), col('b_id', 'integer')], { primaryKey: ['id'], foreignKeys: [fk('a_b', ['b_id'], 'public.b', ['id'])] }),
      tableOf('public', 'b', [id(), col('a_id', 'integer')], { primaryKey: ['id'], foreignKeys: [fk('b_a', ['a_id'], 'public.a', ['id'])] }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 50, uncheckedForeignKeyLoad: true });
    expect(plan.uncheckedForeignKeys).toHaveLength(1);
    expect(plan.deferredConstraints).toEqual([]);
    const ids = new Set(generateRows(plan, 'public.a', 0, 50).map((r) => r[0]));
    for (const row of generateRows(plan, 'public.b', 0, 50)) expect(ids.has(row[1])).toBe(true);
  });

  it('caps a blanket row count at what a small sequence key can number, with a note; an explicit count stays an error', () => {
    const schema = schemaOf(
      [
        tableOf('shop', 'store', [col('store_id', 'tinyint', { rawType: 'tinyint(3) unsigned', unsigned: true, default: { kind: 'sequence', expression: 'auto_increment' } })], {
          primaryKey: ['store_id'],
        }),
        tableOf('shop', 'staff', [id(), col('store_id', 'tinyint', { rawType: 'tinyint(3) unsigned', unsigned: true })], {
          primaryKey: ['id'],
          foreignKeys: [fk('staff_store', ['store_id'], 'shop.store', ['store_id'])],
        }),
      ],
      { dialect: 'mysql' },
    );
    const plan = buildPlan(schema, { seed: 1, rows: 1000 });
    expect(plan.tables['shop.store']!.rows).toBe(255);
    expect(plan.tables['shop.store']!.notes[0]).toBe('rows capped at 255 (asked 1,000): key store_id (tinyint(3) unsigned) cannot number more');
    // The FK column of the child is not a key of its own: the child keeps its 1,000 rows.
    expect(plan.tables['shop.staff']!.rows).toBe(1000);
    expect(problemsOf(() => buildPlan(schema, { seed: 1, rows: 10, tableRows: { store: 1000 } }))[0]!.message).toContain('can hold at most 255 key values');
  });

  it('leaves a table an INSERT trigger of another table fills to that trigger', () => {
    const schema = schemaOf([
      tableOf('s', 'film', [id(), col('title', 'text')], { primaryKey: ['id'], triggers: [{ name: 'ins_film', timing: 'after', events: ['insert'], inserts: ['s.film_text'] }] }),
      tableOf('s', 'film_text', [id(), col('title', 'text')], { primaryKey: ['id'] }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 10 });
    expect(plan.loadOrder).toEqual(['s.film']);
    expect(plan.skipped).toContainEqual({ table: 's.film_text', reason: 'filled by trigger s.film.ins_film: its rows come from loading that table' });
    // One film_text row per film: film_text's smallint key bounds film too.
    const narrow = schemaOf([
      tableOf('s', 'film', [id(), col('title', 'text')], { primaryKey: ['id'], triggers: [{ name: 'ins_film', timing: 'after', events: ['insert'], inserts: ['s.film_text'] }] }),
      tableOf('s', 'film_text', [col('id', 'smallint'), col('title', 'text')], { primaryKey: ['id'] }),
    ]);
    const capped = buildPlan(narrow, { seed: 1, rows: 40_000 }).tables['s.film']!;
    expect(capped.rows).toBe(32_767);
    expect(capped.notes[0]).toBe('rows capped at 32,767 (asked 40,000): its trigger copies each row into s.film_text, whose key id (smallint) cannot number more');
  });

  it('fits a key referenced by a narrower column to that column', () => {
    // vaultwarden: organizations.uuid VARCHAR(40), referenced by sends.organization_uuid CHAR(36).
    const schema = schemaOf([
      tableOf('public', 'organizations', [col('uuid', 'varchar', { length: 40 }), col('name', 'text')], { primaryKey: ['uuid'] }),
      tableOf('public', 'sends', [col('uuid', 'char', { length: 36 }), col('organization_uuid', 'char', { length: 36 })], {
        primaryKey: ['uuid'],
        foreignKeys: [fk('sends_organization_uuid_fkey', ['organization_uuid'], 'public.organizations', ['uuid'])],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 500 });
    const keys = generateRows(plan, 'public.organizations', 0, 500).map((r) => String(r[0]));
    expect(new Set(keys).size).toBe(500);
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThanOrEqual(36);
  });

  it('takes rows: 0 for a table a trigger fills (a rehearsal emptying its parent), and says why other settings for it cannot apply', () => {
    // crates.io: crate_downloads and default_versions are filled by triggers on crates; a rehearsal that empties crates empties them too.
    const schema = schemaOf([
      tableOf('s', 'film', [id(), col('title', 'text')], { primaryKey: ['id'], triggers: [{ name: 'ins_film', timing: 'after', events: ['insert'], inserts: ['s.film_text'] }] }),
      tableOf('s', 'film_text', [id(), col('title', 'text')], { primaryKey: ['id'] }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 10, config: { tables: { 's.film': { rows: 0 }, 's.film_text': { rows: 0 } } } });
    expect(plan.tables['s.film']!.rows).toBe(0);
    expect(plan.loadOrder).toEqual(['s.film']);
    const [problem] = problemsOf(() => buildPlan(schema, { seed: 1, rows: 10, config: { tables: { film_text: { rows: 5 } } } }));
    expect(problem!.message).toBe('config tables.film_text: s.film_text is not loaded: trigger ins_film on s.film fills it, a row for each row of s.film');
  });

  it('keeps rows of a partitioned table inside its partitions', () => {
    const schema = schemaOf([
      tableOf('public', 'payment', [id(), col('payment_date', 'timestamptz')], { kind: 'partitioned', partitioning: 'PARTITION BY RANGE (payment_date)' }),
      tableOf('public', 'payment_p2022_01', [id(), col('payment_date', 'timestamptz')], {
        kind: 'partition',
        partitionOf: 'public.payment',
        partitioning: "FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00')",
      }),
      tableOf('public', 'payment_p2022_03', [id(), col('payment_date', 'timestamptz')], {
        kind: 'partition',
        partitionOf: 'public.payment',
        partitioning: "FOR VALUES FROM ('2022-03-01 00:00:00+00') TO ('2022-04-01 00:00:00+00')",
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 500 });
    expect(plan.loadOrder).toEqual(['public.payment']);
    expect(plan.skipped.map((s) => s.table)).toEqual(['public.payment_p2022_01', 'public.payment_p2022_03']);
    for (const [, d] of generateRows(plan, 'public.payment', 0, 500)) {
      const s = String(d);
      expect((s >= '2022-01-01' && s < '2022-02-01') || (s >= '2022-03-01' && s < '2022-04-01'), s).toBe(true);
    }
  });

  it('keeps a partition key its name places after creation (hatchet’s task_inserted_at) inside the partitions', () => {
    const columns = () => [id(), col('created_at', 'timestamptz'), col('task_inserted_at', 'timestamptz'), col('updated_at', 'timestamptz')];
    const schema = schemaOf([
      tableOf('public', 'task_event', columns(), { kind: 'partitioned', partitioning: 'PARTITION BY RANGE (task_inserted_at)' }),
      tableOf('public', 'task_event_20261207', columns(), {
        kind: 'partition',
        partitionOf: 'public.task_event',
        partitioning: "FOR VALUES FROM ('2026-12-07 00:00:00+00') TO ('2026-12-08 00:00:00+00')",
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 300 });
    const column = plan.tables['public.task_event']!.columns.find((c) => c.name === 'task_inserted_at')!;
    expect(column.generator?.name).not.toBe('after');
    const index = plan.tables['public.task_event']!.columns.findIndex((c) => c.name === 'task_inserted_at');
    for (const row of generateRows(plan, 'public.task_event', 0, 300)) {
      const s = String(row[index]);
      expect(s >= '2026-12-07' && s < '2026-12-08', s).toBe(true);
    }
  });

  it('uses row options: tableRows > config rows > scale × estimate > rows', () => {
    const schema = schemaOf([tableOf('public', 'a', [id()], { rowEstimate: 50 }), tableOf('public', 'b', [id()], { rowEstimate: null }), tableOf('public', 'c', [id()], { rowEstimate: 7 })]);
    const plan = buildPlan(schema, { seed: 1, rows: 100, scale: 2, tableRows: { c: 3 }, config: { tables: { b: { rows: 9 } } } });
    expect([plan.tables['public.a']!.rows, plan.tables['public.b']!.rows, plan.tables['public.c']!.rows]).toEqual([100, 9, 3]);
    expect(buildPlan(schema, { seed: 1 }).tables['public.a']!.rows).toBe(1000);
  });
});

describe('buildPlan: config and CHECKs', () => {
  const schema = schemaOf([
    tableOf('public', 'product', [id(), col('name', 'varchar', { length: 60 }), col('tier', 'text', { nullable: true }), col('notes', 'text', { nullable: true }), col('code', 'text')], {
      primaryKey: ['id'],
      checks: [check('code_luhn', '(luhn_ok(code))'), check('tier_nonempty', "(tier <> ''::text)")],
    }),
  ]);

  it('reports an uninterpreted CHECK, and a config generator takes it over', () => {
    const plain = buildPlan(schema, { seed: 1, rows: 10 });
    const checks = plain.tables['public.product']!.checks;
    expect(checks[0]).toMatchObject({ name: 'code_luhn', status: 'uninterpreted' });
    expect(checks[0]!.reason).toMatch(/luhn_ok/);
    const configured = buildPlan(schema, {
      seed: 1,
      rows: 200,
      config: {
        tables: {
          product: {
            columns: { name: { generator: 'faker', method: 'commerce.productName' }, tier: { values: ['free', 'pro', null], weights: [6, 3, 1] }, notes: { nullRate: 1 } },
            checks: { code_luhn: { column: 'code', generator: 'template', params: { pattern: '####-####' } } },
          },
        },
      },
    });
    const table = configured.tables['public.product']!;
    expect(table.checks[0]!.status).toBe('config');
    expect(table.columns.map((c) => c.reason)).toEqual(['primary key: rowIndex + 1', 'config', 'config', 'column name: comment', 'config: CHECK code_luhn']);
    const rows = generateRows(configured, 'public.product', 0, 200);
    expect(rows.every((r) => r[3] === null)).toBe(true);
    expect(rows.every((r) => /^\d{4}-\d{4}$/.test(r[4] as string))).toBe(true);
    expect(new Set(rows.map((r) => r[2]))).toEqual(new Set(['free', 'pro', null]));
  });

  it('a config code or regex on a unique text key keeps its shape: unique by the generator, no suffix; its reason is shown', () => {
    const keyed = schemaOf([
      tableOf('public', 'link', [col('id', 'text'), col('slug', 'varchar', { length: 24 }), col('ref', 'varchar', { length: 12 })], {
        primaryKey: ['id'],
        uniques: [uniqueKey('link_slug_key', ['slug']), uniqueKey('link_ref_key', ['ref'])],
      }),
    ]);
    const nanoid = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-';
    const plan = buildPlan(keyed, {
      seed: 1,
      rows: 3000,
      config: {
        tables: {
          link: {
            columns: {
              id: { generator: 'letters', params: { chars: nanoid, minLength: 21, maxLength: 21 }, reason: 'drizzle: $defaultFn(nanoid())' },
              slug: { generator: 'letters', params: { chars: '0123456789abcdefghijklmnopqrstuvwxyz', firstChars: 'abcdefghijklmnopqrstuvwxyz', minLength: 24, maxLength: 24 } },
              ref: { generator: 'regex', params: { pattern: 'r_[a-z0-9]{10}' } },
            },
          },
        },
      },
    });
    const columns = plan.tables['public.link']!.columns;
    expect(columns.map((c) => c.reason)).toEqual(['drizzle: $defaultFn(nanoid())', 'config', 'config']);
    const rows = generateRows(plan, 'public.link', 0, 3000);
    expect(rows.every((r) => /^[A-Za-z0-9_-]{21}$/.test(r[0] as string))).toBe(true);
    expect(rows.every((r) => /^[a-z][a-z0-9]{23}$/.test(r[1] as string))).toBe(true);
    expect(rows.every((r) => /^r_[a-z0-9]{10}$/.test(r[2] as string))).toBe(true);
    for (const i of [0, 1, 2]) expect(new Set(rows.map((r) => r[i])).size).toBe(3000);
  });

  it('refuses null among the config values of a NOT NULL column', () => {
    const strict = schemaOf([tableOf('public', 't', [id(), col('tier', 'text')])]);
    const [p] = problemsOf(() => buildPlan(strict, { seed: 1, config: { tables: { t: { columns: { tier: { values: ['a', null] } } } } } }));
    expect(p!.message).toMatch(/tier is NOT NULL/);
  });

  it('records versions, seed and reference time; a saved plan regenerates identical data', () => {
    const plan = buildPlan(schema, { seed: 'abc', rows: 50 });
    expect(plan.generatorVersion).toBe(GENERATOR_VERSION);
    expect(plan.fakerVersion).toBe(FAKER_VERSION);
    expect(plan.seed).toBe('abc');
    expect(plan.referenceTime).toBe('2025-01-01T00:00:00.000Z');
    const saved = PlanModel.parse(JSON.parse(JSON.stringify(plan)));
    expect(saved).toEqual(plan);
    expect(generateRows(saved, 'public.product', 0, 50)).toEqual(generateRows(plan, 'public.product', 0, 50));
  });
});

describe('buildPlan: text numbered within its parent', () => {
  it('reads as its name says, then its number: hexpm packages (repository_id, name), releases (package_id, version)', () => {
    const schema = schemaOf([
      tableOf('public', 'packages', [id(), col('repository_id', 'integer'), col('name', 'varchar', { length: 24 })], {
        primaryKey: ['id'],
        foreignKeys: [fk('packages_repo', ['repository_id'], 'public.repositories', ['id'])],
        uniques: [uniqueKey('packages_repository_id_name', ['repository_id', 'name'])],
      }),
      tableOf('public', 'repositories', [id()], { primaryKey: ['id'] }),
      tableOf('public', 'releases', [id(), col('package_id', 'integer'), col('version', 'text')], {
        primaryKey: ['id'],
        foreignKeys: [fk('releases_package', ['package_id'], 'public.packages', ['id'])],
        uniques: [uniqueKey('releases_package_version', ['package_id', 'version'])],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, tableRows: { repositories: 5, packages: 400, releases: 2000 } });
    const packages = generateRows(plan, 'public.packages', 0, 400);
    expect(new Set(packages.map((r) => `${String(r[1])}|${String(r[2])}`)).size).toBe(400);
    for (const r of packages) expect(String(r[2])).toMatch(/^[ -~]{1,22}-[0-9a-z]{1,2}$/);
    expect(Math.max(...packages.map((r) => String(r[2]).length))).toBeLessThanOrEqual(24);
    expect(new Set(packages.map((r) => String(r[2]).replace(/-[0-9a-z]+$/, ''))).size).toBeGreaterThan(100);
    const releases = generateRows(plan, 'public.releases', 0, 2000);
    expect(new Set(releases.map((r) => `${String(r[1])}|${String(r[2])}`)).size).toBe(2000);
    for (const r of releases) expect(String(r[2])).toMatch(/^\d+\.\d+\.\d+-[0-9a-z]+$/);
  });
});

describe('buildPlan: two keys numbered within one parent', () => {
  it("sim's knowledge_base_tag_definitions: (kb, tag_slot) with 20 slots and (kb, display_name), in either order", () => {
    const slots = Array.from({ length: 20 }, (_, i) => `tag${i + 1}`);
    for (const order of [
      ['kb_slot', 'kb_display_name'],
      ['kb_display_name', 'kb_slot'],
    ]) {
      const keys = { kb_slot: uniqueKey('kb_slot', ['knowledge_base_id', 'tag_slot']), kb_display_name: uniqueKey('kb_display_name', ['knowledge_base_id', 'display_name']) };
      const schema = schemaOf([
        tableOf('public', 'knowledge_base', [col('id', 'text')], { primaryKey: ['id'] }),
        tableOf('public', 'tag_definitions', [col('id', 'text'), col('knowledge_base_id', 'text'), col('tag_slot', 'enum', { values: slots }), col('display_name', 'text')], {
          primaryKey: ['id'],
          foreignKeys: [fk('tag_definitions_kb', ['knowledge_base_id'], 'public.knowledge_base', ['id'])],
          uniques: order.map((k) => keys[k as keyof typeof keys]),
        }),
      ]);
      const plan = buildPlan(schema, { seed: 1, tableRows: { knowledge_base: 100, tag_definitions: 1500 } });
      const rows = generateRows(plan, 'public.tag_definitions', 0, 1500);
      expect(new Set(rows.map((r) => `${String(r[1])}|${String(r[2])}`)).size, order.join()).toBe(1500);
      expect(new Set(rows.map((r) => `${String(r[1])}|${String(r[3])}`)).size, order.join()).toBe(1500);
      expect(new Set(rows.map((r) => r[2])).size).toBe(20);
    }
  });
});

describe('buildPlan: load order', () => {
  it('loads a table the database works hard on (an INSERT trigger, a GiST index) right after its parents, before light tables', () => {
    const schema = schemaOf([
      tableOf('public', 'actor', [id(), col('name', 'text')], { primaryKey: ['id'] }),
      tableOf('public', 'category', [id(), col('name', 'text')], { primaryKey: ['id'] }),
      tableOf('public', 'language', [id(), col('name', 'text')], { primaryKey: ['id'] }),
      tableOf('public', 'film', [id(), col('language_id', 'integer'), col('fulltext', 'tsvector')], {
        primaryKey: ['id'],
        foreignKeys: [fk('film_language', ['language_id'], 'public.language', ['id'])],
        indexes: [{ name: 'film_fulltext', columns: ['fulltext'], unique: false, primary: false, method: 'gist' }],
        triggers: [{ name: 'film_fulltext_trigger', timing: 'before', events: ['insert', 'update'], inserts: [] }],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 100 });
    expect(plan.loadOrder).toEqual(['public.language', 'public.film', 'public.actor', 'public.category']);
    // For a target that sets foreign keys aside: the heaviest first, parents or not; equal work keeps loadOrder's order.
    expect(plan.costOrder).toEqual(['public.film', 'public.language', 'public.actor', 'public.category']);
    const fewFilms = buildPlan(schema, { seed: 1, rows: 100, tableRows: { 'public.film': 0 } });
    expect(fewFilms.costOrder).toEqual(['public.actor', 'public.category', 'public.language', 'public.film']);
    // With no such table the order is the FK graph's (parents first, by name).
    const light = schemaOf([schema.tables['public.actor']!, schema.tables['public.category']!, schema.tables['public.language']!]);
    expect(buildPlan(light, { seed: 1, rows: 100 }).loadOrder).toEqual(['public.actor', 'public.category', 'public.language']);
  });

  it('keeps a table whose INSERT trigger fills another after its parents, even in the cost order (the trigger may read them)', () => {
    const schema = schemaOf([
      tableOf('public', 'paths', [id(), col('name', 'text')], { primaryKey: ['id'] }),
      tableOf('public', 'totals', [col('path_id', 'integer', { nullable: false }), col('n', 'integer', { nullable: false })]),
      tableOf('public', 'changes', [id(), col('path_id', 'integer', { nullable: false }), col('note', 'text'), col('kind', 'text')], {
        primaryKey: ['id'],
        foreignKeys: [fk('changes_path', ['path_id'], 'public.paths', ['id'])],
        triggers: [{ name: 'changes_totaled', timing: 'after', events: ['insert'], inserts: ['public.totals'] }],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 100 });
    expect(plan.costOrder!.indexOf('public.paths')).toBeLessThan(plan.costOrder!.indexOf('public.changes'));
  });
});

describe('buildPlan: columns a trigger sets', () => {
  it('leaves a column a BEFORE INSERT trigger overwrites to the database, and says so', () => {
    const schema = schemaOf([
      tableOf('public', 'film', [id(), col('title', 'text'), col('fulltext', 'tsvector')], {
        primaryKey: ['id'],
        triggers: [{ name: 'film_fulltext_trigger', timing: 'before', events: ['insert', 'update'], inserts: [], sets: ['fulltext'] }],
      }),
    ]);
    const film = buildPlan(schema, { seed: 1, rows: 10 }).tables['public.film']!;
    expect(film.columns.find((c) => c.name === 'fulltext')).toMatchObject({
      load: false,
      generator: null,
      reason: 'set by trigger film_fulltext_trigger on insert: left to the database',
    });
    expect(loadColumns(film).map((c) => c.name)).toEqual(['id', 'title']);
    // Without the trigger it is generated and written.
    const plain = buildPlan(schemaOf([{ ...schema.tables['public.film']!, triggers: [] }]), { seed: 1, rows: 10 }).tables['public.film']!;
    expect(loadColumns(plain).map((c) => c.name)).toEqual(['id', 'title', 'fulltext']);
    // A config generator for it still wins: the values are written, as asked.
    const configured = buildPlan(schema, { seed: 1, rows: 10, config: { tables: { film: { columns: { fulltext: { values: ['a'] } } } } } }).tables['public.film']!;
    expect(loadColumns(configured).map((c) => c.name)).toEqual(['id', 'title', 'fulltext']);
  });
});

describe('buildPlan: arrays of text', () => {
  it('fills a text[] column with tags of a word or two, not paragraphs', () => {
    const schema = schemaOf([tableOf('public', 'film', [id(), col('special_features', 'text', { arrayDimensions: 1, rawType: 'text[]', nullable: true })], { primaryKey: ['id'] })]);
    const plan = buildPlan(schema, { seed: 1, rows: 200 });
    expect(plan.tables['public.film']!.columns[1]!.generator).toEqual({ name: 'words', params: { min: 1, max: 2 } });
    const elements = generateRows(plan, 'public.film', 0, 200).flatMap((r) => (r[1] as string[] | null) ?? []);
    expect(elements.length).toBeGreaterThan(100);
    for (const e of elements) expect(e.split(' ').length).toBeLessThanOrEqual(2);
  });
});
