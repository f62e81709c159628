/**
 * Word and name lists read once from the bound faker's locale definitions, so
 * hot generators (words, sentences, e-mails) pick from arrays instead of going
 * through faker's templating on every value.
 *
 * @example
 * ```ts
 * const pool = wordPool(env.faker.faker);
 * pool.words[rnd.index(pool.words.length)]; // 'harbor'
 * ```
 */
import type { Faker } from '@faker-js/faker';

export interface WordPool {
  /** Nouns, adjectives, verbs and adverbs of the locale (falls back to English via the locale chain). */
  readonly words: readonly string[];
  readonly firstNames: readonly string[];
  readonly lastNames: readonly string[];
  readonly emailDomains: readonly string[];
  /** Real city names of the locale, when it lists them. */
  readonly cities: readonly string[];
}

const pools = new WeakMap<Faker, WordPool>();

function flatten(entry: unknown): string[] {
  if (Array.isArray(entry)) return entry.filter((x): x is string => typeof x === 'string');
  if (entry !== null && typeof entry === 'object') return Object.values(entry).flatMap(flatten);
  return [];
}

function read(faker: Faker, read: () => unknown): string[] {
  try {
    return flatten(read());
  } catch {
    return [];
  }
}

export function wordPool(faker: Faker): WordPool {
  let pool = pools.get(faker);
  if (!pool) {
    const d = faker.definitions;
    const words = [...read(faker, () => d.word.noun), ...read(faker, () => d.word.adjective), ...read(faker, () => d.word.verb), ...read(faker, () => d.word.adverb)];
    const firstNames = read(faker, () => d.person.first_name);
    const lastNames = read(faker, () => d.person.last_name);
    const domains = read(faker, () => d.internet.example_email);
    const cities = read(faker, () => d.location.city_name);
    pool = {
      words: words.length > 0 ? words : ['alpha', 'beta', 'gamma', 'delta'],
      firstNames: firstNames.length > 0 ? firstNames : ['Alex'],
      lastNames: lastNames.length > 0 ? lastNames : ['Smith'],
      emailDomains: domains.length > 0 ? domains : ['example.com', 'example.net', 'example.org'],
      cities,
    };
    pools.set(faker, pool);
  }
  return pool;
}
