/**
 * The planner on shapes production schemas have: partial unique indexes, keys a
 * blanket row count cannot fill, keys bound by a CHECK, unique keys over
 * expressions, tables that already hold rows, migration tools' bookkeeping,
 * --only/--exclude and user triggers. Rows are generated and checked here, in
 * JavaScript, against what the key or predicate requires.
 */
import { describe, expect, it } from 'vitest';
import { generateRows } from '../row/row-generator.js';
import { col, fk, schemaOf, tableOf } from '../test-support/schema-builders.js';
import { buildPlan } from './build-plan.js';
import { PlanError } from './plan-errors.js';
import { predicateEscapes } from './partial-key-predicate.js';
import { existingRowsRequests, selectTables } from './table-selection.js';

const id = () => col('id', 'integer');
const partial = (name: string, columns: string[], where: string) => ({ name, columns, origin: 'index' as const, where });

describe('partial unique indexes', () => {
  it('reads the conditions of a WHERE as pg_get_expr prints them, and how each is made false', () => {
    expect(predicateEscapes("((is_latest = true) AND (branch_type <> 'published'::public.branch_type_enum))")).toEqual([
      { column: 'is_latest', kind: 'value', constraint: { type: 'in', column: 'is_latest', values: [false] } },
      { column: 'branch_type', kind: 'value', constraint: { type: 'in', column: 'branch_type', values: ['published'] } },
    ]);
    expect(predicateEscapes('(deleted = false)')).toEqual([{ column: 'deleted', kind: 'value', constraint: { type: 'in', column: 'deleted', values: [true] } }]);
    expect(predicateEscapes('(user_id IS NULL)')).toEqual([{ column: 'user_id', kind: 'value', constraint: { type: 'notNull', column: 'user_id' } }]);
    expect(predicateEscapes('(cron_key IS NOT NULL)')).toEqual([{ column: 'cron_key', kind: 'null' }]);
    expect(predicateEscapes('(status = ANY (ARRAY[100, 200]))')).toEqual([{ column: 'status', kind: 'value', constraint: { type: 'notIn', column: 'status', values: [100, 200] } }]);
    expect(predicateEscapes(`("linkedId" <> ''::text)`)).toEqual([{ column: 'linkedId', kind: 'value', constraint: { type: 'in', column: 'linkedId', values: [''] } }]);
    expect(predicateEscapes('(lower(name) ~ x)')).toEqual([]);
    // As a drizzle schema writes it (sim's workflow_deployment_operation: one in-flight operation per workflow).
    expect(predicateEscapes("status IN ('preparing', 'activating')")).toEqual([
      { column: 'status', kind: 'value', constraint: { type: 'notIn', column: 'status', values: ['preparing', 'activating'] } },
    ]);
    expect(predicateEscapes("kind NOT IN ('a,b', 'it''s')")).toEqual([{ column: 'kind', kind: 'value', constraint: { type: 'in', column: 'kind', values: ['a,b', "it's"] } }]);
  });

  it('keeps every row outside a partial key that cannot be unique: a single default (is_default) WHERE is_default', () => {
    const schema = schemaOf([tableOf('public', 'org', [id(), col('is_default', 'boolean')], { primaryKey: ['id'], uniques: [partial('org_single_default', ['is_default'], '(is_default = true)')] })]);
    const plan = buildPlan(schema, { seed: 1, rows: 1000 });
    const flags = generateRows(plan, 'public.org', 0, 1000).map((r) => r[1]);
    expect(flags.filter((f) => f === true)).toHaveLength(0);
    expect(plan.tables['public.org']!.notes.join('\n')).toMatch(/org_single_default.*outside the partial index \(is_default = false\)/);
  });

  it('plans a partial key that can be unique as a full one, and rows inside it stay unique', () => {
    const schema = schemaOf([
      tableOf('public', 'users', [id(), col('email', 'varchar', { length: 120 }), col('deleted', 'boolean')], {
        primaryKey: ['id'],
        uniques: [partial('users_email_live', ['email'], '(deleted = false)')],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 3000 });
    const rows = generateRows(plan, 'public.users', 0, 3000);
    const live = rows.filter((r) => r[2] === false).map((r) => r[1]);
    expect(new Set(live).size).toBe(live.length);
    expect(rows.some((r) => r[2] === false)).toBe(true);
  });

  it('does not merge keys with the same columns and different predicates, and a full key covers a partial one', () => {
    const schema = schemaOf([
      tableOf('public', 'spaces', [id(), col('branch', 'boolean'), col('latest', 'boolean'), col('kind', 'enum', { values: ['published', 'draft'] })], {
        primaryKey: ['id'],
        uniques: [partial('one_published', ['branch'], "((latest = true) AND (kind = 'published'::kind))"), partial('one_draft', ['branch'], "((latest = true) AND (kind <> 'published'::kind))")],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 500 });
    const rows = generateRows(plan, 'public.spaces', 0, 500);
    for (const [name, inside] of [
      ['one_published', (r: unknown[]) => r[2] === true && r[3] === 'published'],
      ['one_draft', (r: unknown[]) => r[2] === true && r[3] !== 'published'],
    ] as const) {
      const keys = rows.filter(inside).map((r) => r[1]);
      expect(new Set(keys).size, name).toBe(keys.length);
    }
    expect(plan.tables['public.spaces']!.notes.filter((n) => /outside the partial index/.test(n))).toHaveLength(2);
  });

  it('a nullable foreign key made NOT NULL keeps rows outside (user_id) WHERE static_id IS NULL: more rows than users', () => {
    const schema = schemaOf([
      tableOf('public', 'users', [id()], { primaryKey: ['id'] }),
      tableOf('public', 'views', [id(), col('user_id', 'integer'), col('static_id', 'integer', { nullable: true })], {
        primaryKey: ['id'],
        foreignKeys: [fk('views_user', ['user_id'], 'public.users', ['id'])],
        uniques: [partial('one_view_per_user', ['user_id'], '(static_id IS NULL)')],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, tableRows: { users: 10, views: 100 } });
    const rows = generateRows(plan, 'public.views', 0, 100);
    // Every row is outside the index (static_id set), and still points at a user.
    expect(rows.filter((r) => r[2] === null)).toHaveLength(0);
    expect(rows.every((r) => typeof r[1] === 'number' && r[1] >= 1 && r[1] <= 10)).toBe(true);
    expect(plan.tables['public.views']!.notes.join('\n')).toMatch(/one_view_per_user.*static_id never NULL/);
  });
});

describe('row counts a table cannot hold', () => {
  it('caps a blanket row count at what a unique key holds, with a note; a count asked for the table is still an error', () => {
    const schema = schemaOf([
      tableOf('public', 'lock', [col('singleton', 'boolean'), col('holder', 'text', { nullable: true })], { primaryKey: ['singleton'] }),
      tableOf('public', 'job', [id(), col('lock_key', 'boolean')], { primaryKey: ['id'], foreignKeys: [fk('job_lock', ['lock_key'], 'public.lock', ['singleton'])] }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 10_000 });
    expect(plan.tables['public.lock']!.rows).toBe(2);
    expect(plan.tables['public.lock']!.notes[0]).toMatch(/^rows capped at 2 \(asked 10,000\)/);
    expect(plan.tables['public.job']!.rows).toBe(10_000);
    const locks = generateRows(plan, 'public.lock', 0, 2).map((r) => r[0]);
    expect(new Set(locks).size).toBe(2);
    expect(() => buildPlan(schema, { seed: 1, tableRows: { lock: 3 } })).toThrow(PlanError);
  });

  it('numbers a key a CHECK pins (id = 0 on a one-row table) from the CHECK, and caps the table', () => {
    const schema = schemaOf([
      tableOf('public', 'status', [col('id', 'integer'), col('v', 'integer')], { primaryKey: ['id'], checks: [{ name: 'only_one_row', expression: '(id = 0)' }] }),
      tableOf('public', 'range', [col('id', 'integer'), col('v', 'integer')], { primaryKey: ['id'], checks: [{ name: 'small', expression: '((id >= 5) AND (id < 9))' }] }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 1000 });
    expect(plan.tables['public.status']!.rows).toBe(1);
    expect(generateRows(plan, 'public.status', 0, 1).map((r) => r[0])).toEqual([0]);
    expect(plan.tables['public.range']!.rows).toBe(4);
    expect(generateRows(plan, 'public.range', 0, 4).map((r) => r[0])).toEqual([5, 6, 7, 8]);
  });

  it('plans no key of a table of 0 or 1 rows: two composite keys sharing a foreign key', () => {
    const schema = schemaOf([
      tableOf('public', 'a', [id()], { primaryKey: ['id'] }),
      tableOf('public', 'b', [id()], { primaryKey: ['id'] }),
      tableOf('public', 'ab', [col('a_id', 'integer'), col('b_id', 'integer'), col('c_id', 'integer')], {
        uniques: [
          { name: 'ab_1', columns: ['a_id', 'b_id'], origin: 'constraint' },
          { name: 'ab_2', columns: ['a_id', 'c_id'], origin: 'constraint' },
        ],
        foreignKeys: [fk('ab_a', ['a_id'], 'public.a', ['id']), fk('ab_b', ['b_id'], 'public.b', ['id']), fk('ab_c', ['c_id'], 'public.b', ['id'])],
      }),
    ]);
    for (const rows of [0, 1]) expect(() => buildPlan(schema, { seed: 1, tableRows: { ab: rows } })).not.toThrow();
  });

  it('sets a nullable self-reference NULL when a unique key over it and another FK cannot be made distinct (roles(parent_id, list_id))', () => {
    const schema = schemaOf([
      tableOf('public', 'lists', [id()], { primaryKey: ['id'] }),
      tableOf('public', 'roles', [id(), col('parent_id', 'integer', { nullable: true }), col('list_id', 'integer', { nullable: true })], {
        primaryKey: ['id'],
        uniques: [{ name: 'idx_roles', columns: ['parent_id', 'list_id'], origin: 'index' }],
        foreignKeys: [fk('roles_parent', ['parent_id'], 'public.roles', ['id']), fk('roles_list', ['list_id'], 'public.lists', ['id'])],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 1000 });
    const pairs = generateRows(plan, 'public.roles', 0, 1000)
      .filter((r) => r[1] !== null && r[2] !== null)
      .map((r) => `${r[1]}|${r[2]}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(plan.tables['public.roles']!.notes.join('\n')).toMatch(/idx_roles/);
  });

  it('makes a unique index over columns and an expression unique by its columns', () => {
    const schema = schemaOf([
      tableOf('public', 'daemons', [id(), col('org', 'integer'), col('name', 'varchar', { length: 64 }), col('tags', 'jsonb')], {
        primaryKey: ['id'],
        uniques: [{ name: 'daemons_org_name_owner', columns: ['org', 'name', null], expressions: ["lower(COALESCE((tags ->> 'owner'::text), ''::text))"], origin: 'index' }],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 2000 });
    const keys = generateRows(plan, 'public.daemons', 0, 2000).map((r) => `${r[1]}|${r[2]}`);
    expect(new Set(keys).size).toBe(2000);
    expect(plan.tables['public.daemons']!.notes.join('\n')).not.toMatch(/not guaranteed unique/);
  });
});

describe('tables a seed does not write', () => {
  const shop = () =>
    schemaOf([
      tableOf('public', 'schema_migrations', [col('version', 'varchar', { length: 14 })], { primaryKey: ['version'] }),
      tableOf('public', '_prisma_migrations', [col('id', 'varchar', { length: 36 }), col('migration_name', 'varchar', { length: 255 })], { primaryKey: ['id'] }),
      tableOf('public', 'plans', [id(), col('code', 'varchar', { length: 20 })], { primaryKey: ['id'] }),
      tableOf('public', 'users', [id(), col('plan_id', 'integer')], { primaryKey: ['id'], foreignKeys: [fk('users_plan', ['plan_id'], 'public.plans', ['id'])] }),
      tableOf('audit', 'events', [id(), col('user_id', 'integer')], { primaryKey: ['id'], foreignKeys: [fk('events_user', ['user_id'], 'public.users', ['id'])] }),
    ]);

  it('never writes the bookkeeping tables of migration tools, and --only/--exclude leave tables as they are', () => {
    const schema = shop();
    expect(selectTables(schema).untouched).toEqual(
      new Map([
        ['public.schema_migrations', 'bookkeeping table of Rails, golang-migrate, dbmate or Ecto: never seeded'],
        ['public._prisma_migrations', 'bookkeeping table of Prisma: never seeded'],
      ]),
    );
    expect(selectTables(schema, { exclude: ['audit.*'] }).writable).toEqual(['public.plans', 'public.users']);
    expect(selectTables(schema, { only: ['USERS', 'audit.events'] }).writable).toEqual(['public.users', 'audit.events']);
    expect(() => selectTables(schema, { exclude: ['nope_*'] })).toThrow(/--exclude nope_\*: no table matches it/);
    expect(existingRowsRequests(schema).find((r) => r.table === 'public.plans')!.columns).toEqual(['id']);
  });

  it("asks for the kept values an implicit reference picks from (harbor's role_id → role, no foreign key declared)", () => {
    const schema = schemaOf([
      tableOf('public', 'role', [col('role_id', 'integer'), col('name', 'varchar', { length: 20 })], { primaryKey: ['role_id'] }),
      tableOf('public', 'project_member', [col('id', 'integer'), col('role_id', 'integer', { nullable: false })], { primaryKey: ['id'] }),
    ]);
    expect(existingRowsRequests(schema).find((r) => r.table === 'public.role')!.columns).toEqual(['role_id']);
  });

  it('keeps a table that has rows and picks parents among them; refuses config rows for it', () => {
    const schema = shop();
    const plan = buildPlan(schema, {
      seed: 1,
      rows: 50,
      existing: [
        { table: 'public.plans', rows: 3, more: false, values: { id: [10, 20, 30] } },
        { table: 'public.schema_migrations', rows: 2, more: false, values: {} },
      ],
    });
    expect(plan.loadOrder).toEqual(['public.users', 'audit.events']);
    expect(plan.kept['public.plans']!.reason).toBe('already has 3 rows: kept as it is (--truncate replaces them)');
    expect(plan.kept['public.schema_migrations']!.reason).toMatch(/^bookkeeping table of .*\(2 rows\)$/);
    const planIds = new Set(generateRows(plan, 'public.users', 0, 50).map((r) => r[1]));
    expect([...planIds].every((v) => [10, 20, 30].includes(v as number))).toBe(true);
    expect(planIds.size).toBeGreaterThan(1);
    expect(() => buildPlan(schema, { seed: 1, existing: [{ table: 'public.plans', rows: 3, more: false, values: { id: [1, 2, 3] } }], config: { tables: { plans: { rows: 10 } } } })).toThrow(
      /config tables\.plans\.rows: public\.plans is not loaded: already has 3 rows/,
    );
  });

  it('an excluded, empty parent of a NOT NULL foreign key is a problem naming both', () => {
    expect(() => buildPlan(shop(), { seed: 1, exclude: ['plans'] })).toThrow(/public\.users\(plan_id\) must reference public\.plans, which is planned with 0 rows/);
  });

  it('an empty parent is no problem for a child that gets 0 rows too', () => {
    const plan = buildPlan(shop(), { seed: 1, rows: 20, config: { tables: { plans: { rows: 0 }, users: { rows: 0 }, 'audit.events': { rows: 0 } } } });
    expect(plan.tables['public.users']!.rows).toBe(0);
    expect(plan.tables['public.plans']!.rows).toBe(0);
  });
});

describe('user triggers', () => {
  it('disables the triggers a restore tool would not run, but not one that fills a table or sets a column left to it', () => {
    const schema = schemaOf([
      tableOf('public', 'film_text', [id()], { primaryKey: ['id'] }),
      tableOf('public', 'film', [id(), col('fulltext', 'tsvector')], {
        primaryKey: ['id'],
        triggers: [
          { name: 'last_updated', timing: 'before', events: ['update'], inserts: [] },
          { name: 'check_room', timing: 'before', events: ['insert'], inserts: [] },
          { name: 'ins_film', timing: 'after', events: ['insert'], inserts: ['public.film_text'] },
          { name: 'fulltext', timing: 'before', events: ['insert'], inserts: [], sets: ['fulltext'] },
          { name: 'on_delete', timing: 'after', events: ['delete'], inserts: [] },
        ],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 10, canDisableTriggers: true });
    expect(plan.tables['public.film']!.disabledTriggers).toEqual(['last_updated', 'check_room']);
    expect(plan.tables['public.film']!.notes.join('\n')).toMatch(/triggers last_updated, check_room disabled during the load/);
    expect(buildPlan(schema, { seed: 1, rows: 10, canDisableTriggers: true, config: { triggers: 'run' } }).tables['public.film']!.disabledTriggers).toEqual([]);
    expect(buildPlan(schema, { seed: 1, rows: 10 }).tables['public.film']!.disabledTriggers).toEqual([]);
  });
});

describe('config the planner cannot ignore', () => {
  const shop = () =>
    schemaOf([
      tableOf('public', 'users', [id()], { primaryKey: ['id'] }),
      tableOf('public', 'tags', [id(), col('code', 'varchar', { length: 10 })], { primaryKey: ['id'] }),
      tableOf('public', 'profiles', [id(), col('user_id', 'integer', { nullable: true }), col('owner_id', 'integer')], {
        primaryKey: ['id'],
        uniques: [{ name: 'profiles_user_key', columns: ['user_id'], origin: 'constraint' }],
        foreignKeys: [fk('profiles_user', ['user_id'], 'public.users', ['id']), fk('profiles_owner', ['owner_id'], 'public.users', ['id'])],
      }),
      tableOf('public', 'user_tags', [col('user_id', 'integer'), col('kind', 'varchar', { length: 10 })], {
        primaryKey: ['user_id', 'kind'],
        foreignKeys: [fk('ut_user', ['user_id'], 'public.users', ['id'])],
      }),
    ]);

  it('a nullRate on a nullable foreign key sets its NULLs; on a NOT NULL one it is a problem naming the key', () => {
    const plan = buildPlan(shop(), { seed: 1, tableRows: { users: 200, profiles: 150 }, config: { tables: { profiles: { columns: { user_id: { nullRate: 0.5 } } } } } });
    const nulls = generateRows(plan, 'public.profiles', 0, 150).filter((r) => r[1] === null).length;
    expect(nulls).toBeGreaterThan(50);
    expect(nulls).toBeLessThan(100);
    expect(() => buildPlan(shop(), { seed: 1, config: { tables: { profiles: { columns: { owner_id: { nullRate: 0.2 } } } } } })).toThrow(
      /config tables\.public\.profiles\.columns\.owner_id\.nullRate: 0\.2, but public\.profiles\.owner_id is NOT NULL/,
    );
  });

  it('a nullable unique foreign key keeps its NULLs (NULLs are distinct)', () => {
    const plan = buildPlan(shop(), { seed: 1, tableRows: { users: 200, profiles: 150 } });
    const ids = generateRows(plan, 'public.profiles', 0, 150).map((r) => r[1]);
    expect(ids.some((v) => v === null)).toBe(true);
    const set = ids.filter((v) => v !== null);
    expect(new Set(set).size).toBe(set.length);
  });

  it('a values list on a column of a composite key is the only values it takes', () => {
    const plan = buildPlan(shop(), { seed: 1, tableRows: { users: 100, user_tags: 250 }, config: { tables: { user_tags: { columns: { kind: { values: ['home', 'work', 'other'] } } } } } });
    const rows = generateRows(plan, 'public.user_tags', 0, 250);
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(['home', 'work', 'other']));
    expect(new Set(rows.map((r) => `${r[0]}|${r[1]}`)).size).toBe(250);
    // A text generator from the config carries the key with a distinct suffix instead.
    const faked = buildPlan(shop(), { seed: 1, tableRows: { users: 100, user_tags: 250 }, config: { tables: { user_tags: { columns: { kind: { generator: 'faker', method: 'word.noun' } } } } } });
    expect(new Set(generateRows(faked, 'public.user_tags', 0, 250).map((r) => `${r[0]}|${r[1]}`)).size).toBe(250);
  });

  it('plan refuses a faker method that does not exist, as seed does', () => {
    expect(() => buildPlan(shop(), { seed: 1, rows: 5, config: { tables: { tags: { columns: { code: { generator: 'faker', method: 'person.nope' } } } } } })).toThrow(/person\.nope/);
  });
});

describe('byte strings under a length CHECK (icingadb)', () => {
  it('are as long as octet_length() says, on keys and plain columns, for = and BETWEEN', () => {
    const schema = schemaOf([
      tableOf('public', 'host', [col('id', 'blob'), col('address_bin', 'blob'), col('x', 'blob'), col('mac', 'varbinary', { length: 6 })], {
        primaryKey: ['id'],
        checks: [
          { name: 'id_sha1', expression: '(octet_length(id) = 20)' },
          { name: 'ipv4', expression: '((address_bin IS NULL) OR (octet_length(address_bin) = 4))' },
          { name: 'x_short', expression: '((octet_length(x) >= 1) AND (octet_length(x) <= 3))' },
          { name: 'mac_full', expression: '(octet_length(mac) >= 6)' },
        ],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 500 });
    const rows = generateRows(plan, 'public.host', 0, 500);
    const lengths = (i: number): number[] =>
      [
        ...new Set(
          rows
            .map((r) => r[i])
            .filter((v): v is Buffer => Buffer.isBuffer(v) || v instanceof Uint8Array)
            .map((v) => v.length),
        ),
      ].sort((a, b) => a - b);
    expect(lengths(0)).toEqual([20]);
    expect(lengths(1)).toEqual([4]);
    expect(lengths(2)).toEqual([1, 2, 3]);
    expect(lengths(3)).toEqual([6]);
    expect(new Set(rows.map((r) => Buffer.from(r[0] as Uint8Array).toString('hex'))).size).toBe(500);
  });
});
