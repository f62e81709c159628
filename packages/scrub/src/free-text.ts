/**
 * `text`: personal data inside free text, replaced by allowlist rather than by
 * denylist. The text is cut into tokens at spaces and punctuation; a token that a
 * detector recognises (an e-mail, a phone, an IP, a card, an IBAN) becomes a keyed
 * fake of its kind, a common word of the vocabulary or a short number stays, and
 * every other token (names, codes, secrets, anything unknown) is replaced by a keyed
 * token of the same shape. A detector that misses something therefore cannot leak it.
 *
 * @example
 * ```ts
 * const scrub = createTextScrubber(key, fake, dictionaries);
 * scrub('Call Anna Berg on +44 20 7946 0958'); // 'Call Xmtr Qobv on +31 86 2250 4417'
 * ```
 */
import { isCardNumber, isCommonWord, isEmail, isIban, isIpAddress, isMacAddress, type FakeKind, type PiiDictionaries } from '@understudy/core';
import type { FakeFn } from './fakes.js';
import { scrambleShape } from './fakes.js';
import { KeyedStream } from './keyed-prf.js';
import type { ScrubKey } from './scrub-key.js';

/** Short function words and common verbs that a vocabulary of nouns and adjectives lacks; they name nobody. */
export const FUNCTION_WORDS = new Set(
  `a about above after again against all am an and any are as ask asked at back be because been before being below
between both but by call called can could did do does doing down during each few for from further had has have having he her here hers him his
how i if in into is it its just last me more most my no nor not now of off on once only or other our out over own please same she should so
some such than that the their them then there these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours one two three four five six seven eight nine ten first next new old good great happy thanks thank
yes sent send sending received receive order orders delivery deliver delivered day days week weeks month today tomorrow yesterday morning
evening time per via left right front door gate ring mail email phone number customer client status ok okay`.split(/\s+/),
);

/** What separates tokens: white space (as `\s`) and `,;()[]{}"'<>|=&!?*`. */
const ASCII_SEPARATORS = new Uint8Array(128);
for (const c of ' \t\n\v\f\r,;()[]{}"\'<>|=&!?*') ASCII_SEPARATORS[c.charCodeAt(0)] = 1;

function isSeparator(code: number): boolean {
  return code < 128 ? ASCII_SEPARATORS[code] === 1 : /\s/.test(String.fromCharCode(code));
}

function kindOf(token: string): FakeKind | undefined {
  if (token.includes('@') && isEmail(token)) return 'email';
  if (isIpAddress(token)) return 'ip-address';
  if (isMacAddress(token)) return 'mac-address';
  if (/^[A-Z]{2}\d\d[A-Z0-9]{10,30}$/.test(token) && isIban(token)) return 'iban';
  if (/^\d{12,19}$/.test(token) && isCardNumber(token)) return 'card-number';
  return undefined;
}

/**
 * A common word that is not also a person's name or a place, or words of that kind joined by
 * hyphens (`pocket-watch`). In lower case an inflection counts (`attached`, `meetings`); a
 * capitalised word must be a word as it stands, and no name: many surnames are a word and an
 * ending (Fielding, Rivers, Walker).
 */
function isPlainWord(token: string, d: PiiDictionaries): boolean {
  const trimmed = token.replace(/[.:]+$/, '');
  if (!/^[A-Za-z]+(-[A-Za-z]+)*$/.test(trimmed)) return false;
  return trimmed.split('-').every((part) => {
    const w = part.toLowerCase();
    if (FUNCTION_WORDS.has(w)) return true;
    if (part === w) return isCommonWord(w, d);
    return d.vocabulary.has(w) && !d.firstNames.has(w) && !d.lastNames.has(w) && !d.places.has(w);
  });
}

/** The `text` transform for one key. */
export function createTextScrubber(key: ScrubKey, fake: FakeFn, d: PiiDictionaries): (text: string) => string {
  const subkey = key.derive('text');
  // A token's replacement depends on the token alone; words repeat, so each is worked out once (up to a bound).
  const memo = new Map<string, string>();
  const replace = (token: string): string => {
    const kind = kindOf(token);
    if (kind) return fake(kind, token, undefined);
    if (isPlainWord(token, d) || /^\d{1,3}([.:]\d{1,2})?$/.test(token)) return token;
    return scrambleShape(new KeyedStream(subkey, token), token);
  };
  // Tokens are the runs between separators, found by a scan (a split with a capturing group made an array per text).
  return (text: string): string => {
    let out = '';
    let start = 0;
    const n = text.length;
    for (let i = 0; i <= n; i++) {
      if (i < n && !isSeparator(text.charCodeAt(i))) continue;
      if (i > start) {
        const token = text.slice(start, i);
        let replaced = memo.get(token);
        if (replaced === undefined) {
          replaced = replace(token);
          if (memo.size >= 1 << 15) memo.clear();
          memo.set(token, replaced);
        }
        out += replaced;
      }
      if (i < n) out += text[i];
      start = i + 1;
    }
    return out;
  };
}
