/**
 * Subsetting with referential closure, read-only on the source: which rows of each
 * table a scrub copies when `--subset` rules are given.
 *
 * - **Seeds:** a rule keeps the rows of one table for which a SQL condition holds
 *   (`public.orders: created_at > now() - interval '30 days'`, run inside the
 *   snapshot), or a keyed, hash-based sample (`public.users: 5%`, optionally
 *   `max N`): a row is in when HalfSipHash of its primary key under the scrub key
 *   falls below the fraction, so the same key gives the same subset every run.
 * - **Parents:** every row a kept row references is kept, transitively, whatever the
 *   depth, so no kept row loses a join.
 * - **Children:** rows referencing a seed are pulled down to `depth` levels (a child
 *   kept only as some row's parent pulls nothing, or one customer's store would pull
 *   every customer of it).
 * - Cycles and self-references end because the kept sets only grow.
 *
 * Everything is computed in memory from streamed reads of the snapshot (the row keys
 * of kept rows, as text), nothing is written to the source.
 *
 * @example
 * ```ts
 * const subset = await computeSubset({ plan, schema, reader, key, rules: [parseSubsetRule('public.users: 5%', schema)], depth: 1 });
 * subset.keep('public.users', row); // true for the rows to copy
 * ```
 */
import { UsageError, type Schema, type SnapshotReader, type TextRow } from '@understudy/core';
import { KeyedStream } from './keyed-prf.js';
import type { ScrubKey } from './scrub-key.js';
import type { ScrubPlan, ScrubTablePlan } from './scrub-plan.js';

export interface SubsetRule {
  readonly table: string;
  /** A share of the table's rows, 0 < percent ≤ 100 (keyed sample). */
  readonly percent?: number;
  /** A SQL condition on the table's columns. */
  readonly where?: string;
  /** At most this many seed rows (the lowest keyed hashes among those that qualify). */
  readonly max?: number;
}

export interface SubsetTableReport {
  readonly table: string;
  readonly sourceRows: number;
  readonly kept: number;
  /** Rows kept as seeds of a rule, as parents of kept rows, and as children of seeds. */
  readonly seeds: number;
  readonly parents: number;
  readonly children: number;
}

export interface Subset {
  /** Whether a row (the plan's columns, source values) is copied. */
  keep(table: string, row: TextRow): boolean;
  /** Rows kept in a table. */
  kept(table: string): number;
  readonly report: readonly SubsetTableReport[];
  /** Full reads of the snapshot the closure took. */
  readonly passes: number;
}

/**
 * Parses one `--subset` value: `schema.table: N%` (optionally `max N`), or `schema.table: SQL condition`.
 * @throws UsageError for a malformed rule or a table the source does not have.
 */
export function parseSubsetRule(text: string, schema: Schema): SubsetRule {
  const m = /^\s*([^:]+?)\s*:\s*(.+?)\s*$/s.exec(text);
  if (!m)
    throw new UsageError(`--subset ${text} is not TABLE: CONDITION or TABLE: N%`, { hint: "e.g. --subset 'public.users: 5%' or --subset 'public.orders: created_at > now() - interval ''30 days'''" });
  const name = m[1]!;
  const table = schema.tables[name] ? name : schema.tables[`public.${name}`] ? `public.${name}` : Object.keys(schema.tables).find((k) => k.split('.').pop() === name);
  if (!table || !schema.tables[table])
    throw new UsageError(`--subset names ${name}, which the source does not have`, { hint: 'Name it as schema.table, as `understudy introspect --summary` lists it.' });
  const body = m[2]!;
  const sample = /^(\d+(?:\.\d+)?)\s*%(?:\s*,?\s*max\s+(\d+))?$/i.exec(body);
  if (sample) {
    const percent = Number(sample[1]);
    if (!(percent > 0 && percent <= 100)) throw new UsageError(`--subset ${text}: the share must be above 0% and at most 100%`);
    return { table, percent, ...(sample[2] !== undefined ? { max: Number(sample[2]) } : {}) };
  }
  return { table, where: body };
}

interface Edge {
  /** The child table (rows read through their parent when partitions declare the FK). */
  readonly child: string;
  readonly childColumns: readonly number[];
  readonly parent: string;
  readonly parentColumns: readonly number[];
  /** `parent|col,col`: the parent tuple's set. */
  readonly ref: string;
}

const SEP = '\u0000';

function tupleOf(row: TextRow, columns: readonly number[]): string | undefined {
  let out = '';
  for (let i = 0; i < columns.length; i++) {
    const v = row[columns[i]!];
    if (v === null || v === undefined) return undefined; // a NULL FK references nothing
    out += (i > 0 ? SEP : '') + v;
  }
  return out;
}

/** The FK edges between copied tables, by column index in each plan table (FKs on partitions bind their parent). */
function edgesOf(plan: ScrubPlan, schema: Schema): Edge[] {
  const byTable = new Map(plan.tables.map((t) => [t.table, t]));
  const rowsOf = (key: string): string => {
    const t = schema.tables[key];
    return t?.kind === 'partition' && t.partitionOf !== undefined && byTable.has(t.partitionOf) ? t.partitionOf : key;
  };
  const edges: Edge[] = [];
  const seen = new Set<string>();
  for (const [key, table] of Object.entries(schema.tables)) {
    const child = byTable.get(rowsOf(key));
    if (!child) continue;
    for (const fk of table.foreignKeys) {
      const parent = byTable.get(rowsOf(fk.references.table));
      if (!parent) continue;
      const childColumns = fk.columns.map((c) => child.columns.findIndex((x) => x.name === c));
      const parentColumns = fk.references.columns.map((c) => parent.columns.findIndex((x) => x.name === c));
      if (childColumns.some((i) => i < 0) || parentColumns.some((i) => i < 0)) continue;
      const id = `${child.table}|${fk.columns.join(',')}|${parent.table}|${fk.references.columns.join(',')}`;
      if (seen.has(id)) continue;
      seen.add(id);
      edges.push({ child: child.table, childColumns, parent: parent.table, parentColumns, ref: `${parent.table}|${fk.references.columns.join(',')}` });
    }
  }
  return edges;
}

/** The columns that identify a row: its primary key, else the whole row. */
function identityColumns(t: ScrubTablePlan): readonly number[] {
  return t.entityColumns.length > 0 ? t.entityColumns : t.columns.map((_, i) => i);
}

export interface ComputeSubsetOptions {
  readonly plan: ScrubPlan;
  readonly schema: Schema;
  readonly reader: SnapshotReader;
  readonly key: ScrubKey;
  readonly rules: readonly SubsetRule[];
  /** Levels of children pulled below the seeds (0: parents only). */
  readonly depth: number;
  readonly signal?: AbortSignal;
}

/** The seed rows of a rule: those its WHERE and percent select (a keyed hash below the threshold), the lowest hashes up to its max. */
async function seedIds(rule: SubsetRule, t: ScrubTablePlan, reader: SnapshotReader, subkey: Buffer, signal: AbortSignal | undefined): Promise<string[]> {
  const ids = identityColumns(t);
  const candidates: { id: string; h: number }[] = [];
  const threshold = rule.percent !== undefined ? (rule.percent / 100) * 4294967296 : undefined;
  for await (const batch of reader.rows(
    t.source,
    t.columns.map((c) => c.name),
    rule.where !== undefined ? { where: rule.where } : {},
  )) {
    signal?.throwIfAborted();
    for (const row of batch) {
      const id = tupleOf(row, ids) ?? ids.map((i) => row[i] ?? '').join(SEP);
      const h = new KeyedStream(subkey, `${t.table}${SEP}${id}`).uint32();
      if (threshold === undefined || h < threshold) candidates.push({ id, h });
    }
  }
  candidates.sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : 1));
  const chosen = rule.max !== undefined ? candidates.slice(0, rule.max) : candidates;
  return chosen.map(({ id }) => id);
}

function subsetReport(plan: ScrubPlan, kept: ReadonlyMap<string, ReadonlyMap<string, 'seed' | 'parent' | 'child'>>, sourceRows: ReadonlyMap<string, number>): SubsetTableReport[] {
  return plan.tables.map((t) => {
    const reasons = [...kept.get(t.table)!.values()];
    return {
      table: t.table,
      sourceRows: sourceRows.get(t.table) ?? 0,
      kept: reasons.length,
      seeds: reasons.filter((r) => r === 'seed').length,
      parents: reasons.filter((r) => r === 'parent').length,
      children: reasons.filter((r) => r === 'child').length,
    };
  });
}

/**
 * Computes the subset: seeds, then passes over the snapshot until no table gains a row.
 * @example
 * ```ts
 * const s = await computeSubset({ plan, schema, reader, key, rules, depth: 1 });
 * s.report; // [{ table: 'public.users', kept: 50, seeds: 50, parents: 0, children: 0, … }, …]
 * ```
 */
export async function computeSubset(options: ComputeSubsetOptions): Promise<Subset> {
  const { plan, reader, signal } = options;
  const byTable = new Map(plan.tables.map((t) => [t.table, t]));
  const edges = edgesOf(plan, options.schema);
  const subkey = options.key.derive('subset');
  const kept = new Map<string, Map<string, 'seed' | 'parent' | 'child'>>(plan.tables.map((t) => [t.table, new Map()]));
  /** Rows that pull their children, and at which depth they were reached. */
  const pulling = new Map<string, Map<string, number>>(plan.tables.map((t) => [t.table, new Map()]));
  /** Parent tuples kept rows need, per `ref`. */
  const needed = new Map<string, Set<string>>();
  /** Parent tuples whose children are pulled, per `ref`, with the parent's depth. */
  const pullFrom = new Map<string, Map<string, number>>();
  const sourceRows = new Map<string, number>();
  const names = (t: ScrubTablePlan): string[] => t.columns.map((c) => c.name);
  let passes = 0;

  // Seeds.
  for (const rule of options.rules) {
    const t = byTable.get(rule.table);
    if (!t) throw new UsageError(`--subset names ${rule.table}, which the scrub does not copy`);
    for (const id of await seedIds(rule, t, reader, subkey, signal)) {
      kept.get(t.table)!.set(id, 'seed');
      pulling.get(t.table)!.set(id, 0);
    }
  }

  // Closure: each pass reads every table once; a row newly kept adds the parent tuples it needs and, when it
  // pulls, its own tuples whose children come next. It ends when a pass keeps nothing new.
  const processed = new Map<string, Set<string>>(plan.tables.map((t) => [t.table, new Set()]));
  let changed = true;
  while (changed) {
    changed = false;
    passes++;
    for (const t of plan.tables) {
      const ids = identityColumns(t);
      const asParent = edges.filter((e) => e.parent === t.table);
      const asChild = edges.filter((e) => e.child === t.table);
      const keptHere = kept.get(t.table)!;
      const pullHere = pulling.get(t.table)!;
      const done = processed.get(t.table)!;
      let count = 0;
      for await (const batch of reader.rows(t.source, names(t))) {
        signal?.throwIfAborted();
        for (const row of batch) {
          count++;
          const id = tupleOf(row, ids) ?? ids.map((i) => row[i] ?? '').join(SEP);
          // A child of a pulling row, within the depth (it pulls its own children one level further).
          let pullsMore = false;
          for (const e of asChild) {
            const tuple = tupleOf(row, e.childColumns);
            const d = tuple === undefined ? undefined : pullFrom.get(e.ref)?.get(tuple);
            if (d !== undefined && d < options.depth) {
              if (!keptHere.has(id)) keptHere.set(id, 'child');
              const before = pullHere.get(id);
              if (before === undefined || d + 1 < before) {
                pullHere.set(id, d + 1);
                pullsMore = true;
              }
            }
          }
          // A parent some kept row references.
          if (!keptHere.has(id)) {
            for (const e of asParent) {
              const tuple = tupleOf(row, e.parentColumns);
              if (tuple !== undefined && needed.get(e.ref)?.has(tuple)) {
                keptHere.set(id, 'parent');
                break;
              }
            }
          }
          if (!keptHere.has(id) || (done.has(id) && !pullsMore)) continue;
          done.add(id);
          changed = true;
          for (const e of asChild) {
            const tuple = tupleOf(row, e.childColumns);
            if (tuple === undefined) continue;
            let set = needed.get(e.ref);
            if (!set) needed.set(e.ref, (set = new Set()));
            set.add(tuple);
          }
          const d = pullHere.get(id);
          if (d !== undefined && d < options.depth) {
            for (const e of asParent) {
              const tuple = tupleOf(row, e.parentColumns);
              if (tuple === undefined) continue;
              let map = pullFrom.get(e.ref);
              if (!map) pullFrom.set(e.ref, (map = new Map()));
              const before = map.get(tuple);
              if (before === undefined || d < before) map.set(tuple, d);
            }
          }
        }
      }
      sourceRows.set(t.table, count);
    }
  }

  const report = subsetReport(plan, kept, sourceRows);
  return {
    keep(table, row) {
      const t = byTable.get(table);
      if (!t) return false;
      const ids = identityColumns(t);
      const id = tupleOf(row, ids) ?? ids.map((i) => row[i] ?? '').join(SEP);
      return kept.get(table)!.has(id);
    },
    kept: (table) => kept.get(table)?.size ?? 0,
    report,
    passes,
  };
}

/**
 * The subset's report, a line per table.
 * @example
 * ```ts
 * formatSubsetReport(subset.report); // '  public.users  50 of 1,000 rows (seed 50, parents 0, children 0)\n…'
 * ```
 */
export function formatSubsetReport(report: readonly SubsetTableReport[]): string {
  const width = Math.max(5, ...report.map((r) => r.table.length));
  const fmt = (n: number): string => n.toLocaleString('en-US');
  return report
    .map(
      (r) =>
        `  ${r.table.padEnd(width)}  ${fmt(r.kept).padStart(9)} of ${fmt(r.sourceRows).padStart(9)} rows  (seeds ${fmt(r.seeds)}, parents of kept rows ${fmt(r.parents)}, children ${fmt(r.children)})`,
    )
    .join('\n');
}
