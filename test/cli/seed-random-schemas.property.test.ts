/**
 * A property over random schemas: a random DDL (tables, types, arrays, NOT NULL,
 * UNIQUE, CHECKs — bounds, lengths, array sizes, NULL patterns over plain and
 * foreign-key columns, contradictions —, FKs to earlier tables or to itself) always either seeds into
 * PGlite with every constraint satisfied, or fails to plan with the documented
 * PlanError — never a load error from the database.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, openPgliteSink, type PgliteConnection } from '@understudy/postgres';
import { buildPlan, PlanError, seed } from '@understudy/generate';
import { checkSeededDatabase, type CheckTarget } from '../db-checks.js';

const TYPES = ['integer', 'smallint', 'bigint', 'varchar(3)', 'varchar(40)', 'char(2)', 'text', 'numeric(6,2)', 'boolean', 'date', 'timestamptz', 'uuid', 'integer[]', 'text[]'] as const;

const column = fc.record({
  type: fc.constantFrom(...TYPES),
  notNull: fc.boolean(),
  unique: fc.boolean(),
  // `contradiction` (x > 5 AND x < 3) must be refused by the plan, never reach the database.
  check: fc.oneof({ arbitrary: fc.constantFrom('none', 'positive', 'nonempty', 'items', 'fewItems', 'firstDimension'), weight: 20 }, { arbitrary: fc.constant('contradiction'), weight: 1 }),
});
/** A CHECK over the NULLs of 2–3 of the table's columns (foreign-key columns included), in one of many spellings. */
const nullCheck = fc.record({ shape: fc.nat(9), members: fc.array(fc.nat(7), { minLength: 2, maxLength: 3 }) });
const table = fc.record({
  pk: fc.constantFrom('serial', 'identity', 'uuid', 'text', 'none'),
  columns: fc.array(column, { minLength: 1, maxLength: 4 }),
  fks: fc.array(fc.record({ parent: fc.nat(3), notNull: fc.boolean(), unique: fc.boolean() }), { maxLength: 2 }),
  selfRef: fc.boolean(),
  nullCheck: fc.option(nullCheck, { freq: 2 }),
});
const schemaSpec = fc.record({ tables: fc.array(table, { minLength: 1, maxLength: 4 }), rows: fc.constantFrom(0, 1, 50, 300) });

type Spec = typeof schemaSpec extends fc.Arbitrary<infer T> ? T : never;
type NullCheck = typeof nullCheck extends fc.Arbitrary<infer T> ? T : never;

/** The NULL-pattern CHECK `spec` over 2 or 3 distinct columns. */
function nullCheckOf(spec: NullCheck, names: string[]): string {
  const [a, b, c] = names as [string, string, string | undefined];
  switch (spec.shape) {
    case 0:
      return `num_nonnulls(${names.join(', ')}) = 1`;
    case 1:
      return `(${a} IS NOT NULL) <> (${b} IS NOT NULL)`;
    case 2:
      return `(${a} IS NULL) = (${b} IS NULL)`;
    case 3:
      return c ? `${a} IS NOT NULL OR (${b} IS NOT NULL AND ${c} IS NOT NULL)` : `${a} IS NOT NULL OR ${b} IS NOT NULL`;
    case 4:
      return `(${names.map((n) => `(${n} IS NOT NULL)::int`).join(' + ')}) = 1`;
    case 5:
      return `num_nulls(${names.join(', ')}) >= 1`;
    case 6:
      return `(${a} IS NOT NULL AND ${b} IS NULL) OR (${a} IS NULL AND ${b} IS NOT NULL)`;
    case 7:
      return `NOT ((${a} IS NULL) = (${b} IS NULL))`;
    case 8:
      return `(${a} IS NULL) != (${b} IS NULL)`;
    default:
      return `num_nonnulls(${names.join(', ')}) = ANY (ARRAY[0, ${names.length}])`;
  }
}

function columnCheck(name: string, type: string, check: string): string {
  const array = type.endsWith('[]');
  if (array) {
    if (check === 'items') return ` CHECK (cardinality(${name}) > 0)`;
    if (check === 'fewItems') return ` CHECK (cardinality(${name}) <= 2)`;
    if (check === 'firstDimension') return ` CHECK (array_length(${name}, 1) BETWEEN 1 AND 3)`;
    return '';
  }
  const numeric = /int|numeric/.test(type);
  if (check === 'positive' && numeric) return ` CHECK (${name} > 0)`;
  if (check === 'contradiction' && numeric) return ` CHECK (${name} > 5 AND ${name} < 3)`;
  if (check === 'nonempty' && /char|text/.test(type)) return ` CHECK (char_length(${name}) >= 1)`;
  return '';
}

function ddl(ns: string, spec: Spec): string {
  const out = [`CREATE SCHEMA ${ns};`];
  spec.tables.forEach((t, i) => {
    const lines: string[] = [];
    if (t.pk === 'serial') lines.push('id serial PRIMARY KEY');
    else if (t.pk === 'identity') lines.push('id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY');
    else if (t.pk === 'uuid') lines.push('id uuid PRIMARY KEY');
    else if (t.pk === 'text') lines.push('id varchar(12) PRIMARY KEY');
    const members: string[] = [];
    t.columns.forEach((c, k) => {
      const name = `c${k}`;
      // Arrays are never unique by construction: keep them out of random keys.
      const unique = c.unique && !c.type.endsWith('[]');
      lines.push(`${name} ${c.type}${c.notNull ? ' NOT NULL' : ''}${unique ? ' UNIQUE' : ''}${columnCheck(name, c.type, c.check)}`);
      members.push(name);
    });
    if (t.pk !== 'none') {
      t.fks.forEach((f, k) => {
        const parent = f.parent % (i + 1);
        if (parent === i || spec.tables[parent]!.pk === 'none') return;
        const type = spec.tables[parent]!.pk === 'uuid' ? 'uuid' : spec.tables[parent]!.pk === 'text' ? 'varchar(12)' : 'integer';
        lines.push(`p${k} ${type}${f.notNull ? ' NOT NULL' : ''}${f.unique ? ' UNIQUE' : ''} REFERENCES ${ns}.t${parent} (id)`);
        members.push(`p${k}`);
      });
      if (t.selfRef) lines.push(`parent_id ${t.pk === 'uuid' ? 'uuid' : t.pk === 'text' ? 'varchar(12)' : 'integer'} REFERENCES ${ns}.t${i} (id)`);
    }
    if (t.nullCheck) {
      // Exactly one parent, both or neither, at least one…: over plain and foreign-key columns alike.
      const names = [...new Set(t.nullCheck.members.map((m) => members[m % members.length]!))];
      if (names.length >= 2) lines.push(`CONSTRAINT t${i}_nulls CHECK (${nullCheckOf(t.nullCheck, names)})`);
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
    // The newer CHECK shapes must be exercised, not merely possible.
    const seen = { nullPatterns: 0, arraySizes: 0, contradictions: 0 };
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
          if ((error as PlanError).problems.some((p) => p.code === 'contradictory-check')) seen.contradictions++;
          refused++;
          return;
        }
        // A CHECK the plan interprets must hold in the database (the load enforces it, the checker recounts it).
        for (const t of Object.values(plan.tables)) {
          if (t.nullGroups.length > 0 && t.rows > 0) seen.nullPatterns++;
          if (t.rows > 0 && t.checks.some((c) => /cardinality|array_length/.test(c.expression) && c.status === 'interpreted')) seen.arraySizes++;
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
    expect(seen.nullPatterns).toBeGreaterThan(5);
    expect(seen.arraySizes).toBeGreaterThan(2);
    expect(seen.contradictions).toBeGreaterThan(0);
    console.log(
      `random schemas: ${loaded} loaded, ${refused} refused with a PlanError; loaded tables with NULL-pattern groups ${seen.nullPatterns}, with array sizes ${seen.arraySizes}; ${seen.contradictions} contradictions refused`,
    );
  });
});
