/**
 * Looking inside a value: personal data written into free text (`Call me on +44 20 7946
 * 0958`) and inside JSON documents (`{"contact": {"email": "…"}}`), with the JSON path where
 * it sits. Paths name keys, never values: a key that is not identifier-like (or that is
 * itself personal data, as in `{"bob@example.com": 1}`) is written `*`.
 *
 * @example
 * ```ts
 * findInText('Mail ana@example.org or call (555) 013-3377', d); // Map { email → 1, phone → 1 }
 * findInJson({ user: { email: 'a@b.co' } }, d); // Map { '$.user.email' → Map { email → 1 } }
 * ```
 */
import type { PiiDictionaries } from './dictionaries.js';
import type { PiiKind } from './pii-kind.js';
import { countPersonNamesIn, NATIONAL_ID_IN_TEXT, VALUE_DETECTORS, wholeValueDetections } from './value-detectors.js';
import { kindsFromName } from './column-name-detector.js';

/** A finding: which detector, which kind, how many occurrences. */
export interface InsideFinding {
  readonly kind: PiiKind;
  readonly occurrences: number;
}

/** Kinds a JSON leaf or a text is allowed to report by its whole value (the weak ones need a column to judge). */
const LEAF_EXCLUDED = new Set(['code', 'postcode-shape']);

/**
 * Whether a string reads as free text: several words, or long.
 * @example
 * ```ts
 * isFreeText('Customer asked for a refund'); // true
 * ```
 */
export function isFreeText(value: string): boolean {
  const v = value.trim();
  if (v.length >= 60) return true;
  return v.split(/\s+/).length >= 4;
}

/**
 * Personal data inside a text: detector id → kind and occurrence count.
 * @example
 * ```ts
 * findInText('SSN 123-45-6789', d).get('national-id'); // { kind: 'national-id', occurrences: 1 }
 * ```
 */
export function findInText(text: string, d: PiiDictionaries): Map<string, InsideFinding> {
  const found = new Map<string, InsideFinding>();
  const add = (id: string, kind: PiiKind, n: number): void => {
    if (n > 0) found.set(id, { kind, occurrences: (found.get(id)?.occurrences ?? 0) + n });
  };
  for (const detector of VALUE_DETECTORS) if (detector.countIn) add(detector.id, detector.kind, detector.countIn(text, d));
  add(NATIONAL_ID_IN_TEXT.id, NATIONAL_ID_IN_TEXT.kind, NATIONAL_ID_IN_TEXT.countIn(text));
  add('person-name-in-text', 'person-name', countPersonNamesIn(text, d));
  return found;
}

const MAX_DEPTH = 12;
const MAX_LEAVES = 2_000;

function pathKey(key: string, d: PiiDictionaries): string {
  const lower = key.toLocaleLowerCase('en');
  const aName = (d.firstNames.has(lower) || d.lastNames.has(lower)) && !d.vocabulary.has(lower);
  const safe = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(key) && !aName && wholeValueDetections(key, d).every((x) => x.id === 'code');
  return safe ? `.${key}` : '.*';
}

/** The kinds a JSON key's name says its value holds (`email`, `phone_number`, `ssn`). */
function kindsOfKey(key: string): PiiKind[] {
  return kindsFromName(key).map((k) => k.kind);
}

/**
 * Personal data inside a parsed JSON document: path → kind → number of leaves there that hold it.
 * A leaf counts by its value (a detector matches it or finds something inside its text)
 * or, for a scalar, by its key's name (`"ssn": "…"`).
 * @example
 * ```ts
 * findInJson([{ phone: '+1 555 013 3377' }], d); // Map { '$[*].phone' → Map { phone → 1 } }
 * ```
 */
export function findInJson(doc: unknown, d: PiiDictionaries): Map<string, Map<PiiKind, number>> {
  const out = new Map<string, Map<PiiKind, number>>();
  let leaves = 0;
  const add = (path: string, kind: PiiKind): void => {
    let kinds = out.get(path);
    if (!kinds) out.set(path, (kinds = new Map()));
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  };
  const walk = (node: unknown, path: string, key: string | undefined, depth: number): void => {
    if (leaves >= MAX_LEAVES || depth > MAX_DEPTH) return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, `${path}[*]`, key, depth + 1);
      return;
    }
    if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) walk(v, `${path}${pathKey(k, d)}`, k, depth + 1);
      return;
    }
    if (node === null || typeof node === 'boolean') return;
    leaves++;
    const text = String(node);
    const kinds = new Set<PiiKind>();
    for (const detector of wholeValueDetections(text, d)) if (!LEAF_EXCLUDED.has(detector.id)) kinds.add(detector.kind);
    if (kinds.size === 0 && typeof node === 'string' && isFreeText(text)) for (const f of findInText(text, d).values()) kinds.add(f.kind);
    if (kinds.size === 0 && key !== undefined && text.length > 0) for (const kind of kindsOfKey(key)) if (kind !== 'free-text') kinds.add(kind);
    for (const kind of kinds) add(path, kind);
  };
  walk(doc, '$', undefined, 0);
  return out;
}

/**
 * Parses a value that looks like a JSON object or array; undefined otherwise.
 * @example
 * ```ts
 * parseJsonDocument('{"a":1}'); // { a: 1 }
 * parseJsonDocument('hello'); // undefined
 * ```
 */
export function parseJsonDocument(value: string): unknown {
  const v = value.trim();
  if (!(v.startsWith('{') && v.endsWith('}')) && !(v.startsWith('[') && v.endsWith(']'))) return undefined;
  try {
    const doc: unknown = JSON.parse(v);
    return doc !== null && typeof doc === 'object' ? doc : undefined;
  } catch {
    return undefined;
  }
}
