/**
 * A property over random schemas: a random DDL (tables, types, NOT NULL,
 * UNIQUE, CHECKs, FKs to earlier tables or to itself) always either seeds into
 * PGlite with every constraint satisfied, or fails to plan with the documented
 * PlanError — never a load error from the database.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, openPgliteSink, type PgliteConnection } from '@understudy/postgres';
import { buildPlan, PlanError, seed } from '@understudy/generate';
import { checkSeededDatabase, type CheckTarget } from '../db-checks.js';

const TYPES = ['integer', 'smallint', 'bigint', 'varchar(3)', 'varchar(40)', 'char(2)', 'text', 'numeric(6,2)', 'boolean', 'date', 'timestamptz', 'uuid'] as const;

const column = fc.record({
  type: fc.constantFrom(...TYPES),
  notNull: fc.boolean(),
  unique: fc.boolean(),
  check: fc.constantFrom('none', 'positive', 'nonempty'),
});
const table = fc.record({
  pk: fc.constantFrom('serial', 'identity', 'uuid', 'text', 'none'),
  columns: fc.array(column, { minLength: 1, maxLength: 4 }),
  fks: fc.array(fc.record({ parent: fc.nat(3), notNull: fc.boolean(), unique: fc.boolean() }), { maxLength: 2 }),
  selfRef: fc.boolean(),
});
const schemaSpec = fc.record({ tables: fc.array(table, { minLength: 1, maxLength: 4 }), rows: fc.constantFrom(0, 1, 50, 300) });

type Spec = typeof schemaSpec extends fc.Arbitrary<infer T> ? T : never;

function ddl(ns: string, spec: Spec): string {
  const out = [`CREATE SCHEMA ${ns};`];
  spec.tables.forEach((t, i) => {
    const lines: string[] = [];
    if (t.pk === 'serial') lines.push('id serial PRIMARY KEY');
    else if (t.pk === 'identity') lines.push('id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY');
    else if (t.pk === 'uuid') lines.push('id uuid PRIMARY KEY');
    else if (t.pk === 'text') lines.push('id varchar(12) PRIMARY KEY');
    t.columns.forEach((c, k) => {
      const name = `c${k}`;
      let line = `${name} ${c.type}${c.notNull ? ' NOT NULL' : ''}${c.unique ? ' UNIQUE' : ''}`;
      const numeric = /int|numeric/.test(c.type);
      if (c.check === 'positive' && numeric) line += ` CHECK (${name} > 0)`;
      if (c.check === 'nonempty' && /char|text/.test(c.type)) line += ` CHECK (char_length(${name}) >= 1)`;
      lines.push(line);
    });
    if (t.pk !== 'none') {
      t.fks.forEach((f, k) => {
        const parent = f.parent % (i + 1);
        if (parent === i || spec.tables[parent]!.pk === 'none') return;
        const type = spec.tables[parent]!.pk === 'uuid' ? 'uuid' : spec.tables[parent]!.pk === 'text' ? 'varchar(12)' : 'integer';
        lines.push(`p${k} ${type}${f.notNull ? ' NOT NULL' : ''}${f.unique ? ' UNIQUE' : ''} REFERENCES ${ns}.t${parent} (id)`);
      });
      if (t.selfRef) lines.push(`parent_id ${t.pk === 'uuid' ? 'uuid' : t.pk === 'text' ? 'varchar(12)' : 'integer'} REFERENCES ${ns}.t${i} (id)`);
    }
    out.push(`CREATE TABLE ${ns}.t${i} (\n  ${lines.join(',\n  ')}\n);`);
  });
  return out.join('\n');
}

let conn: PgliteConnection;
beforeAll(async () => {
  conn = await openPglite();
});
afterAll(async () => {
  await conn?.close();
});

describe('seed over random schemas (PGlite)', () => {
  it('always loads with every constraint satisfied, or fails with the documented PlanError', async () => {
    let loaded = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(schemaSpec, fc.integer({ min: 1, max: 1000 }), async (spec, seedValue) => {
        const ns = `r_${randomBytes(4).toString('hex')}`;
        await conn.pglite.exec(ddl(ns, spec));
        const schema = await conn.introspect({ schemas: [ns] });
        let plan;
        try {
          plan = buildPlan(schema, { seed: seedValue, rows: spec.rows });
        } catch (error) {
          expect(error).toBeInstanceOf(PlanError);
          refused++;
          return;
        }
        const sink = await openPgliteSink({ pglite: conn.pglite, schema, truncate: false });
        const result = await seed({ plan, sink, workers: 0, chunkRows: 64 });
        loaded++;
        if (spec.rows === 0) return;
        const target: CheckTarget = { dialect: 'postgres', quote: (n) => `"${n.replace(/"/g, '""')}"`, query: async (sql) => (await conn.pglite.query<Record<string, unknown>>(sql)).rows };
        const report = await checkSeededDatabase(target, schema, Object.fromEntries(result.tables.map((t) => [t.table, t.rows])));
        expect(report.problems).toEqual([]);
      }),
      { numRuns: 60, seed: 20261122 },
    );
    expect(loaded).toBeGreaterThan(0);
    console.log(`random schemas: ${loaded} loaded, ${refused} refused with a PlanError`);
  });
});
