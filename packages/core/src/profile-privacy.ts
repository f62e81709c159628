/**
 * The privacy policy of profiles: one pure function turns a column's raw engine
 * statistics into what a profile may keep, so every dialect obeys the same rules.
 *
 * - A column that looks personal by name (email, phone, first_name, address, token,
 *   password, ip, birth_date, notes, …) or by type (unbounded or long text, json,
 *   binary, inet, …) keeps only the shape of its distribution: null rate, distinct
 *   ratio, widths, lengths. Never a value, never a histogram bound.
 * - Any other column keeps the frequent values that occur in at least `k` rows:
 *   numbers, dates, booleans and enums at any cardinality (`to_date = '9999-01-01'`
 *   in 73% of a column of thousands of dates: such a value says no more than a
 *   histogram bound does), text only when low-cardinality (≤ 100 distinct values or
 *   ≤ 1 % of rows: a lone repeated code among many distinct ones may be an identifier);
 *   histogram bounds only for numeric, date/time, boolean and enum kinds, with
 *   every bucket holding at least `k` rows: when the engine's buckets are smaller
 *   (a small table), adjacent buckets are merged into a coarser histogram whose
 *   buckets each hold ≥ k rows (`sizes` then says each bucket's share).
 * - Whatever its name, a column whose frequent values or histogram bounds the value
 *   detectors find personal (e-mails, phones, people's names, companies, customer codes,
 *   card numbers, national ids, …; see profile-value-screen.ts) keeps only its shape, and
 *   so does a column in a foreign key to a table of people.
 *
 * @example
 * ```ts
 * const column = applyPrivacyPolicy({ table, column, rowEstimate: 20_000, k: 10, stats, dictionaries: await loadPiiDictionaries() });
 * column.kept; // ['nulls', 'distinct', 'mostCommon', 'width']
 * column.reason; // 'low-cardinality (4 distinct); 1 value below k=10 dropped'
 * ```
 */
import { detectFromSchema } from './pii/column-name-detector.js';
import type { PiiDictionaries } from './pii/dictionaries.js';
import type { PiiKind } from './pii/pii-kind.js';
import type { LengthBucket, ProfileColumn, ProfileStat, ProfileValue } from './profile-model.js';
import { screenProfileValues } from './profile-value-screen.js';
import type { Column, ColumnKind, Table } from './schema-model.js';

/** Raw statistics as a dialect reads them, before the policy. */
export interface RawColumnStats {
  readonly nullFraction?: number | null;
  /** Absolute distinct count, when the engine gives one. */
  readonly distinctCount?: number | null;
  /** Distinct ÷ rows, when the engine gives a ratio (PostgreSQL `n_distinct < 0`, negated). */
  readonly distinctRatio?: number | null;
  readonly mostCommon?: { readonly values: readonly unknown[]; readonly frequencies: readonly number[] };
  readonly histogramBounds?: readonly unknown[];
  /** Share of the histogram's rows in each bucket (bounds.length − 1 entries); absent: equi-depth. */
  readonly histogramSizes?: readonly number[];
  readonly avgWidth?: number | null;
  readonly correlation?: number | null;
  readonly lengths?: readonly LengthBucket[];
}

export interface PrivacyInput {
  readonly table: Pick<Table, 'name'>;
  readonly column: Pick<Column, 'name' | 'kind' | 'length' | 'arrayDimensions'>;
  readonly rowEstimate: number | null;
  readonly stats: RawColumnStats;
  /** Minimum rows a frequent value must occur in (default 10). */
  readonly k?: number;
  /** See `ProfileOptions.copyScale`: the low-cardinality ratio is divided by it (at most 1). */
  readonly copyScale?: number;
  /** See `ProfileOptions.unscreened`: the values skip the value detectors. */
  readonly unscreened?: boolean;
  /** The dictionaries the value detectors match names against (`await loadPiiDictionaries()`). */
  readonly dictionaries: PiiDictionaries;
  /** The column is in a foreign key to this table, which holds people: keep its shape only. */
  readonly referencesPersonalTable?: string;
}

/** Frequent values are kept only at or below this many distinct values… */
export const LOW_CARDINALITY_COUNT = 100;
/** …or at or below this ratio of distinct values to rows. */
export const LOW_CARDINALITY_RATIO = 0.01;
/** Text columns declared longer than this are treated as free text. */
export const FREE_TEXT_LENGTH = 64;
export const DEFAULT_K = 10;

const TYPE_PERSONAL: Partial<Record<ColumnKind, string>> = {
  text: 'unbounded text (free text)',
  citext: 'unbounded text (free text)',
  json: 'json',
  jsonb: 'json',
  xml: 'xml',
  hstore: 'hstore',
  binary: 'binary',
  varbinary: 'binary',
  blob: 'binary',
  inet: 'network address',
  cidr: 'network address',
  macaddr: 'hardware address',
  macaddr8: 'hardware address',
  tsvector: 'text search document',
  spatial: 'location',
  geometric: 'geometry',
  uuid: 'identifier (uuid)',
  other: 'unknown type',
  vector: 'embedding',
};
const HISTOGRAM_KINDS = new Set<ColumnKind>([
  'tinyint',
  'smallint',
  'mediumint',
  'integer',
  'bigint',
  'decimal',
  'real',
  'double',
  'money',
  'boolean',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
  'year',
  'enum',
]);

/**
 * Whether a column looks personal by its name or type, and why (the name detectors of
 * `pii/column-name-detector.ts`, plus the types whose values a profile never keeps).
 * @example
 * ```ts
 * classifyColumn({ name: 'users' }, { name: 'name', kind: 'varchar', length: 50, arrayDimensions: 0 });
 * // { personal: true, reason: 'a "name" column in people-like table "users"', kinds: ['person-name'] }
 * ```
 */
export function classifyColumn(
  table: Pick<Table, 'name'>,
  column: Pick<Column, 'name' | 'kind' | 'length' | 'arrayDimensions'>,
): { personal: boolean; reason: string; freeText?: boolean; kinds?: PiiKind[] } {
  const named = detectFromSchema(table, { name: column.name, kind: column.kind }).filter((d) => d.source === 'name');
  const hit = named[0];
  if (hit) {
    const kinds = [...new Set(named.map((d) => d.kind))];
    const reason =
      hit.detector === 'name-fragment'
        ? `personal name fragment "${hit.token}"`
        : hit.detector === 'person-name-qualifier'
          ? `a person's name ("${hit.token!.split(' ')[0]}" + "name")`
          : hit.detector === 'people-table-name'
            ? column.name === 'name'
              ? `a "name" column in people-like table "${table.name}"`
              : `a person's name ("${hit.token}")`
            : `personal name token "${hit.token}"`;
    return { personal: true, reason, kinds };
  }
  const typeReason = TYPE_PERSONAL[column.kind];
  if (typeReason) {
    return { personal: true, reason: `type: ${typeReason}`, ...(column.kind === 'text' || column.kind === 'citext' ? { freeText: true } : {}) };
  }
  if ((column.kind === 'varchar' || column.kind === 'char') && (column.length === undefined || column.length > FREE_TEXT_LENGTH)) {
    return { personal: true, reason: `type: ${column.kind}(${column.length ?? 'unbounded'}) longer than ${FREE_TEXT_LENGTH} (free text)`, freeText: true };
  }
  if (column.arrayDimensions > 0) return { personal: true, reason: 'array column (values not profiled)' };
  return { personal: false, reason: 'not personal by name or type' };
}

/** A raw statistic value as JSON: dates as ISO strings, big numbers as text, binary refused. */
export function toProfileValue(value: unknown): ProfileValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return undefined;
}

/** Rows a histogram describes: the non-null rows outside the most common values (0 without an estimate). */
function histogramRows(rows: number | null, nullFraction: number | undefined, mcv: RawColumnStats['mostCommon']): number {
  if (rows === null) return 0;
  const common = mcv ? mcv.frequencies.reduce((sum, f) => sum + f, 0) : 0;
  return rows * Math.max(0, 1 - (nullFraction ?? 0) - common);
}

function finite(n: number | null | undefined): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/**
 * A histogram whose every bucket holds at least `k` of its `rows`: the engine's own
 * when it already does, else adjacent buckets merged (left to right; a short last
 * group joins the one before) into fewer, coarser buckets, with `sizes` giving each
 * merged bucket's share. Undefined when even one bucket of all rows holds fewer than k.
 * Zero-size buckets (MariaDB's gaps around a frequent value) cost nothing and are kept.
 * @example
 * ```ts
 * kAnonymousHistogram([0, 1, 2, 3, 4], undefined, 40, 20); // { bounds: [0, 2, 4], merged: true } (two buckets of 20)
 * ```
 */
export function kAnonymousHistogram(
  bounds: readonly ProfileValue[],
  sizes: readonly number[] | undefined,
  rows: number,
  k: number,
): { bounds: ProfileValue[]; sizes?: number[]; merged: boolean } | undefined {
  const buckets = bounds.length - 1;
  if (buckets < 1) return undefined;
  const given = sizes && sizes.length === buckets && sizes.every((x) => Number.isFinite(x) && x >= 0) ? sizes : undefined;
  const total = given ? given.reduce((a, b) => a + b, 0) : buckets;
  if (total <= 0) return undefined;
  const shares = given ? given.map((x) => x / total) : new Array<number>(buckets).fill(1 / buckets);
  const fine = shares.every((x) => x === 0 || x * rows >= k);
  if (fine) return given ? { bounds: [...bounds], sizes: shares.map((x) => Number(x.toPrecision(6))), merged: false } : { bounds: [...bounds], merged: false };
  if (rows < k) return undefined;
  // Close a group as soon as it holds k rows.
  const ends: number[] = [];
  const groupShares: number[] = [];
  let acc = 0;
  for (let i = 0; i < buckets; i++) {
    acc += shares[i]!;
    if (acc * rows >= k - 1e-9) {
      ends.push(i + 1);
      groupShares.push(acc);
      acc = 0;
    }
  }
  if (acc > 0 || ends[ends.length - 1] !== buckets) {
    if (ends.length === 0) return undefined;
    ends[ends.length - 1] = buckets;
    groupShares[groupShares.length - 1]! += acc;
  }
  const out: ProfileValue[] = [bounds[0]!, ...ends.map((e) => bounds[e]!)];
  const equal = groupShares.every((x) => Math.abs(x - groupShares[0]!) < 1e-9);
  return equal ? { bounds: out, merged: true } : { bounds: out, sizes: groupShares.map((x) => Number(x.toPrecision(6))), merged: true };
}

/**
 * Applies the policy to one column's raw statistics.
 * @example
 * ```ts
 * applyPrivacyPolicy({ table: { name: 'users' }, column: emailColumn, rowEstimate: 1000, stats }).mostCommon; // undefined
 * ```
 */
export function applyPrivacyPolicy(input: PrivacyInput): ProfileColumn {
  const { stats, rowEstimate } = input;
  const k = input.k ?? DEFAULT_K;
  const rows = rowEstimate !== null && rowEstimate > 0 ? rowEstimate : null;
  const kept: ProfileStat[] = [];
  const dropped: ProfileStat[] = [];
  const reasons: string[] = [];
  const classified = classifyColumn(input.table, input.column);

  const nullFraction = finite(stats.nullFraction);
  let distinctCount = finite(stats.distinctCount) ?? null;
  let distinctRatio = finite(stats.distinctRatio) ?? null;
  const distinctBasis = distinctCount !== null ? 'count' : distinctRatio !== null ? 'ratio' : undefined;
  if (distinctCount === null && distinctRatio !== null && rows !== null) distinctCount = Math.round(distinctRatio * rows);
  if (distinctRatio === null && distinctCount !== null && rows !== null) distinctRatio = Math.min(1, distinctCount / rows);
  if (distinctRatio !== null) distinctRatio = Number(distinctRatio.toPrecision(6));
  const copyScale = input.copyScale !== undefined && input.copyScale > 0 && input.copyScale < 1 ? input.copyScale : 1;
  const lowCardinality = (distinctCount !== null && distinctCount <= LOW_CARDINALITY_COUNT) || (distinctRatio !== null && distinctRatio <= LOW_CARDINALITY_RATIO / copyScale);
  // A column personal only by its free-text type (`status text`), never by its name, holding few distinct
  // values is categorical: it may keep frequent values, still subject to k and the value detectors below.
  const categorical = classified.personal && classified.freeText === true && lowCardinality && rows !== null;
  // The values the engine holds go through the value detectors, whatever the column is called.
  const mcv = stats.mostCommon;
  const bounds = stats.histogramBounds;
  const candidates = [...(mcv?.values ?? []), ...(bounds ?? [])].map(toProfileValue).filter((v): v is ProfileValue => v !== undefined);
  const screen = (classified.personal && !categorical) || input.unscreened ? undefined : screenProfileValues(candidates, input.column.kind, input.dictionaries);
  const byContent = screen !== undefined && screen.kinds.length > 0;
  const byReference = input.referencesPersonalTable !== undefined;
  const personal = (classified.personal && !categorical) || byContent || byReference;
  reasons.push(
    byContent
      ? `personal by content: ${screen!.reason}: shape only`
      : byReference
        ? `references personal table "${input.referencesPersonalTable}": shape only`
        : categorical
          ? `${classified.reason}, but few distinct values: treated as categorical`
          : personal
            ? `personal (${classified.reason}): shape only`
            : classified.reason,
  );
  const column: ProfileColumn = {
    nullFraction: nullFraction ?? null,
    distinctCount,
    distinctRatio,
    personal,
    kept,
    dropped,
    reason: '',
  };
  if (distinctBasis) column.distinctBasis = distinctBasis;
  if (screen && screen.detections.length > 0) column.detected = screen.detections;
  if (nullFraction !== undefined) kept.push('nulls');
  if (distinctCount !== null || distinctRatio !== null) kept.push('distinct');

  if (mcv && mcv.values.length > 0) {
    if (personal) dropped.push('mostCommon');
    else if (rows === null) {
      dropped.push('mostCommon');
      reasons.push('frequent values dropped: no row estimate to check k against');
    } else if (!lowCardinality && !HISTOGRAM_KINDS.has(input.column.kind)) {
      // Numbers and dates keep theirs at any cardinality (they say no more than histogram bounds do);
      // a lone repeated text value among many distinct ones may be an identifier or a code.
      dropped.push('mostCommon');
      reasons.push(`frequent values dropped: text not low-cardinality (${distinctCount ?? '?'} distinct, ratio ${distinctRatio?.toFixed(4) ?? '?'})`);
    } else {
      const values: ProfileValue[] = [];
      const frequencies: number[] = [];
      let belowK = 0;
      mcv.values.forEach((raw, i) => {
        const frequency = mcv.frequencies[i];
        const value = toProfileValue(raw);
        if (frequency === undefined || value === undefined) return;
        if (frequency * rows < k) return void belowK++;
        values.push(value);
        frequencies.push(frequency);
      });
      if (values.length > 0) {
        const order = values.map((_, i) => i).sort((a, b) => frequencies[b]! - frequencies[a]!);
        column.mostCommon = { values: order.map((i) => values[i]!), frequencies: order.map((i) => frequencies[i]!) };
        kept.push('mostCommon');
        reasons.push(`${lowCardinality ? 'low-cardinality' : 'frequent values of'} (${distinctCount ?? '?'} distinct)${belowK > 0 ? `; ${belowK} value(s) below k=${k} dropped` : ''}`);
      } else {
        dropped.push('mostCommon');
        reasons.push(`frequent values dropped: every value below k=${k}`);
      }
    }
  }

  if (bounds && bounds.length > 0) {
    if (personal) dropped.push('histogram');
    else if (!HISTOGRAM_KINDS.has(input.column.kind)) {
      dropped.push('histogram');
      reasons.push(`histogram dropped: ${input.column.kind} is not a numeric, date/time, boolean or enum kind`);
    } else if (rows === null) {
      dropped.push('histogram');
      reasons.push('histogram dropped: no row estimate to check k against');
    } else {
      const values = bounds.map(toProfileValue);
      if (values.some((v) => v === undefined)) {
        dropped.push('histogram');
        reasons.push('histogram dropped: a bound is unreadable');
      } else {
        const coarse = kAnonymousHistogram(values as ProfileValue[], stats.histogramSizes, histogramRows(rows, nullFraction, mcv), k);
        if (!coarse) {
          dropped.push('histogram');
          reasons.push(`histogram dropped: its rows (${Math.round(histogramRows(rows, nullFraction, mcv))}) fill no bucket of k=${k}`);
        } else {
          column.histogram = coarse.sizes ? { bounds: coarse.bounds, sizes: coarse.sizes } : { bounds: coarse.bounds };
          if (coarse.merged) reasons.push(`histogram coarsened to ${coarse.bounds.length - 1} bucket(s) of ≥ k=${k} rows`);
          kept.push('histogram');
        }
      }
    }
  }

  const avgWidth = finite(stats.avgWidth);
  if (avgWidth !== undefined) ((column.avgWidth = avgWidth), kept.push('width'));
  const correlation = finite(stats.correlation);
  if (correlation !== undefined) ((column.correlation = correlation), kept.push('correlation'));
  if (stats.lengths && stats.lengths.length > 0) ((column.lengths = [...stats.lengths]), kept.push('lengths'));
  column.reason = reasons.join('; ');
  return column;
}
