/**
 * The profile's content check: the values a profile would keep (frequent values,
 * histogram bounds) pass through the same value detectors as `scan`. A column whose
 * values name people, companies or customers, or hold contact details, identifiers
 * or secrets, keeps only its shape, whatever it is called (`recipient`, `ship_name`,
 * `customer_id` holding `SAVEA`).
 *
 * - Text values: a column-level verdict over all of them (names, companies and codes
 *   count together), and a per-value check: one e-mail, phone, card, IBAN, national id,
 *   address, full person name or company among them is enough.
 * - Numbers: card numbers and checksummed national ids, by their share of the values
 *   (a random 16-digit number passes Luhn one time in ten).
 *
 * @example
 * ```ts
 * screenProfileValues(['Maria Garcia', 'John Smith', 'Ana Lima'], 'varchar', dictionaries).kinds; // ['person-name']
 * screenProfileValues(['active', 'pending'], 'varchar', dictionaries).kinds; // []
 * ```
 */
import type { PiiDictionaries } from './pii/dictionaries.js';
import type { Detection, PiiKind } from './pii/pii-kind.js';
import { analyzeValues, verdictFromValues } from './pii/value-analysis.js';
import { VALUE_DETECTORS, wholeValueDetections } from './pii/value-detectors.js';
import type { ProfileValue } from './profile-model.js';
import type { ColumnKind } from './schema-model.js';

export interface ValueScreen {
  /** Kinds found; empty when the values may be kept. */
  readonly kinds: PiiKind[];
  readonly detections: Detection[];
  /** Why, for the profile's `reason`: `values look like person-name (person-name-dictionary 86 of 90)`. */
  readonly reason?: string;
}

/** Whole-value detectors one match of which is enough among a profile's values ("codes" need a column of them). */
const ONE_IS_ENOUGH = new Set(VALUE_DETECTORS.filter((d) => d.id !== 'code').map((d) => d.id));
/** Detectors that apply to numbers: digits with a checksum. */
const NUMERIC = VALUE_DETECTORS.filter((d) => d.kind === 'card-number' || d.kind === 'national-id');
const NUMERIC_KINDS = new Set<ColumnKind>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint', 'decimal', 'real', 'double', 'money']);

const describe = (d: Detection): string => `${d.detector} ${d.matches ?? 0} of ${d.examined ?? 0}`;

/**
 * Screens the values a profile would keep for one column.
 * @example
 * ```ts
 * screenProfileValues([4111111111111111, 5555555555554444], 'bigint', d).kinds; // ['card-number']
 * ```
 */
export function screenProfileValues(values: readonly ProfileValue[], kind: ColumnKind, d: PiiDictionaries): ValueScreen {
  const text = values.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String);
  if (text.length === 0) return { kinds: [], detections: [] };
  if (NUMERIC_KINDS.has(kind) || values.every((v) => typeof v === 'number')) {
    const detections: Detection[] = [];
    for (const detector of NUMERIC) {
      const n = text.filter((v) => detector.matches(v, d)).length;
      if (n >= 2 && n / text.length >= detector.columnShare) {
        detections.push({ kind: detector.kind, detector: detector.id, source: 'values', confidence: detector.strength, matches: n, examined: text.length });
      }
    }
    const kinds = [...new Set(detections.map((x) => x.kind))];
    return kinds.length > 0 ? { kinds, detections, reason: `values look like ${kinds.join(', ')} (${detections.map(describe).join(', ')})` } : { kinds, detections };
  }
  const verdict = verdictFromValues(analyzeValues(text, d));
  const kinds = new Set<PiiKind>([...verdict.kinds, ...verdict.textKinds, ...Object.values(verdict.jsonPaths).flat()]);
  const detections = [...verdict.detections];
  if (kinds.size === 0) {
    for (const value of text) {
      const hit = wholeValueDetections(value, d).find((x) => ONE_IS_ENOUGH.has(x.id));
      if (!hit) continue;
      detections.push({ kind: hit.kind, detector: hit.id, source: 'values', confidence: hit.strength, matches: 1, examined: text.length });
      return { kinds: [hit.kind], detections, reason: `a value is ${hit.kind} (${hit.id})` };
    }
    return { kinds: [], detections };
  }
  return { kinds: [...kinds], detections, reason: `values look like ${[...kinds].join(', ')} (${detections.map(describe).join(', ')})` };
}
