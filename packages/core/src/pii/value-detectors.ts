/**
 * The value detectors, in one table: each recognises one kind of personal value as a
 * whole value and, where it can do so reliably, inside free text. Every column
 * classification (scan, the profile's privacy policy) goes through this table.
 *
 * `columnShare` is the share of a column's sampled values that must match before the
 * column is said to hold the kind: low for checksummed shapes (a wrong hit is rare),
 * high where a random value matches by chance (a 9-digit number passes the Dutch
 * 11-test one time in eleven).
 *
 * @example
 * ```ts
 * const d = await loadPiiDictionaries();
 * wholeValueDetections('4111 1111 1111 1111', d); // [card-luhn]
 * ```
 */
import { isEmail, isPhone, countEmailsIn, countPhonesIn } from './contact.js';
import type { PiiDictionaries } from './dictionaries.js';
import { countCardNumbersIn, countIbansIn, isCardNumber, isIban } from './finance.js';
import { isCode, isCompanyName, personName } from './names.js';
import { NATIONAL_ID_SCHEMES, countNationalIdsIn } from './national-ids.js';
import { countIpAddressesIn, countMacAddressesIn, countUrlsWithCredentialsIn, isIpAddress, isMacAddress, isUrlWithCredentials } from './network.js';
import type { PiiKind } from './pii-kind.js';
import { countStreetAddressesIn, isPostcode, isStreetAddress } from './places.js';
import { countJwtsIn, countSecretsIn, isJwt, secretKind } from './secrets.js';

export interface ValueDetector {
  readonly id: string;
  readonly kind: PiiKind;
  /** Share of a column's values that must match for the column to hold `kind`. */
  readonly columnShare: number;
  /** How much one column-level match is worth (0…1): checksums high, dictionaries lower. */
  readonly strength: number;
  matches(value: string, d: PiiDictionaries): boolean;
  /** Occurrences inside free text; absent when the detector is unreliable in prose. */
  countIn?(text: string, d: PiiDictionaries): number;
}

const nationalIdDetectors: ValueDetector[] = NATIONAL_ID_SCHEMES.map((scheme) => ({
  id: scheme.id,
  kind: 'national-id' as const,
  columnShare: scheme.bareDigits ? 0.8 : 0.5,
  strength: scheme.valid ? 0.97 : 0.85,
  matches: (value: string) => {
    const v = value.trim();
    return scheme.shape.test(v) && (scheme.valid?.(v) ?? true);
  },
}));

/** Every value detector, most specific first. */
export const VALUE_DETECTORS: readonly ValueDetector[] = [
  { id: 'email', kind: 'email', columnShare: 0.5, strength: 0.98, matches: isEmail, countIn: countEmailsIn },
  { id: 'jwt', kind: 'jwt', columnShare: 0.5, strength: 0.99, matches: isJwt, countIn: countJwtsIn },
  { id: 'url-credentials', kind: 'url-credentials', columnShare: 0.3, strength: 0.95, matches: isUrlWithCredentials, countIn: countUrlsWithCredentialsIn },
  {
    id: 'known-secret',
    kind: 'secret',
    columnShare: 0.3,
    strength: 0.97,
    matches: (v) => {
      const k = secretKind(v);
      return k !== undefined && k !== 'random-token';
    },
    countIn: countSecretsIn,
  },
  { id: 'card-luhn', kind: 'card-number', columnShare: 0.5, strength: 0.97, matches: isCardNumber, countIn: countCardNumbersIn },
  { id: 'iban-mod97', kind: 'iban', columnShare: 0.5, strength: 0.99, matches: isIban, countIn: countIbansIn },
  ...nationalIdDetectors,
  { id: 'ip-address', kind: 'ip-address', columnShare: 0.5, strength: 0.95, matches: isIpAddress, countIn: countIpAddressesIn },
  { id: 'mac-address', kind: 'mac-address', columnShare: 0.5, strength: 0.97, matches: isMacAddress, countIn: countMacAddressesIn },
  { id: 'phone', kind: 'phone', columnShare: 0.5, strength: 0.9, matches: isPhone, countIn: countPhonesIn },
  { id: 'street-address', kind: 'address', columnShare: 0.4, strength: 0.85, matches: isStreetAddress, countIn: countStreetAddressesIn },
  { id: 'postcode-shape', kind: 'postcode', columnShare: 0.6, strength: 0.8, matches: isPostcode },
  { id: 'entropy-token', kind: 'secret', columnShare: 0.6, strength: 0.75, matches: (v) => secretKind(v) === 'random-token' },
  { id: 'person-name-dictionary', kind: 'person-name', columnShare: 0.3, strength: 0.85, matches: (v, d) => personName(v, d) === 'full' },
  { id: 'company-name', kind: 'company', columnShare: 0.3, strength: 0.8, matches: isCompanyName },
  { id: 'code', kind: 'identifier', columnShare: 0.6, strength: 0.7, matches: isCode },
];

/** National-id totals inside text come from one pass over every scheme. */
export const NATIONAL_ID_IN_TEXT = { id: 'national-id', kind: 'national-id' as const, countIn: countNationalIdsIn };

/**
 * The detectors a single whole value matches (a value can match several: a 9-digit BSN is also a phone-length run).
 * @example
 * ```ts
 * wholeValueDetections('bob@example.com', d).map((x) => x.id); // ['email']
 * ```
 */
export function wholeValueDetections(value: string, d: PiiDictionaries): ValueDetector[] {
  const v = value.trim();
  if (v.length === 0) return [];
  return VALUE_DETECTORS.filter((detector) => detector.matches(v, d));
}

/**
 * Person names inside prose: two or three capitalised words whose first is a known first
 * name and whose last is a known surname (`… called Maria Garcia yesterday …`).
 * @example
 * ```ts
 * countPersonNamesIn('Spoke to Maria Garcia about it', d); // 1
 * ```
 */
export function countPersonNamesIn(text: string, d: PiiDictionaries): number {
  let n = 0;
  for (const m of text.matchAll(/\b(\p{Lu}\p{Ll}+)(?: \p{Lu}\.?)? (\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)\b/gu)) {
    const first = m[1]!.toLocaleLowerCase('en');
    const last = m[2]!.toLocaleLowerCase('en');
    if (d.firstNames.has(first) && d.lastNames.has(last) && !d.vocabulary.has(first)) n++;
  }
  return n;
}
