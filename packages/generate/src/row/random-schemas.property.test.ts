import type { Column, ColumnKind, ForeignKey, Schema, Table } from '@understudy/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../plan/build-plan.js';
import { PlanError } from '../plan/plan-errors.js';
import { check, col, fk, schemaOf, tableOf, uniqueKey } from '../test-support/schema-builders.js';
import { verifyPlanRows } from '../test-support/verify-rows.js';

const DOCUMENTED_CODES = new Set(['unsupported-column', 'unique-capacity', 'unbreakable-cycle', 'missing-parent', 'empty-parent', 'unloaded-reference', 'config', 'deferred-without-key', 'conflicting-keys']);

interface ColumnSpec {
  kind: ColumnKind;
  length: number;
  nullable: boolean;
  check: number;
}

const KINDS: ColumnKind[] = ['integer', 'smallint', 'tinyint', 'varchar', 'char', 'text', 'decimal', 'boolean', 'date', 'timestamptz', 'uuid', 'enum', 'bigint', 'real', 'time', 'inet', 'varbinary', 'jsonb', 'bit'];

const columnSpec = fc.record({
  kind: fc.constantFrom(...KINDS),
  length: fc.integer({ min: 1, max: 12 }),
  nullable: fc.boolean(),
  check: fc.integer({ min: 0, max: 4 }),
});

const tableSpec = fc.record({
  pk: fc.constantFrom('integer', 'uuid', 'varchar', 'none'),
  pkLength: fc.integer({ min: 2, max: 10 }),
  columns: fc.array(columnSpec, { minLength: 1, maxLength: 5 }),
  uniques: fc.array(fc.array(fc.nat(6), { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
  fks: fc.array(fc.record({ parent: fc.nat(3), nullable: fc.boolean(), composite: fc.boolean(), inUnique: fc.boolean() }), { maxLength: 2 }),
  selfRef: fc.boolean(),
  rows: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 100, max: 400 })),
});

const NAMES = ['email', 'code', 'name', 'created_at', 'amount', 'status', 'rating', 'notes', 'flag'];

function columnOf(spec: ColumnSpec, name: string): Column {
  const extra: Partial<Column> = { nullable: spec.nullable };
  if (spec.kind === 'varchar' || spec.kind === 'char' || spec.kind === 'varbinary' || spec.kind === 'bit') extra.length = spec.length;
  if (spec.kind === 'decimal') Object.assign(extra, { precision: Math.max(2, spec.length), scale: Math.min(2, spec.length - 1) });
  if (spec.kind === 'enum') extra.values = ['x', 'y', 'z'];
  return col(name, spec.kind, extra);
}

function checkOf(spec: ColumnSpec, name: string, table: string, mysql: boolean, other?: string): Table['checks'][number] | undefined {
  const c = `${table}_${name}_check`;
  switch (spec.kind) {
    case 'integer':
    case 'smallint':
    case 'bigint':
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
      columns.push(columnOf(c, cname));
      const isTime = c.kind === 'date' || c.kind === 'timestamptz';
      const ck = checkOf(c, cname, name, mysql, isTime && lastTime && columns.find((x) => x.name === lastTime)?.kind === c.kind ? lastTime : undefined);
      if (ck) checks.push(ck);
      if (isTime) lastTime = cname;
    });
    for (const u of spec.uniques) {
      const offset = primaryKey.length + 2;
      const cols = [...new Set(u.map((i) => columns[offset + (i % spec.columns.length)]?.name).filter((n): n is string => n !== undefined))];
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
    tables.push(tableOf('public', name, columns, { ...(primaryKey.length ? { primaryKey } : {}), uniques, foreignKeys, checks }));
    rows[name] = spec.rows;
  });
  return { schema: schemaOf(tables, mysql ? { dialect: 'mysql', namespaces: ['public'] } : {}), rows };
}

describe('random small schemas (fast-check)', () => {
  it('plan or documented error; rows satisfy NOT NULL, length, uniqueness, FKs and CHECKs', () => {
    let planned = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(tableSpec, { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 6 }), fc.boolean(), (specs, seed, mysql) => {
        const { schema, rows } = schemaFrom(specs, mysql);
        let plan;
        try {
          plan = buildPlan(schema, { seed: `s${seed}`, tableRows: rows });
        } catch (error) {
          expect(error).toBeInstanceOf(PlanError);
          for (const p of (error as PlanError).problems) expect(DOCUMENTED_CODES.has(p.code), p.code).toBe(true);
          refused++;
          return;
        }
        planned++;
        // Every CHECK these schemas use is in the interpreted subset; "partial" must say why.
        for (const t of Object.values(plan.tables)) for (const c of t.checks) expect(c.status === 'interpreted' || (c.status === 'partial' && c.reason !== undefined), `${c.expression}: ${c.reason}`).toBe(true);
        expect(verifyPlanRows(schema, plan, { caseInsensitiveUnique: true })).toEqual([]);
      }),
      { numRuns: 150, seed: 20250101 },
    );
    expect(planned).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(0);
  });
});
