/**
 * Planning to a profile: which profile table stands for which schema table, how
 * many rows each gets (scale × the profile's row estimate), and, per column and
 * foreign key, a generator or pick that follows production's statistics.
 *
 * The profile only shapes what is free: a config generator, a key (unique by
 * construction), a foreign key's parent key, a CHECK ordering or regex, and a
 * partition window all stay as planned; a CHECK value list or enum keeps only the
 * frequent values it allows; numbers and dates stay inside the type's range and
 * the CHECK bounds. Personal columns keep their semantic generator and take only
 * the NULL rate and distinct count.
 *
 * @example
 * ```ts
 * const matched = matchProfileTables(schema, profile, plan.loadOrder);
 * const column = profileColumn(planned, { profile: matched.get('public.orders')!.table.columns['status']!, … });
 * column.reason; // 'profile: 4 frequent values; ~6 distinct'
 * ```
 */
import { thinFanout, type Profile, type ProfileColumn, type ProfileTable, type Schema, type Table, type DialectName } from '@understudy/core';
import { formatUnits, toUnits } from '../generators/numbers.js';
import { formatDate, formatTimestamp } from '../generators/time-format.js';
import { emptyRules, type ColumnRules } from './column-rules.js';
import type { ColumnShape } from './column-shape.js';
import type { ColumnRole } from './key-planner.js';
import { hardNumberRange, hardTimeRange, isIntegerKind, isTextKind } from './concrete-generator.js';
import type { PlanColumn, PlanPick } from './plan-model.js';
import { scaleRows, type ScaledRows } from './scaled-rows.js';
import { axisBounds, axisValue, bucketCapacities, bucketRange, scaledDistinct, slotsForDistinct, type OrderedType } from './profile-distributions.js';

/** Generators the profile never replaces: keys, references, orderings, regexes, JSON. */
const KEPT_GENERATORS = new Set(['sequence', 'reference', 'tuple', 'after', 'regex', 'json', 'distribution']);
/** Of those, the ones that still take the profile's NULL rate (a CHECK ordering or regex decides only the value). */
const NULL_RATE_ONLY = new Set(['after', 'regex', 'json']);
/** Text generators whose shape is free, so the profile's text lengths may bend them. */
const FREE_TEXT = new Set(['words', 'sentences', 'letters', 'city']);
/** faker modules whose text may be cut or extended and still read as such (names, places, companies, prose). */
const FREE_FAKER = /^(person|location|company|lorem|commerce|word|hacker|music|animal|vehicle|food)\./;

function freeText(spec: { name: string; params: Record<string, unknown> }): boolean {
  return FREE_TEXT.has(spec.name) || (spec.name === 'faker' && FREE_FAKER.test(String(spec.params['method'] ?? '')));
}
/** A share of rows below this is too small to shape (frequent values cover the column). */
const MIN_OTHER_SHARE = 1e-4;
/** |correlation| above this: values follow the row order. */
export const MONOTONIC_CORRELATION = 0.9;

export interface MatchedProfileTable {
  /** The profile's key for the table (its schema part may differ, e.g. another MySQL database). */
  readonly key: string;
  readonly table: ProfileTable;
}

function nameOf(key: string): string {
  const dot = key.lastIndexOf('.');
  return dot < 0 ? key : key.slice(dot + 1);
}

/**
 * Pairs each loadable schema table with its profile table: by key, else by table
 * name when exactly one profile table has it (a copy in another database or schema).
 *
 * @example
 * ```ts
 * matchProfileTables(schema, profile, ['shop.orders']).get('shop.orders')?.key; // 'prod.orders'
 * ```
 */
export function matchProfileTables(schema: Schema, profile: Profile, loadable: readonly string[]): Map<string, MatchedProfileTable> {
  const out = new Map<string, MatchedProfileTable>();
  const keys = Object.keys(profile.tables);
  for (const key of loadable) {
    let found = profile.tables[key] ? key : undefined;
    if (found === undefined) {
      const name = schema.tables[key]?.name ?? nameOf(key);
      const byName = keys.filter((k) => nameOf(k) === name);
      const ci = byName.length === 0 ? keys.filter((k) => nameOf(k).toLowerCase() === name.toLowerCase()) : byName;
      if (ci.length === 1) found = ci[0];
    }
    if (found !== undefined) out.set(key, { key: found, table: profile.tables[found]! });
  }
  return out;
}

/**
 * Row counts from the profile: scale × row estimate for each matched table with an
 * estimate, with small, lookup and needed parent tables kept larger below scale 1
 * (see scaled-rows.ts); tables the caller sized explicitly are left out.
 *
 * @example
 * ```ts
 * profileRowCounts(schema, matched, 0.1).rows; // Map { 'public.orders' => 5000, 'public.staff' => 2, … }
 * ```
 */
export function profileRowCounts(schema: Schema, matched: ReadonlyMap<string, MatchedProfileTable>, scale: number): ScaledRows {
  const estimates = new Map<string, number>();
  for (const [key, m] of matched) if (m.table.rowEstimate !== null && m.table.rowEstimate >= 0) estimates.set(key, m.table.rowEstimate);
  return scaleRows(schema, estimates, scale);
}

/**
 * A profile column by name (exact, else case-insensitive).
 *
 * @example
 * ```ts
 * profileColumnNamed(profileTable, 'Status'); // the 'status' column's statistics
 * ```
 */
export function profileColumnNamed(table: ProfileTable, name: string): ProfileColumn | undefined {
  if (table.columns[name]) return table.columns[name];
  const lower = name.toLowerCase();
  const match = Object.keys(table.columns).filter((k) => k.toLowerCase() === lower);
  return match.length === 1 ? table.columns[match[0]!] : undefined;
}

export interface ProfileColumnInput {
  readonly profile: ProfileColumn;
  readonly shape: ColumnShape;
  readonly rules: ColumnRules;
  readonly rows: number;
  /** Epoch seconds. */
  readonly now: number;
  readonly dialect: DialectName;
  /** NULL is allowed (nullable, not a key, no CHECK … IS NOT NULL). */
  readonly nullable: boolean;
  /** The source table's rows (the profile's row estimate): the copy is sized as a sample of them. */
  readonly sourceRows?: number | null;
  /** A NULL rate from the config: it wins over the profile's. */
  readonly configNullRate?: number;
}

type Scalar = string | number | boolean;

interface Axis {
  readonly type: OrderedType;
  readonly min: number;
  readonly max: number;
  readonly scale?: number;
  readonly withZone?: boolean;
}

/**
 * Fractional-second digits of generated timestamps: the generator's own when it has some, else
 * as many as production's values show (histogram bounds, frequent values), at most what the
 * column holds (6 when its type does not say).
 */
function fractionDigits(own: unknown, input: ProfileColumnInput): number {
  if (typeof own === 'number' && own > 0) return own;
  const values = [...(input.profile.histogram?.bounds ?? []), ...(input.profile.mostCommon?.values ?? [])];
  let seen = 0;
  for (const v of values) {
    const m = typeof v === 'string' ? /:\d{2}\.(\d+)/.exec(v) : null;
    if (m) seen = Math.max(seen, m[1]!.replace(/0+$/, '').length);
  }
  return Math.min(seen, input.shape.fractionalSeconds ?? 6, 6);
}

/** The axis an ordered generator draws on, with its hard range; undefined for other generators. */
function axisOf(column: PlanColumn, input: ProfileColumnInput): Axis | undefined {
  const spec = column.generator!;
  const p = spec.params;
  if (p['windows'] !== undefined) return undefined;
  switch (spec.name) {
    case 'integer': {
      const r = hardNumberRange(input.shape, input.rules);
      return { type: 'integer', min: r.min, max: r.max };
    }
    case 'decimal': {
      const scale = Math.min(15, Number(p['scale'] ?? 2));
      const r = hardNumberRange(input.shape, input.rules, scale);
      return { type: 'decimal', min: r.min, max: r.max, scale };
    }
    case 'float': {
      const digits = Number(p['digits'] ?? (p['single'] === true ? 4 : 6));
      const r = hardNumberRange(input.shape, input.rules, digits);
      return { type: 'float', min: r.min, max: r.max, scale: digits };
    }
    case 'date': {
      const r = hardTimeRange(input.shape, input.rules, input);
      return { type: 'date', min: r.min, max: r.max };
    }
    case 'timestamp': {
      const r = hardTimeRange(input.shape, input.rules, input);
      return { type: 'timestamp', min: r.min, max: r.max + 0.999999, scale: fractionDigits(p['fractionalSeconds'], input), withZone: p['withZone'] === true };
    }
    default:
      return undefined;
  }
}

/** A frequent value as the column writes it, or undefined when the column cannot hold it. */
function commonValue(value: unknown, column: PlanColumn, axis: Axis | undefined, allowed: readonly Scalar[] | undefined, maxLength: number | undefined): Scalar | undefined {
  if (value === null || value === undefined) return undefined;
  if (allowed) return allowed.find((a) => String(a) === String(value));
  if (axis) {
    const x = axisValue(value as string | number, axis.type);
    if (x === undefined || x < axis.min || x > axis.max) return undefined;
    switch (axis.type) {
      case 'integer':
        return Number.isInteger(x) ? x : undefined;
      case 'decimal':
        return formatUnits(toUnits(x, axis.scale ?? 2, 'down'), axis.scale ?? 2);
      case 'float':
        return x;
      case 'date':
        return formatDate(Math.floor(x));
      case 'timestamp': {
        const s = Math.floor(x);
        const digits = axis.scale ?? 0;
        return formatTimestamp(s, digits === 0 ? 0 : Math.round((x - s) * 1e6), digits, axis.withZone === true);
      }
    }
  }
  if (column.generator?.name === 'boolean' || column.kind === 'boolean') {
    if (typeof value === 'boolean') return value;
    const t = String(value).toLowerCase();
    return t === 't' || t === 'true' || t === '1' ? true : t === 'f' || t === 'false' || t === '0' ? false : undefined;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = String(value);
  if (maxLength !== undefined && [...text].length > maxLength) return undefined;
  return text;
}

/** Rows per length bucket, summing to `rows` (largest remainders). */
function rowsPerBucket(shares: readonly number[], rows: number): number[] {
  const total = shares.reduce((a, b) => a + b, 0);
  const exact = shares.map((x) => (x / total) * rows);
  const out = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let left = rows - out.reduce((a, b) => a + b, 0), j = 0; left > 0; left--, j++) out[order[j % order.length]![1]]! += 1;
  return out;
}

/**
 * A unique text key (a primary key `code text`, `playerID`) with free values: codes whose lengths
 * follow production's length buckets, each length permuted in its own space (upper-case letters,
 * or letters and digits where the letters are too few), instead of a word with a unique suffix
 * whose length has nothing to do with production's. Foreign keys copy these values, so the
 * referencing columns follow too. Undefined when the column is not such a key, the profile has
 * no lengths, or a bucket's lengths cannot hold its rows.
 */
function uniqueCodeByLength(column: PlanColumn, input: ProfileColumnInput): PlanColumn | undefined {
  const spec = column.generator;
  const rules = input.rules;
  if (!column.load || spec === null || !column.unique || column.array || column.reason.startsWith('config') || !isTextKind(input.shape)) return undefined;
  if (!(spec.name === 'letters' || freeText(spec)) || rules.likes.length > 0 || rules.regexes.length > 0 || rules.values !== undefined || column.fit?.like !== undefined) return undefined;
  const maxLength = column.fit?.maxLength ?? Infinity;
  const minLength = Math.max(1, column.fit?.minLength ?? 1);
  const ranges: Array<[number, number, number]> = [];
  for (const b of input.profile.lengths ?? []) {
    const r = bucketRange(b.length);
    if (!r || b.rows <= 0) continue;
    const lo = Math.max(r[0], minLength);
    const hi = Math.min(r[1], maxLength);
    if (lo <= hi) ranges.push([lo, hi, b.rows]);
  }
  if (ranges.length === 0 || input.rows <= 0) return undefined;
  const counts = rowsPerBucket(
    ranges.map((r) => r[2]),
    input.rows,
  );
  const lengthFor = (size: number): Array<[number, number]> | undefined => {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < ranges.length; i++) {
      if (counts[i] === 0) continue;
      const [lo, hi] = ranges[i]!;
      let length = lo;
      while (length < hi && size ** length < counts[i]!) length++;
      if (size ** length < counts[i]!) return undefined;
      const same = out.find((o) => o[0] === length);
      if (same) return undefined;
      out.push([length, counts[i]!]);
    }
    return out.length > 0 ? out : undefined;
  };
  const upper = lengthFor(26);
  const lengths = upper ?? lengthFor(36);
  if (!lengths) return undefined;
  const fit = { ...column.fit };
  delete fit.unique;
  const out: PlanColumn = {
    ...column,
    generator: {
      name: 'letters',
      params: { alphabet: upper ? 'upper' : 'upperAlnum', minLength: Math.min(...lengths.map((l) => l[0])), maxLength: Math.max(...lengths.map((l) => l[0])), unique: true, lengths },
    },
    reason: `profile: a code in ${lengths.length} text length${lengths.length === 1 ? '' : 's'} (${lengths.map((l) => l[0]).join(', ')}); ${column.reason}`,
  };
  if (Object.keys(fit).length > 0) return { ...out, fit };
  delete (out as { fit?: unknown }).fit;
  return out;
}

/**
 * The range of an integer column's frequent values, widened so that its other values fit
 * (production's distinct count less the frequent ones): half below (not under 0 when the
 * frequent values are not negative), the rest above. Votes of 0…5 frequent and 24 other values
 * give 0…29, not 24 values folded onto 0…5.
 */
function integerRoom(lo: number, hi: number, frequent: number, distinct: number | null, axis: Axis): [number, number] {
  if (axis.type !== 'integer' || distinct === null) return [lo, hi];
  const extra = distinct - frequent - (hi - lo + 1 - frequent);
  if (extra <= 0) return [lo, hi];
  const floor = lo >= 0 ? Math.max(0, axis.min) : axis.min;
  const below = Math.max(0, Math.min(Math.floor(extra / 2), lo - floor));
  return [lo - below, Math.min(axis.max, hi + extra - below)];
}

/**
 * The planned column reshaped to the profile, or the column as it was when the
 * profile has nothing usable for it or something else decides it.
 *
 * @example
 * ```ts
 * profileColumn(planned, { profile: stats, shape, rules, rows: 5000, now, dialect: 'postgres', nullable: true }).reason;
 * // 'profile: 4 frequent values + histogram; 31% NULL'
 * ```
 */
export function profileColumn(column: PlanColumn, input: ProfileColumnInput): PlanColumn {
  const spec = column.generator;
  const code = uniqueCodeByLength(column, input);
  if (code) return code;
  if (!column.load || spec === null || column.unique || column.reason.startsWith('config') || spec.params['unique'] === true) return column;
  const stats = input.profile;
  if (KEPT_GENERATORS.has(spec.name) || column.array) {
    const rate = stats.nullFraction;
    if (!NULL_RATE_ONLY.has(spec.name) && !column.array) return column;
    if (rate === null || !input.nullable || input.configNullRate !== undefined || rate === column.nullRate) return column;
    return { ...column, nullRate: rate, reason: `profile: ${Math.round(rate * 100)}% NULL; ${column.reason}` };
  }
  // What shapes the values (joined with +), then counts (joined with ;).
  const parts: string[] = [];
  const counts: string[] = [];

  const nullRate = input.configNullRate !== undefined || !input.nullable ? column.nullRate : (stats.nullFraction ?? column.nullRate);
  const nonNull = stats.nullFraction !== null && stats.nullFraction < 1 ? 1 - stats.nullFraction : 1;

  const axis = axisOf(column, input);
  const constrainedList = spec.name === 'values' && (input.rules.values !== undefined || input.shape.kind === 'enum' || column.reason.includes('partition bounds'));
  const allowed = constrainedList ? (spec.params['values'] as Scalar[]) : undefined;
  const maxLength = column.fit?.maxLength;

  const values: Scalar[] = [];
  const weights: number[] = [];
  let lost = 0;
  if (stats.mostCommon) {
    stats.mostCommon.values.forEach((raw, i) => {
      const f = stats.mostCommon!.frequencies[i];
      if (f === undefined || f <= 0) return;
      const v = commonValue(raw, column, axis, allowed, maxLength);
      if (v === undefined || values.includes(v) || input.rules.exclude.includes(v)) {
        lost += f / nonNull;
        return;
      }
      values.push(v);
      weights.push(f / nonNull);
    });
  }
  // Frequent values this column cannot hold (a CHECK, an enum, a length) give their share to the
  // ones it can, so that "other" values keep production's share.
  const kept = weights.reduce((a, b) => a + b, 0);
  if (lost > 0 && kept > 0) for (let i = 0; i < weights.length; i++) weights[i] = (weights[i]! * (kept + lost)) / kept;
  const commonShare = Math.min(
    1,
    weights.reduce((a, b) => a + b, 0),
  );
  if (values.length > 0) parts.push(`${values.length} frequent value${values.length === 1 ? '' : 's'}`);

  const bounds = axis && stats.histogram ? axisBounds(stats.histogram.bounds, axis.type) : undefined;
  let usableBounds = bounds && axis ? bounds.map((b) => Math.min(axis.max, Math.max(axis.min, b))) : undefined;
  // Bucket sizes (MariaDB JSON_HB, a coarsened histogram), when every bound was readable.
  const sizes =
    usableBounds && stats.histogram?.sizes && stats.histogram.sizes.length === usableBounds.length - 1 && stats.histogram.bounds.length === usableBounds.length ? stats.histogram.sizes : undefined;
  if (usableBounds) parts.push(sizes ? 'histogram with bucket sizes' : 'histogram');
  // No histogram but frequent values on the axis: the other values stay within their range
  // (never a generator's own tail: invoice totals of 4,509 where production's largest is 25.86).
  if (!usableBounds && axis && values.length >= 2) {
    const xs = values.map((v) => axisValue(v as string | number, axis.type)).filter((x): x is number => x !== undefined);
    if (xs.length >= 2 && Math.min(...xs) < Math.max(...xs)) {
      usableBounds = integerRoom(Math.min(...xs), Math.max(...xs), xs.length, stats.distinctCount, axis);
      parts.push('range of the frequent values');
    }
  }

  const params: Record<string, unknown> = { valueType: usableBounds ? axis!.type : 'other', rows: input.rows };
  if (values.length > 0) params['common'] = { values, weights };
  if (usableBounds) {
    params['bounds'] = usableBounds;
    if (sizes) params['sizes'] = sizes;
    params['min'] = axis!.min;
    params['max'] = axis!.max;
    if (axis!.scale !== undefined) params['scale'] = axis!.scale;
    if (axis!.withZone) params['withZone'] = true;
    const c = stats.correlation;
    if (c !== undefined && Math.abs(c) > MONOTONIC_CORRELATION) {
      params['monotonic'] = c > 0 ? 1 : -1;
      parts.push('in row order');
    }
  } else {
    params['fallback'] = { name: spec.name, params: spec.params };
  }

  if (input.rules.exclude.length > 0) params['exclude'] = [...input.rules.exclude];

  // Distinct values: the frequent ones plus slots for the others.
  const otherShare = (1 - nullRate) * (1 - commonShare);
  const distinct = scaledDistinct(stats, input.rows, input.sourceRows);
  if (distinct !== undefined && otherShare > MIN_OTHER_SHARE) {
    const others = Math.max(1, distinct - values.length);
    const unit = !usableBounds ? undefined : axis!.type === 'integer' || axis!.type === 'date' ? 1 : axis!.type === 'timestamp' ? 10 ** -(axis!.scale ?? 0) : 10 ** -(axis!.scale ?? 2);
    params['slots'] = slotsForDistinct(others, input.rows, otherShare, unit !== undefined ? bucketCapacities(usableBounds!, unit) : undefined);
    counts.push(`~${distinct.toLocaleString('en-US')} distinct`);
  }

  // Text lengths, for generators whose shape is free.
  if (!usableBounds && otherShare > MIN_OTHER_SHARE && stats.lengths && stats.lengths.length > 0 && isTextKind(input.shape) && freeText(spec)) {
    const lengths: Array<[number, number, number]> = [];
    for (const b of stats.lengths) {
      const r = bucketRange(b.length);
      if (!r || b.rows <= 0) continue;
      const hi = maxLength !== undefined ? Math.min(r[1], maxLength) : r[1];
      lengths.push([Math.min(r[0], hi), hi, b.rows]);
    }
    if (lengths.length > 0) {
      params['lengths'] = lengths;
      parts.push('text lengths');
    }
  }

  if (nullRate !== column.nullRate || (stats.nullFraction !== null && input.nullable)) counts.push(`${Math.round(nullRate * 100)}% NULL`);
  const shaped = values.length > 0 || usableBounds !== undefined || params['slots'] !== undefined || params['lengths'] !== undefined;
  if (!shaped) {
    return nullRate === column.nullRate ? column : { ...column, nullRate, reason: `profile: ${counts.join('; ')}; ${column.reason}` };
  }
  const others = usableBounds ? '' : `; other values: ${column.reason}`;
  return {
    ...column,
    generator: { name: 'distribution', params },
    nullRate,
    reason: `profile: ${[parts.join(' + '), ...counts].filter((x) => x !== '').join('; ')}${stats.personal ? ' (personal: shape only)' : ''}${others}`,
  };
}

/** The share of each parent's children a copy keeps (child rate ÷ parent rate), when it is well below 1. */
function keptShare(childRows: number, childSource: number | null, parentRows: number, parentSource: number | null): number | undefined {
  if (childSource === null || parentSource === null || childSource <= 0 || parentSource <= 0 || parentRows <= 0) return undefined;
  const keep = childRows / childSource / (parentRows / parentSource);
  return keep < 0.98 ? keep : undefined;
}

/**
 * Replaces the skewed pick of each foreign key the profile has fan-out for with a
 * `fanout` pick following the profile's buckets; returns notes for the plan.
 * Picks already made 1:1 (unique FKs), trees (self-references) and tuples keep theirs.
 *
 * @example
 * ```ts
 * profileFanoutPicks(picks, table, profileTable, 5000, profileTable.columns);
 * picks['fk:orders_customer_fk']!.kind; // 'fanout'
 * ```
 */
export function profileFanoutPicks(
  picks: Record<string, PlanPick>,
  table: Table,
  profile: ProfileTable,
  rows: number,
  nullable: (column: string) => boolean,
  parentSourceRows: (table: string) => number | null = () => null,
): string[] {
  const notes: string[] = [];
  for (const fk of table.foreignKeys) {
    const id = `fk:${fk.name}`;
    const pick = picks[id];
    const sameColumns = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((c, i) => c === b[i]);
    const stats = profile.foreignKeys[fk.name] ?? Object.values(profile.foreignKeys).find((p) => sameColumns(p.columns, fk.columns) && nameOf(p.references.table) === nameOf(fk.references.table));
    if (!stats?.fanout || stats.fanout.length === 0) continue;
    const numbered = pick?.kind === 'fanout' ? pick.perParent : undefined;
    if (!pick || (pick.kind !== 'skewed' && (pick.kind !== 'fanout' || numbered === undefined))) {
      notes.push(`foreign key ${fk.name}: profile fan-out not applied (${pick ? `its pick is ${pick.kind}` : 'its columns are decided by a composite unique key or the config'})`);
      continue;
    }
    const buckets: Array<[number, number, number]> = [];
    for (const b of stats.fanout) {
      const r = bucketRange(b.children);
      if (r && b.parents > 0) buckets.push([r[0], r[1], b.parents]);
    }
    if (buckets.length === 0) continue;
    // A parent kept whole (a lookup table) over a sampled child table: each parent keeps the sampled share of its children.
    const keep = keptShare(rows, profile.rowEstimate, pick.rows, parentSourceRows(pick.table));
    if (keep !== undefined) {
      buckets.length = 0;
      for (const b of thinFanout(stats.fanout, keep)) {
        const r = bucketRange(b.children);
        if (r && b.parents > 0) buckets.push([r[0], r[1], Number(b.parents.toPrecision(6))]);
      }
      notes.push(
        `foreign key ${fk.name}: ${pick.table} keeps ${(pick.rows / parentSourceRows(pick.table)!).toFixed(2)} of its rows and this table ${(rows / profile.rowEstimate!).toFixed(2)}: each parent keeps ${keep.toFixed(2)} of production's children`,
      );
    }
    const column = fk.columns.length === 1 ? profileColumnNamed(profile, fk.columns[0]!) : undefined;
    const nullRate = pick.nullRate > 0 && fk.columns.length === 1 && nullable(fk.columns[0]!) && column?.nullFraction != null ? column.nullFraction : pick.nullRate;
    picks[id] = { kind: 'fanout', table: pick.table, rows: pick.rows, children: rows, buckets, nullRate, ...(numbered !== undefined ? { perParent: numbered } : {}) };
  }
  return notes;
}

/** Shares of the frequent values a numbered column must cover for its values to be all production's. */
const NUMBERED_COVERAGE = 0.95;

/**
 * A column numbered within its parent (a composite key's `inseason` over `(year, team) → teams`,
 * see the key planner) takes production's values: its frequent values, most frequent first (a
 * parent's first child gets the value every parent has, 1), then integers after the largest; a
 * parent has at most as many children as the column has distinct values. Returns notes.
 *
 * @example
 * ```ts
 * profileNumberedColumns(keys.roles, keys.picks, profileTable); // inseason: 1, 2, 3, 4, then 5 …
 * ```
 */
export function profileNumberedColumns(roles: Map<string, ColumnRole>, picks: Record<string, PlanPick>, profile: ProfileTable): string[] {
  const notes: string[] = [];
  for (const [name, role] of roles) {
    if (role.role !== 'tuple' || role.generator.name !== 'tuple') continue;
    const params = role.generator.params ?? {};
    const pickId = params ? String(params['pick']) : undefined;
    const pick = pickId !== undefined ? picks[pickId] : undefined;
    if (pick?.kind !== 'fanout' || pick.perParent === undefined || params['valueType'] !== 'integer') continue;
    const stats = profileColumnNamed(profile, name);
    const common = stats?.mostCommon;
    if (!stats || !common) continue;
    const nonNull = stats.nullFraction !== null && stats.nullFraction < 1 ? 1 - stats.nullFraction : 1;
    const found = common.values.map((v, i) => ({ v: Number(v), f: common.frequencies[i] ?? 0 })).filter((x) => Number.isSafeInteger(x.v) && x.f > 0);
    const covered = found.reduce((a, x) => a + x.f, 0) / nonNull;
    if (found.length === 0 || covered < NUMBERED_COVERAGE) continue;
    const values = found.sort((a, b) => b.f - a.f || a.v - b.v).map((x) => x.v);
    const min = Math.max(...values) + 1;
    const distinct = stats.distinctCount !== null && stats.distinctBasis !== 'ratio' ? Math.max(values.length, stats.distinctCount) : undefined;
    const perParent = distinct !== undefined && distinct * pick.rows >= pick.children ? Math.min(pick.perParent, distinct) : pick.perParent;
    picks[pickId!] = { ...pick, perParent };
    roles.set(name, {
      ...role,
      generator: { name: 'tuple', params: { ...params, values, min } },
      reason: `profile: ${values.join(', ')} first (most frequent first), then from ${min}; ${role.reason}`,
    });
    notes.push(`${name}: numbered within its parent with production's values, at most ${perParent} per parent`);
  }
  return notes;
}

/** What `profileCategoricalKeys` reads of the table's plan. */
export interface CategoricalKeysInput {
  readonly table: Table;
  readonly keys: { readonly roles: Map<string, ColumnRole>; readonly picks: Record<string, PlanPick>; readonly unique: Map<string, string> };
  readonly profile: ProfileTable;
  readonly rows: number;
  readonly shapes: ReadonlyMap<string, ColumnShape>;
  readonly rulesOf: (column: string) => ColumnRules;
  readonly configured: ReadonlySet<string>;
}

/** A column's rules shape nothing a values list would have to honour (no IN list, pattern, bound or exclusion). */
function unruled(r: ColumnRules): boolean {
  return r.values === undefined && r.likes.length === 0 && r.regexes.length === 0 && r.exclude.length === 0 && r.min === undefined && r.max === undefined && r.case === undefined;
}

/** `n` distinct upper-case codes of `length` letters, spread over the alphabet, none in `taken`. */
function codes(n: number, length: number, taken: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const space = 26 ** length;
  const step = Math.max(1, Math.floor(space / Math.max(1, n + taken.size)));
  for (let i = 0; out.length < n && i < space; i++) {
    let x = (i * step + Math.floor(step / 2)) % space;
    let s = '';
    for (let k = 0; k < length; k++) {
      s = String.fromCharCode(65 + (x % 26)) + s;
      x = Math.floor(x / 26);
    }
    if (!taken.has(s) && !out.includes(s)) out.push(s);
  }
  return out;
}

/**
 * `n` distinct values of a key column: production's frequent values first, then, for an integer,
 * its histogram's and the integers between (evenly spread over the range production's values
 * span), for text codes in production's lengths. Undefined when the column cannot give that many.
 */
function keyValues(stats: ProfileColumn, shape: ColumnShape, n: number): Array<string | number> | undefined {
  if (isIntegerKind(shape)) {
    const range = hardNumberRange(shape, emptyRules());
    const within = (v: unknown): number | undefined => {
      const x = Number(v);
      return Number.isSafeInteger(x) && x >= range.min && x <= range.max ? x : undefined;
    };
    const out = [...new Set((stats.mostCommon?.values ?? []).map(within).filter((x): x is number => x !== undefined))].slice(0, n);
    const chosen = new Set(out);
    const add = (x: number): void => {
      if (out.length < n && !chosen.has(x)) {
        chosen.add(x);
        out.push(x);
      }
    };
    const bounds = (stats.histogram?.bounds ?? []).map(within).filter((x): x is number => x !== undefined);
    // The others as dense as production's: each histogram bucket gets its share of them, evenly spread inside it.
    if (bounds.length >= 2) {
      const buckets = bounds.length - 1;
      const sizes = stats.histogram?.sizes?.length === buckets ? stats.histogram.sizes : undefined;
      const total = sizes ? sizes.reduce((a, b) => a + b, 0) : buckets;
      const others = n - out.length;
      for (let i = 0; i < buckets; i++) {
        const [a, b] = [bounds[i]!, bounds[i + 1]!];
        const k = Math.round(((sizes ? sizes[i]! : 1) / total) * others);
        for (let j = 0; j < k; j++) add(a + Math.floor(((j + 0.5) / k) * (b - a + 1)));
      }
    }
    const known = [...chosen, ...bounds];
    if (known.length === 0) return undefined;
    const lo = Math.min(...known);
    const hi = Math.max(...known);
    const span = hi - lo + 1;
    // What is still missing: integers of production's range, evenly spread, then in order.
    for (let k = 0; out.length < n && k < span; k++) add(lo + Math.floor(((k * 0.6180339887498949) % 1) * span));
    for (let x = lo; out.length < n && x <= hi; x++) add(x);
    return out.length === n ? out.sort((a, b) => a - b) : undefined;
  }
  if (!isTextKind(shape) || shape.arrayDimensions > 0) return undefined;
  const out = (stats.mostCommon?.values ?? []).map(String).slice(0, n);
  const lengths = (stats.lengths ?? []).map((b) => bucketRange(b.length)).filter((r): r is [number, number] => r !== undefined);
  const top = Math.min(shape.length ?? Infinity, Math.max(1, ...lengths.map((r) => r[1])));
  let length = Math.max(1, Math.min(top, ...lengths.map((r) => r[0])));
  while (26 ** length < n + out.length && length < top) length++;
  out.push(...codes(n - out.length, length, new Set(out)));
  return out.length === n ? out : undefined;
}

/**
 * A composite key of plain columns (`teams (year, team)`) that the key planner made unique
 * through one column alone (a code per row: 2,955 teams where production has 149): when the
 * profile says no column is unique on its own, every column instead takes as many distinct values
 * as production's (scaled to the rows) and the rows a distinct combination of them (a `tuple`
 * pick over the lists). Returns notes.
 *
 * @example
 * ```ts
 * profileCategoricalKeys({ table, keys, profile, rows: 2955, shapes, rulesOf, configured }); // ['primary key (yearID, teamID): …']
 * ```
 */
export function profileCategoricalKeys(input: CategoricalKeysInput): string[] {
  const { table, keys, profile, rows } = input;
  const notes: string[] = [];
  const candidates = [
    ...(table.primaryKey ? [{ name: 'pkey', columns: table.primaryKey.columns }] : []),
    ...table.uniques.filter((u) => u.where === undefined && u.columns.every((c) => c !== null)).map((u) => ({ name: u.name, columns: u.columns as string[] })),
  ];
  for (const key of candidates) {
    const carriers = key.columns.filter((c) => keys.unique.has(c));
    if (key.columns.length < 2 || carriers.length !== 1 || key.columns.some((c) => keys.roles.has(c) || input.configured.has(c) || !input.shapes.has(c) || !unruled(input.rulesOf(c)))) continue;
    // The carrier must serve only this key (another key over it alone needs it unique).
    if (candidates.some((k) => k !== key && k.columns.includes(carriers[0]!))) continue;
    const lists: Array<Array<string | number>> = [];
    for (const c of key.columns) {
      const stats = profileColumnNamed(profile, c);
      const d = stats ? scaledDistinct(stats, rows, profile.rowEstimate) : undefined;
      const values = stats && d !== undefined && d < rows ? keyValues(stats, input.shapes.get(c)!, d) : undefined;
      if (!values) break;
      lists.push(values);
    }
    if (lists.length !== key.columns.length || lists.reduce((n, l) => n * l.length, 1) < rows) continue;
    const pickId = `unique:${key.name}`;
    keys.picks[pickId] = { kind: 'tuple', sizes: lists.map((l) => l.length), foreignKeys: lists.map(() => null) };
    const label = key.name === 'pkey' ? 'primary key' : `unique key ${key.name}`;
    key.columns.forEach((c, component) => {
      keys.roles.set(c, {
        role: 'tuple',
        generator: { name: 'tuple', params: { pick: pickId, component, valueType: 'values', values: lists[component]! } },
        reason: `profile: one of ${lists[component]!.length} values, distinct per ${label}`,
      });
    });
    keys.unique.delete(carriers[0]!);
    notes.push(`${label} (${key.columns.join(', ')}): each column takes production's number of values (${lists.map((l) => l.length).join(' × ')}), the rows distinct combinations`);
  }
  return notes;
}

/** The most children per parent a profile's fan-out buckets allow. */
function mostChildren(stats: { readonly fanout?: ReadonlyArray<{ readonly children: string; readonly parents: number }> | null } | undefined): number | undefined {
  let most: number | undefined;
  for (const b of stats?.fanout ?? []) {
    const r = bucketRange(b.children);
    if (r && b.parents > 0) most = Math.max(most ?? 0, r[1]);
  }
  return most;
}

/**
 * A composite key made of two foreign keys (`salaries (year, team, player)` over `(year, team)
 * → teams` and `player → people`), enumerated by the key planner as a tuple (every pair of
 * parents equally likely, so neither keeps production's fan-out): when the profile has both
 * fan-outs, the tuple becomes two fan-out picks, the second's slots spread from the first's
 * (see `PlanPick` `spread`), so both follow production and no pair repeats. Call before
 * `profileFanoutPicks` (which gives them the buckets) and `spreadTwoParentKeys` after it.
 * Returns the picks to spread (first, second).
 *
 * @example
 * ```ts
 * const pending = profileTwoParentKeys(keys, table, profile, rows); // [['fk:salaries_team_fk', 'fk:salaries_player_fk']]
 * ```
 */
export function profileTwoParentKeys(
  keys: { readonly roles: Map<string, ColumnRole>; readonly picks: Record<string, PlanPick> },
  table: Table,
  profile: ProfileTable,
  rows: number,
): Array<[string, string]> {
  const pending: Array<[string, string]> = [];
  for (const [id, pick] of Object.entries(keys.picks)) {
    if (pick.kind !== 'tuple' || pick.sizes.length !== 2 || pick.pairs || pick.foreignKeys.some((f) => f === null)) continue;
    const ids = pick.foreignKeys as [string, string];
    const fks = ids.map((f) => table.foreignKeys.find((fk) => `fk:${fk.name}` === f));
    const most = fks.map((fk) => (fk ? mostChildren(profile.foreignKeys[fk.name]) : undefined));
    // Room to cap both sides at √(rows / 2) children per parent (see `spreadTwoParentKeys`).
    const cap = Math.max(1, Math.floor(Math.sqrt(rows / 2)));
    if (most.some((m) => m === undefined) || pick.sizes.some((parents) => parents * cap < rows)) continue;
    const columns = [...keys.roles].filter(([, r]) => r.role === 'tuple' && r.generator.params?.['pick'] === id);
    if (columns.some(([, r]) => r.role !== 'tuple' || r.generator.params?.['valueType'] !== 'parent')) continue;
    const tables: string[] = [];
    for (const [name, r] of columns) {
      const p = (r as Extract<ColumnRole, { role: 'tuple' }>).generator.params!;
      const component = Number(p['component']);
      tables[component] = String(p['table']);
      keys.roles.set(name, {
        role: 'reference',
        pick: ids[component]!,
        table: String(p['table']),
        column: String(p['column']),
        reason: `foreign key → ${String(p['table'])}(${String(p['column'])}), one of two foreign keys of a unique key`,
      });
    }
    ids.forEach((f, c) => {
      keys.picks[f] = { kind: 'skewed', table: tables[c]!, rows: pick.sizes[c]!, skew: 2, nullRate: 0 };
    });
    delete keys.picks[id];
    pending.push(ids);
  }
  return pending;
}

/** After `profileFanoutPicks`: the second pick of each pair spreads from the first's slots. */
export function spreadTwoParentKeys(picks: Record<string, PlanPick>, pending: ReadonlyArray<[string, string]>): string[] {
  const notes: string[] = [];
  for (const [first, second] of pending) {
    const a = picks[first];
    const b = picks[second];
    if (a?.kind !== 'fanout' || b?.kind !== 'fanout') throw new Error(`profile: the foreign keys ${first} and ${second} of a unique key got no fan-out`);
    // At most √(rows / 2) children per parent on each side, so a first parent's children always find different second parents.
    const cap = Math.max(1, Math.floor(Math.sqrt(a.children / 2)));
    picks[first] = { ...a, perParent: Math.min(a.perParent ?? cap, cap) };
    picks[second] = { ...b, spread: { pick: first }, perParent: Math.min(b.perParent ?? cap, cap) };
    notes.push(`${first.slice(3)} and ${second.slice(3)}: each follows production's fan-out, the children of one ${a.table} row spread over different ${b.table} rows`);
  }
  return notes;
}
