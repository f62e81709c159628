/**
 * Plugs address-based randomness into faker through its injectable
 * `Randomizer`, so faker never has to be re-seeded per value (that costs ~20 µs).
 * One `Faker` per worker; before each faker call a generator points it at the
 * current address's stream, which is an assignment.
 *
 * @example
 * ```ts
 * const bound = createBoundFaker('en');
 * bound.use(rnd.at(17)).person.firstName(); // the same name for row 17, always
 * ```
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Faker, LocaleDefinition, Randomizer } from '@faker-js/faker';
import { faker as fakerEn } from '@faker-js/faker/locale/en';
import { UsageError } from '@understudy/core';
import { AddressRandom } from './address-random.js';
import { installCompiledFake } from './faker-templates.js';
import { addressKey } from './hash.js';

/**
 * A faker `Randomizer` that draws from whichever `AddressRandom` it is pointed at.
 *
 * @example
 * ```ts
 * const randomizer = new AddressRandomizer();
 * const faker = new Faker({ locale: [en, base], randomizer });
 * randomizer.source = rnd.at(3);
 * faker.person.firstName();
 * ```
 */
export class AddressRandomizer implements Randomizer {
  source: AddressRandom = new AddressRandom(addressKey('unbound'));

  /** Faker calls these unbound, so they are arrow properties. */
  readonly next = (): number => this.source.float();

  /** Ignored: values are addressed, never seeded. */
  readonly seed = (): void => {};
}

export interface BoundFaker {
  readonly faker: Faker;
  /** Points faker at `rnd` (its current address) and returns it. */
  use(rnd: AddressRandom): Faker;
}

const require = createRequire(import.meta.url);

/** Locales loaded by `loadFakerLocale` (en is imported above). */
const loadedLocales = new Map<string, Faker>([['en', fakerEn]]);

const LOCALE_NAME = /^[A-Za-z]+(_[A-Za-z0-9]+)*$/;

function isMissingModule(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND';
}

/**
 * faker's ready-made instance for one locale (its chain: the locale, then en, then base),
 * loaded on its own: importing '@faker-js/faker' itself evaluates all of faker's 70-odd
 * locales, ~170 ms and ~20 MB in every worker. Undefined for a name faker has no locale for.
 *
 * A locale `loadFakerLocale` has not loaded is `require()`d here: faker is an ES module, and on
 * Node 20 a `require()` of an ES module that meets an `import()` in flight aborts the process.
 * The worker threads and the CLI load their locale first; `require` is the fallback for a
 * library caller that did not.
 */
function localeFaker(name: string): Faker | undefined {
  if (!LOCALE_NAME.test(name)) return undefined;
  const loaded = loadedLocales.get(name);
  if (loaded) return loaded;
  try {
    const faker = (require(`@faker-js/faker/locale/${name}`) as { faker: Faker }).faker;
    loadedLocales.set(name, faker);
    return faker;
  } catch (error) {
    if (isMissingModule(error)) return undefined;
    throw error;
  }
}

/**
 * Loads a faker locale (`pt_BR` or `pt-BR`) with `import()`, so that plans and scrubs in this
 * thread find it without a `require()` of an ES module. A name faker has no locale for is left
 * for `fakerLocale` to refuse.
 *
 * @example
 * ```ts
 * await loadFakerLocale('de');
 * createBoundFaker('de').faker.person.lastName();
 * ```
 */
export async function loadFakerLocale(locale: string): Promise<void> {
  for (const name of [locale, locale.replace('-', '_')]) {
    if (loadedLocales.has(name)) return;
    if (!LOCALE_NAME.test(name)) continue;
    try {
      loadedLocales.set(name, ((await import(`@faker-js/faker/locale/${name}`)) as { faker: Faker }).faker);
      return;
    } catch (error) {
      if (!isMissingModule(error)) throw error;
    }
  }
}

/**
 * Names of the faker locales Understudy can use (`en`, `de`, `fr`, `pt_BR`, …).
 *
 * @example
 * ```ts
 * fakerLocaleNames().includes('de'); // true
 * ```
 */
export function fakerLocaleNames(): string[] {
  // The files of faker's locale folder (one module per locale, as `allLocales` lists them), read
  // without loading any: importing faker's index evaluates all of them.
  const folder = dirname(require.resolve('@faker-js/faker/locale/en'));
  return readdirSync(folder)
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3))
    .sort();
}

function canonicalLocale(locale: string): { name: string; faker: Faker } {
  for (const name of [locale, locale.replace('-', '_')]) {
    const faker = localeFaker(name);
    if (faker) return { name, faker };
  }
  throw new UsageError(`unknown locale "${locale}"`, { hint: `Use one of faker's locales, e.g. en, de, fr, pt_BR, ja.` });
}

/**
 * Resolves a locale name (`pt_BR`, `pt-BR`) to faker's definitions, with `en` and `base` as fallbacks.
 * @throws UsageError for a locale faker does not have.
 *
 * @example
 * ```ts
 * new Faker({ locale: fakerLocale('pt_BR') });
 * ```
 */
export function fakerLocale(locale: string): LocaleDefinition {
  return canonicalLocale(locale).faker.rawDefinitions;
}

/**
 * A Faker bound to an `AddressRandomizer`. `referenceTime` pins faker's notion of
 * "now" so date helpers are reproducible too.
 *
 * @example
 * ```ts
 * const bound = createBoundFaker('en', Date.UTC(2025, 0, 1));
 * bound.use(rnd.at(0)).company.name();
 * ```
 */
export function createBoundFaker(locale: string, referenceTime = Date.UTC(2025, 0, 1)): BoundFaker {
  const randomizer = new AddressRandomizer();
  const ready = canonicalLocale(locale).faker;
  const FakerClass = ready.constructor as typeof Faker;
  const faker = new FakerClass({
    locale: ready.rawDefinitions,
    randomizer,
    config: { defaultRefDate: () => new Date(referenceTime) },
  });
  installCompiledFake(faker, (length) => randomizer.source.index(length));
  return {
    faker,
    use(rnd: AddressRandom): Faker {
      randomizer.source = rnd;
      return faker;
    },
  };
}
