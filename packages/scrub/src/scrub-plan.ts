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
import { UnderstudyError, UsageError, type Column, type ColumnRule, type PiiDictionaries, type Schema, type ScrubPolicy, type Table, type Transform } from '@understudy/core';
import { compileColumnTransform, TEXT_KINDS, type ValueTransform } from './column-transforms.js';
import { createFaker } from './fakes.js';
import { createTextScrubber } from './free-text.js';
import { integerKeyPermutation, integerRange } from './int-permutation.js';
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
  transformRow(row: readonly (string | null)[]): (string | null)[];
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

  // Key columns: part of a primary key or unique key, or referenced by a foreign key.
  const keyColumns = new Set<string>();
  for (const [key, table] of Object.entries(schema.tables)) {
    for (const c of table.primaryKey?.columns ?? []) keyColumns.add(`${key}.${c}`);
    for (const u of table.uniques) for (const c of u.columns) if (c !== null) keyColumns.add(`${key}.${c}`);
    for (const fk of table.foreignKeys) fk.references.columns.forEach((c) => keyColumns.add(`${fk.references.table}.${c}`));
  }
  const references = new Map<string, string>();
  for (const [key, table] of Object.entries(schema.tables)) {
    for (const fk of table.foreignKeys) {
      fk.columns.forEach((c, i) => {
        if (!references.has(`${key}.${c}`)) references.set(`${key}.${c}`, `${fk.references.table}.${fk.references.columns[i]}`);
      });
    }
  }

  const columnOf = (qualified: string): { table: string; column: Column } => {
    const dot = qualified.lastIndexOf('.');
    const tableKey = qualified.slice(0, dot);
    const column = schema.tables[tableKey]?.columns.find((c) => c.name === qualified.slice(dot + 1));
    if (!column) throw new UsageError(`a foreign key references ${qualified}, which the source schema does not have`);
    return { table: tableKey, column };
  };

  const permutations = new Map<string, (v: string) => string>();
  const permutationFor = (column: Column, where: string): ((v: string) => string) => {
    const range = integerRange(column.kind, column.unsigned);
    const family = range ? `int:${column.kind}${column.unsigned ? ':unsigned' : ''}` : column.kind === 'uuid' ? 'uuid' : TEXT_KINDS.has(column.kind) ? 'text' : undefined;
    if (!family) {
      throw new UsageError(`${where}: a key column of type ${column.rawType} cannot be transformed collision-free`, {
        hint: 'Keep it (transform "keep"): keys of this type have no keyed permutation yet.',
      });
    }
    let perm = permutations.get(family);
    if (!perm) {
      const subkey = options.key.derive(`permute:${family}`);
      perm = range ? integerKeyPermutation(subkey, range) : createTextPermutation(subkey, { hex: family === 'uuid' });
      permutations.set(family, perm);
    }
    return perm;
  };

  // The function and its description for a column, FKs resolved to their root key.
  const resolved = new Map<string, { f: ValueTransform; applied: string; changes: boolean }>();
  const resolving = new Set<string>();
  const resolve = (qualified: string): { f: ValueTransform; applied: string; changes: boolean } => {
    const done = resolved.get(qualified);
    if (done) return done;
    const { table, column } = columnOf(qualified);
    const parent = references.get(qualified);
    let out: { f: ValueTransform; applied: string; changes: boolean };
    if (parent !== undefined && !resolving.has(parent)) {
      resolving.add(qualified);
      const root = resolve(parent);
      resolving.delete(qualified);
      out = { f: root.f, applied: root.changes ? `follows ${parent}` : 'keep', changes: root.changes };
    } else {
      const rule = ruleOf(table, column.name);
      const transform: Transform = rule.transform;
      if (transform !== 'keep' && keyColumns.has(qualified)) {
        const perm = permutationFor(column, qualified);
        out = { f: (v) => perm(v), applied: `permute (${transform} on a key)`, changes: true };
      } else {
        const f = compileColumnTransform(rule, column, { key: options.key, fake, text, where: qualified });
        out = { f, applied: transform, changes: transform !== 'keep' };
      }
    }
    resolved.set(qualified, out);
    return out;
  };

  const tables: ScrubTablePlan[] = [];
  const transformedColumns: string[] = [];
  for (const [key, table] of copiedTables(schema)) {
    const columns = writableColumns(table);
    const fns = columns.map((c) => resolve(`${key}.${c.name}`));
    const pk = (table.primaryKey?.columns ?? []).map((c) => columns.findIndex((x) => x.name === c)).filter((i) => i >= 0);
    const applied = Object.fromEntries(columns.map((c, i) => [c.name, fns[i]!.applied]));
    columns.forEach((c, i) => fns[i]!.changes && transformedColumns.push(`${key}.${c.name}`));
    const transformed = fns.some((f) => f.changes);
    tables.push({
      table: key,
      source: table,
      columns,
      applied,
      transformed,
      transformRow(row) {
        // The entity a row stands for: its primary key's source values (else the whole row), for per-entity offsets.
        const entity = pk.length > 0 ? pk.map((i) => row[i] ?? '').join('\u0000') : row.join('\u0000');
        return row.map((v, i) => {
          if (v === null) return null;
          try {
            return fns[i]!.f(v, `${key}\u0000${entity}`);
          } catch (error) {
            if (error instanceof UsageError) throw new UsageError(`${key}.${columns[i]!.name}: ${error.message}`, { ...(error.hint ? { hint: error.hint } : {}) });
            throw error;
          }
        });
      },
    });
  }
  return { tables, transformedColumns };
}
