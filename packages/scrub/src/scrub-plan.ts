/**
 * The scrub plan: the schema and the policy checked against each other (every
 * column named, fail-closed), and every table's row transform compiled.
 *
 * Keys stay keys. A column of a primary key, a unique key or one another table
 * references, when its rule transforms it, gets a keyed permutation instead
 * (Feistel over the integer type's range, or the format-preserving text
 * permutation), so it stays collision-free by construction. A foreign-key column
 * always gets the function of the column it references (composite keys column by
 * column, chains followed), so every join survives.
 *
 * @example
 * ```ts
 * const plan = planScrub(schema, policy, { key, dictionaries });
 * plan.tables[0].transformRow(['1', 'alice@corp.com']);
 * ```
 */
import {
  UnderstudyError,
  UsageError,
  type Column,
  type ColumnRule,
  type PiiDictionaries,
  type Schema,
  type ScrubPolicy,
  type Table,
  type Transform,
  type Trigger,
  uniqueKeyColumns,
} from '@understudy/core';
import { compileColumnTransform, TEXT_KINDS, type TransformContext, type ValueTransform } from './column-transforms.js';
import { createFaker } from './fakes.js';
import { createTextScrubber } from './free-text.js';
import { integerKeyPermutation, integerRange, type IntegerKeyPermutation } from './int-permutation.js';
import { createGeneratedValues } from './generated-values.js';
import { checkBounds, mergeBounds, type NumericBounds, type OrderBound } from './numeric-bounds.js';
import type { ScrubKey } from './scrub-key.js';
import { createTextPermutation } from './text-permutation.js';

/** Columns of the source the policy does not name: schema drift, exit 1 (fail-closed). */
export class SchemaDriftError extends UnderstudyError {
  readonly columns: readonly string[];
  constructor(columns: readonly string[], policyFile: string) {
    const shown = columns.slice(0, 20).join(', ') + (columns.length > 20 ? `, … (${columns.length - 20} more)` : '');
    super(`the source has ${columns.length} column${columns.length === 1 ? '' : 's'} the scrub policy ${policyFile} does not name: ${shown}`, {
      exitCode: 1,
      hint: `Nothing was written. A column the policy does not name is never copied. Add ${columns.length === 1 ? 'it' : 'them'} with \`understudy scan --url SRC --update ${policyFile}\`, review the proposed transforms, and run scrub again.`,
    });
    this.columns = columns;
  }
}

export interface ScrubTablePlan {
  /** Key in `Schema.tables`. */
  readonly table: string;
  readonly source: Table;
  /** The columns read and written, in order (generated columns excluded). */
  readonly columns: readonly Column[];
  /** Column → what is applied, for the summary (`keep`, `fake:email`, `permute`, `follow public.customers.code`). */
  readonly applied: Readonly<Record<string, string>>;
  /** Whether any column is transformed. */
  readonly transformed: boolean;
  /** Per column (in `columns` order): the function of its non-NULL values, or `undefined` where the value is kept. */
  readonly valueFns: readonly (ValueTransform | undefined)[];
  /** Per column: `valueFns[i]` on integers where it has that form (a permuted integer key), for a binary COPY's integers. */
  readonly integerFns: readonly (((n: number) => number) | undefined)[];
  /** Per column: the whole days `valueFns[i]` moves an entity's dates by (shift-date), for a binary COPY's dates and timestamps. */
  readonly dayShifts: readonly (((entity: string) => number) | undefined)[];
  /** Indexes of the primary key's columns: the entity a row stands for (the whole row when empty). */
  readonly entityColumns: readonly number[];
  /** Whether any function reads the entity (per-entity date offsets, noise). */
  readonly usesEntity: boolean;
  /** Columns a trigger of the table makes from others (search vectors), and whether the target remakes them. */
  readonly derived: readonly DerivedColumn[];
  /** Indexes of the columns whose source values a function reads besides its own (the other side of `CHECK (lo < hi)` for noise). */
  readonly contextColumns: readonly number[];
  /** Column → the JSON paths its `json` rule rewrites (the rest of each document is kept, so audit looks only there). */
  readonly jsonPaths: Readonly<Record<string, readonly string[]>>;
  transformRow(row: readonly (string | null)[]): (string | null)[];
}

/**
 * The entity string a row's per-entity transforms key on: the table and its primary key's source
 * values (else the whole row).
 */
export function rowEntity(table: string, entityColumns: readonly number[], row: readonly (string | null)[]): string {
  const entity = entityColumns.length > 0 ? entityColumns.map((i) => row[i] ?? '').join('\u0000') : row.join('\u0000');
  return `${table}\u0000${entity}`;
}

/**
 * Columns an enabled BEFORE INSERT trigger of the table always sets from the row's other columns
 * (PostgreSQL's `tsvector_update_trigger`: a search vector), with the trigger.
 */
export function derivedByTrigger(table: Pick<Table, 'triggers'>): Map<string, Trigger> {
  const out = new Map<string, Trigger>();
  for (const t of table.triggers ?? []) for (const c of t.sets ?? []) out.set(c, t);
  return out;
}

/** A column a trigger of the table makes from others: what scrub does with it (`ScrubTablePlan.derived`). */
export interface DerivedColumn {
  readonly column: string;
  readonly trigger: string;
  /** Whether a column it is made from is transformed: then the rows where one changed carry an empty value for the target's trigger to remake. */
  readonly remade: boolean;
  /** The columns it is made from, when known. */
  readonly reads?: readonly string[];
}

/**
 * A column the target's trigger makes from the scrubbed columns (`inputs`, their indexes and
 * functions). A row whose inputs all come through unchanged keeps the source's value (the
 * trigger would make the same one from the same text); a row where one changed gets an empty
 * vector, never the source's (it holds the original words), which the target's trigger remakes
 * (files, which no trigger fills, keep it empty).
 */
function derivedColumn(trigger: string, inputs: ReadonlyArray<{ index: number; f: ValueTransform; usesEntity: boolean }>): Resolved {
  const f: ValueTransform = (v, entity, row) => {
    for (const { index, f: g } of inputs) {
      const x = row?.[index];
      if (x === undefined || (x !== null && g(x, entity, row) !== x)) return '';
    }
    return v;
  };
  return { f, applied: `remade by the target's trigger ${trigger} where its text changed`, changes: true, usesEntity: inputs.some((x) => x.usesEntity) };
}

/**
 * `f`, remembering its last call: the derived column's check and the column's own rewrite of a
 * row ask for the same value. Only for a function of the value and the entity alone.
 */
function lastCall(f: ValueTransform): ValueTransform {
  let value: string | undefined;
  let entity = '';
  let out: string | null = null;
  return (v, e, row) => {
    if (v !== value || e !== entity) {
      out = f(v, e, row);
      value = v;
      entity = e;
    }
    return out;
  };
}

/** The table key and column of `schema.table.column`. */
function columnOf(schema: Schema, qualified: string): { table: string; column: Column } {
  const dot = qualified.lastIndexOf('.');
  const tableKey = qualified.slice(0, dot);
  const column = schema.tables[tableKey]?.columns.find((c) => c.name === qualified.slice(dot + 1));
  if (!column) throw new UsageError(`a foreign key references ${qualified}, which the source schema does not have`);
  return { table: tableKey, column };
}

/** A transform's error, named by its column. */
export function columnError(error: unknown, where: string): unknown {
  if (error instanceof UsageError) return new UsageError(`${where}: ${error.message}`, { ...(error.hint ? { hint: error.hint } : {}) });
  return error;
}

export interface ScrubPlan {
  readonly tables: readonly ScrubTablePlan[];
  /** `schema.table.column` of every column whose values change (what audit checks). */
  readonly transformedColumns: readonly string[];
}

export interface ScrubPlanOptions {
  readonly key: ScrubKey;
  readonly dictionaries: PiiDictionaries;
  /** The policy's file name, for messages. */
  readonly policyFile?: string;
  readonly locale?: string;
}

/**
 * Every column's function of a table, search vectors a trigger makes last (they ask their text
 * columns' functions whether a row's text changed; those columns become context columns).
 */
function tableFunctions(
  key: string,
  table: Table,
  columns: readonly Column[],
  resolve: (qualified: string) => Resolved,
  contextOf: Map<string, number[]>,
): { fns: Resolved[]; derived: DerivedColumn[] } {
  const triggers = derivedByTrigger(table);
  const fns: (Resolved | undefined)[] = columns.map((c) => (triggers.has(c.name) ? undefined : resolve(`${key}.${c.name}`)));
  const derived: DerivedColumn[] = [];
  columns.forEach((c, i) => {
    const trigger = triggers.get(c.name);
    if (!trigger) return;
    // Inputs unknown (a schema file written before they were read): any other column.
    const reads = trigger.reads ?? columns.map((x) => x.name).filter((n) => n !== c.name);
    const inputs = reads.map((name) => columns.findIndex((x) => x.name === name)).filter((index) => index >= 0 && fns[index]?.changes === true);
    if (inputs.length === 0) {
      // made from columns the copy keeps: the source's value is the one the trigger would make
      fns[i] = { f: (v) => v, applied: 'keep', changes: false, usesEntity: false };
      derived.push({ column: c.name, trigger: trigger.name, remade: false, ...(trigger.reads ? { reads: trigger.reads } : {}) });
      return;
    }
    for (const index of inputs) {
      const own = fns[index]!;
      // a function reading other columns of the row is asked twice; any other, once per row
      if (!contextOf.has(`${key}.${columns[index]!.name}`)) fns[index] = { ...own, f: lastCall(own.f) };
    }
    fns[i] = derivedColumn(
      trigger.name,
      inputs.map((index) => ({ index, f: fns[index]!.f, usesEntity: fns[index]!.usesEntity })),
    );
    contextOf.set(`${key}.${c.name}`, [...new Set([...inputs, ...inputs.flatMap((index) => contextOf.get(`${key}.${columns[index]!.name}`) ?? [])])]);
    derived.push({ column: c.name, trigger: trigger.name, remade: true, ...(trigger.reads ? { reads: trigger.reads } : {}) });
  });
  return { fns: fns as Resolved[], derived };
}

/** Tables whose rows are read: ordinary and partitioned tables (partitions come through their parent). */
export function copiedTables(schema: Schema): [string, Table][] {
  return Object.entries(schema.tables).filter(([, t]) => t.kind !== 'partition');
}

function writableColumns(table: Table): Column[] {
  return table.columns.filter((c) => c.generated === undefined);
}

/**
 * Every source column the policy must name and does not, and every policy column the source lacks.
 * @example
 * ```ts
 * policyCoverage(schema, policy).missing; // ['public.users.nickname']
 * ```
 */
export function policyCoverage(schema: Schema, policy: ScrubPolicy): { missing: string[]; unknown: string[] } {
  const missing: string[] = [];
  const unknown: string[] = [];
  for (const [key, table] of copiedTables(schema)) {
    const rules = policy.tables[key]?.columns ?? {};
    for (const column of writableColumns(table)) if (!(column.name in rules)) missing.push(`${key}.${column.name}`);
  }
  for (const [key, rules] of Object.entries(policy.tables)) {
    const table = schema.tables[key];
    if (!table) {
      unknown.push(`${key} (table)`);
      continue;
    }
    for (const name of Object.keys(rules.columns)) if (!table.columns.some((c) => c.name === name)) unknown.push(`${key}.${name}`);
  }
  return { missing, unknown };
}

/** Values remembered per column before the memory is cleared (a bound, not a cache policy). */
const MEMO_ENTRIES = 1 << 14;

/**
 * `f` for a function of the value alone, remembering up to MEMO_ENTRIES results. A column whose
 * values seldom repeat (fewer than one lookup in four found while the memory filled: e-mails,
 * street addresses) only pays for the lookups, so it stops remembering; the results are the same.
 */
export function memoized(f: ValueTransform): ValueTransform {
  const memo = new Map<string, string | null>();
  let hits = 0;
  let remember = true;
  return (v, entity) => {
    if (!remember) return f(v, entity);
    const hit = memo.get(v);
    if (hit !== undefined || memo.has(v)) {
      hits++;
      return hit ?? null;
    }
    const out = f(v, entity);
    if (memo.size >= MEMO_ENTRIES) {
      remember = hits >= MEMO_ENTRIES / 3; // lookups = hits + MEMO_ENTRIES misses
      hits = 0;
      memo.clear();
    }
    memo.set(ownCopy(v), out);
    return out;
  };
}

/** Key columns: part of a primary key or unique key, or referenced by a foreign key. */
function keyColumnsOf(schema: Schema): Set<string> {
  const keyColumns = new Set<string>();
  for (const [key, table] of Object.entries(schema.tables)) {
    for (const c of table.primaryKey?.columns ?? []) keyColumns.add(`${key}.${c}`);
    const names = table.columns.map((c) => c.name);
    // an expression index's columns too (`lower(name)`): a fake there could collide
    for (const u of table.uniques) for (const c of uniqueKeyColumns(u, names)) keyColumns.add(`${key}.${c}`);
    for (const fk of table.foreignKeys) fk.references.columns.forEach((c) => keyColumns.add(`${fk.references.table}.${c}`));
    // A partition's keys are its parent's (the rows are the same).
    if (table.kind === 'partition' && table.partitionOf !== undefined) {
      for (const c of table.primaryKey?.columns ?? []) keyColumns.add(`${table.partitionOf}.${c}`);
      for (const u of table.uniques) for (const c of uniqueKeyColumns(u, names)) keyColumns.add(`${table.partitionOf}.${c}`);
    }
  }
  return keyColumns;
}

/**
 * Each foreign key column → the column it references. A partition's rows are read through its parent: an FK
 * declared on a partition (pagila's payment_p2022_01 → customer) binds the parent's column too.
 */
function referencesOf(schema: Schema): Map<string, string> {
  const references = new Map<string, string>();
  const rowsOf = (key: string, table: Table): string => (table.kind === 'partition' && table.partitionOf !== undefined && schema.tables[table.partitionOf] ? table.partitionOf : key);
  for (const [key, table] of Object.entries(schema.tables)) {
    for (const fk of table.foreignKeys) {
      const parentKey = fk.references.table;
      const parent = schema.tables[parentKey];
      const target = parent ? rowsOf(parentKey, parent) : parentKey;
      for (const owner of new Set([key, rowsOf(key, table)])) {
        fk.columns.forEach((c, i) => {
          if (!references.has(`${owner}.${c}`)) references.set(`${owner}.${c}`, `${target}.${fk.references.columns[i]}`);
        });
      }
    }
  }
  return references;
}

/**
 * `s` as a string of its own. A value is a slice of its chunk's text, and V8 keeps a slice of 13
 * characters or more as a view: remembered as it is, it would keep the whole chunk alive.
 */
function ownCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** A column's function and its description, FKs resolved to their root key. */
type Resolved = {
  f: ValueTransform;
  applied: string;
  changes: boolean;
  usesEntity: boolean;
  /** `f` on integers (a permuted integer key): `String(integer(n)) === f(String(n))`. */
  integer?: (n: number) => number;
  /** The whole days `f` moves a row's date by (shift-date). */
  days?: (entity: string) => number;
};

/**
 * For noise on a column that CHECKs order against other columns of its row (`lo < hi`): the bounds
 * their values in the copy put on it (the other column's transform of its source value, or that value).
 * Both sides with noise: the greater is drawn first, and the lesser stays below it.
 */
function rowOrderBounds(
  table: string,
  deps: ReadonlyArray<OrderBound & { index: number }>,
  resolve: (qualified: string) => Resolved,
): (entity: string, row: readonly (string | null)[] | undefined) => NumericBounds {
  let busy = false;
  return (entity, row) => {
    if (!row || busy) return {};
    busy = true;
    try {
      let out: NumericBounds = {};
      for (const d of deps) {
        const source = row[d.index];
        if (source === null || source === undefined) continue;
        const other = resolve(`${table}.${d.other}`);
        if (!d.below && other.applied === 'noise') continue;
        const value = Number(other.changes ? other.f(source, entity, row) : source);
        if (!Number.isFinite(value)) continue;
        out = mergeBounds(out, d.below ? { max: { value, exclusive: d.strict } } : { min: { value, exclusive: d.strict } });
      }
      return out;
    } finally {
      busy = false;
    }
  };
}

/** The keyed permutation of a key column's family (integers of a type, uuids, text), one per family: a key and every FK to it agree. */
function keyPermutations(key: ScrubKey): (column: Column, where: string) => IntegerKeyPermutation {
  const permutations = new Map<string, IntegerKeyPermutation>();
  return (column, where) => {
    const range = integerRange(column.kind, column.unsigned);
    const family = range ? `int:${column.kind}${column.unsigned ? ':unsigned' : ''}` : column.kind === 'uuid' ? 'uuid' : TEXT_KINDS.has(column.kind) ? 'text' : undefined;
    if (!family) {
      throw new UsageError(`${where}: a key column of type ${column.rawType} cannot be transformed collision-free`, {
        hint: 'Keep it (transform "keep"): keys of this type have no keyed permutation yet.',
      });
    }
    let perm = permutations.get(family);
    if (!perm) {
      const subkey = key.derive(`permute:${family}`);
      perm = range ? integerKeyPermutation(subkey, range) : createTextPermutation(subkey, { hex: family === 'uuid' });
      permutations.set(family, perm);
    }
    return perm;
  };
}

/**
 * Checks the policy against the schema and compiles every table's row transform.
 * @throws SchemaDriftError (exit 1) for source columns the policy does not name;
 *   UsageError for policy columns the source lacks, or a transform that cannot fit its column.
 */
export function planScrub(schema: Schema, policy: ScrubPolicy, options: ScrubPlanOptions): ScrubPlan {
  const policyFile = options.policyFile ?? 'scrub.policy.json';
  const { missing, unknown } = policyCoverage(schema, policy);
  if (missing.length > 0) throw new SchemaDriftError(missing, policyFile);
  if (unknown.length > 0) {
    throw new UsageError(`the scrub policy ${policyFile} names ${unknown.length === 1 ? 'a column' : 'columns'} the source does not have: ${unknown.slice(0, 20).join(', ')}`, {
      hint: `Remove ${unknown.length === 1 ? 'it' : 'them'} from the policy, or check that --source is the database it was written for (\`understudy scan --url SRC --update ${policyFile}\` drops them).`,
    });
  }
  const fake = createFaker(options.key, options.locale);
  const text = createTextScrubber(options.key, fake, options.dictionaries);
  const ruleOf = (table: string, column: string): ColumnRule => policy.tables[table]!.columns[column]!;

  const generatedValues = createGeneratedValues(schema, options.key, options.locale);
  const keyColumns = keyColumnsOf(schema);
  const references = referencesOf(schema);

  const permutationFor = keyPermutations(options.key);

  // The function and its description for a column, FKs resolved to their root key.
  const resolved = new Map<string, Resolved>();
  const resolving = new Set<string>();
  const resolve = (qualified: string): Resolved => {
    const done = resolved.get(qualified);
    if (done) return done;
    const { table, column } = columnOf(schema, qualified);
    const parent = references.get(qualified);
    let out: Resolved;
    if (parent !== undefined && !resolving.has(parent)) {
      resolving.add(qualified);
      const root = resolve(parent);
      resolving.delete(qualified);
      out = { f: root.f, applied: root.changes ? `follows ${parent}` : 'keep', changes: root.changes, usesEntity: root.usesEntity, ...(root.integer ? { integer: root.integer } : {}) };
    } else {
      const rule = ruleOf(table, column.name);
      const transform: Transform = rule.transform;
      // hash on a uuid or an integer: the keys' permutation, so a reference the schema does not declare (audit_logs.user_id) still joins
      const permuted = keyColumns.has(qualified) || (transform === 'hash' && column.arrayDimensions === 0 && (column.kind === 'uuid' || integerRange(column.kind, column.unsigned) !== undefined));
      if (transform !== 'keep' && permuted) {
        const perm = permutationFor(column, qualified);
        out = {
          f: (v) => perm(v),
          applied: `permute (${transform} on ${keyColumns.has(qualified) ? 'a key' : `a ${column.rawType}`})`,
          changes: true,
          usesEntity: false,
          ...(perm.integer ? { integer: perm.integer } : {}),
        };
      } else {
        const bounds = transform === 'noise' ? noiseBounds(table, column) : {};
        const generated = transform === 'generate' ? { generated: generatedValues(table, column) } : {};
        const f = compileColumnTransform(rule, column, { key: options.key, fake, text, where: qualified, ...bounds, ...generated });
        const usesEntity = transform === 'noise' || transform === 'shift-date' || transform === 'json' || transform === 'generate';
        // A function of the value alone, and dear (faker, HMAC; free text remembers its words itself): repeated values (names, cities) are looked up.
        const dear = transform.startsWith('fake:') || transform === 'hash' || transform === 'mask';
        const days = (f as { days?: (entity: string) => number }).days;
        out = { f: dear ? memoized(f) : f, applied: transform, changes: transform !== 'keep', usesEntity, ...(days ? { days } : {}) };
      }
    }
    resolved.set(qualified, out);
    return out;
  };

  // noise: the CHECKs on the column, and those ordering it against another column of the row (lo < hi), read at run time.
  const contextOf = new Map<string, number[]>();
  const noiseBounds = (table: string, column: Column): Pick<TransformContext, 'bounds' | 'rowBounds'> => {
    const { bounds, orders } = checkBounds(schema, schema.tables[table]!, column);
    const columns = writableColumns(schema.tables[table]!);
    const deps = orders.map((o) => ({ ...o, index: columns.findIndex((c) => c.name === o.other) })).filter((d) => d.index >= 0);
    if (deps.length === 0) return { bounds };
    contextOf.set(
      `${table}.${column.name}`,
      deps.map((d) => d.index),
    );
    return { bounds, rowBounds: rowOrderBounds(table, deps, resolve) };
  };

  const tables: ScrubTablePlan[] = [];
  const transformedColumns: string[] = [];
  for (const [key, table] of copiedTables(schema)) {
    const columns = writableColumns(table);
    const { fns, derived } = tableFunctions(key, table, columns, resolve, contextOf);
    const pk = (table.primaryKey?.columns ?? []).map((c) => columns.findIndex((x) => x.name === c)).filter((i) => i >= 0);
    const applied = Object.fromEntries(columns.map((c, i) => [c.name, fns[i]!.applied]));
    columns.forEach((c, i) => fns[i]!.changes && !derived.some((d) => d.column === c.name) && transformedColumns.push(`${key}.${c.name}`));
    const transformed = fns.some((f) => f.changes);
    const valueFns = fns.map((f) => (f.changes ? f.f : undefined));
    const integerFns = fns.map((f) => (f.changes ? f.integer : undefined));
    const dayShifts = fns.map((f) => (f.changes ? f.days : undefined));
    const usesEntity = fns.some((f) => f.changes && f.usesEntity);
    const contextColumns = [...new Set(columns.flatMap((c, i) => (fns[i]!.changes ? (contextOf.get(`${key}.${c.name}`) ?? []) : [])))];
    const jsonPaths = Object.fromEntries(columns.filter((c) => fns[columns.indexOf(c)]!.applied === 'json').map((c) => [c.name, Object.keys(ruleOf(key, c.name).paths ?? {})]));
    tables.push({
      table: key,
      source: table,
      columns,
      applied,
      jsonPaths,
      transformed,
      derived,
      valueFns,
      integerFns,
      dayShifts,
      entityColumns: pk,
      usesEntity,
      contextColumns,
      transformRow(row) {
        const entity = usesEntity ? rowEntity(key, pk, row) : '';
        return row.map((v, i) => {
          const f = valueFns[i];
          if (v === null || f === undefined) return v;
          try {
            return f(v, entity, row);
          } catch (error) {
            throw columnError(error, `${key}.${columns[i]!.name}`);
          }
        });
      },
    });
  }
  return { tables, transformedColumns };
}
