/**
 * E-mail addresses and telephone numbers, as whole values and inside text.
 *
 * A phone number is recognised in its international form (E.164, `+44 20 7946 0958`,
 * `+1-555-013-3377`) and in national forms that carry a phone's grouping
 * (`(555) 013-3377`, `020 7946 0958`, `06 12 34 56 78`, `0151-234-5678`): 7 to 15
 * digits, separated by spaces, dashes, dots or a bracketed area code. A bare run of
 * digits is not a phone number by its look alone (it is as likely an id or an amount);
 * `phoneDigitsOnly` says when it could be one, for a column whose name says phone.
 *
 * @example
 * ```ts
 * isEmail('ana.lima+news@example.com.br'); // true
 * isPhone('+33 6 12 34 56 78'); // true
 * isPhone('2024-01-15'); // false: a date
 * ```
 */

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}$/;
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b/g;

/**
 * A whole value is one e-mail address (`mailto:` and angle brackets allowed).
 * @example
 * ```ts
 * isEmail('<bob@example.org>'); // true
 * ```
 */
export function isEmail(value: string): boolean {
  const v = value
    .trim()
    .replace(/^mailto:/i, '')
    .replace(/^<(.*)>$/, '$1');
  return v.length <= 254 && EMAIL.test(v);
}

/** E-mail addresses inside a text. */
export function countEmailsIn(text: string): number {
  return text.includes('@') ? [...text.matchAll(EMAIL_IN_TEXT)].length : 0;
}

/** International: `+`, a country code, then groups. */
const PHONE_INTERNATIONAL = /^\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){1,6}(?: ?(?:x|ext\.?) ?\d{1,5})?$/i;
/** National: a bracketed area code or a leading trunk 0, or at least three groups. */
const PHONE_NATIONAL = /^(?:\(\d{2,5}\) ?\d{2,5}(?:[ .-]\d{2,5}){0,3}|0\d{1,5}(?:[ .-/]\d{2,5}){1,4}|\d{2,5}(?:[ .-]\d{2,5}){2,4})(?: ?(?:x|ext\.?) ?\d{1,5})?$/i;
const PHONE_IN_TEXT = /(?:\+\d{1,3}[ .-]?\(?\d{1,5}\)?(?:[ .-]?\d{2,5}){1,5}|\(\d{2,5}\) ?\d{2,5}[ .-]\d{2,5}|\b0\d{1,4}[ .-]\d{2,5}[ .-]\d{2,5}(?:[ .-]\d{2,5})?|\b\d{3}[.-]\d{3}[.-]\d{4})\b/g;

function digitCount(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) n++;
  return n;
}

/** Shapes made of digits and separators that are not phones: dates, times, IPs, decimals, versions. */
function otherNumericShape(v: string): boolean {
  return (
    /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/.test(v) || // ISO date
    /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/.test(v) || // d/m/y
    /^\d{1,3}(\.\d{1,3}){3}$/.test(v) || // IPv4
    /^-?\d+([.,]\d+)?$/.test(v) || // a number
    /^\d{1,3}([ ,.]\d{3})+([.,]\d+)?$/.test(v) // 1,234,567.00 or 1 234 567
  );
}

/**
 * A whole value is one phone number, international or national form.
 * @example
 * ```ts
 * isPhone('(555) 013-3377'); // true
 * isPhone('12345'); // false
 * ```
 */
export function isPhone(value: string): boolean {
  const v = value.trim().replace(/^tel:/i, '');
  if (v.length < 7 || v.length > 32) return false;
  const digits = digitCount(v);
  if (digits < 7 || digits > 15) return false;
  if (v.startsWith('+')) return PHONE_INTERNATIONAL.test(v);
  if (/^\d{3}\.\d{3}\.\d{4}$/.test(v)) return true; // 555.013.3377
  if (otherNumericShape(v)) return false;
  return PHONE_NATIONAL.test(v);
}

/**
 * A bare run of 7–15 digits (or `+` and digits): could be a phone number if the column's name says so.
 * @example
 * ```ts
 * phoneDigitsOnly('5550133377'); // true
 * ```
 */
export function phoneDigitsOnly(value: string): boolean {
  return /^\+?\d{7,15}$/.test(value.trim());
}

/** Phone numbers inside a text. */
export function countPhonesIn(text: string): number {
  let n = 0;
  for (const m of text.matchAll(PHONE_IN_TEXT)) {
    const d = digitCount(m[0]);
    if (d >= 7 && d <= 15 && !otherNumericShape(m[0].trim())) n++;
  }
  return n;
}
