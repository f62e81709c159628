/**
 * `fake:<kind>`: a realistic replacement chosen by keyed hash of the original value,
 * so the same value becomes the same fake in every table, run and database. Faker
 * draws from the project's counter-based randomizer (`createBoundFaker`), pointed at
 * a stream seeded from a keyed hash of (kind, value): faker is never re-seeded.
 *
 * Kinds with a shape (phones, postcodes, national ids, cards, IBANs) keep the
 * original's shape: separators stay, digits become other digits; cards keep a valid
 * Luhn digit and IBANs a valid checksum, so validation in the application still passes.
 *
 * @example
 * ```ts
 * const fake = createFaker(key);
 * fake('email', 'alice@corp.com', 120); // e.g. 'Marlon.Kuhn41@example.net'
 * ```
 */
import { AddressRandom, createBoundFaker, fakerLocale, type BoundFaker } from '@understudy/generate';
import type { FakeKind } from '@understudy/core';
import type { ScrubKey } from './scrub-key.js';
import { KeyedStream } from './keyed-prf.js';

/** The fewest characters a fake of each kind needs; a shorter column is refused before any row is read. */
export { FAKE_MIN_LENGTH } from '@understudy/core';

/** Digits → keyed digits, letters → keyed letters of the same case, the rest kept. */
export function scrambleShape(stream: KeyedStream, value: string): string {
  let out = '';
  for (const c of value) {
    if (c >= '0' && c <= '9') out += String(stream.below(10));
    else if (c >= 'a' && c <= 'z') out += String.fromCharCode(97 + stream.below(26));
    else if (c >= 'A' && c <= 'Z') out += String.fromCharCode(65 + stream.below(26));
    else out += c;
  }
  return out;
}

function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function fakeCard(stream: KeyedStream, value: string): string {
  const count = value.replace(/\D/g, '').length || 16;
  let digits = '4';
  while (digits.length < count - 1) digits += String(stream.below(10));
  digits += luhnCheckDigit(digits);
  let i = 0;
  const shaped = value.replace(/\d/g, () => digits[i++]!);
  return i === digits.length ? shaped : digits;
}

function fakeIban(stream: KeyedStream, value: string): string {
  const compact = value.replace(/\s/g, '');
  const country = /^[A-Z]{2}/.test(compact) ? compact.slice(0, 2) : 'DE';
  const bban = scrambleShape(stream, compact.length > 4 ? compact.slice(4) : '000000000000000000');
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rem = 0;
  for (const ch of numeric) rem = (rem * 10 + Number(ch)) % 97;
  const iban = `${country}${String(98 - rem).padStart(2, '0')}${bban}`;
  return value.includes(' ') ? iban.replace(/(.{4})/g, '$1 ').trim() : iban;
}

function seedOf(stream: KeyedStream): AddressRandom {
  return new AddressRandom({ a: stream.uint32(), b: stream.uint32() }).at(stream.uint32() % 2 ** 31);
}

/** A function making the fake of a kind for a value, at most `maxLength` characters. */
export type FakeFn = (kind: FakeKind, value: string, maxLength: number | undefined) => string;

/**
 * The fake maker for a key (one faker per process, re-pointed per value).
 * @example
 * ```ts
 * createFaker(key)('city', 'Springfield', 80);
 * ```
 */
export function createFaker(key: ScrubKey, locale = 'en'): FakeFn {
  let bound: BoundFaker | undefined;
  const subkeys = new Map<FakeKind, Buffer>();
  return (kind, value, maxLength) => {
    let subkey = subkeys.get(kind);
    if (!subkey) subkeys.set(kind, (subkey = key.derive(`fake:${kind}`)));
    const stream = new KeyedStream(subkey, value);
    const shaped = (): string | undefined => {
      switch (kind) {
        case 'phone':
        case 'postcode':
        case 'national-id':
          return scrambleShape(stream, value);
        case 'card-number':
          return fakeCard(stream, value);
        case 'iban':
          return fakeIban(stream, value);
        default:
          return undefined;
      }
    };
    const direct = shaped();
    if (direct !== undefined) return maxLength !== undefined ? direct.slice(0, maxLength) : direct;
    bound ??= createBoundFaker(locale);
    const rnd = seedOf(stream);
    let out = '';
    for (let attempt = 0; attempt < 6; attempt++) {
      const f = bound.use(rnd);
      switch (kind) {
        case 'person-name':
          out = f.person.fullName();
          break;
        case 'first-name':
          out = f.person.firstName();
          break;
        case 'last-name':
          out = f.person.lastName();
          break;
        case 'email': {
          const first = f.person
            .firstName()
            .toLowerCase()
            .replace(/[^a-z]/g, '');
          const last = f.person
            .lastName()
            .toLowerCase()
            .replace(/[^a-z]/g, '');
          out = `${first}.${last}${rnd.int(1, 999)}@${rnd.pick(['example.com', 'example.net', 'example.org'])}`;
          break;
        }
        case 'username':
          out = f.internet.username().toLowerCase();
          break;
        case 'company':
          out = f.company.name();
          break;
        case 'address':
          out = f.location.streetAddress();
          break;
        case 'city':
          out = f.location.city();
          break;
        case 'ip-address':
          out = value.includes(':') ? f.internet.ipv6() : f.internet.ipv4();
          break;
        case 'mac-address':
          out = f.internet.mac(value.includes('-') ? '-' : ':');
          break;
        default:
          out = scrambleShape(stream, value);
      }
      if (maxLength === undefined || out.length <= maxLength) return out;
    }
    return out.slice(0, maxLength);
  };
}

/**
 * Every word and phrase the fakes of a locale draw from (names, cities, streets, companies'
 * words), lower-cased, with each phrase's words too: what a fake can equal by chance.
 * @example
 * ```ts
 * fakeVocabulary('en').has('la crosse'); // true: faker's en cities include it
 * ```
 */
export function fakeVocabulary(locale = 'en'): ReadonlySet<string> {
  const def = fakerLocale(locale) as unknown as Record<string, Record<string, unknown>>;
  const out = new Set<string>();
  const addAll = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.includes('{{') || value.includes('#')) return;
      const lower = value.toLowerCase();
      out.add(lower);
      for (const w of lower.split(/[\s,.'-]+/)) if (w.length > 0) out.add(w);
    } else if (Array.isArray(value)) value.forEach(addAll);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(addAll);
  };
  for (const section of ['person', 'location', 'company', 'internet']) addAll(def[section]);
  return out;
}
