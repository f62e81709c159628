/**
 * The FidelityReport: how closely a target database (usually a synthetic copy)
 * follows a source profile, per column, per table and overall. Every score is
 * in 0…1 (1 = indistinguishable by these statistics). Plain JSON, validated with
 * zod, versioned; it carries the distributions both sides were compared on, so
 * the HTML report (`fidelity-html.ts`) is drawn from the report alone.
 *
 * See docs/fidelity.md for what each metric means and how scores combine.
 *
 * @example
 * ```ts
 * const report = FidelityReportModel.parse(JSON.parse(text));
 * report.overall; // 0.94
 * report.tables['public.orders']?.columns['status']?.metrics; // [{ metric: 'tvd', score: 0.97, … }]
 * ```
 */
import { z } from 'zod';

/** The current version of the saved FidelityReport format. */
export const FIDELITY_VERSION = 1;

/** What a metric measures. */
export const FidelityMetricName = z.enum([
  /** 1 − Kolmogorov–Smirnov distance between the non-null value CDFs (numbers, dates). */
  'ks',
  /** 1 − total variation distance between the non-null category frequencies (listed values + "other"). */
  'tvd',
  /** 1 − |Δ null fraction|. */
  'nulls',
  /** 1 − relative error of the distinct values (count or ratio, whichever fits). */
  'distinct',
  /** 1 − total variation distance between the text-length buckets. */
  'lengths',
  /** 1 − min(1, |target rows ÷ (scale × source rows) − 1|). */
  'rows',
  /** 1 − total variation distance between the children-per-parent buckets of a foreign key. */
  'fanout',
  /** Share of the relations between columns production holds (orders, NULLs together, equal values, sums, periods) that the copy holds too. */
  'relations',
]);
export type FidelityMetricName = z.infer<typeof FidelityMetricName>;

export const FidelityMetric = z.object({
  metric: FidelityMetricName,
  /** 0…1, higher is closer. */
  score: z.number().min(0).max(1),
  /** The raw values compared, for people: `0.30 vs 0.28`, `KS 0.041 at 120.5`. */
  detail: z.string(),
  /** For table metrics on a foreign key: its name. */
  subject: z.string().optional(),
});
export type FidelityMetric = z.infer<typeof FidelityMetric>;

/** One bar of a chart: a label and the fraction of all rows (NULL included) it holds. */
export const FidelityBar = z.object({ label: z.string(), source: z.number(), target: z.number() });
export type FidelityBar = z.infer<typeof FidelityBar>;

/** The distributions a column was compared on, as bars over the same labels on both sides. */
export const FidelityChart = z.object({
  kind: z.enum(['categorical', 'numeric', 'lengths', 'fanout']),
  /** What the bars count, e.g. `fraction of rows`, `fraction of parents`. */
  unit: z.string(),
  bars: z.array(FidelityBar),
  /**
   * Numbers and dates: both CDFs (of the non-null values) sampled along the chart's
   * axis (`at` 0…1 from `from` to `to`, log-spaced when the bars are), and where the
   * largest gap (the KS distance) is.
   */
  cdf: z
    .object({
      from: z.string(),
      to: z.string(),
      points: z.array(z.object({ at: z.number(), source: z.number(), target: z.number() })),
      gap: z.object({ at: z.number(), label: z.string(), distance: z.number() }).optional(),
    })
    .optional(),
});
export type FidelityChart = z.infer<typeof FidelityChart>;

export const FidelityColumn = z.object({
  /**
   * Mean of the metric scores; `null` when no metric could be computed, and for a
   * non-key column whose values were not measured (no `ks`/`tvd`: see `notMeasured`):
   * such a column is never shown as a score, only counted against the value coverage.
   */
  score: z.number().min(0).max(1).nullable(),
  /** A key column (FK columns, referenced columns, surrogate keys): values are labels, scored by fan-out. */
  key: z.boolean().optional(),
  /** A non-key column with no value metric: why its values were not measured. */
  notMeasured: z.string().optional(),
  /** For a column whose values were not measured: the mean of its shape metrics (nulls, distinct, lengths). */
  shapeScore: z.number().min(0).max(1).optional(),
  metrics: z.array(FidelityMetric),
  /** Why some metric was not computed (`key column: scored by FK fan-out`, `no histogram in target`, …). */
  notes: z.array(z.string()),
  charts: z.array(FidelityChart),
});
export type FidelityColumn = z.infer<typeof FidelityColumn>;

/** How many non-key columns got a value metric (`ks` / `tvd`). */
export const FidelityCoverage = z.object({
  /** Non-key columns scored on both sides. */
  columns: z.number().int().nonnegative(),
  /** Of those, the ones with a value metric. */
  measured: z.number().int().nonnegative(),
  /** Key columns (not counted in `columns`). */
  keys: z.number().int().nonnegative(),
  /** measured ÷ columns; `null` without columns. */
  ratio: z.number().min(0).max(1).nullable(),
});
export type FidelityCoverage = z.infer<typeof FidelityCoverage>;

/** One pair trend compared (`pair-trends.ts`): a correlation, a contingency table, or a parent column against its children's count. */
export const FidelityPairTrend = z.object({
  kind: z.enum(['correlation', 'contingency', 'childCount']),
  /** The two columns (`quantity, amount`), or `total ~ children through invoice_line_fk`. */
  subject: z.string(),
  /** Correlations: Pearson's r on each side. */
  source: z.number().optional(),
  target: z.number().optional(),
  /** 1 − |Δr| / 2, or 1 − total variation distance. */
  score: z.number().min(0).max(1),
  detail: z.string(),
});
export type FidelityPairTrend = z.infer<typeof FidelityPairTrend>;

export const FidelityTable = z.object({
  score: z.number().min(0).max(1).nullable(),
  sourceRows: z.number().nullable(),
  targetRows: z.number().nullable(),
  /** Table-level metrics: `rows`, and one `fanout` per foreign key with fan-out on both sides. */
  metrics: z.array(FidelityMetric),
  columns: z.record(z.string(), FidelityColumn),
  /** Columns only the source or only the target has: listed, not scored. */
  onlyInSource: z.array(z.string()),
  onlyInTarget: z.array(z.string()),
  charts: z.array(FidelityChart),
  coverage: FidelityCoverage.optional(),
  /** How pairs of columns move together, on both sides (not part of `score`): their mean and each pair. */
  pairTrends: z.object({ score: z.number().min(0).max(1), pairs: z.array(FidelityPairTrend) }).optional(),
});
export type FidelityTable = z.infer<typeof FidelityTable>;

export const FidelityReportModel = z.object({
  version: z.literal(FIDELITY_VERSION),
  /** Mean of the table scores (each table counts once, whatever its size). */
  overall: z.number().min(0).max(1).nullable(),
  /** The target is expected to hold `scale ×` the source's rows. */
  scale: z.number().positive(),
  source: z.object({ description: z.string().optional(), takenAt: z.string(), dialect: z.string() }),
  target: z.object({ description: z.string().optional(), takenAt: z.string(), dialect: z.string() }),
  tables: z.record(z.string(), FidelityTable),
  /** Tables only one side has: listed, not scored. */
  onlyInSource: z.array(z.string()),
  onlyInTarget: z.array(z.string()),
  /** Value coverage over every paired table: how many non-key columns got `ks` / `tvd`. */
  coverage: FidelityCoverage.optional(),
  /** The mean of every table's pair-trend scores (each pair counts once); apart from `overall`. */
  pairTrends: z.object({ score: z.number().min(0).max(1), pairs: z.number().int().nonnegative() }).optional(),
});
export type FidelityReport = z.infer<typeof FidelityReportModel>;
