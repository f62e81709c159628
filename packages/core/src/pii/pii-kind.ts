/**
 * The kinds of personal data and secrets the detectors report, and what a detection
 * carries: a kind, the detector that fired, where it looked, a confidence and counts,
 * never a value.
 *
 * @example
 * ```ts
 * const d: Detection = { kind: 'email', detector: 'email', source: 'values', confidence: 0.98, matches: 49, examined: 50 };
 * ```
 */
import { z } from 'zod';

export const PiiKind = z.enum([
  'email',
  'phone',
  'person-name',
  'username',
  'company',
  'address',
  'city',
  'postcode',
  'geo-location',
  'card-number',
  'iban',
  'account-number',
  'national-id',
  'ip-address',
  'mac-address',
  'jwt',
  'secret',
  'url-credentials',
  'birth-date',
  /** Special categories and money about a person: salary, health, religion, ethnicity, gender. */
  'sensitive',
  /** A code or key that identifies a person or customer (`ALFKI`, `CUST-00042`). */
  'identifier',
  /** Free text written by people (notes, comments, messages): may hold anything. */
  'free-text',
]);
export type PiiKind = z.infer<typeof PiiKind>;

/** Where a detector looked. */
export const DetectionSource = z.enum(['name', 'type', 'comment', 'values', 'text', 'json']);
export type DetectionSource = z.infer<typeof DetectionSource>;

export const Detection = z.object({
  kind: PiiKind,
  /** Which detector fired: `email`, `card-luhn`, `es-dni`, `person-name-dictionary`, `name-token`, … */
  detector: z.string(),
  source: DetectionSource,
  /** 0…1: how sure the detector is that the column holds this kind. */
  confidence: z.number().min(0).max(1),
  /** Values (or, inside text and JSON, values containing one) that matched. Absent for name, type and comment. */
  matches: z.number().int().nonnegative().optional(),
  /** Non-null values examined. */
  examined: z.number().int().nonnegative().optional(),
  /** For `name`/`comment`: the word that fired (a word of the column's name or comment, never a value). */
  token: z.string().optional(),
});
export type Detection = z.infer<typeof Detection>;
