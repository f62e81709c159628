/**
 * Plans a table's keys so they hold by construction, with no lookup and no
 * "seen" set:
 * - identity, serial and single integer primary keys: `start + rowIndex × step`;
 * - foreign keys: the child picks a parent row index (skewed fan-out, a tree for
 *   self-references, a permutation for 1:1) and copies the parent's key columns,
 *   computed from that index alone; a composite FK picks one row for all columns; two FKs
 *   that share columns (`(org_id, team)` and `(org_id, revision)`) pick a pair of parent rows
 *   that agree on them (an `agreeing` pick), and a wider FK decides the columns it shares with
 *   a narrower one;
 * - unique keys: one column made injective in the row index (a permutation of
 *   its range, or a base-36 suffix for text) or, when the key is made of foreign
 *   keys and small domains (a junction table), a permutation of the product of
 *   their sizes, so each row gets a distinct tuple. A key too small for the row
 *   count is a `unique-capacity` problem naming the maximum.
 *
 * @example
 * ```ts
 * const keys = planKeys(input);
 * keys.roles.get('customer_id'); // { role: 'reference', pick: 'fk:rental_customer_fk', … }
 * ```
 */
import { IMPLICIT_REFERENCE } from './implicit-references.js';
import type { Schema, Table, DialectName } from '@understudy/core';
import { inferSemanticKind } from '../infer/infer-semantic.js';
import type { GeneratorSpecInput } from '../infer/semantic-intents.js';
import { formatDate } from '../generators/time-format.js';
import { emptyRules, type ColumnRules } from './column-rules.js';
import type { ColumnShape } from './column-shape.js';
import { hardNumberRange, hardTimeRange, isIntegerKind, isTextKind } from './concrete-generator.js';
import type { PlanProblem } from './plan-errors.js';
import type { PlanPick } from './plan-model.js';
import { MAX_PERMUTATION_SIZE } from '../random/permutation.js';
import { integerRange, WIDE_DAYS } from './type-ranges.js';
import type { ColumnConstraint } from '../checks/check-constraints.js';
import { predicateEscapes } from './partial-key-predicate.js';

export type ColumnRole =
  | { readonly role: 'sequence'; readonly start: number; readonly step: number; readonly reason: string; readonly identityAlways: boolean; readonly sequence?: string }
  | {
      readonly role: 'reference';
      readonly pick: string;
      readonly table: string;
      readonly column: string;
      readonly reason: string;
      /** Of an `agreeing` pick: which parent (0 the first foreign key's, 1 the second's). */
      readonly component?: 0 | 1;
    }
  | { readonly role: 'tuple'; readonly generator: GeneratorSpecInput; readonly reason: string }
  | { readonly role: 'always-null'; readonly reason: string };

export interface KeyPlanInput {
  readonly schema: Schema;
  readonly tableKey: string;
  readonly table: Table;
  readonly shapes: ReadonlyMap<string, ColumnShape>;
  readonly rules: ReadonlyMap<string, ColumnRules>;
  readonly rows: number;
  /** Rows planned for a table, or undefined when it is not loaded. */
  readonly rowsOf: (tableKey: string) => number | undefined;
  /** A table key with partitions resolved to their parent. */
  readonly resolveTable: (tableKey: string) => string;
  /** Columns whose generator comes from the config. */
  readonly configured: ReadonlySet<string>;
  /** A configured column's `values` list (without NULL), when its config gives one. */
  readonly configValues?: (column: string) => ReadonlyArray<string | number | boolean> | undefined;
  /** Distinct values a (non-key) column can take, for choosing the injective column of a unique key. */
  readonly capacity: (column: string) => number;
  readonly fkNullRate: number;
  readonly now: number;
  readonly dialect: DialectName;
}

export interface KeyPlan {
  readonly roles: Map<string, ColumnRole>;
  readonly picks: Record<string, PlanPick>;
  /** Normal columns that must be injective in the row index, with the key that needs it. */
  readonly unique: Map<string, string>;
  /** Columns of some primary or unique key (never NULL by default). */
  readonly keyColumns: Set<string>;
  readonly problems: PlanProblem[];
  readonly notes: string[];
  /**
   * Constraints that keep every row outside a partial unique index whose key cannot be made
   * unique (`deleted = false` → deleted is true), with the reason for the columns they shape.
   */
  readonly escapes: Array<{ readonly constraint: ColumnConstraint; readonly index: string }>;
  /**
   * Columns a self-referencing foreign key maps to themselves (`(parent_id, workspace_id) → folders (id,
   * workspace_id)`: a tree kept inside its workspace), with the tree's pick: a row copies the column from its
   * parent row, and a root keeps its own value (its other foreign key's, or its generator's).
   */
  readonly scoped: Map<string, string>;
}

const FK_SKEW = 2;
const TREE_SKEW = 2;

function sequenceOf(schema: Schema, table: Table, name: string | undefined): { start: number; step: number; name?: string } {
  if (name !== undefined) {
    const bare = name.replace(/^"|"$/g, '');
    const found = schema.sequences[bare] ?? schema.sequences[`${table.schema}.${bare}`];
    if (found) {
      const start = Number(found.start);
      const step = Number(found.increment);
      if (Number.isSafeInteger(start) && Number.isSafeInteger(step) && step !== 0) return { start, step, name: `${found.schema}.${found.name}` };
    }
    return { start: 1, step: 1, name: bare };
  }
  return { start: 1, step: 1 };
}

interface UniqueKeyColumns {
  readonly name: string;
  readonly columns: string[];
  /** A partial index's WHERE: rows outside it need not be unique. */
  readonly where?: string;
}

/**
 * Unique keys as column lists: expressions such as lower(email) count as their column; others
 * are skipped with a note. Full keys come first (shortest first), then partial ones; a partial
 * key with the columns of a full one is already unique, and keys with the same columns and
 * predicate are one.
 */
function uniqueKeys(table: Table, notes: string[]): UniqueKeyColumns[] {
  const keys: UniqueKeyColumns[] = [];
  if (table.primaryKey && table.primaryKey.columns.length > 0) keys.push({ name: table.primaryKey.name ?? 'pkey', columns: [...table.primaryKey.columns] });
  for (const u of table.uniques) {
    const expressions = [...(u.expressions ?? [])];
    const columns: string[] = [];
    let ok = true;
    for (const c of u.columns) {
      if (c !== null) {
        columns.push(c);
        continue;
      }
      const expr = expressions.shift() ?? '';
      // A function of the column alone (lower(email), or a normaliser of the project's own: crates.io's
      // canon_crate_name(name), replace(lower($1), '-', '_')): rows unique on the column, as the generator
      // writes them (distinct after case folding and separators), are unique on it.
      // A cast of the column (`(short_ref::integer)`) too: its values are written distinct after the cast (index-casts.ts).
      const m = /^\(*\s*(?:(?:"?[A-Za-z_][\w$]*"?\s*\.\s*)?"?[A-Za-z_][\w$]*"?\s*\()?\s*\(*\s*"?([A-Za-z_][A-Za-z0-9_$]*)"?\s*\)*(?:::[a-z ]+)?\s*\)*$/i.exec(expr);
      const column = m?.[1];
      if (column !== undefined && table.columns.some((col) => col.name === column)) columns.push(column);
      else ok = false;
    }
    // Rows unique on the key's plain columns are unique on the whole key, whatever its expressions give.
    if (!ok && columns.length === 0) {
      notes.push(`unique index ${u.name} on an expression is not guaranteed unique by construction`);
      continue;
    }
    keys.push({ name: u.name, columns, ...(u.where !== undefined ? { where: u.where } : {}) });
  }
  // An exclusion constraint whose every operator is equality (`EXCLUDE USING btree (email WITH =, tenant_id
  // WITH =) WHERE (verified_at IS NOT NULL)`) is a unique key by another name (NULLs never conflict either).
  for (const index of table.indexes ?? []) {
    if (!index.exclusion || index.exclusion.length === 0 || !index.exclusion.every(isEquality) || index.columns.some((c) => c === null)) continue;
    keys.push({ name: index.name, columns: index.columns as string[], ...(index.where !== undefined ? { where: index.where } : {}) });
  }
  const columnsId = (k: UniqueKeyColumns): string => [...k.columns].sort().join('\0');
  const full = new Set(keys.filter((k) => k.where === undefined).map(columnsId));
  const seen = new Set<string>();
  return keys
    .filter((k) => {
      if (k.where !== undefined && full.has(columnsId(k))) return false;
      const id = `${columnsId(k)}\0${k.where ?? ''}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .sort((a, b) => Number(a.where !== undefined) - Number(b.where !== undefined) || a.columns.length - b.columns.length);
}

/** `=`, as an exclusion constraint spells it: `=`, `OPERATOR(=)`, `OPERATOR(pg_catalog.=)` (citext's is `public.=`). */
const isEquality = (operator: string): boolean => /^(?:OPERATOR\((?:[\w$"]+\.)?=\)|(?:[\w$"]+\.)?=)$/i.test(operator.trim());

/** A text column whose values no CHECK shapes (no LIKE, regex, IN list, exclusion or lower-case rule). */
function plainText(rules: ColumnRules | undefined): boolean {
  return (
    rules === undefined ||
    (rules.likes.length === 0 &&
      rules.regexes.length === 0 &&
      rules.values === undefined &&
      rules.exclude.length === 0 &&
      rules.case !== 'lower' &&
      (rules.maxLength === undefined || rules.maxLength >= 1))
  );
}

/** Prefer, as the injective column of a key: uuid, text, integers, timestamps, dates, the rest. */
function preference(shape: ColumnShape): number {
  if (shape.kind === 'uuid') return 0;
  if (isTextKind(shape)) return 1;
  if (isIntegerKind(shape)) return 2;
  if (shape.kind === 'timestamp' || shape.kind === 'timestamptz') return 3;
  if (shape.kind === 'date') return 4;
  return 5;
}

type SequenceRole = Extract<ColumnRole, { role: 'sequence' }>;

/** Identity, serial / AUTO_INCREMENT and single integer primary keys are written as `start + rowIndex × step`. */
function sequenceRole(schema: Schema, table: Table, column: Table['columns'][number], pkColumns: readonly string[]): SequenceRole | undefined {
  const d = column.default;
  if (d?.kind === 'identity') {
    const seq = sequenceOf(schema, table, d.sequence);
    const always = d.generation === 'always';
    const reason = always
      ? 'identity always: written explicitly (start + rowIndex) with OVERRIDING SYSTEM VALUE, so children can compute the key'
      : 'identity: written explicitly (start + rowIndex), so children can compute the key';
    return { role: 'sequence', start: seq.start, step: seq.step, reason, identityAlways: always, ...(seq.name ? { sequence: seq.name } : {}) };
  }
  if (d?.kind === 'sequence') {
    const seq = sequenceOf(schema, table, d.sequence);
    return {
      role: 'sequence',
      start: seq.start,
      step: seq.step,
      reason: 'serial: written explicitly (start + rowIndex), so children can compute the key',
      identityAlways: false,
      ...(seq.name ? { sequence: seq.name } : {}),
    };
  }
  if (pkColumns.length === 1 && pkColumns[0] === column.name) return { role: 'sequence', start: 1, step: 1, reason: 'primary key: rowIndex + 1', identityAlways: false };
  return undefined;
}

/** How many rows a sequence key can number before leaving its type's range. */
function sequenceCapacity(role: SequenceRole, shape: ColumnShape): number {
  const range = integerRange(shape);
  return Math.max(0, Math.floor((role.step > 0 ? range.max - role.start : role.start - range.min) / Math.abs(role.step)) + 1);
}

/**
 * A sequence key within its CHECKs (`id = 1` on a one-row table, `id BETWEEN 1 AND 9`): it starts
 * at the lowest value they allow and numbers only as many rows as they hold.
 */
function withinChecks(role: SequenceRole, capacity: number, rules: ColumnRules | undefined): { role: SequenceRole; max: number; bound?: string } {
  if (!rules || role.step <= 0) return { role, max: capacity };
  const values = rules.values?.map(Number).filter((v) => Number.isSafeInteger(v));
  if (values !== undefined) {
    const allowed = new Set(values.filter((v) => !rules.exclude.map(Number).includes(v)));
    const start = Math.min(...allowed);
    if (!Number.isFinite(start)) return { role, max: 0, bound: 'CHECK allows no value' };
    let n = 0;
    while (n < capacity && allowed.has(start + n * role.step)) n++;
    return { role: { ...role, start }, max: n, bound: `CHECK allows ${[...allowed].slice(0, 5).join(', ')}${allowed.size > 5 ? ', …' : ''}` };
  }
  let start = role.start;
  if (rules.min !== undefined && typeof rules.min.value === 'number') start = Math.max(start, Math.ceil(rules.min.value + (rules.min.exclusive && Number.isInteger(rules.min.value) ? 1 : 0)));
  let max = capacity - Math.max(0, Math.ceil((start - role.start) / role.step));
  if (rules.max !== undefined && typeof rules.max.value === 'number') {
    const top = Math.floor(rules.max.value - (rules.max.exclusive && Number.isInteger(rules.max.value) ? 1 : 0));
    max = Math.min(max, Math.floor((top - start) / role.step) + 1);
  }
  const bounded = start !== role.start || max !== capacity;
  return { role: start === role.start ? role : { ...role, start }, max: Math.max(0, max), ...(bounded ? { bound: 'within its CHECK' } : {}) };
}

/**
 * The most rows a table can get before a sequence-numbered key (identity, serial /
 * AUTO_INCREMENT, a single integer primary key) leaves its type's range, e.g. 255 for
 * MySQL `TINYINT UNSIGNED AUTO_INCREMENT`; `undefined` when no such key limits it.
 *
 * @example
 * ```ts
 * sequenceRowLimit(schema, 'sakila.store', shapes, new Set()); // { column: 'store_id', rawType: 'tinyint(3) unsigned', rows: 255 }
 * ```
 */
export function sequenceRowLimit(
  schema: Schema,
  table: Table,
  shapes: ReadonlyMap<string, ColumnShape>,
  configured: ReadonlySet<string>,
): { column: string; rawType: string; rows: number } | undefined {
  const fkColumns = new Set(table.foreignKeys.flatMap((fk) => fk.columns));
  const pkColumns = table.primaryKey?.columns ?? [];
  let limit: { column: string; rawType: string; rows: number } | undefined;
  for (const column of table.columns) {
    const shape = shapes.get(column.name);
    if (!shape || fkColumns.has(column.name) || configured.has(column.name) || column.generated || !isIntegerKind(shape) || shape.arrayDimensions > 0) continue;
    const role = sequenceRole(schema, table, column, pkColumns);
    if (!role) continue;
    const rows = sequenceCapacity(role, shape);
    if (!limit || rows < limit.rows) limit = { column: column.name, rawType: shape.rawType, rows };
  }
  return limit;
}

/** A constraint an escape adds, for a note. */
function describeEscape(c: ColumnConstraint): string {
  switch (c.type) {
    case 'notNull':
      return `${c.column} never NULL`;
    case 'in':
      return `${c.column} = ${c.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'notIn':
      return `${c.column} never ${c.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    default:
      return c.type;
  }
}

type ForeignKey = Table['foreignKeys'][number];

/** What the phases of `planKeys` build together: the column roles, the picks, and which key each column serves. */
interface KeyState {
  readonly roles: Map<string, ColumnRole>;
  readonly picks: Record<string, PlanPick>;
  readonly unique: Map<string, string>;
  /** The pick that decides each foreign key column. */
  readonly fkOfColumn: Map<string, string>;
  /** The foreign key of each `fk:` pick. */
  readonly fkByPick: Map<string, ForeignKey>;
  /** Columns injective in the row index (sequences, keys planned so far). */
  readonly injective: Set<string>;
  /** Column sets made distinct per row by a tuple or agreeing pick. */
  readonly tuples: Array<Set<string>>;
  /** See `KeyPlan.scoped`. */
  readonly scoped: Map<string, string>;
}

/** Why a foreign key gets no pick: its parent is not loaded, lacks the columns or has no rows. */
function unusableParent(input: KeyPlanInput, fk: ForeignKey, nullable: boolean, fkOfColumn: ReadonlyMap<string, string>): { problem?: PlanProblem; nulls?: Map<string, ColumnRole> } | undefined {
  const { tableKey, rows } = input;
  const columns = fk.columns;
  const parentKey = input.resolveTable(fk.references.table);
  const parent = input.schema.tables[parentKey];
  const parentRows = input.rowsOf(parentKey);
  const target = `${parentKey}(${fk.references.columns.join(', ')})`;
  const column = columns.join(', ');
  const alwaysNull = (why: string): { nulls: Map<string, ColumnRole> } => ({
    nulls: new Map(columns.filter((c) => !fkOfColumn.has(c)).map((c) => [c, { role: 'always-null', reason: `foreign key → ${target}: ${why}, so always NULL` }])),
  });
  if (!parent || parentRows === undefined) {
    if (rows === 0) return {}; // no row to point anywhere (a table capped at 0: its parent was dropped)
    if (nullable) return alwaysNull('that table is not loaded');
    return {
      problem: {
        code: 'missing-parent',
        table: tableKey,
        column,
        message: `${tableKey}(${column}) references ${target}, which is not in the schema being loaded`,
        hint: 'introspect that schema too, or give these columns values in the config',
      },
    };
  }
  const missing = fk.references.columns.filter((c) => !parent.columns.some((pc) => pc.name === c));
  if (missing.length > 0) {
    return { problem: { code: 'missing-parent', table: tableKey, column, message: `${tableKey}: foreign key ${fk.name} references missing column(s) ${missing.join(', ')} of ${parentKey}` } };
  }
  const generated = fk.references.columns.filter((c) => parent.columns.find((pc) => pc.name === c)?.generated);
  if (generated.length > 0) {
    return {
      problem: {
        code: 'unloaded-reference',
        table: tableKey,
        column,
        message: `${tableKey}: foreign key ${fk.name} references generated column(s) ${generated.join(', ')} of ${parentKey}, whose values Understudy cannot compute`,
        hint: 'give the referencing columns a generator in the config',
      },
    };
  }
  if (parentRows > 0) return undefined;
  if (rows === 0) return {}; // no row to point anywhere
  if (nullable) return alwaysNull('that table gets 0 rows');
  return {
    problem: {
      code: 'empty-parent',
      table: tableKey,
      column,
      message: `${tableKey}(${column}) must reference ${parentKey}, which is planned with 0 rows`,
      hint: `give ${parentKey} some rows, or ${tableKey} 0 rows`,
    },
  };
}

function referenceReason(fk: ForeignKey, parentKey: string, refColumn: string, self: boolean): string {
  const kind = fk.name.startsWith(IMPLICIT_REFERENCE) ? 'implicit reference (no foreign key declared; named after the table)' : 'foreign key';
  return `${kind} → ${parentKey}(${refColumn})${self ? ' (a tree: each row points at an earlier one)' : ''}`;
}

/**
 * A foreign key that shares columns with one earlier foreign key (`(org_id, group_id)` after
 * `(org_id, revision_id)`): both are decided by one `agreeing` pick, a pair of parent rows with
 * the same values in the shared columns, so the shared columns match both parents. Returns false
 * (nothing changed) when the earlier key is not a plain pick of another table: a tree, a key
 * shared with two others, or one a unique key already decided.
 */
function agreeWithEarlier(state: KeyState, fk: ForeignKey, taken: readonly string[], parentKey: string, parentRows: number, configured: ReadonlySet<string>): boolean {
  const owners = new Set(taken.map((c) => state.fkOfColumn.get(c)!));
  const owner = owners.size === 1 ? [...owners][0]! : undefined;
  const first = owner !== undefined ? state.picks[owner] : undefined;
  const firstFk = owner !== undefined ? state.fkByPick.get(owner) : undefined;
  if (first?.kind !== 'skewed' || firstFk === undefined) return false;
  const pickId = `agree:${firstFk.name}+${fk.name}`;
  const on = taken.map((c): [string, string] => [firstFk.references.columns[firstFk.columns.indexOf(c)]!, fk.references.columns[fk.columns.indexOf(c)]!]);
  state.picks[pickId] = { kind: 'agreeing', tables: [first.table, parentKey], rows: [first.rows, parentRows], foreignKeys: [firstFk.name, fk.name], on, skew: FK_SKEW };
  delete state.picks[owner!];
  state.fkByPick.delete(owner!);
  const shared = `paired with a row of ${parentKey} (${fk.name}) that agrees on ${taken.join(', ')}`;
  for (const [c, role] of state.roles) {
    if (role.role !== 'reference' || role.pick !== owner) continue;
    state.roles.set(c, { ...role, pick: pickId, component: 0, reason: `${role.reason}, ${shared}` });
    state.fkOfColumn.set(c, pickId);
  }
  fk.columns.forEach((c, i) => {
    if (state.fkOfColumn.has(c) || configured.has(c)) return;
    state.fkOfColumn.set(c, pickId);
    const column = fk.references.columns[i]!;
    state.roles.set(c, {
      role: 'reference',
      pick: pickId,
      component: 1,
      table: parentKey,
      column,
      reason: `${referenceReason(fk, parentKey, column, false)}, in a row agreeing with ${firstFk.name} on ${taken.join(', ')}`,
    });
  });
  return true;
}

/** Phase 1: a pick per foreign key, and the columns it decides (see the file comment). */
function planForeignKeys(input: KeyPlanInput, state: KeyState, notes: string[]): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const { shapes, tableKey } = input;
  // Wider keys first: a key's columns shared with a narrower one (`(org_id, team)` and `(org_id)`) follow the wider.
  const widestFirst = [...input.table.foreignKeys].sort((a, b) => b.columns.length - a.columns.length);
  for (const fk of widestFirst) {
    // A self-reference's columns mapped to themselves (the tree's workspace) are copied from the parent row, not picked.
    const scope = input.resolveTable(fk.references.table) === tableKey ? fk.columns.filter((c, i) => c === fk.references.columns[i]) : [];
    const columns = scope.length < fk.columns.length ? fk.columns.filter((c) => !scope.includes(c)) : fk.columns;
    const taken = columns.filter((c) => state.fkOfColumn.has(c));
    if (taken.length === columns.length) {
      notes.push(`foreign key ${fk.name} shares all its columns with another foreign key; only the first is generated`);
      continue;
    }
    // A CHECK (x IS NOT NULL) makes a foreign key as NOT NULL as the column's declaration does.
    const nullable = columns.every((c) => (shapes.get(c)?.nullable ?? false) && !input.rules.get(c)?.notNull);
    if (columns.every((c) => input.configured.has(c))) continue;
    const unusable = unusableParent(input, fk, nullable, state.fkOfColumn);
    if (unusable !== undefined) {
      if (unusable.problem) problems.push(unusable.problem);
      for (const [c, role] of unusable.nulls ?? []) state.roles.set(c, role);
      continue;
    }
    const parentKey = input.resolveTable(fk.references.table);
    const parentRows = input.rowsOf(parentKey)!;
    const self = parentKey === tableKey;
    if (taken.length > 0) {
      if (!self && agreeWithEarlier(state, fk, taken, parentKey, parentRows, input.configured)) {
        notes.push(`foreign key ${fk.name} shares ${taken.join(', ')} with another foreign key; both point at parent rows that agree on ${taken.length > 1 ? 'them' : 'it'}`);
        continue;
      }
      notes.push(`foreign key ${fk.name} shares ${taken.join(', ')} with another foreign key; those columns follow the first`);
    }
    const pickId = `fk:${fk.name}`;
    if (self) for (const c of scope.filter((c) => !columns.includes(c) && !input.configured.has(c))) state.scoped.set(c, pickId);
    state.picks[pickId] = self
      ? { kind: 'tree', skew: TREE_SKEW, rootRate: nullable ? input.fkNullRate : 0, rootSelf: !nullable }
      : { kind: 'skewed', table: parentKey, rows: parentRows, skew: FK_SKEW, nullRate: nullable ? input.fkNullRate : 0 };
    state.fkByPick.set(pickId, fk);
    columns.forEach((c) => {
      if (state.fkOfColumn.has(c) || input.configured.has(c)) return;
      state.fkOfColumn.set(c, pickId);
      const refColumn = fk.references.columns[fk.columns.indexOf(c)]!;
      state.roles.set(c, { role: 'reference', pick: pickId, table: parentKey, column: refColumn, reason: referenceReason(fk, parentKey, refColumn, self) });
    });
  }
  return problems;
}

/** Phase 2: identity, serial / AUTO_INCREMENT and single integer primary keys, numbered from the row index. */
function planSequences(input: KeyPlanInput, roles: ReadonlyMap<string, ColumnRole>): { roles: Map<string, SequenceRole>; problems: PlanProblem[] } {
  const { schema, table, shapes, rows, tableKey } = input;
  const found = new Map<string, SequenceRole>();
  const problems: PlanProblem[] = [];
  const pkColumns = table.primaryKey?.columns ?? [];
  for (const column of table.columns) {
    const shape = shapes.get(column.name)!;
    if (roles.has(column.name) || input.configured.has(column.name) || column.generated || !isIntegerKind(shape) || shape.arrayDimensions > 0) continue;
    const sequence = sequenceRole(schema, table, column, pkColumns);
    if (!sequence) continue;
    const { role, max, bound } = withinChecks(sequence, sequenceCapacity(sequence, shape), input.rules.get(column.name));
    if (rows > max) {
      problems.push({
        code: 'unique-capacity',
        table: tableKey,
        column: column.name,
        message: `${tableKey}.${column.name} (${shape.rawType}${bound ? `, ${bound}` : ''}) can hold at most ${Math.max(0, max)} key values from ${role.start}, but ${rows} rows were requested`,
        hint: `lower the rows of ${tableKey} or widen the column's ${bound ? 'CHECK' : 'type'}`,
        limit: Math.max(0, max),
      });
    }
    found.set(column.name, role);
  }
  return { roles: found, problems };
}

const keyLabelOf = (key: UniqueKeyColumns): string => (key.name === 'pkey' ? 'primary key' : `unique key ${key.name}`);

/** (a) The key is exactly one foreign key's columns: 1:1 with the parent. Undefined when it is not. */
function planOneToOne(input: KeyPlanInput, state: KeyState, key: UniqueKeyColumns): PlanProblem[] | undefined {
  const { rows, tableKey } = input;
  const columns = key.columns;
  const picksOfKey = [...new Set(columns.map((c) => state.fkOfColumn.get(c)))];
  const onlyPick = picksOfKey.length === 1 ? picksOfKey[0] : undefined;
  const fk = onlyPick !== undefined ? state.fkByPick.get(onlyPick) : undefined;
  if (onlyPick === undefined || fk === undefined) return undefined;
  const fkColumns = fk.columns.filter((c) => state.fkOfColumn.get(c) === onlyPick);
  if (!fkColumns.every((c) => columns.includes(c))) return undefined;
  const found: PlanProblem[] = [];
  const label = `${tableKey}: ${keyLabelOf(key)} (${columns.join(', ')})`;
  const pick = state.picks[onlyPick]!;
  if (pick.kind === 'tree') {
    state.picks[onlyPick] = { kind: 'chain', rootSelf: pick.rootSelf };
  } else if (pick.kind === 'skewed') {
    if (rows > pick.rows) {
      found.push({
        code: 'unique-capacity',
        table: tableKey,
        column: columns.join(', '),
        message: `${label} allows one row per row of ${pick.table}: at most ${pick.rows} rows, but ${rows} were requested`,
        hint: `lower the rows of ${tableKey} or raise those of ${pick.table}`,
        limit: pick.rows,
      });
    }
    // A nullable unique FK keeps its NULLs: NULLs are distinct in a key.
    state.picks[onlyPick] = { kind: 'permutation', table: pick.table, rows: pick.rows, nullRate: pick.nullRate };
  } else {
    found.push({
      code: 'conflicting-keys',
      table: tableKey,
      column: columns.join(', '),
      message: `${label} overlaps another unique key over the same foreign key; give one of its columns a generator in the config`,
    });
  }
  for (const c of fkColumns) state.injective.add(c);
  return found;
}

/**
 * (a′) The key's foreign key columns are those of one `agreeing` pick, from both its parents:
 * every row gets a different pair of parent rows. Undefined when the key is not of that kind.
 */
function planAgreeingKey(input: KeyPlanInput, state: KeyState, key: UniqueKeyColumns): PlanProblem[] | undefined {
  const columns = key.columns;
  const owners = new Set(columns.map((c) => state.fkOfColumn.get(c)));
  const pickId = owners.size === 1 ? [...owners][0] : undefined;
  const pick = pickId !== undefined ? state.picks[pickId] : undefined;
  if (pick?.kind !== 'agreeing') return undefined;
  const sides: [string[], string[]] = [[], []];
  for (const c of columns) {
    const role = state.roles.get(c);
    if (role?.role === 'reference' && role.component !== undefined) sides[role.component].push(role.column);
  }
  if (sides[0].length === 0 || sides[1].length === 0) return undefined;
  const most = pick.rows[0] * pick.rows[1];
  if (input.rows > most) {
    return [
      {
        code: 'unique-capacity',
        table: input.tableKey,
        column: columns.join(', '),
        message: `${input.tableKey}: ${keyLabelOf(key)} (${columns.join(', ')}) needs a different pair of rows of ${pick.tables.join(' and ')} per row: at most ${most}, but ${input.rows} rows were requested`,
        hint: `lower the rows of ${input.tableKey} or raise those of ${pick.tables.join(' and ')}`,
        limit: most,
      },
    ];
  }
  if (pick.distinct !== undefined) return undefined; // one key per pair: another goes to the tuple planner, which refuses it
  state.picks[pickId!] = { ...pick, distinct: { key: keyLabelOf(key), columns: sides } };
  state.tuples.push(new Set(columns));
  return [];
}

/**
 * (a″) The key is part of one foreign key's columns (`"emailAccountId"` unique, the foreign key
 * `("messagingChannelId", "emailAccountId") → "MessagingChannel"(id, "emailAccountId")`): every
 * row picks a parent row whose values there no other row's parent holds (a `permutation` pick
 * with `distinct`). How many parent rows differ is known once the parent is planned; a blanket
 * row count above it is capped then. Undefined when the key is not of that kind.
 */
function planDistinctPart(input: KeyPlanInput, state: KeyState, key: UniqueKeyColumns): PlanProblem[] | undefined {
  const owners = new Set(key.columns.map((c) => state.fkOfColumn.get(c)));
  const pickId = owners.size === 1 ? [...owners][0] : undefined;
  const fk = pickId !== undefined ? state.fkByPick.get(pickId) : undefined;
  const pick = pickId !== undefined ? state.picks[pickId] : undefined;
  if (fk === undefined || pick?.kind !== 'skewed' || fk.columns.every((c) => key.columns.includes(c))) return undefined;
  const parentColumns = key.columns.map((c) => fk.references.columns[fk.columns.indexOf(c)]);
  if (parentColumns.some((c) => c === undefined)) return undefined;
  const label = keyLabelOf(key);
  if (input.rows > pick.rows) {
    return [
      {
        code: 'unique-capacity',
        table: input.tableKey,
        column: key.columns.join(', '),
        message: `${input.tableKey}: ${label} (${key.columns.join(', ')}) needs a row of ${pick.table} with its own ${parentColumns.join(', ')} per row: at most ${pick.rows} rows, but ${input.rows} were requested`,
        hint: `lower the rows of ${input.tableKey} or raise those of ${pick.table}`,
        limit: pick.rows,
      },
    ];
  }
  state.picks[pickId!] = { kind: 'permutation', table: pick.table, rows: pick.rows, nullRate: pick.nullRate, distinct: { key: label, columns: parentColumns as string[] } };
  for (const c of fk.columns) {
    const role = state.roles.get(c);
    if (role?.role === 'reference' && role.pick === pickId) state.roles.set(c, { ...role, reason: `${role.reason}, a row of its own ${parentColumns.join(', ')} per ${label}` });
  }
  for (const c of key.columns) state.injective.add(c);
  return [];
}

/** (b) One free column can carry the uniqueness: true when one was chosen. */
function planFreeColumn(input: KeyPlanInput, state: KeyState, key: UniqueKeyColumns): boolean {
  const candidates = key.columns
    .filter((c) => !state.roles.has(c))
    .map((c) => ({ c, capacity: input.capacity(c), shape: input.shapes.get(c)! }))
    .filter((x) => x.capacity >= input.rows)
    .sort((x, y) => preference(x.shape) - preference(y.shape));
  if (candidates.length === 0) return false;
  state.unique.set(candidates[0]!.c, keyLabelOf(key));
  state.injective.add(candidates[0]!.c);
  return true;
}

/**
 * (b′) The key is a foreign key's columns plus one free column (`(year, team, inseason)` over
 * `(year, team) → teams`): the foreign key's pick becomes a fan-out whose children of one parent
 * take consecutive places, and the free column numbers them within their parent (1, 2, 3 …), so
 * the parent keeps its own fan-out and the column its few values. Undefined when the key is not
 * of that kind or its column cannot number the children (too few values).
 */
function planNumberedInParent(input: KeyPlanInput, state: KeyState, key: UniqueKeyColumns): PlanProblem[] | undefined {
  const free = key.columns.filter((c) => !state.roles.has(c));
  const picks = new Set(key.columns.filter((c) => state.roles.has(c)).map((c) => state.fkOfColumn.get(c)));
  const pickId = picks.size === 1 ? [...picks][0] : undefined;
  const pick = pickId !== undefined ? state.picks[pickId] : undefined;
  const fk = pickId !== undefined ? state.fkByPick.get(pickId) : undefined;
  // A fan-out another key already numbers (`(kb, tag_slot)` beside `(kb, display_name)`): this column takes the same
  // place within the parent, so it is distinct per parent too, at as many places as both columns have values.
  const numbered = pick?.kind === 'fanout' && pick.perParent !== undefined;
  if (free.length !== 1 || (pick?.kind !== 'skewed' && !numbered) || fk === undefined || pick.rows === 0) return undefined;
  // Every column of the key but the free one is decided by this one foreign key, and the key holds all
  // of the foreign key's columns: numbered per parent row, the free column is distinct only together
  // with the whole parent key (`(region, sku)` over `(region, warehouse_code) → warehouses` is not).
  if (!key.columns.every((c) => c === free[0] || state.fkOfColumn.get(c) === pickId)) return undefined;
  if (!fk.columns.every((c) => key.columns.includes(c))) return undefined;
  const column = free[0]!;
  const made = valueComponent(input, column, 1, keyLabelOf(key));
  if (typeof made === 'string') return undefined;
  const perParent = Math.min(made.size, MAX_PERMUTATION_SIZE, pick.kind === 'fanout' ? (pick.perParent ?? Infinity) : Infinity);
  if (perParent * pick.rows < input.rows) return undefined;
  state.picks[pickId!] =
    pick.kind === 'fanout' ? { ...pick, perParent } : { kind: 'fanout', table: pick.table, rows: pick.rows, children: input.rows, buckets: [], skew: pick.skew, nullRate: pick.nullRate, perParent };
  state.roles.set(column, { role: 'tuple', generator: made.spec(pickId!), reason: `numbered within its ${pick.table} row (foreign key ${fk.name}), distinct per ${keyLabelOf(key)}` });
  state.tuples.push(new Set(key.columns));
  return [];
}

interface TupleComponents {
  readonly sizes: number[];
  readonly componentPicks: Array<string | null>;
  readonly assignments: Array<{ column: string; spec: (pickId: string) => GeneratorSpecInput; reason: string }>;
  readonly usedPicks: Set<string>;
  failure?: string;
}

/** What an email column's code is written between: `user` + code + `@example.com`. */
const EMAIL_AFFIX = 'user@example.com';

/** One component of a distinct tuple for a column with no role: its domain, or why it has none usable. */
function valueComponent(input: KeyPlanInput, c: string, component: number, keyLabel: string): { size: number; spec: (pickId: string) => GeneratorSpecInput; reason: string } | string {
  const shape = input.shapes.get(c)!;
  const rules = input.rules.get(c);
  const reason = `distinct per ${keyLabel}`;
  // A config `values` list is the component's domain; a config generator cannot be enumerated.
  if (input.configured.has(c) && input.configValues?.(c) === undefined) return `${c} has a config generator, which cannot be made distinct per row (give it values, or no config)`;
  const values = input.configValues?.(c) ?? rules?.values ?? (shape.kind === 'enum' ? shape.values : shape.kind === 'boolean' ? [true, false] : undefined);
  if (values !== undefined) {
    const list = values.filter((v) => !(rules?.exclude ?? []).includes(v));
    if (list.length === 0) return `${c} has no allowed values`;
    return { size: list.length, spec: (pickId) => ({ name: 'tuple', params: { pick: pickId, component, valueType: 'values', values: [...list] } }), reason };
  }
  if (isIntegerKind(shape)) {
    const r = hardNumberRange(shape, rules ?? emptyRules());
    const lo = r.min < 1 && r.max >= 1 ? 1 : r.min;
    return { size: Math.max(0, Math.min(r.max - lo + 1, 2 ** 52)), spec: (pickId) => ({ name: 'tuple', params: { pick: pickId, component, valueType: 'integer', min: lo } }), reason };
  }
  if (shape.kind === 'date') {
    const hard = hardTimeRange(shape, rules ?? emptyRules(), { now: input.now, dialect: input.dialect });
    const lo = Math.max(hard.min, WIDE_DAYS.min);
    const hi = Math.min(hard.max, WIDE_DAYS.max);
    return { size: Math.max(0, hi - lo + 1), spec: (pickId) => ({ name: 'tuple', params: { pick: pickId, component, valueType: 'date', min: formatDate(lo) } }), reason };
  }
  if (isTextKind(shape) && shape.arrayDimensions === 0 && plainText(rules)) {
    // A plain text column: base-36 codes, as many as its length allows; an email column's read as addresses
    // (`user0@example.com`) when it has room for them.
    const room = Math.min(shape.length ?? Infinity, rules?.maxLength ?? Infinity);
    const email = shape.kind !== 'char' && rules?.case === undefined && room >= 11 + EMAIL_AFFIX.length && inferSemanticKind(c, { table: input.table.name, kind: shape.kind })?.kind === 'email';
    const length = Math.min(shape.length ?? 11, rules?.maxLength ?? 11, 11);
    const minLength = shape.kind === 'char' ? length : Math.max(1, rules?.minLength ?? 1);
    const affix = email ? { prefix: 'user', suffix: '@example.com' } : {};
    return {
      size: Math.min(36 ** length, MAX_PERMUTATION_SIZE),
      spec: (pickId) => ({ name: 'tuple', params: { pick: pickId, component, valueType: 'code', minLength, upper: rules?.case === 'upper', ...affix } }),
      reason: email ? `${reason}, as addresses` : reason,
    };
  }
  return `${c} (${shape.rawType}) holds at most ${input.capacity(c)} distinct values`;
}

/** (c) The components of a distinct tuple over the key's foreign keys and small domains. */
function tupleComponents(input: KeyPlanInput, state: KeyState, key: UniqueKeyColumns): TupleComponents {
  const keyLabel = keyLabelOf(key);
  const out: TupleComponents = { sizes: [], componentPicks: [], assignments: [], usedPicks: new Set() };
  for (const c of key.columns) {
    const role = state.roles.get(c);
    if (role?.role === 'reference') {
      if (out.usedPicks.has(role.pick)) continue;
      const pick = state.picks[role.pick]!;
      if (pick.kind === 'agreeing') {
        out.failure = `foreign keys ${pick.foreignKeys.join(' and ')} share columns and are already bound together`;
        break;
      }
      if (pick.kind !== 'skewed') {
        out.failure = `foreign key ${role.pick.slice(3)} is already bound by another key`;
        break;
      }
      out.usedPicks.add(role.pick);
      const component = out.sizes.length;
      out.sizes.push(pick.rows);
      out.componentPicks.push(role.pick);
      const fk = state.fkByPick.get(role.pick)!;
      fk.columns.forEach((fc, i) => {
        if (state.fkOfColumn.get(fc) !== role.pick) return;
        const column = fk.references.columns[i]!;
        out.assignments.push({
          column: fc,
          spec: (pickId) => ({ name: 'tuple', params: { pick: pickId, component, valueType: 'parent', table: pick.table, column } }),
          reason: `foreign key → ${pick.table}(${column}), distinct per ${keyLabel}`,
        });
      });
      continue;
    }
    if (role) {
      out.failure = `${c} is ${role.role === 'always-null' ? 'always NULL' : 'already planned'}`;
      break;
    }
    const made = valueComponent(input, c, out.sizes.length, keyLabel);
    if (typeof made === 'string') {
      out.failure = made;
      break;
    }
    out.sizes.push(made.size);
    out.componentPicks.push(null);
    out.assignments.push({ column: c, spec: made.spec, reason: made.reason });
  }
  return out;
}

/** (c) A distinct tuple over foreign keys and small domains, or the problem why the key cannot have one. */
function planTupleKey(input: KeyPlanInput, state: KeyState, key: UniqueKeyColumns): PlanProblem[] {
  const { rows, tableKey } = input;
  const columns = key.columns;
  const t = tupleComponents(input, state, key);
  const product = t.sizes.reduce((n, s) => n * s, 1);
  if (t.failure !== undefined || t.sizes.some((s) => s === 0) || product < rows) {
    const free = columns.filter((c) => !state.roles.has(c));
    const best = Math.max(t.failure === undefined ? product : 0, ...free.map((c) => input.capacity(c)).filter((n) => Number.isFinite(n)), 0);
    const bound = t.failure !== undefined && /already bound/.test(t.failure);
    const label = `${tableKey}: ${keyLabelOf(key)} (${columns.join(', ')})`;
    return [
      {
        code: bound ? 'conflicting-keys' : 'unique-capacity',
        table: tableKey,
        column: columns.join(', '),
        message: bound ? `${label}: ${t.failure}` : `${label} can hold at most ${best} distinct values, but ${rows} rows were requested${t.failure ? ` (${t.failure})` : ''}`,
        hint: `lower the rows of ${tableKey}, widen the key's columns, or raise the rows of the tables it references`,
        ...(bound ? {} : { limit: best }),
      },
    ];
  }
  const pickId = `unique:${key.name}`;
  state.picks[pickId] = { kind: 'tuple', sizes: t.sizes, foreignKeys: t.componentPicks };
  for (const a of t.assignments) state.roles.set(a.column, { role: 'tuple', generator: a.spec(pickId), reason: a.reason });
  for (const p of t.usedPicks) delete state.picks[p];
  state.tuples.push(new Set(columns));
  return [];
}

/** Plans one unique key; the problems it could not solve (the state may then be half changed, see `attempt`). */
function planKey(input: KeyPlanInput, state: KeyState, key: UniqueKeyColumns, shared: ReadonlySet<string> = new Set()): PlanProblem[] {
  const columns = key.columns;
  if (columns.some((c) => !input.shapes.has(c))) return [];
  const satisfied = columns.some((c) => state.injective.has(c)) || state.tuples.some((t) => [...t].every((c) => columns.includes(c)));
  if (satisfied) return [];
  // A column that is always NULL makes every row's key distinct (NULLs are distinct in keys).
  if (columns.some((c) => state.roles.get(c)?.role === 'always-null')) return [];
  const settled = planOneToOne(input, state, key) ?? planAgreeingKey(input, state, key) ?? planDistinctPart(input, state, key);
  if (settled !== undefined) return settled;
  // A column in another unique key too (`(user_id, email)` and `(email, tenant_id)`): distinct on its own, it holds both.
  if (columns.some((c) => shared.has(c) && !state.roles.has(c)) && planFreeColumn(input, state, { ...key, columns: columns.filter((c) => shared.has(c)) })) return [];
  // A foreign key in another unique key too (hasura-auth's `(provider_id, provider_user_id)` beside `(user_id,
  // provider_id)`): numbered within its parent here, its pick could no longer be paired there. A free column
  // distinct on its own holds this key and leaves the pick to the other.
  const sharedReference = columns.some((c) => shared.has(c) && state.roles.get(c)?.role === 'reference');
  if (sharedReference && planFreeColumn(input, state, key)) return [];
  if (planNumberedInParent(input, state, key) !== undefined) return [];
  if (planFreeColumn(input, state, key)) return [];
  return planTupleKey(input, state, key);
}

/** Runs `planKey`; on problems, puts the state back as it was. */
function attempt(input: KeyPlanInput, state: KeyState, key: UniqueKeyColumns, shared?: ReadonlySet<string>): PlanProblem[] {
  const before = { roles: new Map(state.roles), picks: { ...state.picks }, unique: new Map(state.unique), injective: new Set(state.injective), tuples: [...state.tuples] };
  const found = planKey(input, state, key, shared);
  if (found.length === 0) return found;
  const restore = <K, V>(map: Map<K, V>, from: Map<K, V>): void => {
    map.clear();
    for (const [k, v] of from) map.set(k, v);
  };
  restore(state.roles, before.roles);
  for (const k of Object.keys(state.picks)) delete state.picks[k];
  Object.assign(state.picks, before.picks);
  restore(state.unique, before.unique);
  state.injective.clear();
  for (const c of before.injective) state.injective.add(c);
  state.tuples.splice(0, state.tuples.length, ...before.tuples);
  return found;
}

/** A single-column foreign key's `fk:` pick (escapes make only those NULL). */
const singleColumnPick = (table: Table, pick: string): boolean => table.foreignKeys.find((fk) => `fk:${fk.name}` === pick)?.columns.length === 1;

/**
 * A key that cannot be unique at this row count can still hold: every row outside a partial
 * index (one condition of its WHERE made false), or a nullable foreign key of the key always
 * NULL (NULLs are distinct in a key). Returns the note saying which, or undefined.
 */
function escape(input: KeyPlanInput, state: KeyState, key: UniqueKeyColumns, escapes: KeyPlan['escapes']): string | undefined {
  const { table, rows, shapes } = input;
  const { roles, picks } = state;
  const label = `${keyLabelOf(key)} (${key.columns.join(', ')})`;
  const columnOf = (name: string): string | undefined => table.columns.find((c) => c.name === name)?.name ?? table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())?.name;
  for (const e of key.where !== undefined ? predicateEscapes(key.where) : []) {
    const column = columnOf(e.column);
    if (column === undefined || input.configured.has(column)) continue;
    const role = roles.get(column);
    const why = `outside partial ${label} WHERE ${key.where}, which cannot be unique at ${rows} rows`;
    if (e.kind === 'null') {
      if (!shapes.get(column)?.nullable || (role !== undefined && role.role !== 'reference')) continue;
      if (role?.role === 'reference' && !singleColumnPick(table, role.pick)) continue;
      roles.set(column, { role: 'always-null', reason: `always NULL: ${why}` });
      return `${label}: every row is kept outside the partial index (${column} always NULL)`;
    }
    if (role?.role === 'reference') {
      const pick = picks[role.pick];
      if (e.constraint.type !== 'notNull' || !pick || (pick.kind !== 'skewed' && pick.kind !== 'permutation' && pick.kind !== 'fanout')) continue;
      picks[role.pick] = { ...pick, nullRate: 0 };
    } else if (role !== undefined && !(role.role === 'tuple' && e.constraint.type === 'notNull')) continue; // a tuple's values are never NULL
    escapes.push({ constraint: e.constraint, index: key.name });
    return `${label}: every row is kept outside the partial index (${describeEscape(e.constraint)})`;
  }
  // A nullable foreign key of the key (a tree's parent, a link to a small table): NULL for every row.
  for (const name of key.columns) {
    const role = roles.get(name);
    if (!shapes.get(name)?.nullable || input.configured.has(name) || role?.role !== 'reference' || !singleColumnPick(table, role.pick)) continue;
    roles.set(name, { role: 'always-null', reason: `always NULL: ${label} cannot be unique at ${rows} rows otherwise (NULLs are distinct in a key)` });
    return `${label}: ${name} is always NULL, as the key cannot be unique at ${rows} rows otherwise`;
  }
  return undefined;
}

/** Phase 3: every unique key, unique by construction, kept outside its partial index, or a problem. */
function planUniqueKeys(input: KeyPlanInput, state: KeyState, keys: readonly UniqueKeyColumns[]): { problems: PlanProblem[]; notes: string[]; escapes: KeyPlan['escapes'] } {
  const out = { problems: [] as PlanProblem[], notes: [] as string[], escapes: [] as KeyPlan['escapes'] };
  // Any one row is unique: with at most one row no key needs planning.
  // Columns in more than one key.
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const key of keys) for (const c of new Set(key.columns)) (seen.has(c) ? shared : seen).add(c);
  for (const key of input.rows <= 1 ? [] : keys) {
    const found = attempt(input, state, key, shared);
    if (found.length === 0) continue;
    const escaped = escape(input, state, key, out.escapes);
    if (escaped !== undefined) out.notes.push(escaped);
    else out.problems.push(...found);
  }
  return out;
}

export function planKeys(input: KeyPlanInput): KeyPlan {
  const notes: string[] = [];
  const keys = uniqueKeys(input.table, notes);
  // A column of a partial key may be NULL: rows where it is are outside the key's index or distinct anyway.
  const keyColumns = new Set(keys.filter((k) => k.where === undefined).flatMap((k) => k.columns));
  const state: KeyState = { roles: new Map(), picks: {}, unique: new Map(), fkOfColumn: new Map(), fkByPick: new Map(), injective: new Set(), tuples: [], scoped: new Map() };
  const fkProblems = planForeignKeys(input, state, notes);
  const sequences = planSequences(input, state.roles);
  for (const [c, role] of sequences.roles) {
    state.roles.set(c, role);
    state.injective.add(c);
  }
  const uniques = planUniqueKeys(input, state, keys);
  const problems = [...fkProblems, ...sequences.problems, ...uniques.problems];
  return { roles: state.roles, picks: state.picks, unique: state.unique, keyColumns, problems, notes: [...notes, ...uniques.notes], escapes: uniques.escapes, scoped: state.scoped };
}
