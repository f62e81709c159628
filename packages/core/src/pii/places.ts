/**
 * Postal addresses and postcodes.
 *
 * - A **street address** has a house number and a street word in the order its language
 *   writes them: `221B Baker Street`, `1600 Pennsylvania Ave NW`, `Hauptstraße 12`,
 *   `12 rue de la Paix`, `Calle Mayor 5, 2º`, `Via Roma 10`, `Keizersgracht 123`.
 * - A **postcode** is recognised by the shapes that cannot be something else: UK
 *   (`SW1A 1AA`), Canada (`K1A 0B1`), the Netherlands (`1012 AB`), US ZIP+4 (`12345-6789`),
 *   Brazil (`01310-100`), Poland (`00-950`), Japan (`100-0001`), Portugal (`1000-001`).
 *   A bare five-digit number is a postcode only when the column's name says so.
 *
 * @example
 * ```ts
 * isStreetAddress('221B Baker Street', d); // true
 * isPostcode('SW1A 1AA'); // true
 * isPostcode('75008'); // false: could be anything
 * ```
 */
import type { PiiDictionaries } from './dictionaries.js';

const HOUSE_NUMBER = /^\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?,?$/;
const lower = (s: string): string => s.toLocaleLowerCase('en');

/** Street words glued to a name: `Hauptstraße`, `Lindenweg`, `Keizersgracht`, `Storgatan`. */
const GLUED_STREET = /(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ring|ufer|gracht|straat|laan|plein|kade|gatan|vägen|vej|gade|veien|vegen|utca|katu|tie)$/i;

/**
 * A whole value is (or begins with) a street address: a house number next to a street name.
 * @example
 * ```ts
 * isStreetAddress('Calle Mayor 5, 2º', d); // true
 * isStreetAddress('Route 66', d); // false
 * ```
 */
export function isStreetAddress(value: string, d: PiiDictionaries): boolean {
  const line = value
    .trim()
    .split(/\r?\n|, /)[0]!
    .trim();
  if (line.length < 6 || line.length > 100) return false;
  const words = line.split(/\s+/);
  if (words.length < 2 || words.length > 10) return false;
  const numberAt = words.findIndex((w) => HOUSE_NUMBER.test(w));
  if (numberAt < 0) return false;
  const rest = words.filter((_, i) => i !== numberAt).map((w) => lower(w.replace(/[,;]$/, '')));
  if (!rest.some((w) => /\p{L}{2,}/u.test(w))) return false;
  const streetWord = rest.some((w) => d.streetWords.has(w) || d.streetWords.has(w.replace(/\.$/, '')) || GLUED_STREET.test(w));
  // "12 rue …", "1600 Pennsylvania Ave" (number first) and "Hauptstraße 12", "Via Roma 10" (number after) alike
  return streetWord;
}

const STREET_IN_TEXT =
  /\b\d{1,5}[A-Za-z]? (?:[A-Z][\p{L}'-]+ ){1,4}(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Way|Court|Ct\.?|Place|Pl\.?|Square|Terrace|Crescent|Close|Highway|Parkway)\b|\b[A-ZÄÖÜ][\p{L}-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|gracht|straat|laan|gatan|vägen|vej|gade) \d{1,5}[a-z]?\b|\b\d{1,4},? (?:rue|avenue|boulevard|allée|chemin|place|impasse|quai) [\p{L}' -]{3,40}|\b(?:Calle|Avenida|Rua|Via|Viale|Piazza|Corso|Paseo|Plaza) [A-Z][\p{L}' ]{2,40},? \d{1,5}\b/gu;

/** Street addresses inside a text. */
export function countStreetAddressesIn(text: string): number {
  return /\d/.test(text) ? [...text.matchAll(STREET_IN_TEXT)].length : 0;
}

const POSTCODE_SHAPES: readonly RegExp[] = [
  /^(?:GIR ?0AA|[A-PR-UWYZ](?:\d[\dA-HJKPSTUW]?|[A-HK-Y]\d[\dABEHMNPRV-Y]?) ?\d[ABD-HJLNP-UW-Z]{2})$/i, // UK
  /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$/i, // Canada
  /^[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}$/, // Netherlands
  /^\d{5}-\d{4}$/, // US ZIP+4
  /^\d{5}-\d{3}$/, // Brazil
  /^\d{2}-\d{3}$/, // Poland
  /^\d{3}-\d{4}$/, // Japan
  /^\d{4}-\d{3}$/, // Portugal
  /^(?:[A-Z]{1,2}-)\d{4,5}$/, // D-10115, F-75008, CH-8001
];

/**
 * A whole value is a postcode of a shape no other value has.
 * @example
 * ```ts
 * isPostcode('1012 AB'); // true (NL)
 * ```
 */
export function isPostcode(value: string): boolean {
  const v = value.trim();
  return v.length >= 4 && v.length <= 10 && POSTCODE_SHAPES.some((re) => re.test(v));
}

/**
 * A bare 4- or 5-digit number (US, DE, FR, ES, IT, …): a postcode only if the column's name says so.
 * @example
 * ```ts
 * postcodeDigitsOnly('75008'); // true
 * ```
 */
export function postcodeDigitsOnly(value: string): boolean {
  return /^\d{4,5}$/.test(value.trim());
}
