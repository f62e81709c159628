/**
 * Runs every value detector over a column's sampled values and counts: how many values
 * each detector matched whole, how many free-text values contain each kind, and which
 * JSON paths hold which kind. Then says what the values alone show about the column.
 *
 * Counts only: the analysis keeps no value.
 *
 * @example
 * ```ts
 * const analysis = analyzeValues(['ana@example.org', 'bob@example.com', null], d);
 * verdictFromValues(analysis).kinds; // ['email']
 * ```
 */
import type { PiiDictionaries } from './dictionaries.js';
import { findInJson, findInText, isFreeText, parseJsonDocument } from './inside-values.js';
import { isCode, isCompanyName, isProperName, personName } from './names.js';
import type { Detection, PiiKind } from './pii-kind.js';
import { VALUE_DETECTORS, wholeValueDetections, type ValueDetector } from './value-detectors.js';

export interface ValueAnalysis {
  /** Non-null, non-empty values examined. */
  readonly examined: number;
  /** Distinct values among them. */
  readonly distinct: number;
  /** Detector id → values it matched whole. */
  readonly whole: ReadonlyMap<string, number>;
  /** Values by the entity they name (each value counted once): full person names, single first names, companies, codes, other proper names. */
  readonly entities: { readonly person: number; readonly firstName: number; readonly company: number; readonly code: number; readonly proper: number };
  /** Values that read as free text, and per detector the number of those that contain its kind. */
  readonly freeText: number;
  readonly inText: ReadonlyMap<string, { readonly kind: PiiKind; readonly values: number }>;
  /** Values that are JSON documents, and path → kind → leaves. */
  readonly json: number;
  readonly jsonPaths: ReadonlyMap<string, ReadonlyMap<PiiKind, number>>;
}

/** Kinds one match inside free text or JSON is enough for; the others need two values or more. */
const STRONG_INSIDE = new Set<PiiKind>(['email', 'phone', 'card-number', 'iban', 'national-id', 'jwt', 'secret', 'url-credentials', 'ip-address', 'mac-address']);

/**
 * Counts what the detectors find in `values` (null and empty values are skipped).
 * @example
 * ```ts
 * analyzeValues(['{"email":"a@b.co"}'], d).jsonPaths.get('$.email'); // Map { email → 1 }
 * ```
 */
export function analyzeValues(values: Iterable<string | null | undefined>, d: PiiDictionaries): ValueAnalysis {
  let examined = 0;
  const seen = new Set<string>();
  const whole = new Map<string, number>();
  const entities = { person: 0, firstName: 0, company: 0, code: 0, proper: 0 };
  let freeText = 0;
  const inText = new Map<string, { kind: PiiKind; values: number }>();
  let json = 0;
  const jsonPaths = new Map<string, Map<PiiKind, number>>();
  for (const raw of values) {
    if (raw === null || raw === undefined) continue;
    const value = raw.trim();
    if (value.length === 0) continue;
    examined++;
    seen.add(value);
    const doc = parseJsonDocument(value);
    if (doc !== undefined) {
      json++;
      for (const [path, kinds] of findInJson(doc, d)) {
        let at = jsonPaths.get(path);
        if (!at) jsonPaths.set(path, (at = new Map()));
        for (const [kind, n] of kinds) at.set(kind, (at.get(kind) ?? 0) + Math.min(n, 1));
      }
      continue;
    }
    const matched = wholeValueDetections(value, d);
    for (const detector of matched) whole.set(detector.id, (whole.get(detector.id) ?? 0) + 1);
    const ids = new Set(matched.map((m) => m.id));
    if (ids.has('person-name-dictionary')) entities.person++;
    else if (ids.has('company-name') || isCompanyName(value, d)) entities.company++;
    else if (ids.has('code') || isCode(value, d)) entities.code++;
    else if (personName(value, d) === 'first') entities.firstName++;
    else if (isProperName(value, d)) entities.proper++;
    const specific = matched.filter((m) => m.kind !== 'identifier' && m.kind !== 'person-name' && m.kind !== 'company');
    if (specific.length === 0 && isFreeText(value)) {
      freeText++;
      for (const [id, finding] of findInText(value, d)) {
        const entry = inText.get(id) ?? { kind: finding.kind, values: 0 };
        inText.set(id, { kind: entry.kind, values: entry.values + 1 });
      }
    }
  }
  return { examined, distinct: seen.size, whole, entities, freeText, inText, json, jsonPaths };
}

/** What the values alone say. */
export interface ValuesVerdict {
  /** Kinds the values hold as whole values, strongest first. */
  readonly kinds: PiiKind[];
  /** Kinds found inside free text. */
  readonly textKinds: PiiKind[];
  /** JSON path → kinds found there. */
  readonly jsonPaths: Record<string, PiiKind[]>;
  readonly detections: Detection[];
}

/**
 * Fewest values for "names of people, companies and things, together" to say a column names entities: a handful
 * of capitalised labels (zencart's seven banner groups `SideBox-Banners`, five currency titles `US Dollar`) is no evidence.
 */
const MIN_VALUES_FOR_ENTITIES = 10;

const round = (n: number): number => Math.round(n * 1000) / 1000;

function detection(detector: Pick<ValueDetector, 'id' | 'kind' | 'strength'>, matches: number, examined: number, source: Detection['source']): Detection {
  const share = examined > 0 ? matches / examined : 0;
  return { kind: detector.kind, detector: detector.id, source, confidence: round(detector.strength * (0.6 + 0.4 * share)), matches, examined };
}

/**
 * The kinds the values show: a detector fires when its share of the values reaches its
 * `columnShare`; names, companies and codes also fire together when most values name
 * someone or something; kinds inside free text and JSON fire on the first strong match.
 * @example
 * ```ts
 * verdictFromValues(analyzeValues(['Maria Garcia', 'John Smith'], d)).kinds; // ['person-name']
 * ```
 */
export function verdictFromValues(a: ValueAnalysis): ValuesVerdict {
  const detections: Detection[] = [];
  const kinds = new Map<PiiKind, number>();
  if (a.examined > 0) {
    for (const detector of VALUE_DETECTORS) {
      const n = a.whole.get(detector.id) ?? 0;
      if (n === 0 || n / a.examined < detector.columnShare || (n < 2 && a.examined >= 2)) continue;
      detections.push(detection(detector, n, a.examined, 'values'));
      kinds.set(detector.kind, Math.max(kinds.get(detector.kind) ?? 0, n));
    }
    // a column of several strong kinds (contact: e-mails or phones), none of them alone at its share
    const mixed = VALUE_DETECTORS.filter((x) => x.strength >= 0.9 && !kinds.has(x.kind) && (a.whole.get(x.id) ?? 0) >= 2 && (a.whole.get(x.id) ?? 0) / a.examined >= 0.2);
    const covered = [...kinds.values()].reduce((n, m) => n + m, 0) + mixed.reduce((n, x) => n + (a.whole.get(x.id) ?? 0), 0);
    if (mixed.length > 0 && covered / a.examined >= 0.5) {
      for (const x of mixed) {
        detections.push(detection(x, a.whole.get(x.id)!, a.examined, 'values'));
        kinds.set(x.kind, Math.max(kinds.get(x.kind) ?? 0, a.whole.get(x.id)!));
      }
    }
    // names of people, companies and things, together: a column of them names entities even when no one detector reaches its share
    const e = a.entities;
    const named = e.person + e.firstName + e.company + e.code + e.proper;
    if (e.firstName / a.examined >= 0.6 && !kinds.has('person-name')) {
      detections.push(detection({ id: 'first-name-dictionary', kind: 'person-name', strength: 0.75 }, e.firstName, a.examined, 'values'));
      kinds.set('person-name', e.firstName);
    } else if (named / a.examined >= 0.5 && !kinds.has('person-name') && !kinds.has('company') && !kinds.has('identifier') && named >= 2 && a.examined >= MIN_VALUES_FOR_ENTITIES) {
      const people = e.person + e.firstName;
      const companies = e.company + e.proper;
      const kind: PiiKind = e.code >= people && e.code >= companies ? 'identifier' : people >= companies ? 'person-name' : 'company';
      detections.push(detection({ id: 'entity-names', kind, strength: 0.7 }, named, a.examined, 'values'));
      kinds.set(kind, named);
    }
  }
  const textKinds = new Set<PiiKind>();
  for (const [id, found] of a.inText) {
    if (found.values < (STRONG_INSIDE.has(found.kind) ? 1 : 2)) continue;
    textKinds.add(found.kind);
    detections.push(detection({ id, kind: found.kind, strength: STRONG_INSIDE.has(found.kind) ? 0.9 : 0.7 }, found.values, a.freeText, 'text'));
  }
  const jsonPaths: Record<string, PiiKind[]> = {};
  const jsonKinds = new Map<PiiKind, number>();
  for (const [path, at] of [...a.jsonPaths].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const found = [...at].filter(([kind, n]) => n >= (STRONG_INSIDE.has(kind) ? 1 : Math.max(2, Math.ceil(0.3 * a.json))));
    if (found.length === 0) continue;
    jsonPaths[path] = found.sort((x, y) => y[1] - x[1]).map(([kind]) => kind);
    for (const [kind, n] of found) jsonKinds.set(kind, (jsonKinds.get(kind) ?? 0) + n);
  }
  for (const [kind, n] of jsonKinds) {
    detections.push(detection({ id: `json-${kind}`, kind, strength: STRONG_INSIDE.has(kind) ? 0.9 : 0.7 }, Math.min(n, a.json), a.json, 'json'));
  }
  return { kinds: [...kinds].sort((x, y) => y[1] - x[1]).map(([k]) => k), textKinds: [...textKinds], jsonPaths, detections };
}
