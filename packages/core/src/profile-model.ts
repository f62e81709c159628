/**
 * The Profile model: what a database already knows about its own data
 * (row estimates, null rates, distinct counts, frequent values, histograms),
 * plus foreign-key fan-out, text lengths and orders between date/time columns from
 * count-only aggregate queries.
 *
 * A profile is meant to leave production and be committed to a repository, so
 * it never carries personal data: every column's statistics pass through the
 * privacy policy (`profile-privacy.ts`) before they land here, and each column
 * says what was kept and why (`kept`, `dropped`, `reason`).
 *
 * Plain JSON, validated with zod, versioned; tables sorted by key as in the Schema,
 * columns in the table's column order.
 *
 * @example
 * ```ts
 * const profile = ProfileModel.parse(JSON.parse(text));
 * profile.tables['public.orders']?.columns['status']?.mostCommon?.values; // ['active', 'pending', …]
 * ```
 */
import { DIALECT_NAMES } from './dialect-registry.js';
import { z } from 'zod';
import { Detection } from './pii/pii-kind.js';

/** The current version of the saved Profile format. */
export const PROFILE_VERSION = 1;

/** A statistic's value: numbers and booleans as JSON, dates and times as ISO strings, everything else as text. */
export const ProfileValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type ProfileValue = z.infer<typeof ProfileValue>;

/** The pieces of a column's statistics a profile may carry. */
export const ProfileStat = z.enum(['nulls', 'distinct', 'mostCommon', 'histogram', 'width', 'correlation', 'lengths']);
export type ProfileStat = z.infer<typeof ProfileStat>;

/** Power-of-two bucket labels: `0`, `1`, `2-3`, `4-7`, `8-15`, … */
export const BucketLabel = z.string().regex(/^(0|1|\d+-\d+)$/);

/** How many non-null values of a text column have a length in the bucket (characters). */
export const LengthBucket = z.object({ length: BucketLabel, rows: z.number().int().nonnegative() });
export type LengthBucket = z.infer<typeof LengthBucket>;

/** How many parent rows have a number of children in the bucket (zero-child parents included). */
export const FanoutBucket = z.object({ children: BucketLabel, parents: z.number().int().nonnegative() });
export type FanoutBucket = z.infer<typeof FanoutBucket>;

export const ProfileColumn = z.object({
  /** Fraction of rows that are NULL (0…1); `null` when the engine has no statistics. */
  nullFraction: z.number().min(0).max(1).nullable(),
  /**
   * Estimated number of distinct non-null values. PostgreSQL keeps either an absolute
   * count (`n_distinct > 0`) or a ratio of rows (`n_distinct < 0`); `distinctBasis` says
   * which one the engine gave, and the other is derived from the row estimate.
   */
  distinctCount: z.number().nonnegative().nullable(),
  /** Distinct values ÷ rows (1 for a unique column). */
  distinctRatio: z.number().nonnegative().nullable(),
  distinctBasis: z.enum(['count', 'ratio']).optional(),
  /** Frequent values and the fraction of all rows each takes (only when safe: see the privacy policy). */
  mostCommon: z.object({ values: z.array(ProfileValue), frequencies: z.array(z.number()) }).optional(),
  /**
   * Histogram bounds (only numeric, date/time, boolean and enum columns that are not personal),
   * ascending. Without `sizes` the buckets are equi-depth (PostgreSQL); with `sizes`, bucket i
   * (from bounds[i] to bounds[i + 1]) holds `sizes[i]` of the histogram's rows (the sizes sum to 1):
   * MariaDB's JSON_HB bucket sizes, or a coarser k-anonymous histogram whose merged buckets differ.
   */
  histogram: z.object({ bounds: z.array(ProfileValue), sizes: z.array(z.number().nonnegative()).optional() }).optional(),
  /** Average width in bytes of non-null values, as the engine reports it. */
  avgWidth: z.number().optional(),
  /** Correlation between physical row order and value order (PostgreSQL), -1…1. */
  correlation: z.number().optional(),
  /** Text lengths, bucketed (from a count-only scan). */
  lengths: z.array(LengthBucket).optional(),
  /** True when the column looks personal (by name, type, content or a foreign key to people): values are never kept. */
  personal: z.boolean(),
  /** What the value detectors found in the values the engine holds (detector and counts, never a value). */
  detected: z.array(Detection).optional(),
  kept: z.array(ProfileStat),
  dropped: z.array(ProfileStat),
  /** Why: which rule applied (`name token "email"`, `unbounded text`, `3 values below k=10`, …). */
  reason: z.string(),
});
export type ProfileColumn = z.infer<typeof ProfileColumn>;

export const ProfileForeignKey = z.object({
  columns: z.array(z.string()),
  references: z.object({ table: z.string(), columns: z.array(z.string()) }),
  /** Children per parent, bucketed; absent when the profile was taken without scanning. */
  fanout: z.array(FanoutBucket).optional(),
  /** Child date/time columns at or after a parent's (`payment_date ≥ rental.rental_date`) in ≥ 99% of joined rows. */
  orders: z.array(z.object({ column: z.string(), parentColumn: z.string(), rows: z.number().int().nonnegative(), holds: z.number().min(0).max(1) })).optional(),
  /** Child columns equal to the parent's column of that name (`payment.customer_id = rental.customer_id`) in ≥ 99% of joined rows. */
  agrees: z.array(z.object({ column: z.string(), parentColumn: z.string(), rows: z.number().int().nonnegative(), holds: z.number().min(0).max(1) })).optional(),
  /**
   * Parent columns equal to the sum over the parent's children of a child column, or of the product
   * of two (`invoice.total = SUM(line.unit_price * line.quantity)`), in ≥ 99% of the `rows` parents
   * with children and the column set (count-only; at least k of them, and k where the sum is not 0).
   */
  sums: z.array(z.object({ parentColumn: z.string(), columns: z.array(z.string()).min(1).max(2), rows: z.number().int().nonnegative(), holds: z.number().min(0).max(1) })).optional(),
  /**
   * Children's periods that follow each other per parent (ordered by `from`): each row's `from` is
   * the previous row's `to` (`gap` 0) or the day after (`gap` 1), in ≥ 99% of the `rows` child rows
   * that have a previous row (count-only; at least k).
   */
  periods: z.array(z.object({ from: z.string(), to: z.string(), gap: z.union([z.literal(0), z.literal(1)]), rows: z.number().int().nonnegative(), holds: z.number().min(0).max(1) })).optional(),
});
export type ProfileForeignKey = z.infer<typeof ProfileForeignKey>;

/**
 * An order between two date/time columns of a table that holds in production's rows
 * (`shipped_at ≥ ordered_at`), from a count-only query: of the `rows` rows where both
 * are set, the share where `later ≥ earlier`. Kept only when `rows` ≥ k and the order
 * holds in at least 99% of them. Only counts are read: never a value or a difference.
 */
export const ProfileOrder = z.object({
  earlier: z.string(),
  later: z.string(),
  /** Rows where both columns are set. */
  rows: z.number().int().nonnegative(),
  /** Share of those rows where `later ≥ earlier` (0.99…1). */
  holds: z.number().min(0).max(1),
});
export type ProfileOrder = z.infer<typeof ProfileOrder>;

/**
 * Two columns NULL in the same rows (`(shipped_at IS NULL) = (carrier IS NULL)`), from a
 * count-only query: of the table's `rows`, the share where both are NULL or both are set,
 * and `nulls` rows where both are NULL. Kept when it holds in at least 99% of the rows and
 * `nulls` ≥ k. Only counts are read.
 */
export const ProfileNullsTogether = z.object({
  columns: z.tuple([z.string(), z.string()]),
  rows: z.number().int().nonnegative(),
  /** Rows where both are NULL. */
  nulls: z.number().int().nonnegative(),
  /** Share of the rows where both are NULL or both are set (0.99…1). */
  holds: z.number().min(0).max(1),
});
export type ProfileNullsTogether = z.infer<typeof ProfileNullsTogether>;

/**
 * How a table's columns move together, from aggregate queries (`profile-scan-trends.ts`), for
 * fidelity's pair trends: Pearson's r of numeric/date pairs (over `rows` ≥ k rows where both are
 * set), rows per pair of frequent values of two low-cardinality columns (only values the column
 * already keeps as frequent values, cells of k rows or more; the rest is `other`), and r of a
 * parent's column with its number of children across a foreign key. Personal columns are left out.
 */
export const ProfileTrends = z.object({
  correlations: z.array(z.object({ columns: z.tuple([z.string(), z.string()]), rows: z.number().int().nonnegative(), r: z.number().min(-1).max(1) })).default([]),
  contingencies: z
    .array(
      z.object({
        columns: z.tuple([z.string(), z.string()]),
        rows: z.number().int().nonnegative(),
        cells: z.array(z.object({ values: z.tuple([ProfileValue, ProfileValue]), rows: z.number().int().nonnegative() })),
        /** Rows in pairs not listed (a value not kept, or a pair below k). */
        other: z.number().int().nonnegative(),
      }),
    )
    .default([]),
  childCounts: z.array(z.object({ foreignKey: z.string(), column: z.string(), rows: z.number().int().nonnegative(), r: z.number().min(-1).max(1) })).default([]),
});
export type ProfileTrends = z.infer<typeof ProfileTrends>;

export const ProfileTable = z.object({
  /** The engine's row estimate; `null` when it has none (never analysed). */
  rowEstimate: z.number().nullable(),
  /** The engine holds column statistics for this table. */
  analysed: z.boolean(),
  /** For a partition: its partitioned parent (whose rows it holds). */
  partitionOf: z.string().optional(),
  /** Advice, e.g. `never analysed: run profile --analyze`. */
  note: z.string().optional(),
  columns: z.record(z.string(), ProfileColumn),
  foreignKeys: z.record(z.string(), ProfileForeignKey).default({}),
  /** Orders between date/time columns that hold in ≥ 99% of the rows (only when scanned). */
  orders: z.array(ProfileOrder).optional(),
  /** Pairs of columns NULL in the same rows in ≥ 99% of the rows (only when scanned). */
  nullsTogether: z.array(ProfileNullsTogether).optional(),
  /** Pair trends (only when scanned). */
  trends: ProfileTrends.optional(),
});
export type ProfileTable = z.infer<typeof ProfileTable>;

export const ProfileModel = z.object({
  version: z.literal(PROFILE_VERSION),
  dialect: z.enum(DIALECT_NAMES),
  serverVersion: z.string().optional(),
  /** Where it came from, with any password removed. */
  source: z.string().optional(),
  /** ISO timestamp. */
  takenAt: z.string(),
  /** The minimum number of rows a frequent value must occur in to be kept. */
  k: z.number().int().positive(),
  /** Whether count-only aggregate queries (fan-out, text lengths, column orders) were run. */
  scanned: z.boolean(),
  /** Whether ANALYZE was run (`--analyze`) before reading the statistics. */
  ranAnalyze: z.boolean().default(false),
  tables: z.record(z.string(), ProfileTable),
  notes: z.array(z.string()).default([]),
});
export type Profile = z.infer<typeof ProfileModel>;

/**
 * The power-of-two bucket a count falls in: `0`, `1`, `2-3`, `4-7`, `8-15`, …
 * @example
 * ```ts
 * bucketLabel(10); // '8-15'
 * ```
 */
export function bucketLabel(n: number): string {
  if (n <= 0) return '0';
  if (n === 1) return '1';
  let low = 1;
  while (low * 2 <= n) low *= 2;
  return `${low}-${low * 2 - 1}`;
}

/** Lower end of a bucket label, for sorting. */
function bucketFloor(label: string): number {
  return Number(label.split('-')[0]);
}

/**
 * Folds exact `(value, count)` pairs (e.g. children per parent, text length) into
 * power-of-two buckets, sorted by bucket.
 * @example
 * ```ts
 * bucketCounts([[0, 1], [1, 2], [3, 1], [10, 1]]); // [['0',1],['1',2],['2-3',1],['8-15',1]]
 * ```
 */
export function bucketCounts(pairs: Iterable<readonly [number, number]>): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const [value, count] of pairs) {
    const label = bucketLabel(value);
    totals.set(label, (totals.get(label) ?? 0) + count);
  }
  return [...totals.entries()].sort((a, b) => bucketFloor(a[0]) - bucketFloor(b[0]));
}

/** Binomial(n, p) probabilities of 0…n (by the recurrence from P(0), in log space for large n). */
function binomial(n: number, p: number): number[] {
  const out = new Array<number>(n + 1).fill(0);
  if (p >= 1) {
    out[n] = 1;
    return out;
  }
  if (p <= 0) {
    out[0] = 1;
    return out;
  }
  // Logs first (P(0) may underflow for large n), then normalized from the largest.
  let log = n * Math.log1p(-p);
  let top = -Infinity;
  const ratio = Math.log(p) - Math.log1p(-p);
  for (let k = 0; k <= n; k++) {
    out[k] = log;
    top = Math.max(top, log);
    log += Math.log(n - k) - Math.log(k + 1) + ratio;
  }
  let sum = 0;
  for (let k = 0; k <= n; k++) sum += out[k] = Math.exp(out[k]! - top);
  for (let k = 0; k <= n; k++) out[k]! /= sum;
  return out;
}

/** At most this many child counts stand for one bucket's range when thinning (evenly spaced). */
const THIN_POINTS = 64;

/**
 * The fan-out a foreign key should show when only a share `keep` of each parent's children
 * are kept (a child table sampled at scale s under a parent kept whole: keep = s): each parent
 * with c children keeps Binomial(c, keep) of them, the counts of a bucket taken as spread evenly
 * over its range. Returns parents per bucket, as fractional weights summing to the input's.
 * @example
 * ```ts
 * thinFanout([{ children: '1', parents: 10 }], 0.5); // [{ children: '0', parents: 5 }, { children: '1', parents: 5 }]
 * ```
 */
export function thinFanout(buckets: ReadonlyArray<{ readonly children: string; readonly parents: number }>, keep: number): Array<{ children: string; parents: number }> {
  const totals = new Map<string, number>();
  const add = (children: number, weight: number): void => {
    if (weight <= 0) return;
    const label = bucketLabel(children);
    totals.set(label, (totals.get(label) ?? 0) + weight);
  };
  for (const b of buckets) {
    const [lo, hi] = b.children.split('-').map(Number) as [number, number | undefined];
    const top = hi ?? lo;
    if (!Number.isFinite(lo) || !Number.isFinite(top) || b.parents <= 0) continue;
    const span = top - lo + 1;
    const points = Math.min(span, THIN_POINTS);
    for (let i = 0; i < points; i++) {
      const c = points === span ? lo + i : Math.round(lo + ((i + 0.5) * span) / points - 0.5);
      const probabilities = binomial(c, Math.max(0, Math.min(1, keep)));
      probabilities.forEach((pr, k) => add(k, (pr * b.parents) / points));
    }
  }
  return [...totals.entries()].sort((a, b) => bucketFloor(a[0]) - bucketFloor(b[0])).map(([children, parents]) => ({ children, parents }));
}

/**
 * Serializes a profile as stable JSON (validated; tables sorted by key).
 * @example
 * ```ts
 * await writeFile('profile.json', profileToJson(profile));
 * ```
 */
export function profileToJson(profile: Profile): string {
  const parsed = ProfileModel.parse(profile);
  const tables = Object.fromEntries(Object.entries(parsed.tables).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ ...parsed, tables }, null, 2)}\n`;
}
