/**
 * Splits column and table names, in the styles real schemas use, into lower-case
 * words: `billing_email`, `EmailAddress`, `emailAddress`, `URLPath`, `address2`,
 * `ZIP-code`.
 *
 * @example
 * ```ts
 * nameTokens('EmailAddress');    // ['email', 'address']
 * nameSuffixes('billing_email'); // ['billingemail', 'email']
 * nameTokens('lastupdatedby');   // ['last', 'updated', 'by']
 * ```
 */
import { SEMANTIC_RULES } from './semantic-kinds.js';

export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((t) => t.length > 0)
    .flatMap((t) => runTogether(t.toLowerCase()));
}

/**
 * Words a schema's names are made of. A name folded to lower case with no separator
 * (Request Tracker's `RealName`, `InitialPriority`, `LastUpdatedBy`, written unquoted in its
 * PostgreSQL DDL and so `realname`, `initialpriority`, `lastupdatedby`) is split into them.
 */
const WORDS = new Set(
  (
    'real full display first last middle nick user group member principal owner creator parent immediate home work mobile ' +
    'pager cell office phone fax email mail address correspond comment initial final effective is has can merged updated ' +
    'accessed created modified deleted changed used by object content message subject type id sort order time estimated ' +
    'left taken worked worker date encoding large max min unique old new value values lookup render reference rights ' +
    'right name entry validation hint class transaction dashboard custom field role auth token contact info freeform system ' +
    'external tag certificate queue ticket status state code number count total start end due told author account login ' +
    'logged seen visited sent received expires expired valid birth zip postal country city street billing shipping ' +
    'primary secondary parent child source target description title url link priority level rank score weight amount ' +
    'price cost percent note notes key hash flag mode kind format language lang zone public private active enabled disabled ' +
    'hidden visible locked file path image mime version host port remote client server session event action condition summary'
  ).split(' '),
);
/** Names that are words of their own, never split (`username`, not `user` + `name`). */
let whole: ReadonlySet<string> | undefined;

/** A lower-case run of known words (`lastupdatedby` → last, updated, by), else the token itself. */
function runTogether(token: string): string[] {
  if (token.length < 6 || !/^[a-z]+$/.test(token) || WORDS.has(token)) return [token];
  whole ??= new Set(SEMANTIC_RULES.flatMap((r) => r.names));
  if (whole.has(token)) return [token];
  // Fewest words that cover the whole token, each of two letters or more.
  const best: Array<string[] | undefined> = [[]];
  for (let end = 1; end <= token.length; end++) {
    for (let start = Math.max(0, end - 14); start <= end - 2; start++) {
      const before = best[start];
      const word = token.slice(start, end);
      if (before === undefined || !WORDS.has(word)) continue;
      if (best[end] === undefined || best[end]!.length > before.length + 1) best[end] = [...before, word];
    }
  }
  const split = best[token.length];
  return split && split.length > 1 ? split : [token];
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
