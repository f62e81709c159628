/**
 * Payment card numbers (13–19 digits, a known issuer prefix, the Luhn check) and IBANs
 * (the country's length and the mod-97 check), as whole values and inside text.
 *
 * @example
 * ```ts
 * isCardNumber('4111 1111 1111 1111'); // true
 * isCardNumber('4111 1111 1111 1112'); // false: Luhn
 * isIban('FR14 2004 1010 0505 0001 3M02 606'); // true
 * ```
 */
import { ibanValid, luhnValid } from './checksums.js';

/** Issuer prefixes (IIN ranges) of the major card networks, by number length. */
function knownIssuer(d: string): boolean {
  const two = Number(d.slice(0, 2));
  const four = Number(d.slice(0, 4));
  const six = Number(d.slice(0, 6));
  if (d[0] === '4') return d.length === 13 || d.length === 16 || d.length === 19; // Visa
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return d.length === 16; // Mastercard
  if (two === 34 || two === 37) return d.length === 15; // Amex
  if (four === 6011 || two === 65 || (six >= 644000 && six <= 649999) || (six >= 622126 && six <= 622925)) return d.length >= 16; // Discover
  if (four >= 3528 && four <= 3589) return d.length >= 16; // JCB
  if (two === 36 || two === 38 || two === 39 || (Number(d.slice(0, 3)) >= 300 && Number(d.slice(0, 3)) <= 305)) return d.length >= 14; // Diners
  if (two === 62) return d.length >= 16; // UnionPay
  if (two === 50 || (two >= 56 && two <= 69)) return d.length >= 12; // Maestro
  return false;
}

/**
 * A whole value is a card number: digits in groups (spaces or dashes) or one run.
 * @example
 * ```ts
 * isCardNumber('3782-822463-10005'); // true (Amex)
 * ```
 */
export function isCardNumber(value: string): boolean {
  const v = value.trim();
  if (!/^\d[\d -]{11,22}\d$/.test(v) || /[ -]{2}/.test(v)) return false;
  const d = v.replace(/[ -]/g, '');
  return d.length >= 13 && d.length <= 19 && knownIssuer(d) && luhnValid(d);
}

const CARD_IN_TEXT = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;

/** Card numbers inside a text. */
export function countCardNumbersIn(text: string): number {
  let n = 0;
  for (const m of text.matchAll(CARD_IN_TEXT)) if (isCardNumber(m[0])) n++;
  return n;
}

/**
 * A whole value is an IBAN (spaces allowed).
 * @example
 * ```ts
 * isIban('DE89370400440532013000'); // true
 * ```
 */
export function isIban(value: string): boolean {
  const v = value.trim();
  return v.length >= 15 && v.length <= 42 && ibanValid(v);
}

const IBAN_IN_TEXT = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;

/** IBANs inside a text. */
export function countIbansIn(text: string): number {
  let n = 0;
  for (const m of text.matchAll(IBAN_IN_TEXT)) if (ibanValid(m[0])) n++;
  return n;
}
