/**
 * What a schema-only seed infers from names and types on production schemas, where
 * no profile says better: integer status and type codes in a small range, boolean-like
 * `is_*` smallints as 0/1, epoch bigints near today, identifiers and ticket numbers
 * that read as codes, ISO country codes in char(2), rates as fractions, and a hire date
 * 18–60 years after the birth date beside it. Each check is on the generated rows.
 */
import { describe, expect, it } from 'vitest';
import { generateRows } from '../row/row-generator.js';
import { col, schemaOf, tableOf, uniqueKey } from '../test-support/schema-builders.js';
import { buildPlan } from './build-plan.js';

const REFERENCE = Date.parse('2026-01-01T00:00:00Z');
const YEAR_MS = 365.25 * 86400_000;

function plannedRows() {
  const columns = [
    col('id', 'integer'),
    col('status', 'integer'),
    col('ticket_type', 'smallint'),
    col('is_public', 'smallint'),
    col('created_at', 'bigint'),
    col('synced_ts', 'integer'),
    col('number', 'varchar', { length: 20 }),
    col('event_id', 'varchar', { length: 64 }),
    col('country', 'char', { length: 2 }),
    col('conversion_rate', 'decimal', { precision: 5, scale: 4 }),
    col('birth_date', 'date'),
    col('hire_date', 'date'),
  ];
  const schema = schemaOf([tableOf('public', 'tickets', columns, { primaryKey: ['id'] })]);
  const plan = buildPlan(schema, { seed: 7, rows: 2000, referenceTime: new Date(REFERENCE) });
  const names = columns.map((c) => c.name);
  const rows = generateRows(plan, 'public.tickets', 0, 2000).map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]])));
  return { plan, rows };
}

describe('names and types on a schema-only seed', () => {
  const { plan, rows } = plannedRows();
  const column = (name: string) => plan.tables['public.tickets']!.columns.find((c) => c.name === name)!;

  it('integer status and type codes are small, and is_* smallints are 0 or 1', () => {
    for (const r of rows) {
      expect(r['status']).toBeGreaterThanOrEqual(0);
      expect(r['status']).toBeLessThanOrEqual(5);
      expect(r['ticket_type']).toBeLessThanOrEqual(5);
      expect([0, 1]).toContain(r['is_public']);
    }
    expect(new Set(rows.map((r) => r['is_public'])).size).toBe(2);
    expect(column('status').reason).toMatch(/code int/);
  });

  it('epoch bigints are milliseconds, epoch ints seconds, in the three years before the reference time', () => {
    for (const r of rows) {
      const ms = Number(r['created_at']);
      expect(ms).toBeGreaterThan(REFERENCE - 3.1 * YEAR_MS);
      expect(ms).toBeLessThanOrEqual(REFERENCE);
      const s = Number(r['synced_ts']);
      expect(s * 1000).toBeGreaterThan(REFERENCE - 3.1 * YEAR_MS);
      expect(s * 1000).toBeLessThanOrEqual(REFERENCE);
    }
  });

  it('ticket numbers are digits, event ids are codes, a char(2) country is an ISO code, a numeric(5,4) rate a fraction', () => {
    for (const r of rows) {
      expect(String(r['number'])).toMatch(/^\d{6,10}$/);
      expect(String(r['event_id'])).toMatch(/^[A-Z0-9]{8,16}$/);
      expect(String(r['country'])).toMatch(/^[A-Z]{2}$/);
      if (r['conversion_rate'] !== null) {
        expect(Number(r['conversion_rate'])).toBeGreaterThanOrEqual(0);
        expect(Number(r['conversion_rate'])).toBeLessThanOrEqual(1);
      }
    }
  });

  it('hires people at 18 to 60', () => {
    let checked = 0;
    for (const r of rows) {
      if (r['birth_date'] === null || r['hire_date'] === null) continue;
      const age = (Date.parse(String(r['hire_date'])) - Date.parse(String(r['birth_date']))) / YEAR_MS;
      expect(age).toBeGreaterThanOrEqual(17.99);
      expect(age).toBeLessThanOrEqual(60.01);
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
    expect(column('hire_date').reason).toMatch(/after birth_date/);
  });
});

describe('implicit references', () => {
  const schema = () =>
    schemaOf([
      tableOf('public', 'users', [col('id', 'bigint'), col('email', 'text')], { primaryKey: ['id'] }),
      tableOf('public', 'projects', [col('id', 'integer'), col('owner_user_id', 'bigint')], { primaryKey: ['id'] }),
      tableOf(
        'public',
        'tickets',
        [col('id', 'integer'), col('user_id', 'bigint'), col('project_id', 'integer', { nullable: true }), col('session_id', 'text'), col('external_id', 'varchar', { length: 20 })],
        {
          primaryKey: ['id'],
        },
      ),
    ]);

  it("a <table>_id column with no foreign key picks that table's rows, and the plan says why", () => {
    const plan = buildPlan(schema(), { seed: 1, rows: 300, config: { tables: { users: { rows: 40 }, projects: { rows: 20 } } } });
    const users = new Set(generateRows(plan, 'public.users', 0, 40).map((r) => r[0]));
    const projects = new Set(generateRows(plan, 'public.projects', 0, 20).map((r) => r[0]));
    const tickets = generateRows(plan, 'public.tickets', 0, 300);
    expect(tickets.every((t) => users.has(t[1]))).toBe(true);
    expect(tickets.every((t) => t[2] === null || projects.has(t[2]))).toBe(true);
    expect(generateRows(plan, 'public.projects', 0, 20).every((p) => users.has(p[1]))).toBe(true);
    const reason = plan.tables['public.tickets']!.columns.find((c) => c.name === 'user_id')!.reason;
    expect(reason).toBe('implicit reference (no foreign key declared; named after the table) → public.users(id)');
    // No table is named session or external: those stay as they were.
    expect(plan.tables['public.tickets']!.columns.find((c) => c.name === 'session_id')!.reason).not.toMatch(/reference/);
    expect(plan.loadOrder.indexOf('public.users')).toBeLessThan(plan.loadOrder.indexOf('public.tickets'));
  });

  it('a config generator for the column wins, and a type that does not match the key is left alone', () => {
    const plan = buildPlan(schema(), { seed: 1, rows: 50, config: { tables: { tickets: { columns: { user_id: { generator: 'integer', params: { min: 1, max: 3 } } } } } } });
    expect(plan.tables['public.tickets']!.columns.find((c) => c.name === 'user_id')!.reason).toBe('config');
    const mismatched = schemaOf([
      tableOf('public', 'users', [col('id', 'uuid')], { primaryKey: ['id'] }),
      tableOf('public', 'tickets', [col('id', 'integer'), col('user_id', 'integer')], { primaryKey: ['id'] }),
    ]);
    expect(buildPlan(mismatched, { seed: 1, rows: 10 }).tables['public.tickets']!.columns.find((c) => c.name === 'user_id')!.reason).not.toMatch(/reference/);
  });
});

describe('a CHECK narrows what a name suggests', () => {
  it('a status smallint with CHECK (status >= 0 AND status <= 2) stays within it', async () => {
    const { check } = await import('../test-support/schema-builders.js');
    const schema = schemaOf([
      tableOf('public', 'users', [col('id', 'integer'), col('email_change_confirm_status', 'smallint')], {
        primaryKey: ['id'],
        checks: [check('users_email_change_confirm_status_check', '((email_change_confirm_status >= 0) AND (email_change_confirm_status <= 2))')],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 3, rows: 500 });
    const values = new Set(generateRows(plan, 'public.users', 0, 500).map((r) => r[1]));
    expect([...values].every((v) => typeof v === 'number' && v >= 0 && v <= 2)).toBe(true);
    expect(values.size).toBe(3);
  });
});

describe('implicit references that would not fit', () => {
  it('a varchar(64) workspace_id does not pick from a varchar(256) key', () => {
    const schema = schemaOf([
      tableOf('public', 'workspaces', [col('id', 'varchar', { length: 256 })], { primaryKey: ['id'] }),
      tableOf('public', 'members', [col('id', 'integer'), col('workspace_id', 'varchar', { length: 64 })], { primaryKey: ['id'] }),
      tableOf('public', 'keys', [col('id', 'integer'), col('workspace_id', 'varchar', { length: 256 })], { primaryKey: ['id'] }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 10 });
    expect(plan.tables['public.members']!.columns.find((c) => c.name === 'workspace_id')!.reason).not.toMatch(/reference/);
    expect(plan.tables['public.keys']!.columns.find((c) => c.name === 'workspace_id')!.reason).toMatch(/^implicit reference/);
  });
});

describe('text kept in byte columns (MediaWiki-style VARBINARY and BLOB)', () => {
  const columns = [
    col('page_id', 'integer'),
    col('page_title', 'varbinary', { length: 255 }),
    col('page_content_model', 'varbinary', { length: 32, nullable: true }),
    col('user_name', 'varbinary', { length: 40 }),
    col('comment_text', 'blob'),
    col('page_touched', 'binary', { length: 14 }),
    col('page_payload', 'varbinary', { length: 20 }),
  ];
  const schema = schemaOf([tableOf('public', 'page', columns, { primaryKey: ['page_id'], uniques: [uniqueKey('page_user_name', ['user_name'])] })]);
  const plan = buildPlan(schema, { seed: 5, rows: 1500 });
  const rows = generateRows(plan, 'public.page', 0, 1500);
  const at = (name: string) => columns.findIndex((c) => c.name === name);
  const printable = /^[\x20-\x7e]+$/;

  it('a text-named byte column holds readable UTF-8 text that fits its byte length', () => {
    for (const name of ['page_title', 'user_name', 'comment_text']) {
      for (const r of rows) {
        const v = r[at(name)];
        expect(Buffer.isBuffer(v), name).toBe(true);
        const text = (v as Buffer).toString('utf8');
        expect(text, name).toMatch(printable);
        expect(text, name).toMatch(/[A-Za-z]{2}/);
        const limit = columns[at(name)]!.length;
        if (limit !== undefined) expect((v as Buffer).length).toBeLessThanOrEqual(limit);
      }
      expect(plan.tables['public.page']!.columns[at(name)]!.reason, name).toMatch(/stored as UTF-8 bytes/);
    }
    // A unique text-named byte column stays unique.
    expect(new Set(rows.map((r) => (r[at('user_name')] as Buffer).toString('hex'))).size).toBe(rows.length);
  });

  it('a byte column whose name says nothing about text keeps random bytes', () => {
    const digests = rows.map((r) => r[at('page_payload')] as Buffer);
    expect(digests.some((d) => !printable.test(d.toString('latin1')))).toBe(true);
    expect(plan.tables['public.page']!.columns[at('page_payload')]!.reason).not.toMatch(/UTF-8/);
  });
});

describe("moments in a row's life come after it was created", () => {
  it('started_at, finished_at and processed_on follow created_at; completed_at follows started_at', () => {
    const columns = [
      col('id', 'integer'),
      col('created_at', 'timestamptz'),
      col('started_at', 'timestamptz', { nullable: true }),
      col('completed_at', 'timestamptz', { nullable: true }),
      col('finished_at', 'timestamptz', { nullable: true }),
      col('processed_on', 'date', { nullable: true }),
    ];
    const schema = schemaOf([tableOf('public', 'jobs', columns, { primaryKey: ['id'] })]);
    const plan = buildPlan(schema, { seed: 2, rows: 1000, referenceTime: new Date(REFERENCE) });
    const rows = generateRows(plan, 'public.jobs', 0, 1000);
    const t = (v: unknown): number => Date.parse(String(v));
    let pairs = 0;
    for (const r of rows) {
      for (const [later, earlier] of [
        [2, 1],
        [3, 2],
        [4, 1],
      ] as const) {
        if (r[later] === null || r[earlier] === null) continue;
        expect(t(r[later])).toBeGreaterThanOrEqual(t(r[earlier]));
        pairs++;
      }
      // A date column compares by day.
      if (r[5] !== null) expect(t(r[5])).toBeGreaterThanOrEqual(t(String(r[1]).slice(0, 10)));
    }
    expect(pairs).toBeGreaterThan(1500);
    expect(plan.tables['public.jobs']!.columns.find((c) => c.name === 'started_at')!.reason).toMatch(/after created_at/);
  });

  it('nullable created_at and updated_at are set on every row, as an ORM sets them (sharetribe people, Rails before 5)', () => {
    const columns = [col('id', 'integer'), col('created_at', 'timestamp', { nullable: true }), col('updated_at', 'timestamp', { nullable: true }), col('deleted_at', 'timestamp', { nullable: true })];
    const schema = schemaOf([tableOf('public', 'people', columns, { primaryKey: ['id'] })]);
    const plan = buildPlan(schema, { seed: 2, rows: 1000, referenceTime: new Date(REFERENCE) });
    const rows = generateRows(plan, 'public.people', 0, 1000);
    expect(rows.filter((r) => r[1] === null || r[2] === null)).toEqual([]);
    expect(rows.filter((r) => r[3] === null).length).toBeGreaterThan(500);
  });

  it("an end with no meaning of its own follows its start (sim's subscription: period_start / period_end, trial_start / trial_end)", () => {
    const columns = [
      col('id', 'integer'),
      col('period_start', 'timestamp', { nullable: true }),
      col('period_end', 'timestamp', { nullable: true }),
      col('trial_start', 'date'),
      col('trial_end', 'date'),
    ];
    const schema = schemaOf([tableOf('public', 'subscription', columns, { primaryKey: ['id'] })]);
    const plan = buildPlan(schema, { seed: 2, rows: 1000, referenceTime: new Date(REFERENCE) });
    const rows = generateRows(plan, 'public.subscription', 0, 1000);
    const t = (v: unknown): number => Date.parse(String(v));
    expect(rows.filter((r) => r[1] !== null && r[2] !== null && t(r[2]) < t(r[1]))).toEqual([]);
    expect(rows.filter((r) => t(r[4]) < t(r[3]))).toEqual([]);
    expect(rows.filter((r) => r[1] !== null && r[2] !== null).length).toBeGreaterThan(700);
  });

  it("a user's last login follows their registration (friendica: register_date, login_date)", () => {
    const columns = [col('uid', 'integer'), col('register_date', 'timestamp'), col('login_date', 'timestamp', { nullable: true })];
    const schema = schemaOf([tableOf('public', 'user', columns, { primaryKey: ['uid'] })]);
    const plan = buildPlan(schema, { seed: 2, rows: 1000, referenceTime: new Date(REFERENCE) });
    const rows = generateRows(plan, 'public.user', 0, 1000).filter((r) => r[2] !== null);
    expect(rows.length).toBeGreaterThan(800);
    expect(rows.filter((r) => Date.parse(String(r[2])) < Date.parse(String(r[1])))).toEqual([]);
    expect(rows.filter((r) => Date.parse(String(r[2])) > REFERENCE + 86_400_000).slice(0, 3)).toEqual([]);
  });
});

describe('MySQL integer display widths (zen cart)', () => {
  it('int(1) is a flag, as tinyint(1) is; int(3) has at most three digits; int(11) says nothing', () => {
    const columns = [
      col('id', 'integer'),
      col('banners_on_ssl', 'integer', { rawType: 'int(1)' }),
      col('sort_weight', 'smallint', { rawType: 'smallint(3)' }),
      col('hits', 'integer', { rawType: 'int(11)' }),
    ];
    const schema = schemaOf([tableOf('shop', 'banners', columns, { primaryKey: ['id'] })], { dialect: 'mysql', namespaces: ['shop'] });
    const plan = buildPlan(schema, { seed: 2, rows: 500, referenceTime: new Date(REFERENCE) });
    const rows = generateRows(plan, 'shop.banners', 0, 500);
    const values = (i: number): number[] => rows.map((r) => r[i]).filter((v): v is number => v !== null);
    expect([...new Set(values(1))].sort()).toEqual([0, 1]);
    expect(Math.max(...values(2))).toBeLessThanOrEqual(999);
    expect(Math.max(...values(3))).toBeGreaterThan(999);
  });
});

describe('numbers bounded by a sibling (cacti: min_time / max_time)', () => {
  it('a maximum is at least its minimum, an end at least its start, a to at least its from; other numbers are free', () => {
    const columns = [
      col('id', 'integer'),
      col('min_time', 'decimal', { precision: 10, scale: 5, nullable: true }),
      col('max_time', 'decimal', { precision: 10, scale: 5, nullable: true }),
      col('start_line', 'integer'),
      col('end_line', 'integer'),
      col('from_port', 'integer'),
      col('to_port', 'integer'),
      col('total_polls', 'integer'),
      col('failed_polls', 'integer'),
    ];
    const schema = schemaOf([tableOf('public', 'host', columns, { primaryKey: ['id'] })]);
    const plan = buildPlan(schema, { seed: 4, rows: 1000, referenceTime: new Date(REFERENCE) });
    const rows = generateRows(plan, 'public.host', 0, 1000);
    const pairs: Array<[number, number]> = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    for (const [lo, hi] of pairs) {
      const both = rows.filter((r) => r[lo] !== null && r[hi] !== null);
      expect(both.length, columns[hi]!.name).toBeGreaterThan(500);
      expect(both.filter((r) => Number(r[hi]) < Number(r[lo])).slice(0, 3), columns[hi]!.name).toEqual([]);
    }
    expect(plan.tables['public.host']!.columns.find((c) => c.name === 'max_time')!.reason).toMatch(/after min_time/);
  });
});

describe('a unique code in a wide column (unkey: org_id varchar(256) UNIQUE)', () => {
  it('is a code of its own length, distinct, not 256 letters', () => {
    const columns = [col('pk', 'bigint'), col('org_id', 'varchar', { length: 256 }), col('short_code', 'varchar', { length: 4 })];
    const schema = schemaOf([tableOf('app', 'workspaces', columns, { primaryKey: ['pk'], uniques: [uniqueKey('org_key', ['org_id']), uniqueKey('code_key', ['short_code'])] })], {
      dialect: 'mysql',
      namespaces: ['app'],
    });
    const plan = buildPlan(schema, { seed: 2, rows: 2000, referenceTime: new Date(REFERENCE) });
    const rows = generateRows(plan, 'app.workspaces', 0, 2000);
    const orgs = rows.map((r) => String(r[1]));
    expect(new Set(orgs).size).toBe(2000);
    expect(Math.max(...orgs.map((o) => o.length))).toBeLessThanOrEqual(16);
    // A column too short for more stays a code of its full length.
    expect(new Set(rows.map((r) => String(r[2]).length))).toEqual(new Set([4]));
    expect(new Set(rows.map((r) => r[2])).size).toBe(2000);
  });
});

describe("a person's title in a short column (Gibbon: gibbonPerson.title varchar(5))", () => {
  it('is an honorific, not a job title cut to five letters; a wide one stays a job title', () => {
    const schema = schemaOf([tableOf('public', 'person', [col('id', 'integer'), col('title', 'varchar', { length: 5 })], { primaryKey: ['id'] })]);
    const wide = schemaOf([tableOf('public', 'person', [col('id', 'integer'), col('title', 'varchar', { length: 100 })], { primaryKey: ['id'] })]);
    const rows = generateRows(buildPlan(schema, { seed: 2, rows: 300, referenceTime: new Date(REFERENCE) }), 'public.person', 0, 300);
    for (const r of rows) if (r[1] !== null) expect(String(r[1])).toMatch(/^(Mr|Mrs|Ms|Miss|Dr)\.?$/);
    const jobs = generateRows(buildPlan(wide, { seed: 2, rows: 300, referenceTime: new Date(REFERENCE) }), 'public.person', 0, 300).map((r) => String(r[1]));
    expect(jobs.filter((j) => j.split(' ').length >= 2).length).toBeGreaterThan(200);
  });
});

describe('a uuid in a unique text column (MISP: events.uuid varchar(40) UNIQUE)', () => {
  it('is a bare uuid, distinct by itself, with no uniqueness suffix', () => {
    const schema = schemaOf([
      tableOf('public', 'events', [col('id', 'integer'), col('uuid', 'varchar', { length: 40 }), col('event_uuid', 'char', { length: 36 })], {
        primaryKey: ['id'],
        uniques: [uniqueKey('events_uuid', ['uuid']), uniqueKey('events_event_uuid', ['event_uuid'])],
      }),
    ]);
    const rows = generateRows(buildPlan(schema, { seed: 2, rows: 3000, referenceTime: new Date(REFERENCE) }), 'public.events', 0, 3000);
    for (const i of [1, 2]) {
      const values = rows.map((r) => String(r[i]));
      for (const v of values) expect(v).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new Set(values).size).toBe(3000);
    }
  });
});
