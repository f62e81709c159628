import { describe, expect, it } from 'vitest';
import { builtInDictionaries, loadPiiDictionaries } from './pii/dictionaries.js';
import { buildProfile } from './profile-build.js';
import { fanoutBuckets, fanoutSql, lengthSql } from './profile-scan-sql.js';
import { SchemaModel, type Schema } from './schema-model.js';

const schema: Schema = SchemaModel.parse({
  version: 1,
  dialect: 'postgres',
  source: 'postgres://app:hunter2@db/prod',
  namespaces: ['public'],
  tables: {
    'public.users': {
      schema: 'public',
      name: 'users',
      kind: 'table',
      rowEstimate: null,
      columns: [
        { name: 'id', rawType: 'integer', kind: 'integer', nullable: false },
        { name: 'email', rawType: 'text', kind: 'text', nullable: false },
      ],
      primaryKey: { columns: ['id'] },
    },
    'public.orders': {
      schema: 'public',
      name: 'orders',
      kind: 'table',
      rowEstimate: null,
      columns: [
        { name: 'id', rawType: 'integer', kind: 'integer', nullable: false },
        { name: 'user_id', rawType: 'integer', kind: 'integer', nullable: true },
        { name: 'tenant', rawType: 'integer', kind: 'integer', nullable: true },
        { name: 'recipient', rawType: 'varchar(60)', kind: 'varchar', length: 60, nullable: true },
      ],
      foreignKeys: [{ name: 'orders_user_fk', columns: ['user_id', 'tenant'], references: { table: 'public.users', columns: ['id', 'tenant'] } }],
    },
  },
});
const quote = (id: string): string => `"${id.replace(/"/g, '""')}"`;

describe('count-only scan SQL', () => {
  it('joins every key column, groups by the parent key and returns counts only', () => {
    const text = fanoutSql(schema, schema.tables['public.orders']!.foreignKeys[0]!, schema.tables['public.orders']!, quote)!;
    expect(text).toBe(
      'select n, count(*) as c from (select count(c."user_id") as n from "public"."users" p left join "public"."orders" c ' +
        'on c."user_id" = p."id" and c."tenant" = p."tenant" where p."id" is not null and p."tenant" is not null group by p."id", p."tenant") s group by n',
    );
    expect(lengthSql(schema.tables['public.users']!, schema.tables['public.users']!.columns[1]!, quote)).toBe(
      'select char_length("email") as n, count(*) as c from "public"."users" where "email" is not null group by char_length("email")',
    );
    expect(
      fanoutBuckets([
        { n: '0', c: '2' },
        { n: 5, c: 1 },
        { n: 6, c: 3 },
      ]),
    ).toEqual([
      { children: '0', parents: 2 },
      { children: '4-7', parents: 4 },
    ]);
  });
});

describe('buildProfile', () => {
  it('covers every table and column, notes unanalysed tables and hides the password', () => {
    const raw = new Map([
      ['public.users', { rowEstimate: 1000, analysed: true, columns: new Map([['email', { nullFraction: 0, distinctRatio: 1, mostCommon: { values: ['a@b.example.com'], frequencies: [0.5] } }]]) }],
    ]);
    const profile = buildProfile(schema, raw, { scanned: false, ranAnalyze: false, takenAt: new Date(0), dictionaries: builtInDictionaries() });
    expect(profile.source).toBe('postgres://app:***@db/prod');
    expect(Object.keys(profile.tables)).toEqual(['public.orders', 'public.users']);
    expect(profile.tables['public.users']!.columns['email']!.mostCommon).toBeUndefined();
    expect(profile.tables['public.users']!.columns['id']!.kept).toEqual([]);
    expect(profile.tables['public.orders']!.analysed).toBe(false);
    expect(profile.tables['public.orders']!.foreignKeys['orders_user_fk']!.fanout).toBeUndefined();
    expect(profile.notes[0]).toMatch(/1 table\(s\) have no statistics.*public\.orders.*--analyze/);
  });

  it('keeps only the shape of a foreign key to a table of people, and of columns whose values name people', async () => {
    const histogram = { nullFraction: 0, distinctCount: 900, histogramBounds: Array.from({ length: 11 }, (_, i) => i * 100) };
    const raw = new Map([
      [
        'public.orders',
        {
          rowEstimate: 100_000,
          analysed: true,
          columns: new Map([
            ['user_id', histogram],
            ['tenant', histogram],
            ['id', histogram],
          ]),
        },
      ],
    ]);
    const profile = buildProfile(schema, raw, { scanned: false, ranAnalyze: false, dictionaries: builtInDictionaries() });
    const orders = profile.tables['public.orders']!.columns;
    for (const name of ['user_id', 'tenant']) {
      expect(orders[name]!.histogram, name).toBeUndefined();
      expect(orders[name]!.personal, name).toBe(true);
      expect(orders[name]!.reason, name).toMatch(/references personal table "public\.users": shape only/);
    }
    expect(orders['id']!.histogram?.bounds).toHaveLength(11);

    const people = new Map([
      [
        'public.orders',
        {
          rowEstimate: 10_000,
          analysed: true,
          columns: new Map([['recipient', { distinctCount: 4, mostCommon: { values: ['Maria Garcia', 'John Smith', 'Ana Lima', 'Hank Aaron'], frequencies: [0.25, 0.25, 0.25, 0.25] } }]]),
        },
      ],
    ]);
    const named = buildProfile(schema, people, { scanned: false, ranAnalyze: false, dictionaries: await loadPiiDictionaries() }).tables['public.orders']!.columns['recipient']!;
    expect(named.mostCommon).toBeUndefined();
    expect(named.reason).toMatch(/personal by content: values look like person-name/);
    expect(named.detected?.[0]).toMatchObject({ kind: 'person-name', matches: 4, examined: 4 });
  });

  it('refuses a k that is not a positive integer', () => {
    expect(() => buildProfile(schema, new Map(), { scanned: false, ranAnalyze: false, k: 0, dictionaries: builtInDictionaries() })).toThrow(/k must be a positive integer/);
  });
});
