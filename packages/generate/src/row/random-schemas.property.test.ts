import type { Column, ColumnKind, ForeignKey, Schema, Table } from '@understudy/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../plan/build-plan.js';
import { PlanError } from '../plan/plan-errors.js';
import { check, col, fk, schemaOf, tableOf, uniqueKey } from '../test-support/schema-builders.js';
import { verifyPlanRows } from '../test-support/verify-rows.js';

const DOCUMENTED_CODES = new Set([
  'unsupported-column',
  'unique-capacity',
  'unbreakable-cycle',
  'missing-parent',
  'empty-parent',
  'unloaded-reference',
  'config',
  'deferred-without-key',
  'conflicting-keys',
  'contradictory-check',
]);

interface ColumnSpec {
  kind: ColumnKind;
  length: number;
  nullable: boolean;
  check: number;
  /** 0: a one-dimensional array of this kind (PostgreSQL). */
  array: number;
}

const KINDS: ColumnKind[] = [
  'integer',
  'smallint',
  'tinyint',
  'varchar',
  'char',
  'text',
  'decimal',
  'boolean',
  'date',
  'timestamptz',
  'uuid',
  'enum',
  'bigint',
  'real',
  'time',
  'inet',
  'varbinary',
  'jsonb',
  'bit',
];

const columnSpec = fc.record({
  kind: fc.constantFrom(...KINDS),
  length: fc.integer({ min: 1, max: 12 }),
  nullable: fc.boolean(),
  check: fc.integer({ min: 0, max: 5 }),
  array: fc.integer({ min: 0, max: 2 }),
});

/** A CHECK over the NULLs of 2–3 columns (normal or foreign-key columns, nullable or not), in one of many spellings. */
const nullCheckSpec = fc.record({ shape: fc.nat(9), members: fc.array(fc.nat(8), { minLength: 2, maxLength: 3 }) });

const tableSpec = fc.record({
  pk: fc.constantFrom('integer', 'uuid', 'varchar', 'none'),
  pkLength: fc.integer({ min: 2, max: 10 }),
  columns: fc.array(columnSpec, { minLength: 1, maxLength: 5 }),
  uniques: fc.array(fc.array(fc.nat(6), { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
  fks: fc.array(fc.record({ parent: fc.nat(3), nullable: fc.boolean(), composite: fc.boolean(), inUnique: fc.boolean() }), { maxLength: 2 }),
  selfRef: fc.boolean(),
  nullCheck: fc.option(nullCheckSpec, { freq: 2 }),
  rows: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 100, max: 400 })),
});

const NAMES = ['email', 'code', 'name', 'created_at', 'amount', 'status', 'rating', 'notes', 'flag'];

const isArray = (spec: ColumnSpec, mysql: boolean): boolean =>
  !mysql && spec.array === 0 && ['integer', 'smallint', 'bigint', 'text', 'varchar', 'decimal', 'date', 'uuid', 'boolean'].includes(spec.kind);

function columnOf(spec: ColumnSpec, name: string, mysql: boolean): Column {
  const extra: Partial<Column> = { nullable: spec.nullable };
  if (isArray(spec, mysql)) Object.assign(extra, { arrayDimensions: 1, rawType: `${spec.kind}[]` });
  if (spec.kind === 'varchar' || spec.kind === 'char' || spec.kind === 'varbinary' || spec.kind === 'bit') extra.length = spec.length;
  if (spec.kind === 'decimal') Object.assign(extra, { precision: Math.max(2, spec.length), scale: Math.min(2, spec.length - 1) });
  if (spec.kind === 'enum') extra.values = ['x', 'y', 'z'];
  return col(name, spec.kind, extra);
}

function checkOf(spec: ColumnSpec, name: string, table: string, mysql: boolean, other?: string): Table['checks'][number] | undefined {
  const c = `${table}_${name}_check`;
  if (isArray(spec, mysql)) {
    if (spec.check === 1) return check(c, `(cardinality(${name}) > 0)`);
    if (spec.check === 2) return check(c, `(((array_length(${name}, 1) >= 1) AND (array_length(${name}, 1) <= 3)))`);
    if (spec.check === 3) return check(c, `(cardinality(${name}) <= 2)`);
    return undefined;
  }
  switch (spec.kind) {
    case 'integer':
    case 'smallint':
    case 'bigint':
      // A contradictory CHECK: the plan must refuse it (contradictory-check), never claim it.
      if (spec.check === 5 && spec.length <= 2) return check(c, mysql ? `\`${name}\` > 5 and \`${name}\` < 3` : `((${name} > 5) AND (${name} < 3))`);
      if (mysql) return spec.check === 1 ? check(c, `\`${name}\` >= 0 and \`${name}\` <= ${spec.length * 10}`) : spec.check === 2 ? check(c, `(\`${name}\` between 5 and 500)`) : undefined;
      return spec.check === 1 ? check(c, `((${name} >= 0) AND (${name} <= ${spec.length * 10}))`) : spec.check === 2 ? check(c, `(${name} > 5)`) : undefined;
    case 'varchar':
    case 'text':
      if (mysql) {
        if (spec.check === 1) return check(c, `char_length(\`${name}\`) >= ${Math.min(spec.length, 2)}`);
        if (spec.check === 2) return check(c, `\`${name}\` in (_utf8mb4'a',_utf8mb4'bb',_utf8mb4'c')`);
        if (spec.check === 3) return check(c, `\`${name}\` regexp '^[A-Z][0-9]*$'`);
        return undefined;
      }
      if (spec.check === 1) return check(c, `(length((${name})::text) >= ${Math.min(spec.length, 2)})`);
      if (spec.check === 2) return check(c, `((${name})::text = ANY (ARRAY['a'::text, 'bb'::text, 'c'::text]))`);
      if (spec.check === 3) return check(c, `((${name})::text ~~ 'Q%'::text)`);
      if (spec.check === 4) return check(c, `((${name})::text ~ '^[a-f]{1,4}$'::text)`);
      return undefined;
    case 'decimal':
      return spec.check >= 1 ? check(c, `((${name})::numeric >= 0::numeric)`) : undefined;
    case 'date':
    case 'timestamptz':
      return spec.check >= 2 && other ? check(c, `(${name} > ${other})`) : undefined;
    default:
      return undefined;
  }
}

type TableSpec = typeof tableSpec extends fc.Arbitrary<infer T> ? T : never;
type NullCheckSpec = typeof nullCheckSpec extends fc.Arbitrary<infer T> ? T : never;

/** A NULL-pattern CHECK over `names` (2 or 3 distinct columns), as PostgreSQL or MariaDB prints it. */
function nullCheckOf(spec: NullCheckSpec, names: string[], mysql: boolean): string {
  const q = (n: string): string => (mysql ? `\`${n}\`` : n);
  const [a, b, c] = names.map(q) as [string, string, string | undefined];
  const notNull = (x: string): string => (mysql ? `${x} is not null` : `(${x} IS NOT NULL)`);
  const isNull = (x: string): string => (mysql ? `${x} is null` : `(${x} IS NULL)`);
  if (mysql) {
    switch (spec.shape % 6) {
      case 0:
        return `${notNull(a)} <> (${notNull(b)})`;
      case 1:
        return `${isNull(a)} = (${isNull(b)})`;
      case 2:
        return `${names.map((n) => `(${notNull(q(n))})`).join(' + ')} = 1`;
      case 3:
        return c ? `${notNull(a)} or ${notNull(b)} and ${notNull(c)}` : `${notNull(a)} or ${notNull(b)}`;
      case 4:
        return `${names.map((n) => `isnull(${q(n)})`).join(' + ')} >= 1`;
      default:
        return `${notNull(a)} and ${isNull(b)} or ${isNull(a)} and ${notNull(b)}`;
    }
  }
  switch (spec.shape) {
    case 0:
      return `(num_nonnulls(${names.join(', ')}) = 1)`;
    case 1:
      return `(${notNull(a)} <> ${notNull(b)})`;
    case 2:
      return `(${isNull(a)} = ${isNull(b)})`;
    case 3:
      return c ? `(${notNull(a)} OR (${notNull(b)} AND ${notNull(c)}))` : `(${notNull(a)} OR ${notNull(b)})`;
    case 4:
      return `((${names.map((n) => `(${notNull(n)})::integer`).join(' + ')}) = 1)`;
    case 5:
      return `(num_nulls(${names.join(', ')}) >= 1)`;
    case 6:
      return `((${notNull(a)} AND ${isNull(b)}) OR (${isNull(a)} AND ${notNull(b)}))`;
    case 7:
      return `(NOT (${isNull(a)} = ${isNull(b)}))`;
    case 8:
      return `(num_nonnulls(${names.join(', ')}) = ANY (ARRAY[0, ${names.length}]))`;
    default:
      return `(num_nonnulls(${names.join(', ')}) <= 1)`;
  }
}

function schemaFrom(specs: TableSpec[], mysql: boolean): { schema: Schema; rows: Record<string, number> } {
  const tables: Table[] = [];
  const rows: Record<string, number> = {};
  specs.forEach((spec, t) => {
    const name = `t${t}`;
    const columns: Column[] = [];
    const foreignKeys: ForeignKey[] = [];
    const uniques: Table['uniques'] = [];
    const checks: Table['checks'] = [];
    const primaryKey: string[] = [];
    if (spec.pk !== 'none') {
      columns.push(col('id', spec.pk === 'varchar' ? 'varchar' : spec.pk, spec.pk === 'varchar' ? { length: spec.pkLength } : {}));
      primaryKey.push('id');
    }
    // A composite unique key every table offers to composite FKs: (k1, k2).
    columns.push(col('k1', 'integer'), col('k2', 'varchar', { length: 8 }));
    uniques.push(uniqueKey(`${name}_k_key`, ['k1', 'k2']));
    let lastTime: string | undefined;
    spec.columns.forEach((c, i) => {
      const cname = `${NAMES[i % NAMES.length]}_${i}`;
      columns.push(columnOf(c, cname, mysql));
      const isTime = c.kind === 'date' || c.kind === 'timestamptz';
      const ck = checkOf(c, cname, name, mysql, isTime && lastTime && columns.find((x) => x.name === lastTime)?.kind === c.kind ? lastTime : undefined);
      if (ck) checks.push(ck);
      if (isTime) lastTime = cname;
    });
    for (const u of spec.uniques) {
      const offset = primaryKey.length + 2;
      // Arrays are never unique by construction: keep them out of random keys.
      const cols = [
        ...new Set(
          u
            .map((i) => columns[offset + (i % spec.columns.length)])
            .filter((c) => c !== undefined && c.arrayDimensions === 0)
            .map((c) => c!.name),
        ),
      ];
      if (cols.length > 0) uniques.push(uniqueKey(`${name}_u${uniques.length}`, cols));
    }
    spec.fks.forEach((f, i) => {
      if (t === 0) return;
      const parent = `t${f.parent % t}`;
      const parentTable = tables[f.parent % t]!;
      const names = f.composite || !parentTable.primaryKey ? [`p${i}_k1`, `p${i}_k2`] : [`p${i}_id`];
      if (names.length === 2) {
        columns.push(col(names[0]!, 'integer', { nullable: f.nullable }), col(names[1]!, 'varchar', { length: 8, nullable: f.nullable }));
        foreignKeys.push(fk(`${name}_fk${i}`, names, `public.${parent}`, ['k1', 'k2']));
      } else {
        const pkColumn = parentTable.columns[0]!;
        columns.push(col(names[0]!, pkColumn.kind, { nullable: f.nullable, ...(pkColumn.length ? { length: pkColumn.length } : {}) }));
        foreignKeys.push(fk(`${name}_fk${i}`, names, `public.${parent}`, ['id']));
      }
      if (f.inUnique) uniques.push(uniqueKey(`${name}_fku${i}`, names));
    });
    if (spec.selfRef && spec.pk !== 'none') {
      const pkColumn = columns[0]!;
      columns.push(col('parent_id', pkColumn.kind, { nullable: true, ...(pkColumn.length ? { length: pkColumn.length } : {}) }));
      foreignKeys.push(fk(`${name}_parent`, ['parent_id'], `public.${name}`, ['id']));
    }
    if (spec.nullCheck) {
      // Members among the table's own columns and its foreign-key columns (a polymorphic "exactly one parent").
      const candidates = columns.filter((c) => !primaryKey.includes(c.name) && c.name !== 'k1' && c.name !== 'k2').map((c) => c.name);
      const members = [...new Set(spec.nullCheck.members.map((i) => candidates[i % candidates.length]!))];
      if (members.length >= 2) checks.push(check(`${name}_nulls`, nullCheckOf(spec.nullCheck, members, mysql)));
    }
    tables.push(tableOf('public', name, columns, { ...(primaryKey.length ? { primaryKey } : {}), uniques, foreignKeys, checks }));
    rows[name] = spec.rows;
  });
  return { schema: schemaOf(tables, mysql ? { dialect: 'mysql', namespaces: ['public'] } : {}), rows };
}

describe('random small schemas (fast-check)', () => {
  it('plan or documented error; rows satisfy NOT NULL, length, uniqueness, FKs and CHECKs', () => {
    let planned = 0;
    let refused = 0;
    // The CHECK grammar's newer shapes must be exercised, not merely possible.
    const seen = { nullPatterns: 0, arraySizes: 0, contradictions: 0 };
    fc.assert(
      fc.property(fc.array(tableSpec, { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 6 }), fc.boolean(), (specs, seed, mysql) => {
        const { schema, rows } = schemaFrom(specs, mysql);
        let plan;
        try {
          plan = buildPlan(schema, { seed: `s${seed}`, tableRows: rows });
        } catch (error) {
          expect(error).toBeInstanceOf(PlanError);
          for (const p of (error as PlanError).problems) expect(DOCUMENTED_CODES.has(p.code), p.code).toBe(true);
          if ((error as PlanError).problems.some((p) => p.code === 'contradictory-check')) seen.contradictions++;
          refused++;
          return;
        }
        planned++;
        for (const t of Object.values(plan.tables)) {
          if (t.nullGroups.length > 0) seen.nullPatterns++;
          if (t.checks.some((c) => /cardinality|array_length/.test(c.expression) && c.status === 'interpreted')) seen.arraySizes++;
        }
        // Every CHECK these schemas use is in the interpreted subset; "partial" must say why. Rows of an interpreted CHECK pass it.
        for (const t of Object.values(plan.tables))
          for (const c of t.checks) expect(c.status === 'interpreted' || (c.status === 'partial' && c.reason !== undefined), `${c.expression}: ${c.reason}`).toBe(true);
        expect(verifyPlanRows(schema, plan, { caseInsensitiveUnique: true })).toEqual([]);
      }),
      { numRuns: 200, seed: 20250101 },
    );
    expect(planned).toBeGreaterThan(70);
    expect(refused).toBeGreaterThan(0);
    expect(seen.nullPatterns).toBeGreaterThan(20);
    expect(seen.arraySizes).toBeGreaterThan(3);
    expect(seen.contradictions).toBeGreaterThan(0);
    console.log(
      `random schemas (plan): ${planned} planned, ${refused} refused; tables with NULL-pattern groups ${seen.nullPatterns}, with array sizes ${seen.arraySizes}; ${seen.contradictions} contradictions refused`,
    );
  });
});
