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
import { isCardNumber, isEmail, isIban, isIpAddress, isMacAddress, type FakeKind, type PiiDictionaries } from '@understudy/core';
import type { FakeFn } from './fakes.js';
import { scrambleShape } from './fakes.js';
import { KeyedStream } from './keyed-prf.js';
import type { ScrubKey } from './scrub-key.js';

const SEPARATORS = /([\s,;()[\]{}"'<>|=&!?*]+)/;

function kindOf(token: string): FakeKind | undefined {
  if (token.includes('@') && isEmail(token)) return 'email';
  if (isIpAddress(token)) return 'ip-address';
  if (isMacAddress(token)) return 'mac-address';
  if (/^[A-Z]{2}\d\d[A-Z0-9]{10,30}$/.test(token) && isIban(token)) return 'iban';
  if (/^\d{12,19}$/.test(token) && isCardNumber(token)) return 'card-number';
  return undefined;
}

/** A common word (any case) that is not also a person's name or a place. */
function isPlainWord(token: string, d: PiiDictionaries): boolean {
  const trimmed = token.replace(/[.:]+$/, '');
  if (!/^[A-Za-z]+$/.test(trimmed)) return false;
  const w = trimmed.toLowerCase();
  if (!d.vocabulary.has(w)) return false;
  if (trimmed !== w && (d.firstNames.has(w) || d.lastNames.has(w) || d.places.has(w))) return false;
  return true;
}

/** The `text` transform for one key. */
export function createTextScrubber(key: ScrubKey, fake: FakeFn, d: PiiDictionaries): (text: string) => string {
  const subkey = key.derive('text');
  return (text: string): string => {
    const parts = text.split(SEPARATORS);
    for (let i = 0; i < parts.length; i += 2) {
      const token = parts[i]!;
      if (token === '') continue;
      const kind = kindOf(token);
      if (kind) parts[i] = fake(kind, token, undefined);
      else if (isPlainWord(token, d) || /^\d{1,3}([.:]\d{1,2})?$/.test(token)) continue;
      else parts[i] = scrambleShape(new KeyedStream(subkey, token), token);
    }
    return parts.join('');
  };
}
