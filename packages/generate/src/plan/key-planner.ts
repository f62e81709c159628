/**
 * Plans a table's keys so they hold by construction, with no lookup and no
 * "seen" set:
 * - identity, serial and single integer primary keys: `start + rowIndex × step`;
 * - foreign keys: the child picks a parent row index (skewed fan-out, a tree for
 *   self-references, a permutation for 1:1) and copies the parent's key columns,
 *   computed from that index alone; a composite FK picks one row for all columns;
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
  | { readonly role: 'reference'; readonly pick: string; readonly table: string; readonly column: string; readonly reason: string }
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
      const m = /^\(*\s*(?:lower|upper|btrim|trim)?\s*\(*\s*"?([A-Za-z_][A-Za-z0-9_$]*)"?\s*\)*(?:::[a-z ]+)?\s*\)*$/i.exec(expr);
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

export function planKeys(input: KeyPlanInput): KeyPlan {
  const { schema, tableKey, table, shapes, rows } = input;
  const roles = new Map<string, ColumnRole>();
  const picks: Record<string, PlanPick> = {};
  const unique = new Map<string, string>();
  const problems: PlanProblem[] = [];
  const notes: string[] = [];
  const fkOfColumn = new Map<string, string>();
  const fkByPick = new Map<string, Table['foreignKeys'][number]>();
  const keys = uniqueKeys(table, notes);
  // A column of a partial key may be NULL: rows where it is are outside the key's index or distinct anyway.
  const keyColumns = new Set(keys.filter((k) => k.where === undefined).flatMap((k) => k.columns));
  const escapes: KeyPlan['escapes'] = [];

  // 1. Foreign keys.
  for (const fk of table.foreignKeys) {
    const pickId = `fk:${fk.name}`;
    const columns = fk.columns;
    const taken = columns.filter((c) => fkOfColumn.has(c));
    if (taken.length === columns.length) {
      notes.push(`foreign key ${fk.name} shares all its columns with another foreign key; only the first is generated`);
      continue;
    }
    if (taken.length > 0) notes.push(`foreign key ${fk.name} shares ${taken.join(', ')} with another foreign key; those columns follow the first`);
    const parentKey = input.resolveTable(fk.references.table);
    const parent = schema.tables[parentKey];
    const parentRows = input.rowsOf(parentKey);
    // A CHECK (x IS NOT NULL) makes a foreign key as NOT NULL as the column's declaration does.
    const nullable = columns.every((c) => (shapes.get(c)?.nullable ?? false) && !input.rules.get(c)?.notNull);
    const target = `${parentKey}(${fk.references.columns.join(', ')})`;
    if (columns.every((c) => input.configured.has(c))) continue;
    if (!parent || parentRows === undefined) {
      if (nullable) {
        for (const c of columns) if (!fkOfColumn.has(c)) roles.set(c, { role: 'always-null', reason: `foreign key → ${target}: that table is not loaded, so always NULL` });
      } else {
        problems.push({
          code: 'missing-parent',
          table: tableKey,
          column: columns.join(', '),
          message: `${tableKey}(${columns.join(', ')}) references ${target}, which is not in the schema being loaded`,
          hint: 'introspect that schema too, or give these columns values in the config',
        });
      }
      continue;
    }
    const missing = fk.references.columns.filter((c) => !parent.columns.some((pc) => pc.name === c));
    if (missing.length > 0) {
      problems.push({
        code: 'missing-parent',
        table: tableKey,
        column: columns.join(', '),
        message: `${tableKey}: foreign key ${fk.name} references missing column(s) ${missing.join(', ')} of ${parentKey}`,
      });
      continue;
    }
    const generated = fk.references.columns.filter((c) => parent.columns.find((pc) => pc.name === c)?.generated);
    if (generated.length > 0) {
      problems.push({
        code: 'unloaded-reference',
        table: tableKey,
        column: columns.join(', '),
        message: `${tableKey}: foreign key ${fk.name} references generated column(s) ${generated.join(', ')} of ${parentKey}, whose values Understudy cannot compute`,
        hint: 'give the referencing columns a generator in the config',
      });
      continue;
    }
    if (parentRows === 0) {
      if (rows === 0) continue; // no row to point anywhere
      if (nullable) {
        for (const c of columns) if (!fkOfColumn.has(c)) roles.set(c, { role: 'always-null', reason: `foreign key → ${target}: that table gets 0 rows, so always NULL` });
      } else {
        problems.push({
          code: 'empty-parent',
          table: tableKey,
          column: columns.join(', '),
          message: `${tableKey}(${columns.join(', ')}) must reference ${parentKey}, which is planned with 0 rows`,
          hint: `give ${parentKey} some rows, or ${tableKey} 0 rows`,
        });
      }
      continue;
    }
    const self = parentKey === tableKey;
    picks[pickId] = self
      ? { kind: 'tree', skew: TREE_SKEW, rootRate: nullable ? input.fkNullRate : 0, rootSelf: !nullable }
      : { kind: 'skewed', table: parentKey, rows: parentRows, skew: FK_SKEW, nullRate: nullable ? input.fkNullRate : 0 };
    fkByPick.set(pickId, fk);
    columns.forEach((c, i) => {
      if (fkOfColumn.has(c) || input.configured.has(c)) return;
      fkOfColumn.set(c, pickId);
      const refColumn = fk.references.columns[i]!;
      roles.set(c, {
        role: 'reference',
        pick: pickId,
        table: parentKey,
        column: refColumn,
        reason: `${fk.name.startsWith(IMPLICIT_REFERENCE) ? 'implicit reference (no foreign key declared; named after the table)' : 'foreign key'} → ${parentKey}(${refColumn})${self ? ' (a tree: each row points at an earlier one)' : ''}`,
      });
    });
  }

  // 2. Sequences: identity, serial / AUTO_INCREMENT, and single integer primary keys.
  const pkColumns = table.primaryKey?.columns ?? [];
  for (const column of table.columns) {
    const shape = shapes.get(column.name)!;
    if (roles.has(column.name) || input.configured.has(column.name) || column.generated || !isIntegerKind(shape) || shape.arrayDimensions > 0) continue;
    const found = sequenceRole(schema, table, column, pkColumns);
    if (!found) continue;
    const { role, max, bound } = withinChecks(found, sequenceCapacity(found, shape), input.rules.get(column.name));
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
    roles.set(column.name, role);
  }

  // 3. Unique keys.
  const injective = new Set<string>([...roles].filter(([, r]) => r.role === 'sequence').map(([c]) => c));
  const tuples: Array<Set<string>> = [];
  const satisfied = (columns: readonly string[]): boolean => columns.some((c) => injective.has(c)) || tuples.some((t) => [...t].every((c) => columns.includes(c)));

  /** Plans one key; the problems it could not solve (the state is then as it was before, see `attempt`). */
  const planKey = (key: UniqueKeyColumns): PlanProblem[] => {
    const found: PlanProblem[] = [];
    const columns = key.columns;
    if (columns.some((c) => !shapes.has(c))) return found;
    if (satisfied(columns)) return found;
    // A column that is always NULL makes every row's key distinct (NULLs are distinct in keys).
    if (columns.some((c) => roles.get(c)?.role === 'always-null')) return found;
    const keyLabel = key.name === 'pkey' ? 'primary key' : `unique key ${key.name}`;
    const label = `${tableKey}: ${keyLabel} (${columns.join(', ')})`;

    // (a) The key is exactly one foreign key's columns: 1:1 with the parent.
    const picksOfKey = [...new Set(columns.map((c) => fkOfColumn.get(c)))];
    const onlyPick = picksOfKey.length === 1 ? picksOfKey[0] : undefined;
    if (onlyPick !== undefined) {
      const fk = fkByPick.get(onlyPick)!;
      const fkColumns = fk.columns.filter((c) => fkOfColumn.get(c) === onlyPick);
      if (fkColumns.every((c) => columns.includes(c))) {
        const pick = picks[onlyPick]!;
        if (pick.kind === 'tree') {
          picks[onlyPick] = { kind: 'chain', rootSelf: pick.rootSelf };
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
          picks[onlyPick] = { kind: 'permutation', table: pick.table, rows: pick.rows, nullRate: pick.nullRate };
        } else {
          found.push({
            code: 'conflicting-keys',
            table: tableKey,
            column: columns.join(', '),
            message: `${label} overlaps another unique key over the same foreign key; give one of its columns a generator in the config`,
          });
        }
        for (const c of fkColumns) injective.add(c);
        return found;
      }
    }

    // (b) One free column can carry the uniqueness.
    const free = columns.filter((c) => !roles.has(c));
    const candidates = free
      .map((c) => ({ c, capacity: input.capacity(c), shape: shapes.get(c)! }))
      .filter((x) => x.capacity >= rows)
      .sort((x, y) => preference(x.shape) - preference(y.shape));
    if (candidates.length > 0) {
      unique.set(candidates[0]!.c, key.name === 'pkey' ? 'primary key' : `unique key ${key.name}`);
      injective.add(candidates[0]!.c);
      return found;
    }

    // (c) A distinct tuple over foreign keys and small domains.
    const sizes: number[] = [];
    const componentPicks: Array<string | null> = [];
    const assignments: Array<{ column: string; spec: (pickId: string, component: number) => GeneratorSpecInput; reason: string }> = [];
    let failure: string | undefined;
    const usedPicks = new Set<string>();
    for (const c of columns) {
      const role = roles.get(c);
      const shape = shapes.get(c)!;
      if (role?.role === 'reference') {
        if (usedPicks.has(role.pick)) continue;
        const pick = picks[role.pick]!;
        if (pick.kind !== 'skewed') {
          failure = `foreign key ${role.pick.slice(3)} is already bound by another key`;
          break;
        }
        usedPicks.add(role.pick);
        const component = sizes.length;
        sizes.push(pick.rows);
        componentPicks.push(role.pick);
        const fk = fkByPick.get(role.pick)!;
        fk.columns.forEach((fc, i) => {
          if (fkOfColumn.get(fc) !== role.pick) return;
          assignments.push({
            column: fc,
            spec: (pickId) => ({ name: 'tuple', params: { pick: pickId, component, valueType: 'parent', table: pick.table, column: fk.references.columns[i]! } }),
            reason: `foreign key → ${pick.table}(${fk.references.columns[i]}), distinct per ${keyLabel}`,
          });
        });
        continue;
      }
      if (role) {
        failure = `${c} is ${role.role === 'always-null' ? 'always NULL' : 'already planned'}`;
        break;
      }
      const rules = input.rules.get(c);
      const component = sizes.length;
      // A config `values` list is the component's domain; a config generator cannot be enumerated.
      if (input.configured.has(c) && input.configValues?.(c) === undefined) {
        failure = `${c} has a config generator, which cannot be made distinct per row (give it values, or no config)`;
        break;
      }
      const values = input.configValues?.(c) ?? rules?.values ?? (shape.kind === 'enum' ? shape.values : shape.kind === 'boolean' ? [true, false] : undefined);
      if (values !== undefined) {
        const list = values.filter((v) => !(rules?.exclude ?? []).includes(v));
        if (list.length === 0) {
          failure = `${c} has no allowed values`;
          break;
        }
        sizes.push(list.length);
        componentPicks.push(null);
        assignments.push({ column: c, spec: (pickId) => ({ name: 'tuple', params: { pick: pickId, component, valueType: 'values', values: [...list] } }), reason: `distinct per ${keyLabel}` });
      } else if (isIntegerKind(shape)) {
        const r = hardNumberRange(shape, rules ?? emptyRules());
        const lo = r.min < 1 && r.max >= 1 ? 1 : r.min;
        sizes.push(Math.max(0, Math.min(r.max - lo + 1, 2 ** 52)));
        componentPicks.push(null);
        assignments.push({ column: c, spec: (pickId) => ({ name: 'tuple', params: { pick: pickId, component, valueType: 'integer', min: lo } }), reason: `distinct per ${keyLabel}` });
      } else if (shape.kind === 'date') {
        const hard = hardTimeRange(shape, rules ?? emptyRules(), { now: input.now, dialect: input.dialect });
        const lo = Math.max(hard.min, WIDE_DAYS.min);
        const hi = Math.min(hard.max, WIDE_DAYS.max);
        sizes.push(Math.max(0, hi - lo + 1));
        componentPicks.push(null);
        assignments.push({ column: c, spec: (pickId) => ({ name: 'tuple', params: { pick: pickId, component, valueType: 'date', min: formatDate(lo) } }), reason: `distinct per ${keyLabel}` });
      } else if (isTextKind(shape) && shape.arrayDimensions === 0 && plainText(rules)) {
        // A plain text column: base-36 codes, as many as its length allows.
        const length = Math.min(shape.length ?? 11, rules?.maxLength ?? 11, 11);
        const minLength = shape.kind === 'char' ? length : Math.max(1, rules?.minLength ?? 1);
        sizes.push(Math.min(36 ** length, MAX_PERMUTATION_SIZE));
        componentPicks.push(null);
        assignments.push({
          column: c,
          spec: (pickId) => ({ name: 'tuple', params: { pick: pickId, component, valueType: 'code', minLength, upper: rules?.case === 'upper' } }),
          reason: `distinct per ${keyLabel}`,
        });
      } else {
        failure = `${c} (${shape.rawType}) holds at most ${input.capacity(c)} distinct values`;
        break;
      }
    }
    const product = sizes.reduce((n, s) => n * s, 1);
    if (failure !== undefined || sizes.some((s) => s === 0) || product < rows) {
      const best = Math.max(failure === undefined ? product : 0, ...free.map((c) => input.capacity(c)).filter((n) => Number.isFinite(n)), 0);
      found.push({
        code: failure?.includes('already bound') ? 'conflicting-keys' : 'unique-capacity',
        table: tableKey,
        column: columns.join(', '),
        message:
          failure?.includes('already bound') === true ? `${label}: ${failure}` : `${label} can hold at most ${best} distinct values, but ${rows} rows were requested${failure ? ` (${failure})` : ''}`,
        hint: `lower the rows of ${tableKey}, widen the key's columns, or raise the rows of the tables it references`,
        ...(failure?.includes('already bound') === true ? {} : { limit: best }),
      });
      return found;
    }
    const pickId = `unique:${key.name}`;
    picks[pickId] = { kind: 'tuple', sizes, foreignKeys: componentPicks };
    for (const a of assignments) roles.set(a.column, { role: 'tuple', generator: a.spec(pickId, 0), reason: a.reason });
    for (const p of usedPicks) delete picks[p];
    tuples.push(new Set(columns));
    return found;
  };

  /** Runs `planKey`; on problems, undoes what it changed. */
  const attempt = (key: UniqueKeyColumns): PlanProblem[] => {
    const before = { roles: new Map(roles), picks: { ...picks }, unique: new Map(unique), injective: new Set(injective), tuples: [...tuples] };
    const found = planKey(key);
    if (found.length === 0) return found;
    roles.clear();
    for (const [k, v] of before.roles) roles.set(k, v);
    for (const k of Object.keys(picks)) delete picks[k];
    Object.assign(picks, before.picks);
    unique.clear();
    for (const [k, v] of before.unique) unique.set(k, v);
    injective.clear();
    for (const c of before.injective) injective.add(c);
    tuples.splice(0, tuples.length, ...before.tuples);
    return found;
  };

  /**
   * A key that cannot be unique at this row count can still hold: every row outside a partial
   * index (one condition of its WHERE made false), or a nullable foreign key of the key always
   * NULL (NULLs are distinct in a key). Returns the note saying which, or undefined.
   */
  const escape = (key: UniqueKeyColumns): string | undefined => {
    const label = `${key.name === 'pkey' ? 'primary key' : `unique key ${key.name}`} (${key.columns.join(', ')})`;
    const columnOf = (name: string): string | undefined => table.columns.find((c) => c.name === name)?.name ?? table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())?.name;
    for (const e of key.where !== undefined ? predicateEscapes(key.where) : []) {
      const column = columnOf(e.column);
      if (column === undefined || input.configured.has(column)) continue;
      const role = roles.get(column);
      const why = `outside partial ${label} WHERE ${key.where}, which cannot be unique at ${rows} rows`;
      if (e.kind === 'null') {
        if (!shapes.get(column)?.nullable || (role !== undefined && role.role !== 'reference')) continue;
        if (role?.role === 'reference' && table.foreignKeys.find((fk) => `fk:${fk.name}` === role.pick)?.columns.length !== 1) continue;
        roles.set(column, { role: 'always-null', reason: `always NULL: ${why}` });
        return `${label}: every row is kept outside the partial index (${column} always NULL)`;
      }
      if (role?.role === 'reference') {
        const pick = picks[role.pick];
        if (e.constraint.type !== 'notNull' || !pick || (pick.kind !== 'skewed' && pick.kind !== 'permutation' && pick.kind !== 'fanout')) continue;
        picks[role.pick] = { ...pick, nullRate: 0 };
      } else if (role !== undefined) continue;
      escapes.push({ constraint: e.constraint, index: key.name });
      return `${label}: every row is kept outside the partial index (${describeEscape(e.constraint)})`;
    }
    // A nullable foreign key of the key (a tree's parent, a link to a small table): NULL for every row.
    for (const name of key.columns) {
      const role = roles.get(name);
      if (!shapes.get(name)?.nullable || input.configured.has(name) || role?.role !== 'reference') continue;
      if (table.foreignKeys.find((fk) => `fk:${fk.name}` === role.pick)?.columns.length !== 1) continue;
      roles.set(name, { role: 'always-null', reason: `always NULL: ${label} cannot be unique at ${rows} rows otherwise (NULLs are distinct in a key)` });
      return `${label}: ${name} is always NULL, as the key cannot be unique at ${rows} rows otherwise`;
    }
    return undefined;
  };

  // Any one row is unique: with at most one row no key needs planning.
  for (const key of rows <= 1 ? [] : keys) {
    const found = attempt(key);
    if (found.length === 0) continue;
    const escaped = escape(key);
    if (escaped !== undefined) notes.push(escaped);
    else problems.push(...found);
  }

  return { roles, picks, unique, keyColumns, problems, notes, escapes };
}
