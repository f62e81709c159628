/**
 * Reading the column statistics MySQL and MariaDB keep, into raw profile statistics:
 *
 * - MariaDB `mysql.column_stats` (engine-independent statistics, built by
 *   `ANALYZE TABLE t PERSISTENT FOR ALL`): min/max, nulls_ratio, avg_length,
 *   avg_frequency, and a histogram that is either positional (SINGLE_PREC_HB,
 *   DOUBLE_PREC_HB: each byte or 16-bit word is a bucket end as a fraction of
 *   [min, max]) or JSON (JSON_HB, 10.8+: `{"histogram_hb": [{"start", "size", "ndv"}, …]}`,
 *   whose single-value buckets are the frequent values).
 * - MySQL 8 `information_schema.COLUMN_STATISTICS.HISTOGRAM` (built by
 *   `ANALYZE TABLE t UPDATE HISTOGRAM ON c`): JSON with `histogram-type`
 *   `singleton` (`buckets: [[value, cumulative frequency], …]`) or `equi-height`
 *   (`buckets: [[lower, upper, cumulative frequency, distinct], …]`), `null-values`,
 *   and strings written as `base64:type254:…`.
 *
 * Interpolated bounds are produced only for numeric and date/time columns; the
 * core privacy policy decides what a profile keeps.
 *
 * @example
 * ```ts
 * const raw = mariadbColumnStats(row, column, 20_000);
 * const mysql8 = mysqlHistogramStats(JSON.parse(histogramJson), column);
 * ```
 */
import type { Column, RawColumnStats } from '@understudy/core';

const NUMERIC = new Set(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint', 'decimal', 'real', 'double', 'year']);
const TEMPORAL = new Set(['date', 'timestamp', 'timestamptz']);

/** A row of `mysql.column_stats` (binary columns arrive as Buffers). */
export interface MariadbColumnStatsRow {
  readonly min_value: unknown;
  readonly max_value: unknown;
  readonly nulls_ratio: unknown;
  readonly avg_length: unknown;
  readonly avg_frequency: unknown;
  readonly hist_type: unknown;
  readonly histogram: unknown;
}

function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** A min/max/start value as a number on the column's scale (epoch ms for dates), or undefined. */
function scalar(value: string | undefined, kind: Column['kind']): number | undefined {
  if (value === undefined) return undefined;
  if (NUMERIC.has(kind)) return num(value) ?? undefined;
  if (TEMPORAL.has(kind)) {
    const ms = Date.parse(`${value.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'}`);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

function render(n: number, kind: Column['kind']): number | string {
  if (TEMPORAL.has(kind)) {
    const iso = new Date(Math.round(n)).toISOString();
    return kind === 'date' ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  return kind === 'decimal' || kind === 'real' || kind === 'double' ? Number(n.toPrecision(10)) : Math.round(n);
}

/** Bucket ends of a positional histogram, as fractions 0…1. */
function positionalFractions(type: string, histogram: Buffer): number[] {
  if (type === 'SINGLE_PREC_HB') return [...histogram].map((b) => b / 0xff);
  const out: number[] = [];
  for (let i = 0; i + 1 < histogram.length; i += 2) out.push(histogram.readUInt16LE(i) / 0xffff);
  return out;
}

function histogramBounds(row: MariadbColumnStatsRow, kind: Column['kind']): Array<number | string> | undefined {
  const min = scalar(text(row.min_value), kind);
  const max = scalar(text(row.max_value), kind);
  if (min === undefined || max === undefined) return undefined;
  const type = text(row.hist_type) ?? '';
  const blob = row.histogram;
  let points: number[] = [];
  if (Buffer.isBuffer(blob) && blob.length > 0 && type !== 'JSON_HB') points = positionalFractions(type, blob).map((f) => min + f * (max - min));
  const all = [min, ...points, max].sort((a, b) => a - b);
  const bounds: Array<number | string> = [];
  for (const n of all) {
    const value = render(n, kind);
    if (bounds[bounds.length - 1] !== value) bounds.push(value);
  }
  return bounds;
}

interface JsonHbBucket {
  readonly start?: string;
  readonly end?: string;
  readonly size?: number;
  readonly ndv?: number;
}

/**
 * A JSON_HB histogram of a number or date column, keeping what MariaDB measured: each
 * bucket runs from its `start` to the next bucket's (the last to its `end`) and holds
 * `size` of the non-null rows. A single-value bucket (`ndv: 1`) is a frequent value
 * (a point, with its size as frequency), and its span becomes an empty bucket; the other
 * buckets keep their sizes (MariaDB's buckets are not of equal height once a value is
 * popular). Undefined when the JSON has no readable bucket.
 * @example
 * ```ts
 * jsonHbStats('{"histogram_hb":[{"start":"0.99","size":0.95,"ndv":1},{"start":"1.99","end":"1.99","size":0.05,"ndv":1}]}', decimalColumn, 0);
 * // { mostCommon: { values: [0.99, 1.99], frequencies: [0.95, 0.05] } }
 * ```
 */
export function jsonHbStats(
  json: string,
  kind: Column['kind'],
  nulls: number,
): { mostCommon?: { values: Array<number | string>; frequencies: number[] }; histogramBounds?: Array<number | string>; histogramSizes?: number[] } | undefined {
  let parsed: { histogram_hb?: JsonHbBucket[] };
  try {
    parsed = JSON.parse(json) as { histogram_hb?: JsonHbBucket[] };
  } catch {
    return undefined;
  }
  const buckets = (parsed.histogram_hb ?? []).filter((b) => typeof b.start === 'string' && typeof b.size === 'number');
  const starts = buckets.map((b) => scalar(b.start, kind));
  const last = buckets[buckets.length - 1];
  const end = last ? scalar(last.end ?? last.start, kind) : undefined;
  if (buckets.length === 0 || end === undefined || starts.some((x) => x === undefined)) return undefined;
  const values: Array<number | string> = [];
  const frequencies: number[] = [];
  // Buckets as [low, high, size]; a single-value bucket is a point (a frequent value).
  const spans: Array<[number, number, number]> = [];
  const xs = starts as number[];
  buckets.forEach((b, i) => {
    if (b.ndv === 1) {
      values.push(render(xs[i]!, kind));
      frequencies.push(Number((b.size! * (1 - nulls)).toPrecision(6)));
      return;
    }
    let high = i + 1 < buckets.length ? xs[i + 1]! : end;
    // A bucket followed by a popular value ends somewhere before it (to_date's last dates before
    // 9999-01-01): take the previous bucket's width rather than stretch it to the popular value.
    if (i + 1 < buckets.length && buckets[i + 1]!.ndv === 1 && i > 0 && buckets[i - 1]!.ndv !== 1) high = Math.min(high, xs[i]! + (xs[i]! - xs[i - 1]!));
    spans.push([xs[i]!, high, b.size!]);
  });
  // Bounds as the column writes them, gaps between spans as empty buckets; buckets that collapse to one bound merge.
  const bounds: Array<number | string> = [];
  const merged: number[] = [];
  const push = (x: number, size: number): void => {
    const value = render(x, kind);
    if (bounds.length === 0) return void bounds.push(value);
    if (bounds[bounds.length - 1] === value) {
      if (merged.length > 0) merged[merged.length - 1]! += size;
      return;
    }
    bounds.push(value);
    merged.push(size);
  };
  for (const [low, high, size] of spans) {
    push(low, 0);
    push(high, size);
  }
  const spread = merged.reduce((a, b) => a + b, 0);
  return {
    ...(values.length > 0 ? { mostCommon: { values, frequencies } } : {}),
    ...(bounds.length >= 2 && spread > 0 ? { histogramBounds: bounds, histogramSizes: merged.map((x) => Number((x / spread).toPrecision(6))) } : {}),
  };
}

/**
 * A JSON_HB histogram's single-value buckets (`ndv: 1`) are MariaDB's frequent values;
 * `size` is a fraction of the non-null rows.
 */
function popularValues(json: string | undefined, nulls: number): { values: string[]; frequencies: number[] } | undefined {
  if (!json) return undefined;
  const parsed = JSON.parse(json) as { histogram_hb?: Array<{ start?: string; size?: number; ndv?: number }> };
  const single = (parsed.histogram_hb ?? []).filter((b) => b.ndv === 1 && typeof b.start === 'string' && typeof b.size === 'number');
  return {
    values: single.map((b) => b.start!),
    frequencies: single.map((b) => Number((b.size! * (1 - nulls)).toPrecision(6))),
  };
}

/**
 * One `mysql.column_stats` row as raw statistics. `rows` is the table's row count
 * (avg_frequency is rows per distinct non-null value).
 * @example
 * ```ts
 * mariadbColumnStats({ nulls_ratio: '0.3', avg_frequency: '7000', … }, statusColumn, 20_000).distinctCount; // 2
 * ```
 */
export function mariadbColumnStats(row: MariadbColumnStatsRow, column: Pick<Column, 'kind'>, rows: number | null): RawColumnStats {
  const nulls = num(row.nulls_ratio);
  const frequency = num(row.avg_frequency);
  const distinct = rows !== null && frequency !== null && frequency > 0 ? Math.round((rows * (1 - (nulls ?? 0))) / frequency) : null;
  const ordered = NUMERIC.has(column.kind) || TEMPORAL.has(column.kind);
  const json = text(row.hist_type) === 'JSON_HB' ? text(row.histogram) : undefined;
  if (ordered && json) {
    const hb = jsonHbStats(json, column.kind, nulls ?? 0);
    return { nullFraction: nulls, distinctCount: distinct, avgWidth: num(row.avg_length), ...(hb ?? {}) };
  }
  const bounds = ordered ? histogramBounds(row, column.kind) : undefined;
  const popular = !ordered && json ? popularValues(json, nulls ?? 0) : undefined;
  return {
    nullFraction: nulls,
    distinctCount: distinct,
    avgWidth: num(row.avg_length),
    ...(bounds ? { histogramBounds: bounds } : {}),
    ...(popular && popular.values.length > 0 ? { mostCommon: popular } : {}),
  };
}

/** MySQL writes string histogram values as `base64:type254:YWN0aXZl`. */
function mysqlValue(value: unknown, column: Pick<Column, 'values'>, dataType: string): unknown {
  if (typeof value === 'string') {
    const m = /^base64:type\d+:(.*)$/s.exec(value);
    return m ? Buffer.from(m[1]!, 'base64').toString('utf8') : value;
  }
  if (typeof value === 'number' && dataType === 'enum' && column.values) return column.values[value - 1] ?? value;
  return value;
}

/** The JSON in `information_schema.COLUMN_STATISTICS.HISTOGRAM` (MySQL 8). */
export interface MysqlHistogram {
  readonly buckets?: unknown[][];
  readonly 'histogram-type'?: string;
  readonly 'null-values'?: number;
  readonly 'data-type'?: string;
}

/**
 * A MySQL 8 histogram as raw statistics: a singleton histogram gives the frequent
 * values (frequencies are differences of cumulative frequencies), an equi-height one
 * gives bounds.
 * @example
 * ```ts
 * mysqlHistogramStats({ 'histogram-type': 'singleton', buckets: [['base64:type254:YQ==', 0.6], ['base64:type254:Yg==', 1]] }, col);
 * // { mostCommon: { values: ['a', 'b'], frequencies: [0.6, 0.4] }, distinctCount: 2, … }
 * ```
 */
export function mysqlHistogramStats(histogram: MysqlHistogram, column: Pick<Column, 'values'>): RawColumnStats {
  const buckets = histogram.buckets ?? [];
  const dataType = histogram['data-type'] ?? '';
  const nullFraction = typeof histogram['null-values'] === 'number' ? histogram['null-values'] : null;
  if (histogram['histogram-type'] === 'singleton') {
    let previous = 0;
    const values: unknown[] = [];
    const frequencies: number[] = [];
    // Cumulative frequencies end at 1 − null-values (fractions of all rows); should a version end at 1
    // (fractions of non-null rows), scale them so that frequencies are always fractions of all rows.
    const last = Number(buckets[buckets.length - 1]?.[1] ?? 1);
    const scale = last > 0 ? (1 - (nullFraction ?? 0)) / last : 1;
    for (const bucket of buckets) {
      const cumulative = Number(bucket[1]);
      values.push(mysqlValue(bucket[0], column, dataType));
      frequencies.push(Number(((cumulative - previous) * scale).toPrecision(6)));
      previous = cumulative;
    }
    return { nullFraction, distinctCount: buckets.length, mostCommon: { values, frequencies } };
  }
  const bounds: unknown[] = [];
  let distinct = 0;
  buckets.forEach((bucket, i) => {
    if (i === 0) bounds.push(mysqlValue(bucket[0], column, dataType));
    bounds.push(mysqlValue(bucket[1], column, dataType));
    distinct += Number(bucket[3] ?? 0);
  });
  return { nullFraction, distinctCount: distinct > 0 ? distinct : null, histogramBounds: bounds };
}
