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
import { Faker, allLocales, base, type LocaleDefinition, type Randomizer } from '@faker-js/faker';
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

/**
 * Names of the faker locales Understudy can use (`en`, `de`, `fr`, `pt_BR`, …).
 *
 * @example
 * ```ts
 * fakerLocaleNames().includes('de'); // true
 * ```
 */
export function fakerLocaleNames(): string[] {
  return Object.keys(allLocales).sort();
}

/**
 * Resolves a locale name to faker's definitions, with `en` and `base` as fallbacks.
 *
 * @example
 * ```ts
 * new Faker({ locale: fakerLocale('pt_BR') });
 * ```
 */
export function fakerLocale(locale: string): LocaleDefinition[] {
  const table = allLocales as Record<string, LocaleDefinition>;
  const found = table[locale] ?? table[locale.replace('-', '_')];
  if (!found) {
    throw new UsageError(`unknown locale "${locale}"`, { hint: `Use one of faker's locales, e.g. en, de, fr, pt_BR, ja.` });
  }
  const chain = [found];
  if (locale !== 'en' && allLocales.en) chain.push(allLocales.en);
  chain.push(base);
  return chain;
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
  const faker = new Faker({
    locale: fakerLocale(locale),
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
