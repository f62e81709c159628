/**
 * Scores a target profile against a source profile (in the spirit of SDV's
 * quality report): per column, per table and overall, every score in 0…1.
 * Pure: both profiles are plain data; the CLI takes the target's profile.
 *
 * Column metrics (each only when both sides have the statistics it needs):
 * - `ks`: 1 − Kolmogorov–Smirnov distance between the non-null CDFs rebuilt from
 *   frequent values + histogram (numbers, dates);
 * - `tvd`: 1 − total variation distance between the non-null category shares
 *   (frequent values + one "other" category), for columns that are not numbers/dates;
 * - `nulls`: 1 − |Δ null fraction|;
 * - `distinct`: 1 − min(1, |Δ| ÷ max) between the target's distinct count and the
 *   count a copy at this scale should have (`expectedDistinct`: a 30-value domain
 *   keeps 30, a unique column keeps scale × rows; at scale 1, the source's count);
 * - `lengths`: 1 − TVD of the text-length buckets.
 * Key columns (a foreign key's columns, columns a foreign key references, and
 * unique whole-number columns) get no `ks`/`tvd`: their values are labels whose
 * range grows with the row count; their structure is scored by the fan-out.
 * A foreign key's columns get no `distinct` either: their distinct count is the
 * number of parents with a child, which the fan-out measures exactly.
 *
 * Table metrics: `rows` = 1 − min(1, |target rows ÷ (scale × source rows) − 1|);
 * `fanout` per foreign key = 1 − TVD of the children-per-parent buckets (as shares
 * of parents, so a scale both tables share cancels out). Where the copy keeps fewer
 * children per parent than production (a lookup parent kept whole over a sampled child
 * table), production's buckets are first thinned to that share (`thinFanout`): the
 * fan-out a sample of the children would show.
 *
 * Column score = mean of its metrics; table score = mean of its column scores and
 * table metrics; overall = mean of the table scores.
 *
 * @example
 * ```ts
 * const report = scoreFidelity(sourceProfile, targetProfile, { scale: 0.1 });
 * report.overall; // 0.95
 * ```
 */
import { thinFanout, type Profile, type ProfileColumn, type ProfileForeignKey, type ProfileTable } from '../profile-model.js';
import { UsageError } from '../errors.js';
import { bucketShares, categoryShares, columnCdf, ksDistance, OTHER, totalVariation } from './distribution-distance.js';
import { categoricalChart, fanoutChart, lengthsChart, numericChart } from './fidelity-charts.js';
import { FIDELITY_VERSION, type FidelityChart, type FidelityColumn, type FidelityCoverage, type FidelityMetric, type FidelityReport, type FidelityTable } from './fidelity-model.js';
import { scoreRelations } from './relation-score.js';
import { scorePairTrends } from './pair-trends.js';

export interface ScoreFidelityOptions {
  /** The target should hold `scale ×` the source's rows (default 1). */
  readonly scale?: number;
  /**
   * The rows `seed --scale` plans per source table key, where they differ from scale × source rows
   * (below 1, small and lookup tables keep production's count, parents are raised for their children),
   * with why. The `rows` and `distinct` metrics of those tables expect these instead.
   */
  readonly plannedRows?: ReadonlyMap<string, { readonly rows: number; readonly note?: string }>;
}

/** A source column whose distinct ratio is at least this, with whole-number bounds, is a surrogate key. */
const UNIQUE_RATIO = 0.99;

/**
 * A foreign-key column (its distinct count is the number of parents with a child,
 * which the fan-out measures exactly while engines only estimate it), or a column
 * a foreign key references.
 */
export type KeyRole = 'foreign' | 'referenced';

const r4 = (n: number): number => Number(n.toFixed(4));
const clamp01 = (n: number): number => Math.min(1, Math.max(0, n));
const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : r4(xs.reduce((s, x) => s + x, 0) / xs.length));
const fmt = (n: number): string => (Math.abs(n) >= 1000 ? String(Math.round(n)) : String(Number(n.toPrecision(3))));

function relativeError(a: number, b: number): number {
  const max = Math.max(Math.abs(a), Math.abs(b));
  return max === 0 ? 0 : Math.abs(a - b) / max;
}

function formatPoint(x: number, dates: boolean): string {
  return dates ? new Date(x).toISOString().replace('T00:00:00.000Z', '').replace('.000Z', 'Z') : fmt(x);
}

/** Columns that hold keys: FK columns of `key` (`foreign`), and columns other tables' FKs reference (`referenced`). */
function keyColumns(profile: Profile, key: string): Map<string, KeyRole> {
  const keys = new Map<string, KeyRole>();
  for (const table of Object.values(profile.tables)) {
    for (const fk of Object.values(table.foreignKeys)) if (fk.references.table === key) fk.references.columns.forEach((c) => keys.set(c, 'referenced'));
  }
  // FKs declared on a partition hold for the rows of its parent too (pagila's payment).
  const own = [key, ...Object.keys(profile.tables).filter((k) => profile.tables[k]!.partitionOf === key)];
  for (const k of own) for (const fk of Object.values(profile.tables[k]?.foreignKeys ?? {})) fk.columns.forEach((c) => keys.set(c, 'foreign'));
  return keys;
}

function isSurrogateKey(column: ProfileColumn): boolean {
  const bounds = column.histogram?.bounds ?? [];
  return (column.distinctRatio ?? 0) >= UNIQUE_RATIO && bounds.length > 0 && bounds.every((b) => typeof b === 'number' && Number.isInteger(b));
}

/**
 * The distinct count a copy at `scale` should have: the source's `d` distinct values
 * over `n` rows taken as equally frequent (n/d rows each). Sampling a fraction
 * s ≤ 1 of the rows keeps a value when any of its rows is kept:
 * d · (1 − (1 − s)^(n/d)): a unique column keeps s·n, a 30-value domain keeps 30.
 * Above 1, d + (s − 1) · d²/n: a unique column grows to s·n, a small domain stays.
 * With `common` (the frequent values' shares of the n rows), those values count with their own
 * rows and only the others are taken as equally frequent: a sample of a skewed column keeps its
 * frequent values and few of its rare ones (14 of 30 at 0.1 where 6 values hold 74% of 425 rows,
 * not 23).
 * @example
 * ```ts
 * expectedDistinct(1000, 1000, 0.1); // 100
 * expectedDistinct(30, 300_000, 0.1); // 30
 * expectedDistinct(30, 425, 0.1, [0.45, 0.1, 0.07, 0.06, 0.04, 0.03]); // ≈ 14
 * ```
 */
export function expectedDistinct(d: number, n: number, scale: number, common: readonly number[] = []): number {
  if (d <= 0 || n <= 0) return d;
  const kept = (values: number, rows: number): number => {
    if (values <= 0) return 0;
    const perValue = Math.max(1, rows / values);
    return scale <= 1 ? values * (1 - Math.pow(1 - scale, perValue)) : values + ((scale - 1) * values) / perValue;
  };
  const shares = common.filter((f) => f > 0).slice(0, Math.max(0, Math.floor(d)));
  const commonShare = Math.min(
    1,
    shares.reduce((a, f) => a + f, 0),
  );
  if (shares.length === 0) return kept(d, n);
  const frequent = shares.reduce((a, f) => a + (scale <= 1 ? 1 - Math.pow(1 - scale, Math.max(1, f * n)) : 1), 0);
  const rest = d - shares.length;
  return frequent + kept(rest, Math.max(rest, n * (1 - commonShare)));
}

function distinctMetric(source: ProfileColumn, target: ProfileColumn, sourceRows: number | null, scale: number): FidelityMetric | undefined {
  // Distinct values live in the non-null rows.
  const rows = sourceRows === null ? null : sourceRows * (1 - (source.nullFraction ?? 0));
  if (source.distinctCount !== null && target.distinctCount !== null && rows !== null && rows > 0) {
    // The frequent values' shares of the non-null rows (the profile's are of all rows).
    const nonNull = 1 - (source.nullFraction ?? 0);
    const common = nonNull > 0 ? (source.mostCommon?.frequencies ?? []).map((f) => f / nonNull) : [];
    const expected = expectedDistinct(source.distinctCount, rows, scale, common);
    return {
      metric: 'distinct',
      score: r4(1 - Math.min(1, relativeError(expected, target.distinctCount))),
      detail: `${fmt(target.distinctCount)} vs ${fmt(Math.round(expected))} expected${scale === 1 ? '' : ` from ${fmt(source.distinctCount)} in ${fmt(rows)} non-null rows at scale ${scale}`}`,
    };
  }
  if (source.distinctRatio !== null && target.distinctRatio !== null) {
    const e = relativeError(source.distinctRatio, target.distinctRatio);
    return { metric: 'distinct', score: r4(1 - Math.min(1, e)), detail: `ratio ${fmt(target.distinctRatio)} vs ${fmt(source.distinctRatio)}` };
  }
  return undefined;
}

/** What a column's score depends on beyond its two statistics. */
export interface ColumnContext {
  readonly keyRole?: KeyRole;
  /** The source table's rows (for the expected distinct count). */
  readonly sourceRows?: number | null;
  readonly scale?: number;
}

/**
 * One column's metrics and charts.
 * @example
 * ```ts
 * scoreColumn(sourceColumn, targetColumn, { sourceRows: 300_000, scale: 0.1 }).score; // 0.97
 * ```
 */
export function scoreColumn(source: ProfileColumn, target: ProfileColumn, context: ColumnContext = {}): FidelityColumn {
  const { keyRole, sourceRows = null, scale = 1 } = context;
  const metrics: FidelityMetric[] = [];
  const notes: string[] = [];
  const charts: FidelityChart[] = [];
  const key = keyRole !== undefined || isSurrogateKey(source);
  let notMeasured: string | undefined;
  if (key) notes.push('key column: values are labels whose range grows with the row count; no value-distribution metric (FK structure is scored by the table fan-out)');
  else {
    const a = columnCdf(source);
    const b = columnCdf(target);
    const sharesA = categoryShares(source);
    let sharesB = categoryShares(target);
    // A target with statistics but no frequent value its profile keeps has none like the source's: its
    // engine lists none (a uniform copy), or its values are too many or look personal where the source's
    // did not (the policy, with k scaled to the copy, would keep values shaped like the source's). All its
    // rows count as "other", so the source's frequent values count fully against it; never "not measured",
    // which would let a copy escape its score by being unlike production.
    if (sharesA && !sharesB && !a && !b && target.nullFraction !== null && target.nullFraction < 1) {
      sharesB = new Map([[OTHER, 1]]);
      notes.push(`the target keeps no frequent value (${target.reason || 'none listed'}): all its values are counted as (other)`);
    }
    if (a && b) {
      const ks = ksDistance(a, b);
      metrics.push({ metric: 'ks', score: r4(1 - ks.distance), detail: Number.isNaN(ks.at) ? 'the CDFs coincide' : `max CDF gap ${fmt(ks.distance)} at ${formatPoint(ks.at, a.dates || b.dates)}` });
      charts.push(numericChart(a, b, source, target, ks));
    } else if (sharesA && sharesB && !(a || b)) {
      const tvd = totalVariation(sharesA, sharesB);
      metrics.push({ metric: 'tvd', score: r4(1 - tvd), detail: `total variation ${fmt(tvd)} over ${new Set([...sharesA.keys(), ...sharesB.keys()]).size} categories` });
      const chart = categoricalChart(source, target);
      if (chart) charts.push(chart);
    } else notMeasured = notMeasuredReason(source, target, { a: a !== undefined, b: b !== undefined, sharesA: sharesA !== undefined, sharesB: sharesB !== undefined });
  }
  if (source.nullFraction !== null && target.nullFraction !== null) {
    metrics.push({ metric: 'nulls', score: r4(1 - Math.abs(source.nullFraction - target.nullFraction)), detail: `${fmt(source.nullFraction)} vs ${fmt(target.nullFraction)}` });
  }
  const distinct = keyRole === 'foreign' ? undefined : distinctMetric(source, target, sourceRows, scale);
  if (distinct) metrics.push(distinct);
  if (keyRole === 'foreign') notes.push('foreign-key column: distinct values (parents with a child) are scored by the table fan-out');
  if (source.lengths && target.lengths && source.lengths.length > 0 && target.lengths.length > 0) {
    const tvd = totalVariation(bucketShares(source.lengths, 'length', 'rows'), bucketShares(target.lengths, 'length', 'rows'));
    metrics.push({ metric: 'lengths', score: r4(1 - tvd), detail: `total variation ${fmt(tvd)} over length buckets` });
    charts.push(lengthsChart(source.lengths, target.lengths));
  }
  const all = mean(metrics.map((m) => clamp01(m.score)));
  if (notMeasured !== undefined) {
    // Never a score without a value metric: the shape alone (NULLs, distinct count) says nothing of the values.
    notes.unshift(`not measured: ${notMeasured}`);
    return { score: null, notMeasured, ...(all === null ? {} : { shapeScore: all }), metrics, notes, charts };
  }
  return { score: all, ...(key ? { key: true } : {}), metrics, notes, charts };
}

/** Why a non-key column got neither `ks` nor `tvd`, in words. */
function notMeasuredReason(source: ProfileColumn, target: ProfileColumn, has: { a: boolean; b: boolean; sharesA: boolean; sharesB: boolean }): string {
  if (source.personal) return `personal column: the source profile keeps no values (${source.reason})`;
  const sourceHas = has.a || has.sharesA;
  const targetHas = has.b || has.sharesB;
  if (!sourceHas)
    return source.nullFraction === null && source.distinctCount === null
      ? 'the source profile has no statistics for it (an empty or never analysed table)'
      : `the source profile has no frequent values or histogram for it${source.reason ? ` (${source.reason})` : ''}`;
  if (!targetHas) return `the target profile has no ${has.a ? 'histogram' : 'frequent values'} for it${target.reason ? ` (${target.reason})` : ''}`;
  return has.a || has.b ? `one side is a number/date distribution and the other categories (${source.reason}; target: ${target.reason})` : 'the two sides have no comparable distribution';
}

/** The target's FK matching a source FK: same name, else same columns and referenced table name. */
function matchForeignKey(name: string, fk: ProfileForeignKey, target: ProfileTable): ProfileForeignKey | undefined {
  const byName = target.foreignKeys[name];
  if (byName) return byName;
  const tableName = (key: string): string => key.slice(key.lastIndexOf('.') + 1);
  return Object.values(target.foreignKeys).find((t) => t.columns.join(',') === fk.columns.join(',') && tableName(t.references.table) === tableName(fk.references.table));
}

/** Below this gap from 1, a foreign key's children are taken as kept at the parent's rate (no thinning). */
const SAME_RATE = 0.02;

/**
 * The share of each parent's children the copy keeps: the child table's copy rate ÷ the parent's
 * (target rows ÷ source rows, each). A parent kept whole over a tenth of its children keeps 0.1;
 * a copy at one scale throughout keeps 1. Undefined when a row count is missing.
 */
function keptChildShare(child: { source: number | null; target: number | null }, parent: { source: number | null; target: number | null } | undefined): number | undefined {
  if (!parent || child.source === null || child.target === null || parent.source === null || parent.target === null) return undefined;
  if (child.source <= 0 || parent.source <= 0 || parent.target <= 0) return undefined;
  return child.target / child.source / (parent.target / parent.source);
}

function scoreFanout(name: string, fk: ProfileForeignKey, other: ProfileForeignKey, keep: number | undefined): { metric: FidelityMetric; chart: FidelityChart } {
  // A parent kept whole over a sampled child table: production's fan-out with each parent's children thinned to the kept share.
  const thinned = keep !== undefined && keep < 1 - SAME_RATE ? keep : undefined;
  const expected = thinned !== undefined ? thinFanout(fk.fanout!, thinned) : fk.fanout!;
  const tvd = totalVariation(bucketShares(expected, 'children', 'parents'), bucketShares(other.fanout!, 'children', 'parents'));
  const why = thinned !== undefined ? ` (production's, each parent keeping ${fmt(thinned)} of its children: the copy's child rows per parent row)` : '';
  return {
    metric: { metric: 'fanout', subject: name, score: r4(1 - tvd), detail: `${name} (${fk.columns.join(', ')} → ${fk.references.table}): total variation ${fmt(tvd)} of children per parent${why}` },
    chart: fanoutChart(
      expected.map((b) => ({ children: b.children, parents: Math.round(b.parents) })),
      other.fanout!,
    ),
  };
}

function scoreTable(
  sourceProfile: Profile,
  key: string,
  source: ProfileTable,
  target: ProfileTable,
  scale: number,
  planned?: { rows: number; note?: string },
  parentRows?: (table: string) => { source: number | null; target: number | null } | undefined,
  targetProfile?: Pick<Profile, 'scanned' | 'k'>,
): FidelityTable {
  const metrics: FidelityMetric[] = [];
  const charts: FidelityChart[] = [];
  // A table the seed plans at another count than scale × rows (a lookup table kept whole) is a sample at that count's scale.
  const tableScale = planned && source.rowEstimate !== null && source.rowEstimate > 0 ? planned.rows / source.rowEstimate : scale;
  if (source.rowEstimate !== null && source.rowEstimate > 0 && target.rowEstimate !== null) {
    const expected = planned ? planned.rows : source.rowEstimate * scale;
    const ratio = expected > 0 ? target.rowEstimate / expected : target.rowEstimate === 0 ? 1 : 2;
    const why = planned ? `planned${planned.note ? `: ${planned.note}` : ''}` : `${fmt(source.rowEstimate)} × ${scale}`;
    metrics.push({ metric: 'rows', score: r4(1 - Math.min(1, Math.abs(ratio - 1))), detail: `${fmt(target.rowEstimate)} rows vs ${fmt(expected)} expected (${why})` });
  }
  for (const [name, fk] of Object.entries(source.foreignKeys)) {
    const other = matchForeignKey(name, fk, target);
    if (!fk.fanout || !other?.fanout || fk.fanout.length === 0 || other.fanout.length === 0) continue;
    const keep = keptChildShare({ source: source.rowEstimate, target: target.rowEstimate }, parentRows?.(fk.references.table));
    const scored = scoreFanout(name, fk, other, keep);
    metrics.push(scored.metric);
    charts.push(scored.chart);
  }
  const share = source.rowEstimate !== null && source.rowEstimate > 0 && target.rowEstimate !== null ? target.rowEstimate / source.rowEstimate : tableScale;
  const related = targetProfile?.scanned ? scoreRelations(source, target, share, targetProfile.k) : undefined;
  if (related) metrics.push(related);
  const keys = keyColumns(sourceProfile, key);
  const columns: Record<string, FidelityColumn> = {};
  for (const [name, column] of Object.entries(source.columns)) {
    const other = target.columns[name];
    if (other) columns[name] = scoreColumn(column, other, { keyRole: keys.get(name), sourceRows: source.rowEstimate, scale: tableScale });
  }
  const columnScores = Object.values(columns).flatMap((c) => (c.score === null ? [] : [c.score]));
  const pairTrends = scorePairTrends(source, target);
  return {
    ...(pairTrends ? { pairTrends } : {}),
    // An empty source table has no values to measure: its columns are not counted in the coverage.
    coverage: source.rowEstimate === 0 ? { columns: 0, measured: 0, keys: 0, ratio: null } : coverageOf(Object.values(columns)),
    score: mean([...columnScores, ...metrics.map((m) => clamp01(m.score))]),
    sourceRows: source.rowEstimate,
    targetRows: target.rowEstimate,
    metrics,
    columns,
    onlyInSource: Object.keys(source.columns).filter((c) => !(c in target.columns)),
    onlyInTarget: Object.keys(target.columns).filter((c) => !(c in source.columns)),
    charts,
  };
}

/** The report's pair-trend score: the mean over every table's pairs. */
function pairTrendsOf(tables: readonly FidelityTable[]): { pairTrends?: { score: number; pairs: number } } {
  const scores = tables.flatMap((t) => t.pairTrends?.pairs.map((p) => p.score) ?? []);
  return scores.length === 0 ? {} : { pairTrends: { score: mean(scores)!, pairs: scores.length } };
}

/** Non-key columns with and without a value metric. */
function coverageOf(columns: readonly FidelityColumn[]): FidelityCoverage {
  const keys = columns.filter((c) => c.key === true).length;
  const valued = columns.filter((c) => c.key !== true);
  const measured = valued.filter((c) => c.notMeasured === undefined).length;
  return { columns: valued.length, measured, keys, ratio: valued.length === 0 ? null : r4(measured / valued.length) };
}

function sumCoverage(parts: readonly FidelityCoverage[]): FidelityCoverage {
  const columns = parts.reduce((n, c) => n + c.columns, 0);
  const measured = parts.reduce((n, c) => n + c.measured, 0);
  return { columns, measured, keys: parts.reduce((n, c) => n + c.keys, 0), ratio: columns === 0 ? null : r4(measured / columns) };
}

/**
 * Pairs the tables of two profiles: by key (`schema.table`), else by table name
 * when it is unique on both sides (a copy in another MySQL database).
 */
function pairTables(source: Profile, target: Profile): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const name = (key: string): string => key.slice(key.indexOf('.') + 1);
  const unmatchedTargets = new Set(Object.keys(target.tables).filter((k) => !(k in source.tables)));
  const byName = new Map<string, string[]>();
  for (const k of unmatchedTargets) byName.set(name(k), [...(byName.get(name(k)) ?? []), k]);
  const sourceNames = new Map<string, number>();
  for (const k of Object.keys(source.tables)) sourceNames.set(name(k), (sourceNames.get(name(k)) ?? 0) + 1);
  for (const key of Object.keys(source.tables)) {
    if (key in target.tables) pairs.push([key, key]);
    else {
      const candidates = byName.get(name(key)) ?? [];
      if (candidates.length === 1 && sourceNames.get(name(key)) === 1) pairs.push([key, candidates[0]!]);
    }
  }
  return pairs;
}

/**
 * Scores `target` against `source`.
 * @throws UsageError when the scale is not a positive number or the profiles share no table.
 * @example
 * ```ts
 * const report = scoreFidelity(source, target, { scale: 0.1 });
 * Object.entries(report.tables).map(([key, t]) => `${key} ${t.score}`);
 * ```
 */
export function scoreFidelity(source: Profile, target: Profile, options: ScoreFidelityOptions = {}): FidelityReport {
  const scale = options.scale ?? 1;
  if (!(Number.isFinite(scale) && scale > 0)) throw new UsageError(`scale must be a positive number, got ${scale}`, { hint: 'Use e.g. --scale 0.1 for a copy with a tenth of the rows.' });
  const pairs = pairTables(source, target);
  if (pairs.length === 0 && Object.keys(source.tables).length > 0) {
    throw new UsageError('the source profile and the target share no table: nothing to score', {
      hint: `Source tables: ${Object.keys(source.tables).slice(0, 5).join(', ')}; target tables: ${Object.keys(target.tables).slice(0, 5).join(', ') || 'none'}.`,
    });
  }
  const tables: Record<string, FidelityTable> = {};
  const targetOf = new Map(pairs);
  const parentRows = (table: string): { source: number | null; target: number | null } | undefined => {
    const t = targetOf.get(table);
    return source.tables[table] && t !== undefined ? { source: source.tables[table].rowEstimate, target: target.tables[t]!.rowEstimate } : undefined;
  };
  for (const [sourceKey, targetKey] of pairs) {
    tables[sourceKey] = scoreTable(source, sourceKey, source.tables[sourceKey]!, target.tables[targetKey]!, scale, options.plannedRows?.get(sourceKey), parentRows, target);
  }
  const matchedTargets = new Set(pairs.map(([, t]) => t));
  const tableScores = Object.values(tables).flatMap((t) => (t.score === null ? [] : [t.score]));
  return {
    version: FIDELITY_VERSION,
    overall: mean(tableScores),
    scale,
    source: { ...(source.source ? { description: source.source } : {}), takenAt: source.takenAt, dialect: source.dialect },
    target: { ...(target.source ? { description: target.source } : {}), takenAt: target.takenAt, dialect: target.dialect },
    tables,
    onlyInSource: Object.keys(source.tables).filter((k) => !pairs.some(([s]) => s === k)),
    onlyInTarget: Object.keys(target.tables).filter((k) => !matchedTargets.has(k)),
    coverage: sumCoverage(Object.values(tables).flatMap((t) => (t.coverage ? [t.coverage] : []))),
    ...pairTrendsOf(Object.values(tables)),
  };
}

/**
 * Every scored column, worst first: `[tableKey, columnName, column]`.
 * @example
 * ```ts
 * worstColumns(report).slice(0, 10);
 * ```
 */
export function worstColumns(report: FidelityReport): Array<[string, string, FidelityColumn]> {
  const all: Array<[string, string, FidelityColumn]> = [];
  for (const [key, table] of Object.entries(report.tables)) {
    for (const [name, column] of Object.entries(table.columns)) if (column.score !== null) all.push([key, name, column]);
  }
  return all.sort((a, b) => a[2].score! - b[2].score! || (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
}

/**
 * Every non-key column whose values were not measured (no `ks` / `tvd`), with why:
 * `[tableKey, columnName, column]`, in table and column order.
 * @example
 * ```ts
 * unmeasuredColumns(report).map(([t, c, col]) => `${t}.${c}: ${col.notMeasured}`);
 * ```
 */
export function unmeasuredColumns(report: FidelityReport): Array<[string, string, FidelityColumn]> {
  const all: Array<[string, string, FidelityColumn]> = [];
  for (const [key, table] of Object.entries(report.tables)) {
    for (const [name, column] of Object.entries(table.columns)) if (column.notMeasured !== undefined) all.push([key, name, column]);
  }
  return all;
}

/**
 * The value coverage in words: `value coverage 62% of columns (31 of 50 non-key columns measured by ks/tvd)`.
 * @example
 * ```ts
 * coverageText(report.coverage); // 'value coverage 100% of columns (12 of 12 non-key columns measured by ks/tvd)'
 * ```
 */
export function coverageText(coverage: FidelityCoverage | undefined): string {
  if (!coverage || coverage.ratio === null) return 'value coverage: no non-key column';
  return `value coverage ${Math.floor(coverage.ratio * 100)}% of columns (${coverage.measured} of ${coverage.columns} non-key columns measured by ks/tvd)`;
}
