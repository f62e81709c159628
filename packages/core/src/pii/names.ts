/**
 * Names of people and companies, and codes that identify someone (`SAVEA`, `CUST-00042`),
 * matched against the dictionaries (see dictionaries.ts).
 *
 * - A **full person name** is 2–4 name-shaped words (`Ana Lima`, `O'Brien, Mary`,
 *   `J. R. Smith`, `PENELOPE GUINESS`) whose first word is a known first name or an
 *   initial and whose last is a known surname or a word no dictionary knows, or the
 *   other way round. Titles (`Dr.`, `Mrs`) and suffixes (`Jr.`) are ignored.
 * - A **single first name** (`Alice`) is weak evidence: `May` or `Grant` are words too,
 *   so it counts only when most of a column's values are first names.
 * - A **company** carries a legal form (`Acme Inc.`, `Müller GmbH`, `Folk och fä HB`), is
 *   built from surnames the way companies are (`Koch, Rempel and Upton`, `Schmidt - Herzog`),
 *   or is a capitalised phrase with a trade word (`White Clover Markets`, `Ernst Handel`).
 * - A **proper name** is a capitalised phrase with a word no dictionary knows (`Hanari
 *   Carnes`): the name of someone or something, not a category.
 * - A **code** is an identifier-like token: upper-case letters that make no word (`ALFKI`),
 *   letters with three or more digits (`INV-2024-0012`), a long digit string, a UUID.
 *
 * @example
 * ```ts
 * const d = await loadPiiDictionaries();
 * personName('Maria Garcia', d); // 'full'
 * isCompanyName('Save-a-lot Markets', d); // true
 * isCode('SAVEA', d); // true
 * isCode('active', d); // false
 * ```
 */
import { BUSINESS_WORDS, type PiiDictionaries } from './dictionaries.js';

const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'sir',
  'dame',
  'lord',
  'lady',
  'rev',
  'herr',
  'frau',
  'm',
  'mme',
  'mlle',
  'sr',
  'sra',
  'srta',
  'don',
  'doña',
  'sig',
  'sig.ra',
  'dott',
]);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq', 'dds']);
const PARTICLES = new Set(['van', 'von', 'de', 'da', 'del', 'della', 'di', 'du', 'la', 'le', 'der', 'den', 'ter', 'ten', 'bin', 'al', 'el', 'dos', 'das', 'do', 'y', 'mac', 'st']);

/** A word that could be a name: a letter, then letters, apostrophes or hyphens; or an initial (`J.`). */
const NAME_WORD = /^(?:\p{L}[\p{L}'’-]*\p{L}|\p{L})\.?$/u;
const INITIAL = /^\p{Lu}\.?$/u;

const lower = (s: string): string => s.toLocaleLowerCase('en');
const bare = (s: string): string => lower(s).replace(/[.,]+$/, '');

function capitalised(word: string): boolean {
  const first = word[0]!;
  return first !== lower(first);
}

/** A word in the vocabulary or a place, singular or plural, any inflection we can undo cheaply. */
export function isVocabularyWord(word: string, d: PiiDictionaries): boolean {
  return d.places.has(bare(word)) || isCommonWord(word, d);
}

/**
 * A word of the vocabulary (no place), singular or plural, any inflection we can undo cheaply.
 * @example
 * ```ts
 * isCommonWord('attached', d); // true: attach
 * isCommonWord('Heloise', d); // false
 * ```
 */
export function isCommonWord(word: string, d: PiiDictionaries): boolean {
  const w = bare(word);
  if (d.vocabulary.has(w)) return true;
  for (const ending of ['s', 'es', 'ed', 'ing', 'ly', 'er', 'ers', 'ment', 'ments']) {
    if (!w.endsWith(ending) || w.length - ending.length < 3) continue;
    const stem = w.slice(0, -ending.length);
    if (d.vocabulary.has(stem)) return true;
    // shipping → ship, featured → feature, currencies → currency
    if (/^(ed|ing|er|ers)$/.test(ending) && (d.vocabulary.has(`${stem}e`) || (stem.length >= 4 && stem.at(-1) === stem.at(-2) && d.vocabulary.has(stem.slice(0, -1))))) return true;
    if (ending === 'es' && stem.endsWith('i') && d.vocabulary.has(`${stem.slice(0, -1)}y`)) return true;
  }
  return false;
}

/** Splits `Last, First` into `First Last`, drops titles and suffixes; undefined when not name-shaped. */
function nameWords(value: string): string[] | undefined {
  let v = value.trim();
  if (v.length < 2 || v.length > 60 || /\d|@|\/|_|:|\|/.test(v)) return undefined;
  const comma = v.split(',');
  if (comma.length === 2 && comma[0]!.trim().length > 0 && comma[1]!.trim().length > 0) v = `${comma[1]!.trim()} ${comma[0]!.trim()}`;
  else if (comma.length > 2) return undefined;
  const words = v.split(/\s+/).filter((w) => !TITLES.has(bare(w)) && !SUFFIXES.has(bare(w)));
  if (words.length === 0 || words.length > 5) return undefined;
  return words.every((w) => NAME_WORD.test(w)) ? words : undefined;
}

/**
 * Whether a value is a person's full name, a single first name, or neither.
 * @example
 * ```ts
 * personName('Grant', d); // 'first' (weak: also a word)
 * personName('Annie Identity', d); // undefined: "identity" is a word, not a surname
 * ```
 */
export function personName(value: string, d: PiiDictionaries): 'full' | 'first' | undefined {
  const words = nameWords(value);
  if (!words) return undefined;
  // Mixed case like "eBay" or a lower-case phrase is not how names are written, unless all of it is one case.
  const cased = words.every((w) => capitalised(w) || PARTICLES.has(bare(w)));
  const oneCase = words.every((w) => w === lower(w)) || words.every((w) => w === w.toUpperCase());
  if (!cased && !oneCase) return undefined;
  const core = words.filter((w) => !PARTICLES.has(bare(w)));
  if (core.length === 0) return undefined;
  if (core.length === 1) {
    const w = bare(core[0]!);
    return d.firstNames.has(w) && words.length === 1 && w.length >= 3 ? 'first' : undefined;
  }
  if (core.length > 4) return undefined;
  const first = core[0]!;
  const last = core[core.length - 1]!;
  const firstKnown = d.firstNames.has(bare(first)) || INITIAL.test(first);
  const lastKnown = d.lastNames.has(bare(last));
  // a surname no dictionary lists: any name-shaped word that is not itself a common word (Barnes may look inflected; Identity may not)
  const unknownWord = (w: string): boolean => !INITIAL.test(w) && bare(w).length >= 2 && !d.vocabulary.has(bare(w)) && !d.places.has(bare(w));
  const middleOk = core.slice(1, -1).every((w) => INITIAL.test(w) || d.firstNames.has(bare(w)) || d.lastNames.has(bare(w)) || unknownWord(w));
  if (!middleOk) return undefined;
  if (firstKnown && (lastKnown || unknownWord(last))) return 'full';
  if (lastKnown && !INITIAL.test(first) && unknownWord(first) && !d.firstNames.has(bare(first)) && !oneCase) return 'full';
  return undefined;
}

/** Words of a phrase, without the punctuation around them. */
function phraseWords(value: string): string[] {
  return value
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/^[("'“]+|[)"'”,;:!?]+$/g, ''))
    .filter((w) => w.length > 0);
}

/** Title Case: every word of three or more letters starts with a capital (short words like "of", "et" may not). */
function titleCase(words: readonly string[]): boolean {
  const significant = words.filter((w) => /^\p{L}/u.test(w) && w.replace(/[^\p{L}]/gu, '').length >= 4);
  return significant.length > 0 && significant.every(capitalised);
}

/**
 * A company's name: a legal form, a name built from surnames, or a capitalised phrase with a trade word.
 * @example
 * ```ts
 * isCompanyName('Koch, Rempel and Upton', d); // true
 * isCompanyName('Dairy Products', d); // false
 * ```
 */
export function isCompanyName(value: string, d: PiiDictionaries): boolean {
  const v = value.trim();
  if (v.length < 3 || v.length > 80 || /@|:\/\//.test(v)) return false;
  const words = phraseWords(v);
  if (words.length === 0 || words.length > 8) return false;
  const lowered = words.map(bare);
  if (!/^\p{Lu}|^\d/u.test(v)) return false;
  // a legal form at the end: "Acme Inc.", "Müller GmbH & Co. KG", "Smith and Sons", "Folk och fä HB"
  for (let n = 1; n <= 3 && n < words.length; n++) {
    const tail = lower(words.slice(-n).join(' '));
    if (d.companySuffixes.has(tail) || d.companySuffixes.has(tail.replace(/[.,]+$/, ''))) return true;
  }
  // built from surnames: "Koch, Rempel and Upton", "Schmidt - Herzog", "Smith & Wesson"
  const joined = /^(\p{Lu}[\p{L}'-]+)(?:,? (?:and|&|und|et|y|e|en|og|och) | - |, )(\p{Lu}[\p{L}'-]+)/u.exec(v);
  if (joined && d.lastNames.has(bare(joined[1]!)) && d.lastNames.has(bare(joined[2]!))) return true;
  if (/ (?:&|and|und|et|y) /i.test(v) && titleCase(words) && words.length <= 6 && !lowered.every((w) => isVocabularyWord(w, d) || w === '&' || w === 'and')) return true;
  // a trade word in a capitalised phrase: "White Clover Markets", "Ernst Handel", "Hungry Coyote Import Store"
  return words.length >= 2 && titleCase(words) && lowered.some((w) => BUSINESS_WORDS.has(w));
}

/**
 * A capitalised phrase with a word no dictionary knows: the name of someone or something.
 * @example
 * ```ts
 * isProperName('Hanari Carnes', d); // true
 * isProperName('Sales Representative', d); // false
 * ```
 */
export function isProperName(value: string, d: PiiDictionaries): boolean {
  const words = phraseWords(value);
  if (words.length === 0 || words.length > 6 || value.length > 60 || /\d|@/.test(value)) return false;
  if (!capitalised(words[0]!)) return false;
  const letters = words.filter((w) => /^\p{L}[\p{L}'’.-]*$/u.test(w));
  if (letters.length !== words.length) return false;
  return words.some((w) => capitalised(w) && bare(w).length >= 3 && !(w.length <= 3 && w === w.toUpperCase()) && !isVocabularyWord(w, d));
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * An identifier-like code: `ALFKI`, `CUST-00042`, `INV2024001`, `0001234567`, a UUID or ULID.
 * Short ISO-style codes (`EUR`, `US`, `PG-13`) and words are not codes.
 * @example
 * ```ts
 * isCode('CUST-00042', d); // true
 * isCode('EUR', d); // false
 * ```
 */
export function isCode(value: string, d: PiiDictionaries): boolean {
  const v = value.trim();
  if (v.length < 4 || v.length > 64 || /\s/.test(v)) return false;
  if (UUID.test(v) || ULID.test(v)) return true;
  if (/^\d+$/.test(v)) return v.length >= 6;
  if (/^\p{Lu}{4,10}$/u.test(v)) return !isVocabularyWord(v, d) && !d.firstNames.has(lower(v)) && !d.lastNames.has(lower(v));
  if (!/^[A-Za-z0-9]+(?:[-_/.#][A-Za-z0-9]+)*$/.test(v)) return false;
  const digits = v.replace(/\D/g, '').length;
  return digits >= 3 && /[A-Za-z]/.test(v) && v.length >= 5;
}
