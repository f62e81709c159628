/**
 * National identifiers Understudy recognises, each by its exact shape and, where the
 * scheme has one, its check digit or letter. Chosen to cover the schemes that carry a
 * checksum (so a match is strong evidence, not just a digit count) across the
 * regions users come from, plus the two common shape-only ones:
 *
 * | id | scheme | check |
 * |---|---|---|
 * | `us-ssn` | US Social Security Number `AAA-GG-SSSS` | shape: no 000/666/9xx area, no 00 group, no 0000 serial |
 * | `uk-nino` | UK National Insurance number `AB 12 34 56 C` | shape: allowed prefix letters, suffix A–D |
 * | `fr-insee` | French NIR (numéro de sécurité sociale), 15 digits | key = 97 − (first 13 digits mod 97); Corsica 2A/2B |
 * | `es-dni` | Spanish DNI `12345678Z` and NIE `X1234567L` | control letter (mod 23) |
 * | `it-codice-fiscale` | Italian codice fiscale, 16 characters | control character (odd/even tables) |
 * | `nl-bsn` | Dutch BSN, 9 digits | 11-test (elfproef) |
 * | `in-aadhaar` | Indian Aadhaar, 12 digits | Verhoeff |
 * | `br-cpf` | Brazilian CPF `123.456.789-09` | two mod-11 check digits |
 *
 * @example
 * ```ts
 * nationalIdScheme('RSSMRA85T10A562S'); // 'it-codice-fiscale'
 * nationalIdScheme('12345678Z'); // 'es-dni'
 * nationalIdScheme('12345678A'); // undefined: wrong control letter
 * ```
 */
import { elevenTestValid, mod, verhoeffValid } from './checksums.js';

export interface NationalIdScheme {
  readonly id: string;
  /** The whole value (trimmed) must match. */
  readonly shape: RegExp;
  /** The check; absent for shape-only schemes. */
  readonly valid?: (value: string) => boolean;
  /** True when the scheme's shape is only digits, so it matches many non-identifiers by chance. */
  readonly bareDigits?: boolean;
  /** A pattern that finds it inside free text (global); absent where a bare digit run would be too weak. */
  readonly inText?: RegExp;
}

const digitsOf = (s: string): string => s.replace(/\D/g, '');

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
function dniValid(value: string): boolean {
  const v = value.toUpperCase().replace(/[-\s]/g, '');
  const nie = /^[XYZ]/.test(v) ? String('XYZ'.indexOf(v[0]!)) + v.slice(1) : v;
  const number = Number(nie.slice(0, 8));
  return DNI_LETTERS[number % 23] === nie[8];
}

const CF_ODD: Readonly<Record<string, number>> = {
  0: 1,
  1: 0,
  2: 5,
  3: 7,
  4: 9,
  5: 13,
  6: 15,
  7: 17,
  8: 19,
  9: 21,
  A: 1,
  B: 0,
  C: 5,
  D: 7,
  E: 9,
  F: 13,
  G: 15,
  H: 17,
  I: 19,
  J: 21,
  K: 2,
  L: 4,
  M: 18,
  N: 20,
  O: 11,
  P: 3,
  Q: 6,
  R: 8,
  S: 12,
  T: 14,
  U: 16,
  V: 10,
  W: 22,
  X: 25,
  Y: 24,
  Z: 23,
};
function codiceFiscaleValid(value: string): boolean {
  const v = value.toUpperCase();
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = v[i]!;
    if (i % 2 === 0) sum += CF_ODD[c]!;
    else sum += /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65;
  }
  return String.fromCharCode(65 + (sum % 26)) === v[15];
}

function inseeValid(value: string): boolean {
  const v = value.toUpperCase().replace(/\s/g, '');
  const body = v.slice(0, 13).replace('2A', '19').replace('2B', '18');
  if (!/^\d{13}$/.test(body)) return false;
  return 97 - mod(body, 97) === Number(v.slice(13));
}

function cpfValid(value: string): boolean {
  const d = digitsOf(value);
  if (d.length !== 11 || /^(\d)\1{10}$/.test(d)) return false;
  const check = (n: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Number(d[i]) * (n + 1 - i);
    const r = (sum * 10) % 11;
    return r === 10 ? 0 : r;
  };
  return check(9) === Number(d[9]) && check(10) === Number(d[10]);
}

/** The schemes, most specific first. */
export const NATIONAL_ID_SCHEMES: readonly NationalIdScheme[] = [
  {
    id: 'it-codice-fiscale',
    shape: /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/i,
    valid: codiceFiscaleValid,
    inText: /\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b/g,
  },
  {
    id: 'fr-insee',
    shape: /^[12] ?\d{2} ?(0[1-9]|1[0-2]|[2-9]\d) ?(\d{2}|2A|2B) ?\d{3} ?\d{3} ?\d{2}$/i,
    valid: inseeValid,
    inText: /\b[12] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2A|2B) ?\d{3} ?\d{3} ?\d{2}\b/g,
  },
  {
    id: 'es-dni',
    shape: /^(\d{8}|[XYZ]-?\d{7})-?[A-Z]$/i,
    valid: dniValid,
    inText: /\b(?:\d{8}|[XYZ]-?\d{7})-?[A-Z]\b/g,
  },
  {
    id: 'uk-nino',
    shape: /^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]$/i,
    inText: /\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g,
  },
  {
    id: 'us-ssn',
    shape: /^(?!000|666|9\d\d)\d{3}[- ](?!00)\d{2}[- ](?!0000)\d{4}$/,
    inText: /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g,
  },
  {
    id: 'br-cpf',
    shape: /^\d{3}\.?\d{3}\.?\d{3}-?\d{2}$/,
    valid: cpfValid,
    bareDigits: true,
    inText: /\b\d{3}\.\d{3}\.\d{3}-\d{2}\b/g,
  },
  {
    id: 'in-aadhaar',
    shape: /^[2-9]\d{3} ?\d{4} ?\d{4}$/,
    valid: (v) => verhoeffValid(digitsOf(v)),
    bareDigits: true,
    inText: /\b[2-9]\d{3} \d{4} \d{4}\b/g,
  },
  {
    id: 'nl-bsn',
    shape: /^(\d{9}|\d{4}\.\d{2}\.\d{3})$/,
    valid: (v) => elevenTestValid(digitsOf(v)),
    bareDigits: true,
  },
];

/**
 * The scheme a whole value is a valid identifier of, if any.
 * @example
 * ```ts
 * nationalIdScheme('AB 12 34 56 C'); // 'uk-nino'
 * ```
 */
export function nationalIdScheme(value: string): string | undefined {
  const v = value.trim();
  if (v.length < 9 || v.length > 21) return undefined;
  return NATIONAL_ID_SCHEMES.find((s) => s.shape.test(v) && (s.valid?.(v) ?? true))?.id;
}

/**
 * How many valid identifiers of any scheme occur inside a text (formatted spellings only:
 * a bare digit run in prose is too weak a signal).
 * @example
 * ```ts
 * countNationalIdsIn('SSN 123-45-6789, DNI 12345678Z'); // 2
 * ```
 */
export function countNationalIdsIn(text: string): number {
  let count = 0;
  for (const scheme of NATIONAL_ID_SCHEMES) {
    if (!scheme.inText) continue;
    for (const m of text.matchAll(scheme.inText)) if (scheme.valid?.(m[0]) ?? true) count++;
  }
  return count;
}
