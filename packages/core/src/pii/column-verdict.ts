/**
 * One verdict per column, from everything the detectors saw: the schema's word for it
 * (name, comment, type) weighed against a sample of its values. Values win where they
 * can be checked: a column named `email` whose 200 sampled values hold no address is not
 * an e-mail column, and a column named `notes` whose values are addresses is. Where
 * values cannot confirm a name (a surname no dictionary knows, a username, a city),
 * the name stands unless the values are plainly categorical (`yes`/`no`).
 *
 * @example
 * ```ts
 * const verdict = classifyColumnPii({ table: { name: 'orders' }, column: { name: 'recipient', kind: 'text' }, values, dictionaries });
 * verdict.kinds; // ['person-name']
 * verdict.reason; // 'values: person-name-dictionary matched 88 of 100'
 * ```
 */
import type { Column, Table } from '../schema-model.js';
import { detectFromSchema } from './column-name-detector.js';
import { isPhone, phoneDigitsOnly } from './contact.js';
import type { PiiDictionaries } from './dictionaries.js';
import type { Detection, PiiKind } from './pii-kind.js';
import { postcodeDigitsOnly } from './places.js';
import { analyzeValues, verdictFromValues, type ValueAnalysis } from './value-analysis.js';

export interface ColumnPiiInput {
  readonly table: Pick<Table, 'name'>;
  readonly column: Pick<Column, 'name' | 'kind'> & { readonly comment?: string | undefined };
  /** Sampled values as text (`null` for NULL); absent or empty: judge by the schema alone. */
  readonly values?: ReadonlyArray<string | null>;
  readonly dictionaries: PiiDictionaries;
}

export interface PiiVerdict {
  /** What the column holds, strongest first; empty when nothing personal was found. */
  readonly kinds: PiiKind[];
  /** The personal data sits inside free text or JSON documents rather than being the whole value. */
  readonly container?: 'text' | 'json';
  /** For JSON: path → kinds found there. */
  readonly jsonPaths?: Record<string, PiiKind[]>;
  /** Every detector that fired, including name hints the values overruled. */
  readonly detections: Detection[];
  /** 0…1. */
  readonly confidence: number;
  /** Non-null values examined. */
  readonly examined: number;
  /** Distinct values among them. */
  readonly distinct: number;
  readonly reason: string;
}

/** Below this many non-null values, the values may add kinds but never overrule a name. */
export const MIN_VALUES_TO_OVERRULE = 10;

/** Kinds whose values the detectors recognise reliably: a name claiming one of these is checked. */
const CHECKABLE = new Set<PiiKind>(['email', 'phone', 'ip-address', 'mac-address', 'card-number', 'iban', 'jwt', 'url-credentials']);

/** Value detectors that say "a name or a code" without saying whose: a column's name may say more. */
const WEAK_VALUE_DETECTORS = new Set(['entity-names', 'code', 'company-name', 'first-name-dictionary']);

const DATE_KINDS = new Set<Column['kind']>(['date', 'timestamp', 'timestamptz']);

/** Column types that can hold only some kinds (the rest a name may say: `password_changed_at`, `phone_verified`). */
const KINDS_A_TYPE_HOLDS: Partial<Record<Column['kind'], ReadonlySet<PiiKind>>> = {
  date: new Set(['birth-date', 'sensitive']),
  timestamp: new Set(['birth-date', 'sensitive']),
  timestamptz: new Set(['birth-date', 'sensitive']),
  time: new Set(['sensitive']),
  interval: new Set(['sensitive']),
  boolean: new Set(['sensitive']),
};

/** Share of values a looser, name-assisted reading accepts (bare digits for a phone, a ZIP code, a card). */
function looseShare(kind: PiiKind, values: readonly string[]): number {
  const test: ((v: string) => boolean) | undefined = {
    phone: (v: string) => phoneDigitsOnly(v) || isPhone(v),
    postcode: postcodeDigitsOnly,
    'card-number': (v: string) => /^\d{13,19}$/.test(v.replace(/[ -]/g, '')),
    iban: (v: string) => /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/i.test(v.replace(/ /g, '')),
  }[kind as string];
  if (!test || values.length === 0) return 0;
  return values.filter((v) => test(v.trim())).length / values.length;
}

/** Values that are plainly categorical: few distinct, and nothing in them detected. */
function plainlyCategorical(a: ValueAnalysis): boolean {
  const e = a.entities;
  return a.distinct <= Math.max(3, Math.floor(0.05 * a.examined)) && a.whole.size === 0 && e.person + e.firstName + e.company + e.code === 0 && a.json === 0;
}

/** Share of date values that fall where birth dates do: between 120 years and 1 year ago. */
function birthDateShare(values: readonly string[]): number {
  const now = Date.now();
  const year = 365.25 * 24 * 3600 * 1000;
  let inRange = 0;
  let dates = 0;
  for (const v of values) {
    const t = Date.parse(v.trim().slice(0, 10));
    if (Number.isNaN(t)) continue;
    dates++;
    if (t <= now - year && t >= now - 120 * year) inRange++;
  }
  return dates === 0 ? 0 : inRange / values.length;
}

const strongest = (detections: readonly Detection[], kinds: readonly PiiKind[]): number => Math.max(0, ...detections.filter((d) => kinds.includes(d.kind)).map((d) => d.confidence));

/**
 * Classifies one column.
 * @example
 * ```ts
 * classifyColumnPii({ table: { name: 't' }, column: { name: 'email', kind: 'text' }, values: ['yes', 'no', …], dictionaries }).kinds; // []
 * ```
 */
export function classifyColumnPii(input: ColumnPiiInput): PiiVerdict {
  const schema = detectFromSchema(input.table, input.column);
  const nonNull = (input.values ?? []).filter((v): v is string => v !== null && v.trim().length > 0);
  const analysis = analyzeValues(nonNull, input.dictionaries);
  const values = verdictFromValues(analysis);
  const detections = [...schema, ...values.detections];
  const examined = analysis.examined;
  const base = { detections, examined, distinct: analysis.distinct };

  // JSON documents: the paths that hold something
  if (analysis.json > 0 && analysis.json >= examined / 2 && Object.keys(values.jsonPaths).length > 0) {
    const kinds = [...new Set(Object.values(values.jsonPaths).flat())];
    return {
      ...base,
      kinds,
      container: 'json',
      jsonPaths: values.jsonPaths,
      confidence: strongest(detections, kinds),
      reason: `JSON: ${Object.entries(values.jsonPaths)
        .map(([p, k]) => `${p} ${k.join('+')}`)
        .join(', ')}`,
    };
  }
  // Values that only look like names or codes in general confirm a name that says which (`last_name`, `city`,
  // `username`, `bank_account`): the name's kind is the more precise.
  const weakOnly = values.kinds.length > 0 && values.detections.filter((d) => d.source === 'values').every((d) => WEAK_VALUE_DETECTORS.has(d.detector));
  const named = schema.find((d) => d.source === 'name' && d.kind !== 'free-text' && d.kind !== 'sensitive');
  if (weakOnly && named) {
    const support = values.detections.filter((d) => d.source === 'values');
    return {
      ...base,
      kinds: [named.kind],
      confidence: Math.max(named.confidence, ...support.map((d) => d.confidence)),
      reason: `name ${named.detector} "${named.token}", values look like names or codes (${support.map((d) => `${d.detector} ${d.matches} of ${d.examined}`).join(', ')})`,
    };
  }
  // whole values of one kind (or, mixed, several: then they are redacted where they sit)
  if (values.kinds.length > 0) {
    const counts = values.kinds.map((kind) => Math.max(...values.detections.filter((d) => d.kind === kind && d.source === 'values').map((d) => d.matches ?? 0)));
    const mixed = values.kinds.length > 1 && counts[1]! >= 0.2 * examined;
    const kinds = mixed ? values.kinds : [values.kinds[0]!];
    const agrees = schema.some((d) => kinds.includes(d.kind));
    const confidence = agrees ? 1 - (1 - strongest(detections, kinds)) * 0.3 : strongest(detections, kinds);
    const fired = values.detections.filter((d) => kinds.includes(d.kind) && d.source === 'values');
    return {
      ...base,
      kinds,
      ...(mixed ? { container: 'text' as const } : {}),
      confidence: Math.round(confidence * 1000) / 1000,
      reason: `values: ${fired.map((d) => `${d.detector} matched ${d.matches} of ${d.examined}`).join(', ')}`,
    };
  }
  // free text that holds something
  if (values.textKinds.length > 0) {
    return {
      ...base,
      kinds: values.textKinds,
      container: 'text',
      confidence: strongest(detections, values.textKinds),
      reason: `free text containing ${values.textKinds.join(', ')} (${analysis.freeText} text values examined)`,
    };
  }
  // what the schema says, checked against the values where they can check it
  const overruled: string[] = [];
  const kept: Detection[] = [];
  for (const hint of schema) {
    if (kept.some((k) => k.kind === hint.kind)) continue;
    // `reset_password_sent_at timestamp`, `email_verified boolean`: a time or a flag about the thing the name says, never one
    const holds = KINDS_A_TYPE_HOLDS[input.column.kind];
    if (hint.source !== 'type' && holds && !holds.has(hint.kind)) {
      overruled.push(`${hint.source} says ${hint.kind}, but a ${input.column.kind} column holds ${input.column.kind === 'boolean' ? 'a flag' : 'a time'}, not one`);
      continue;
    }
    const datesOfBirth = hint.kind === 'birth-date' && birthDateShare(nonNull) >= 0.5;
    if (examined >= MIN_VALUES_TO_OVERRULE && hint.source !== 'type' && !datesOfBirth) {
      if (CHECKABLE.has(hint.kind) && looseShare(hint.kind, nonNull) < 0.5) {
        overruled.push(`${hint.source} says ${hint.kind}, but none of ${examined} values is one`);
        continue;
      }
      if (plainlyCategorical(analysis) && hint.kind !== 'sensitive') {
        overruled.push(`${hint.source} says ${hint.kind}, but the values are ${analysis.distinct} plain categories`);
        continue;
      }
      if (hint.kind === 'birth-date' && !DATE_KINDS.has(input.column.kind)) {
        overruled.push(`name says birth-date, but the values are not dates of birth`);
        continue;
      }
    }
    kept.push(hint);
  }
  if (kept.length > 0) {
    const kinds = [...new Set(kept.map((k) => k.kind))];
    const primary = kinds.includes('free-text') && kinds.length > 1 ? [...kinds.filter((k) => k !== 'free-text'), 'free-text' as const] : kinds;
    let confidence = strongest(kept, primary);
    const from = kept.map((k) => `${k.source} ${k.detector}${k.token ? ` "${k.token}"` : ''}`).join(', ');
    let values = examined > 0 ? `; no value detector fired on ${examined} values` : '';
    if (primary[0] === 'birth-date' && examined > 0) {
      const share = birthDateShare(nonNull);
      confidence = share >= 0.9 ? 0.9 : 0.6;
      values = `; ${Math.round(share * 100)}% of ${examined} values are dates 1 to 120 years ago`;
    }
    return { ...base, kinds: primary, confidence, reason: `${from}${overruled.length > 0 ? `; ${overruled.join('; ')}` : ''}${values}` };
  }
  return {
    ...base,
    kinds: [],
    confidence: 0,
    reason: overruled.length > 0 ? overruled.join('; ') : examined > 0 ? `nothing personal in ${examined} values or the schema` : 'nothing personal in the schema (no values examined)',
  };
}
