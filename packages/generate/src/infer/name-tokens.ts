/**
 * Splits column and table names, in the styles real schemas use, into lower-case
 * words: `billing_email`, `EmailAddress`, `emailAddress`, `URLPath`, `address2`,
 * `ZIP-code`.
 *
 * @example
 * ```ts
 * nameTokens('EmailAddress');    // ['email', 'address']
 * nameSuffixes('billing_email'); // ['billingemail', 'email']
 * ```
 */

export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((t) => t.length > 0)
    .map((t) => t.toLowerCase());
}

/** Every token-aligned suffix, joined without separators, longest first. */
export function nameSuffixes(name: string): string[] {
  const tokens = nameTokens(name);
  const out: string[] = [];
  for (let k = 0; k < tokens.length; k++) out.push(tokens.slice(k).join(''));
  return out;
}

/** The singular of a simple English plural: `customers` → `customer`, `categories` → `category`. */
export function singular(word: string): string {
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|sh|ch|x)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3) return word.slice(0, -1);
  return word;
}

/** The words of a table name, singular: `order_items` → ['order', 'item']. */
export function tableWords(tableName: string): string[] {
  return nameTokens(tableName).map(singular);
}
