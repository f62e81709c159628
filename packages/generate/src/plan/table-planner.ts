/**
 * Plans one table: interprets its CHECKs (and its columns' domain CHECKs),
 * applies the config, plans its keys, then every column; records identity
 * overrides, sequence resets, deferred FK updates and what it could not honour.
 *
 * @example
 * ```ts
 * const { table, problems } = planTable(context, 'public.rental');
 * table.columns.map((c) => `${c.name}: ${c.reason}`);
 * ```
 */
import { jsonFieldsFor, type JsonField } from './json-fields.js';
import { indexCasts } from './index-casts.js';
import { dialectInfo, type FkGraph, type Schema, type Table, type Trigger } from '@understudy/core';
import { interpretCheck } from '../checks/check-interpreter.js';
import { afterCreation, creationColumn, inferSemanticKind, earlierSibling, lowerSibling } from '../infer/infer-semantic.js';
import { addConstraint, emptyRules, type ColumnRules } from './column-rules.js';
import { PARTIAL_INDEX_RULE, planColumn, textCapacity, type ColumnPlanResult } from './column-planner.js';
import { columnShape, type ColumnShape } from './column-shape.js';
import { columnCapacity, isNumberKind, isTextKind, isTimeKind } from './concrete-generator.js';
import type { CheckConfig, ColumnConfig, TableConfig } from './generate-config.js';
import { planKeys } from './key-planner.js';
import { planNullGroups, type NullConstraint } from './null-groups.js';
import { namedNullPairs } from './named-null-pairs.js';
import { ruleConflicts } from './rule-conflicts.js';
import { unhonouredChecks } from './unhonoured-checks.js';
import { pairReferenceChecks } from './reference-pairs.js';
import { applySelectorNulls } from './selector-nulls.js';
import { disjointExclusionRanges } from './exclusion-ranges.js';
import { applyBooleanImplications, findBooleanImplications, settleBooleanImplications, type BooleanImplication } from './boolean-implications.js';
import { withPartitionForeignKeys } from '@understudy/core';
import { partitionRouting } from './partition-routing.js';
import type { PlanProblem } from './plan-errors.js';
import type { PlanCheck, PlanColumn, PlanTable } from './plan-model.js';
import {
  profileColumn,
  profileColumnNamed,
  profileCategoricalKeys,
  profileFanoutPicks,
  profileNumberedColumns,
  profileTwoParentKeys,
  spreadTwoParentKeys,
  type MatchedProfileTable,
} from './profile-planner.js';
import { applyForeignKeyRelations, applyProfileOrders } from './profile-orders.js';
import { applyTenantRelations } from './tenant-relations.js';
import { applyLineRelations } from './profile-lines.js';

export interface TablePlanContext {
  readonly schema: Schema;
  readonly graph: FkGraph;
  /** Planned rows of every loadable table. */
  readonly rows: ReadonlyMap<string, number>;
  readonly config: ReadonlyMap<string, TableConfig>;
  /** Epoch seconds. */
  readonly now: number;
  readonly defaultNullRate: number;
  readonly resolveTable: (key: string) => string;
  /** Profile tables by schema table key (generating to a profile). */
  readonly profiles?: ReadonlyMap<string, MatchedProfileTable>;
  /** Disable user triggers during the load (the target can, and the config does not say `run`). */
  readonly disableTriggers?: boolean;
  /** Tables this plan generates (not kept, not filled by triggers): a child may read their columns. */
  readonly generated?: ReadonlySet<string>;
  /** A table planned before this one (parents come first), if any. */
  readonly planned?: (tableKey: string) => PlanTable | undefined;
}

/**
 * The triggers of a table to disable during its load: those that fire on INSERT or UPDATE,
 * except a trigger that fills another table (its rows come from it) or sets a column the load
 * leaves to it.
 */
function triggersToDisable(table: Table): { disabled: string[]; note?: string } {
  // A row trigger that fills another table or sets a column runs; a statement trigger never fills row for row.
  const fills = (t: Trigger): boolean => t.forEach !== 'statement' && (t.inserts.length > 0 || (t.sets ?? []).length > 0);
  const disabled = (table.triggers ?? []).filter((t) => (t.events.includes('insert') || t.events.includes('update')) && !fills(t)).map((t) => t.name);
  const unique = [...new Set(disabled)];
  if (unique.length === 0) return { disabled: [] };
  return { disabled: unique, note: `trigger${unique.length > 1 ? 's' : ''} ${unique.join(', ')} disabled during the load, as a restore tool would (config triggers: 'run' runs them)` };
}

function findColumn(table: Table, name: string): string | undefined {
  return table.columns.find((c) => c.name === name)?.name ?? table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())?.name;
}

function checkConfigAsColumn(c: Extract<CheckConfig, { column: string }>): ColumnConfig {
  const { column: _column, ...rest } = c;
  return rest as ColumnConfig;
}

/** A profile's NULLs-together pair is generated as one group when it holds in at least this share of production's rows. */
const NULLS_TOGETHER_HOLD = 0.999;

/**
 * A profile's `nullsTogether` pairs (holding in ≥ 99.9% of rows) as NULL constraints (patterns `00` and `11`), for columns
 * planned with values and a NULL rate that may be NULL (not keys).
 */
function profiledNullConstraints(profile: MatchedProfileTable['table'] | undefined, columns: ReadonlyMap<string, PlanColumn>, free: (column: string) => boolean): NullConstraint[] {
  const out: NullConstraint[] = [];
  // Pairs nearly exact only: a 99% pair chained to others would pull columns of different NULL rates into one group.
  for (const pair of (profile?.nullsTogether ?? []).filter((p) => p.holds >= NULLS_TOGETHER_HOLD)) {
    const [a, b] = pair.columns.map((n) => [...columns.keys()].find((c) => c === n) ?? [...columns.keys()].find((c) => c.toLowerCase() === n.toLowerCase()));
    if (a === undefined || b === undefined || a === b || !free(a) || !free(b)) continue;
    const ok = [a, b].every((c) => {
      const col = columns.get(c)!;
      return col.load && col.generator !== null && col.nullRate > 0 && col.nullRate < 1;
    });
    if (ok) out.push({ check: `profile: ${a}, ${b} NULL together`, columns: [a, b], patterns: ['00', '11'], profiled: true });
  }
  return out;
}

/** NULLs together that no CHECK asks for: a profile's pairs, else the pairs the names give (`named-null-pairs.ts`). */
function softNullConstraints(
  names: readonly string[],
  shapes: ReadonlyMap<string, ColumnShape>,
  keys: { readonly keyColumns: ReadonlySet<string>; readonly unique: ReadonlyMap<string, unknown> },
  fromChecks: readonly NullConstraint[],
  columns: ReadonlyMap<string, PlanColumn>,
  profile: MatchedProfileTable['table'] | undefined,
): NullConstraint[] {
  const mayBeNull = (c: string): boolean => shapes.get(c)?.nullable === true && !keys.keyColumns.has(c) && !keys.unique.has(c);
  if (profile) return profiledNullConstraints(profile, columns, mayBeNull);
  const free = (c: string): boolean => mayBeNull(c) && !fromChecks.some((n) => n.columns.includes(c));
  return namedNullPairs(names, (c) => isTimeKind(shapes.get(c)!), free);
}

/**
 * A moment after one that may be NULL (`completed_at` after a nullable `started_at`,
 * itself after `created_at`) follows, on the rows where that one is NULL, that one's own
 * ordering: its fallback becomes the earlier column's `after`, so `completed_at` still
 * comes after `created_at`. Only between columns of the same type; the orderings have
 * no cycle here (cyclic ones were dropped).
 */
function chainOrderings(columns: Map<string, PlanColumn>): void {
  const done = new Set<string>();
  const visit = (name: string): void => {
    if (done.has(name)) return;
    done.add(name);
    const c = columns.get(name)!;
    // A profile's order keeps the column's own values: its fallback is not the earlier column's.
    if (c.generator?.name !== 'after' || c.generator.params['keepOrdered'] === true || c.generator.params['table'] !== undefined) return;
    const earlierName = String(c.generator.params['column']);
    if (!columns.has(earlierName)) return;
    visit(earlierName);
    const earlier = columns.get(earlierName)!.generator;
    if (earlier?.name !== 'after') return;
    const same = (['valueType', 'withZone', 'fractionalSeconds'] as const).every((k) => earlier.params[k] === c.generator!.params[k]);
    if (same) columns.set(name, { ...c, generator: { name: 'after', params: { ...c.generator.params, fallback: earlier } } });
  };
  for (const name of columns.keys()) visit(name);
}

/** Columns whose `after` dependencies form a cycle (each such column is dropped back to its fallback). */
function cyclicDependents(dependsOn: ReadonlyMap<string, readonly string[]>): Set<string> {
  const bad = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const visit = (c: string, path: string[]): void => {
    state.set(c, 'open');
    for (const d of dependsOn.get(c) ?? []) {
      if (state.get(d) === 'open') bad.add(c);
      else if (!state.has(d)) visit(d, [...path, c]);
    }
    state.set(c, 'done');
  };
  for (const c of dependsOn.keys()) if (!state.has(c)) visit(c, []);
  return bad;
}

/**
 * A text a trigger copies into another table's column must fit that column too (chef's clients.id varchar(36) → keys.id char(32)),
 * and an enum it copies into another enum takes only the labels both have.
 */
function columnShapes(schema: Schema, table: Table, tableKey: string): { shapes: Map<string, ColumnShape>; notes: string[] } {
  const shapes = new Map<string, ColumnShape>(table.columns.map((c) => [c.name, columnShape(schema, c)]));
  const notes: string[] = [];
  const TEXT_KINDS = new Set(['char', 'varchar', 'text', 'citext']);
  for (const trigger of table.triggers ?? []) {
    for (const copy of trigger.copies ?? []) {
      const own = shapes.get(copy.column);
      const target = schema.tables[copy.table]?.columns.find((c) => c.name === copy.targetColumn);
      if (!own || !target) continue;
      const limit = columnShape(schema, target);
      if (own.kind === 'enum' && own.values && limit.kind === 'enum' && limit.values) {
        // Copied as text into another enum (hatchet's `NEW."limitStrategy"::VARCHAR::v1_concurrency_strategy`): only the labels both have.
        const both = own.values.filter((v) => limit.values!.includes(v));
        if (both.length === 0 || both.length === own.values.length) continue;
        shapes.set(copy.column, { ...own, values: both });
        const left = own.values.filter((v) => !both.includes(v));
        notes.push(
          `${tableKey}.${copy.column}: not ${left.map((v) => `'${v}'`).join(', ')}, as trigger ${trigger.name} copies it into ${copy.table}.${copy.targetColumn} (${target.rawType}), which has no such label`,
        );
        continue;
      }
      if (!TEXT_KINDS.has(own.kind)) continue;
      if (!TEXT_KINDS.has(limit.kind) || limit.length === undefined || (own.length !== undefined && own.length <= limit.length)) continue;
      shapes.set(copy.column, { ...own, length: limit.length });
      notes.push(`${tableKey}.${copy.column}: at most ${limit.length} characters, as trigger ${trigger.name} copies it into ${copy.table}.${copy.targetColumn} (${target.rawType})`);
    }
  }
  return { shapes, notes };
}

type Configured = Map<string, { value: ColumnConfig; reason: string }>;

interface TableChecks {
  readonly rules: Map<string, ColumnRules>;
  readonly checks: PlanCheck[];
  readonly nullConstraints: NullConstraint[];
  /** Columns a config CHECK entry gives a generator. */
  readonly configured: Configured;
  readonly problems: PlanProblem[];
  /** CHECKs tying a boolean to other columns' NULLs, applied once the columns are planned. */
  implications: BooleanImplication[];
}

/** CHECKs of the table and of the columns' domains: interpreted into column rules, or taken from the config. */
function interpretTableChecks(schema: Schema, table: Table, tableKey: string, shapes: ReadonlyMap<string, ColumnShape>, tableConfig: TableConfig | undefined): TableChecks {
  const names = table.columns.map((c) => c.name);
  const nullable = names.filter((n) => shapes.get(n)?.nullable === true);
  const backslashEscapes = dialectInfo(schema.dialect).syntax.stringEscapes === 'backslash';
  const out: TableChecks = { rules: new Map(), checks: [], nullConstraints: [], configured: new Map(), problems: [], implications: [] };
  const { rules, checks, nullConstraints, configured, problems } = out;
  const checkConfigs = tableConfig?.checks ?? {};
  const interpretInto = (name: string, expression: string, options: { valueColumn?: string; domain?: string }): void => {
    const cfg = checkConfigs[name];
    if (cfg && 'ignore' in cfg) {
      checks.push({ name, expression, status: 'ignored', reason: 'ignored by config', ...(options.domain ? { domain: options.domain } : {}) });
      return;
    }
    if (cfg) {
      const column = findColumn(table, cfg.column);
      if (column === undefined) {
        problems.push({ code: 'config', table: tableKey, message: `config tables.${tableKey}.checks.${name}: no column "${cfg.column}" in ${tableKey}` });
      } else {
        configured.set(column, { value: checkConfigAsColumn(cfg), reason: `config: CHECK ${name}` });
      }
      checks.push({ name, expression, status: 'config', ...(options.domain ? { domain: options.domain } : {}) });
      return;
    }
    const interpretation = interpretCheck({ name, expression }, { columns: names, backslashEscapes, nullable, ...(options.valueColumn ? { valueColumn: options.valueColumn } : {}) });
    for (const c of interpretation.constraints) {
      if (c.type === 'nulls') nullConstraints.push({ check: name, columns: c.columns, patterns: c.patterns });
      addConstraint(rules, c, name);
    }
    checks.push({
      name,
      expression,
      status: interpretation.status,
      ...(interpretation.reason ? { reason: interpretation.reason } : {}),
      ...(options.domain ? { domain: options.domain } : {}),
    });
  };
  // A boolean tied to other columns' NULLs keeps both values where the CHECKs can be met so; the rest are read as usual.
  const candidates = findBooleanImplications(
    table.checks.filter((c) => checkConfigs[c.name] === undefined),
    { columnOf: (n) => findColumn(table, n), isBoolean: (c) => shapes.get(c)?.kind === 'boolean', backslashEscapes },
  );
  const deferred = new Set(candidates.map((c) => c.check));
  for (const check of table.checks) if (!deferred.has(check.name)) interpretInto(check.name, check.expression, {});
  for (const column of table.columns) {
    const domain = shapes.get(column.name)!.domain;
    if (!domain) continue;
    for (const check of domain.checks) interpretInto(check.name, check.expression, { valueColumn: column.name, domain: `${domain.schema}.${domain.name}` });
  }
  const tied = new Set(nullConstraints.flatMap((n) => n.columns));
  out.implications = settleBooleanImplications(candidates, {
    nullable: (c) => shapes.get(c)!.nullable && rules.get(c)?.notNull !== true,
    taken: (c) => tied.has(c) || configured.has(c) || tableConfig?.columns?.[c] !== undefined,
  });
  const accepted = new Set(out.implications.flatMap((i) => i.checks));
  for (const check of table.checks.filter((c) => deferred.has(c.name))) {
    if (accepted.has(check.name)) checks.push({ name: check.name, expression: check.expression, status: 'uninterpreted', reason: 'ties a boolean to NULLs: not applied' });
    else interpretInto(check.name, check.expression, {});
  }
  const position = (c: PlanCheck): number => (c.domain === undefined ? table.checks.findIndex((t) => t.name === c.name) : table.checks.length);
  checks.sort((a, b) => position(a) - position(b));
  for (const name of Object.keys(checkConfigs)) {
    if (!table.checks.some((c) => c.name === name) && !table.columns.some((c) => shapes.get(c.name)!.domain?.checks.some((d) => d.name === name))) {
      problems.push({
        code: 'config',
        table: tableKey,
        message: `config tables.${tableKey}.checks.${name}: ${tableKey} has no CHECK named ${name}`,
        hint: `its CHECKs: ${table.checks.map((c) => c.name).join(', ') || 'none'}`,
      });
    }
  }
  referencedLengths(schema, table, tableKey, shapes, rules);
  return out;
}

const LENGTH_KINDS = new Set(['char', 'varchar', 'text', 'citext', 'binary', 'varbinary']);

/**
 * A key column referenced by a narrower column (vaultwarden's `organizations.uuid VARCHAR(40)`, referenced by
 * `sends.organization_uuid CHAR(36)`): its values must fit every column that copies them, so the narrowest
 * referencing length bounds it as a CHECK would.
 */
function referencedLengths(schema: Schema, table: Table, tableKey: string, shapes: ReadonlyMap<string, ColumnShape>, rules: Map<string, ColumnRules>): void {
  for (const [childKey, child] of Object.entries(schema.tables)) {
    for (const fk of child.foreignKeys) {
      if (fk.references.table !== tableKey || fk.virtual) continue;
      for (const [i, column] of fk.references.columns.entries()) {
        const referencing = child.columns.find((c) => c.name === fk.columns[i]);
        const shape = shapes.get(column);
        if (!referencing?.length || !LENGTH_KINDS.has(referencing.kind) || !shape || !table.columns.some((c) => c.name === column)) continue;
        if (shape.length !== undefined && shape.length <= referencing.length) continue;
        const r = rules.get(column) ?? emptyRules();
        if (r.maxLength !== undefined && r.maxLength <= referencing.length) continue;
        r.maxLength = referencing.length;
        r.sources.maxLength = `foreign key ${fk.name} of ${childKey} (${referencing.name} is ${referencing.length} long)`;
        rules.set(column, r);
      }
    }
  }
}

/** The config's columns: generators and value lists, NULL rates. */
function configColumns(table: Table, tableKey: string, tableConfig: TableConfig | undefined): { configured: Configured; nullRates: Map<string, number>; problems: PlanProblem[] } {
  const configured: Configured = new Map();
  const nullRates = new Map<string, number>();
  const problems: PlanProblem[] = [];
  for (const [name, value] of Object.entries(tableConfig?.columns ?? {})) {
    const column = findColumn(table, name);
    if (column === undefined) {
      problems.push({
        code: 'config',
        table: tableKey,
        column: name,
        message: `config tables.${tableKey}.columns.${name}: ${tableKey} has no column "${name}"`,
        hint: `its columns: ${table.columns.map((c) => c.name).join(', ')}`,
      });
      continue;
    }
    if (value.generator !== undefined || value.values !== undefined) configured.set(column, { value, reason: value.reason ?? 'config' });
    if (value.nullRate !== undefined) nullRates.set(column, value.nullRate);
  }
  return { configured, nullRates, problems };
}

type Keys = ReturnType<typeof planKeys>;

/**
 * A tree kept inside its scope (`(parent_id, workspace_id) → folders (id, workspace_id)`): each row copies the scope
 * column from its parent row, and a root keeps the value planned for it (its other foreign key's, its generator's).
 */
function keepTreesInScope(columns: Map<string, PlanColumn>, scoped: ReadonlyMap<string, string>, tableKey: string): void {
  for (const [name, pick] of scoped) {
    const column = columns.get(name);
    if (!column?.load || !column.generator) continue;
    const fallback = column.generator;
    columns.set(name, {
      ...column,
      generator: { name: 'via', params: { pick, table: tableKey, column: name, self: true, fallback } },
      reason: `${column.reason}; the parent row's, as ${pick.slice(3)} keeps a row and its parent in one ${name}`,
    });
  }
}

/** A config NULL rate of a foreign key column is its pick's (the key's columns are NULL together): set on the picks; the problems of rates that cannot be. */
function applyReferenceNullRates(keys: Keys, nullRates: ReadonlyMap<string, number>, shapes: ReadonlyMap<string, ColumnShape>, tableKey: string): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const [name, rate] of nullRates) {
    const role = keys.roles.get(name);
    if (role?.role !== 'reference') continue;
    const pick = keys.picks[role.pick];
    const where = `config tables.${tableKey}.columns.${name}.nullRate`;
    if (!shapes.get(name)?.nullable) {
      if (rate > 0)
        problems.push({ code: 'config', table: tableKey, column: name, message: `${where}: ${rate}, but ${tableKey}.${name} is NOT NULL`, hint: 'remove the nullRate, or make the column nullable' });
      continue;
    }
    if (pick?.kind === 'skewed' || pick?.kind === 'fanout' || pick?.kind === 'permutation') keys.picks[role.pick] = { ...pick, nullRate: rate };
    // A tree's roots are its NULLs (the first row is always one).
    else if (pick?.kind === 'tree') keys.picks[role.pick] = { ...pick, rootRate: rate };
    else
      problems.push({
        code: 'config',
        table: tableKey,
        column: name,
        message: `${where}: ${name} is part of a distinct tuple (a unique key over foreign keys), whose rows are never NULL`,
        hint: 'remove the nullRate',
      });
  }
  return problems;
}

/** JSON columns whose fields generated columns read. */
function jsonFieldsRead(table: Table, shapes: ReadonlyMap<string, ColumnShape>): Map<string, { fields: JsonField[]; readBy: string[] }> {
  const jsonFields = new Map<string, { fields: JsonField[]; readBy: string[] }>();
  const generatedColumns = table.columns.filter((c) => c.generated).map((c) => ({ name: c.name, expression: c.generated!.expression, shape: shapes.get(c.name)! }));
  if (generatedColumns.length === 0) return jsonFields;
  for (const column of table.columns) {
    const kind = shapes.get(column.name)!.kind;
    if (column.generated || (kind !== 'json' && kind !== 'jsonb')) continue;
    const readers = generatedColumns.filter((g) => jsonFieldsFor(column.name, [g]).length > 0);
    const fields = jsonFieldsFor(column.name, readers);
    if (fields.length > 0) jsonFields.set(column.name, { fields, readBy: readers.map((g) => g.name) });
  }
  return jsonFields;
}

/** A reference whose pick follows the profile's fan-out says so. */
function noteFanoutReferences(results: Map<string, ColumnPlanResult>, picks: Keys['picks']): void {
  for (const [name, r] of results) {
    const pickId = r.column.generator?.name === 'reference' ? String(r.column.generator.params['pick']) : undefined;
    const pick = pickId !== undefined ? picks[pickId] : undefined;
    if (pick?.kind === 'fanout')
      results.set(name, {
        ...r,
        column: { ...r.column, reason: `${r.column.reason}; profile: fan-out in ${pick.buckets.length} buckets${pick.nullRate > 0 ? `, ${Math.round(pick.nullRate * 100)}% NULL` : ''}` },
      });
  }
}

/** `after` dependencies must point at loaded columns and must not form a cycle: the planned columns, and the CHECKs left unmet (check → why). */
function settleOrderings(results: ReadonlyMap<string, ColumnPlanResult>, rulesOf: (c: string) => ColumnRules, rows: number): { columns: Map<string, PlanColumn>; unmet: Map<string, string> } {
  const columns = new Map<string, PlanColumn>([...results].map(([n, r]) => [n, r.column]));
  const dependsOn = new Map([...results].map(([n, r]) => [n, r.dependsOn]));
  const unmet = new Map<string, string>();
  for (const r of results.values()) for (const [check, why] of r.unmet) unmet.set(check, why);
  const dropAfter = (name: string, why: string): void => {
    const c = columns.get(name)!;
    const fallback = c.generator?.params['fallback'] as { name: string; params: Record<string, unknown> } | undefined;
    if (c.generator?.name === 'after' && fallback) columns.set(name, { ...c, generator: fallback, reason: `${c.reason} (ordering dropped: ${why})` });
    const check = rulesOf(name).after[0]?.check;
    if (check) unmet.set(check, why);
    dependsOn.set(name, []);
  };
  for (const [name, deps] of dependsOn) {
    for (const d of deps) {
      const target = columns.get(d);
      if (!target || !target.load || target.generator === null) dropAfter(name, `${d} is not generated`);
    }
  }
  for (const name of cyclicDependents(dependsOn)) dropAfter(name, 'the orderings form a cycle');
  chainOrderings(columns);
  for (const [name, column] of columns) for (const [check, why] of unhonouredChecks(column, rulesOf(name), rows)) unmet.set(check, why);
  return { columns, unmet };
}

/** Cycles broken at a nullable FK: insert NULL, update after every table is loaded (the FK columns are marked deferred in `columns`). */
function deferredUpdatesOf(graph: FkGraph, table: Table, tableKey: string, columns: Map<string, PlanColumn>): { deferredUpdates: PlanTable['deferredUpdates']; problems: PlanProblem[] } {
  const deferredUpdates: PlanTable['deferredUpdates'] = [];
  const problems: PlanProblem[] = [];
  for (const cycle of graph.cycles) {
    for (const edge of cycle.broken) {
      if (edge.from !== tableKey || edge.how !== 'nullable') continue;
      const fkColumns = [...edge.columns];
      for (const c of fkColumns) {
        const col = columns.get(c);
        if (col && col.generator?.name === 'reference') columns.set(c, { ...col, deferred: true, reason: `${col.reason}; inserted NULL, set after the load (FK cycle)` });
      }
      const candidates = [table.primaryKey?.columns ?? [], ...table.uniques.map((u) => u.columns.filter((c): c is string => c !== null))];
      const key = candidates.find((k) => k.length > 0 && k.every((c) => !fkColumns.includes(c) && columns.get(c)?.nullRate === 0));
      if (!key) {
        problems.push({
          code: 'deferred-without-key',
          table: tableKey,
          column: fkColumns.join(', '),
          message: `${tableKey}: foreign key ${edge.foreignKey} closes a cycle and must be set after the load, but ${tableKey} has no primary or unique key to address its rows`,
          hint: 'add a primary key, make the FK DEFERRABLE, or give its columns a generator in the config',
        });
        continue;
      }
      deferredUpdates.push({ foreignKey: edge.foreignKey, columns: fkColumns, keyColumns: key });
    }
  }
  return { deferredUpdates, problems };
}

/** Identity and sequences: where each continues after the load, and whether an identity needs OVERRIDING SYSTEM VALUE. */
function sequencesOf(keys: Keys, table: Table, rows: number): { overridingSystemValue: boolean; sequences: PlanTable['sequences'] } {
  let overridingSystemValue = false;
  const sequences: PlanTable['sequences'] = [];
  for (const [name, role] of keys.roles) {
    if (role.role !== 'sequence') continue;
    if (role.identityAlways) overridingSystemValue = true;
    const d = table.columns.find((c) => c.name === name)?.default;
    if (d?.kind === 'identity' || d?.kind === 'sequence') {
      sequences.push({ column: name, ...(role.sequence ? { sequence: role.sequence } : {}), next: role.start + rows * role.step });
    }
  }
  return { overridingSystemValue, sequences };
}

interface ColumnsInput {
  readonly ctx: TablePlanContext;
  readonly tableKey: string;
  readonly table: Table;
  readonly rows: number;
  readonly shapes: ReadonlyMap<string, ColumnShape>;
  readonly rulesOf: (c: string) => ColumnRules;
  readonly keys: Keys;
  readonly configured: Configured;
  readonly nullRates: ReadonlyMap<string, number>;
  readonly profile: MatchedProfileTable | undefined;
  readonly nullable: (c: string) => boolean;
  readonly routing: ReturnType<typeof partitionRouting>;
}

/** Every column planned (planColumn), then shaped to the profile where there is one. */
function planColumns(input: ColumnsInput): { results: Map<string, ColumnPlanResult>; problems: PlanProblem[] } {
  const { ctx, tableKey, table, rows, shapes, rulesOf, keys, configured, nullRates, profile, nullable, routing } = input;
  const { schema } = ctx;
  const names = table.columns.map((c) => c.name);
  const created = creationColumn(names, (n) => inferSemanticKind(n, { table: table.name, kind: shapes.get(n)!.kind })?.kind === 'created_at');
  const setByTrigger = new Map<string, string>();
  for (const trigger of table.triggers ?? []) for (const column of trigger.sets ?? []) if (!setByTrigger.has(column)) setByTrigger.set(column, trigger.name);
  const jsonFields = jsonFieldsRead(table, shapes);
  const castTo = indexCasts(table);

  const results = new Map<string, ColumnPlanResult>();
  const problems: PlanProblem[] = [];
  for (const column of table.columns) {
    const shape = shapes.get(column.name)!;
    // A time after the one its name follows (or after creation); a number at least the one its name bounds (max_time ≥ min_time).
    const earlier = isTimeKind(shape) ? (earlierSibling(column.name, names) ?? afterCreation(column.name, created)) : isNumberKind(shape) ? lowerSibling(column.name, names) : undefined;
    const result = planColumn({
      tableKey,
      tableName: table.name,
      column,
      shape,
      siblings: names.filter((n) => n !== column.name),
      rules: rulesOf(column.name),
      ...(keys.roles.get(column.name) ? { role: keys.roles.get(column.name)! } : {}),
      unique: keys.unique.has(column.name),
      ...(keys.unique.has(column.name) ? { uniqueReason: keys.unique.get(column.name)! } : {}),
      isKey: keys.keyColumns.has(column.name),
      ...(configured.get(column.name) ? { config: configured.get(column.name)! } : {}),
      ...(nullRates.has(column.name) ? { configNullRate: nullRates.get(column.name)! } : {}),
      rows,
      now: ctx.now,
      dialect: schema.dialect,
      defaultNullRate: ctx.defaultNullRate,
      ...(routing && routing.column === column.name ? { routing: { ...(routing.windows ? { windows: routing.windows } : {}), ...(routing.values ? { values: routing.values } : {}) } } : {}),
      ...(created ? { created } : {}),
      ...(earlier && (isTimeKind(shape) ? isTimeKind(shapes.get(earlier)!) : shapes.get(earlier)!.kind === shape.kind) ? { earlier } : {}),
      ...(setByTrigger.has(column.name) ? { setByTrigger: setByTrigger.get(column.name)! } : {}),
      ...(jsonFields.has(column.name) ? { jsonFields: jsonFields.get(column.name)! } : {}),
      ...(castTo.has(column.name) ? { castTo: castTo.get(column.name)! } : {}),
    });
    const stats = profile ? profileColumnNamed(profile.table, column.name) : undefined;
    const shaped = stats
      ? profileColumn(result.column, {
          profile: stats,
          shape,
          rules: rulesOf(column.name),
          rows,
          sourceRows: profile!.table.rowEstimate,
          now: ctx.now,
          dialect: schema.dialect,
          nullable: nullable(column.name),
          ...(nullRates.has(column.name) ? { configNullRate: nullRates.get(column.name)! } : {}),
        })
      : result.column;
    results.set(column.name, shaped === result.column ? result : { ...result, column: shaped });
    problems.push(...result.problems);
  }
  return { results, problems };
}

/** How many distinct values a column can hold: its config values, its CHECK's values that fit, or what its type and rules allow. */
function capacityOf(c: string, shape: ColumnShape, configured: Configured, rulesOf: (c: string) => ColumnRules, at: { now: number; dialect: Schema['dialect'] }): number {
  const cfg = configured.get(c)?.value;
  if (cfg?.values) return cfg.values.filter((v) => v !== null).length;
  const rules = rulesOf(c);
  if (rules.values && isTextKind(shape)) {
    const limit = Math.min(shape.length ?? Infinity, rules.maxLength ?? Infinity);
    return rules.values.filter((v) => !rules.exclude.includes(v) && [...String(v)].length <= limit).length;
  }
  if (isTextKind(shape) && shape.arrayDimensions === 0 && !rulesOf(c).values) return textCapacity(shape, rulesOf(c));
  return columnCapacity(shape, rulesOf(c), at);
}

export function planTable(ctx: TablePlanContext, tableKey: string): { table: PlanTable; problems: PlanProblem[] } {
  const { schema } = ctx;
  const table = withPartitionForeignKeys(schema, tableKey);
  const rows = ctx.rows.get(tableKey) ?? 0;
  const problems: PlanProblem[] = [];
  const { shapes, notes } = columnShapes(schema, table, tableKey);
  const names = table.columns.map((c) => c.name);
  const tableConfig = ctx.config.get(tableKey);
  const { capabilities } = dialectInfo(schema.dialect);

  const { rules, checks, nullConstraints, configured, problems: checkProblems, implications } = interpretTableChecks(schema, table, tableKey, shapes, tableConfig);
  problems.push(...checkProblems);
  const fromConfig = configColumns(table, tableKey, tableConfig);
  for (const [column, value] of fromConfig.configured) configured.set(column, value);
  const { nullRates } = fromConfig;
  problems.push(...fromConfig.problems);

  const rulesOf = (c: string): ColumnRules => rules.get(c) ?? emptyRules();
  // CHECKs no value can satisfy (a table of 0 rows, a column the config keeps NULL are spared).
  const expressions = new Map(checks.map((c) => [c.name, c.expression]));
  for (const [column, r] of rules) {
    if (rows > 0 && (nullRates.get(column) ?? 0) < 1) problems.push(...ruleConflicts({ tableKey, column, shape: shapes.get(column)!, rules: r, expressions, now: ctx.now, dialect: schema.dialect }));
  }

  const keys = planKeys({
    schema,
    tableKey,
    table,
    shapes,
    rules,
    rows,
    rowsOf: (k) => ctx.rows.get(k),
    resolveTable: ctx.resolveTable,
    configured: new Set(configured.keys()),
    configValues: (c) => configured.get(c)?.value.values?.filter((v): v is string | number | boolean => v !== null),
    capacity: (c) => capacityOf(c, shapes.get(c)!, configured, rulesOf, { now: ctx.now, dialect: schema.dialect }),
    fkNullRate: ctx.defaultNullRate,
    now: ctx.now,
    dialect: schema.dialect,
  });
  problems.push(...keys.problems);
  notes.push(...keys.notes);
  problems.push(...applyReferenceNullRates(keys, nullRates, shapes, tableKey));
  for (const e of keys.escapes) addConstraint(rules, e.constraint, `${PARTIAL_INDEX_RULE}${e.index}`);
  const profile = ctx.profiles?.get(tableKey);
  const nullable = (c: string): boolean => shapes.get(c)?.nullable === true && !rulesOf(c).notNull && !keys.keyColumns.has(c) && !keys.unique.has(c);
  const twoParents = profile ? profileTwoParentKeys(keys, table, profile.table, rows) : [];
  if (profile) notes.push(...profileFanoutPicks(keys.picks, table, profile.table, rows, nullable, (t) => ctx.profiles?.get(t)?.table.rowEstimate ?? null));
  notes.push(...spreadTwoParentKeys(keys.picks, twoParents));
  if (profile) notes.push(...profileNumberedColumns(keys.roles, keys.picks, profile.table));
  if (profile) notes.push(...profileCategoricalKeys({ table, keys, profile: profile.table, rows, shapes, rulesOf, configured: new Set(configured.keys()) }));

  const routing = partitionRouting(schema, tableKey);
  if (routing) notes.push(...routing.notes);

  const planned = planColumns({ ctx, tableKey, table, rows, shapes, rulesOf, keys, configured, nullRates, profile, nullable, routing });
  const { results } = planned;
  problems.push(...planned.problems);
  noteFanoutReferences(results, keys.picks);

  // Orders production's rows hold that nothing above gave.
  if (profile) {
    const orderContext = { shapes, rulesOf, now: ctx.now, dialect: schema.dialect };
    applyForeignKeyRelations(results, table, profile.table, { ...orderContext, schema, parents: ctx.profiles!, generated: ctx.generated ?? new Set() });
    applyProfileOrders(results, profile.table, orderContext);
    applyLineRelations(results, tableKey, table, profile.table, { schema, profiles: ctx.profiles!, generated: ctx.generated ?? new Set(), shapes, picks: keys.picks });
    // Without a profile: a row and the row it references belong to one tenant (the profile's agreements above say it from the data).
  } else if (ctx.planned) applyTenantRelations(results, table, { schema, tableKey, planned: ctx.planned, generated: ctx.generated ?? new Set(), configured: new Set(configured.keys()) });

  const { columns, unmet } = settleOrderings(results, rulesOf, rows);
  disjointExclusionRanges(table, columns);
  keepTreesInScope(columns, keys.scoped, tableKey);

  // Columns whose NULLs CHECKs tie together, or production's rows do (else their names: deleted_at, deleted_by): one pattern per row.
  const nullGroups = planNullGroups({
    tableKey,
    order: names,
    constraints: [...nullConstraints, ...softNullConstraints(names, shapes, keys, nullConstraints, columns, profile?.table)],
    expressions,
    columns,
    picks: keys.picks,
    nullable: (c) => shapes.get(c)!.nullable,
    notNullCheck: (c) => (rulesOf(c).notNull ? rulesOf(c).sources.notNull : undefined),
    configNullRate: (c) => nullRates.get(c),
    cycleColumns: new Set(ctx.graph.cycles.flatMap((cycle) => cycle.broken.filter((e) => e.from === tableKey && e.how === 'nullable').flatMap((e) => [...e.columns]))),
    defaultNullRate: ctx.defaultNullRate,
  });
  for (const [name, column] of nullGroups.columns) columns.set(name, column);
  Object.assign(keys.picks, nullGroups.picks);
  if (rows > 0) problems.push(...nullGroups.problems);
  for (const [check, why] of nullGroups.unmet) unmet.set(check, why);
  applyBooleanImplications({ implications, checks, columns, picks: keys.picks, nullable });
  applySelectorNulls({ checks, columns, grouped: new Set(nullGroups.groups.flatMap((g) => g.columns)), nullable: (c) => shapes.get(c)!.nullable && !rulesOf(c).notNull });
  pairReferenceChecks({
    tableKey,
    rows,
    checks,
    columns,
    picks: keys.picks,
    unmet,
    problems,
    parentColumn: (parent, column) => ctx.planned?.(parent)?.columns.find((c) => c.name === column),
  });

  const deferred = deferredUpdatesOf(ctx.graph, table, tableKey, columns);
  problems.push(...deferred.problems);
  const { overridingSystemValue, sequences } = sequencesOf(keys, table, rows);

  for (const check of checks) {
    const why = unmet.get(check.name);
    if (why === undefined) continue;
    check.status = check.status === 'interpreted' ? 'partial' : check.status;
    check.reason = check.reason ? `${check.reason}; ${why}` : why;
  }

  const triggers = ctx.disableTriggers === true ? triggersToDisable(table) : { disabled: [] };
  if (triggers.note !== undefined) notes.push(triggers.note);

  return {
    table: {
      table: tableKey,
      // Where a namespace is the database, the same tables elsewhere have other keys: rows are addressed by bare names.
      ...(!capabilities.namespaces ? { address: table.name } : {}),
      rows,
      columns: table.columns.map((c) => columns.get(c.name)!),
      picks: keys.picks,
      nullGroups: nullGroups.groups,
      overridingSystemValue,
      sequences,
      deferredUpdates: deferred.deferredUpdates,
      checks,
      disabledTriggers: triggers.disabled,
      notes,
    },
    problems,
  };
}
