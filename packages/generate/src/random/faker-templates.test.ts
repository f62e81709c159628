import { Faker, base, en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { AddressRandom } from './address-random.js';
import { createBoundFaker } from './faker-randomizer.js';
import { addressKey } from './hash.js';

/** faker's own, unpatched, for comparison. */
const plain = new Faker({ locale: [en, base], seed: 7 });

function draws(locale: string, method: (f: Faker) => string, n: number): string[] {
  const bound = createBoundFaker(locale);
  const rnd = new AddressRandom(addressKey('templates', locale));
  return Array.from({ length: n }, (_, i) => method(bound.use(rnd.at(i))));
}

const METHODS: Array<[string, (f: Faker) => string]> = [
  ['person.lastName', (f) => f.person.lastName()],
  ['person.fullName', (f) => f.person.fullName()],
  ['location.street', (f) => f.location.street()],
  ['location.streetAddress', (f) => f.location.streetAddress()],
  ['location.secondaryAddress', (f) => f.location.secondaryAddress()],
  ['location.city', (f) => f.location.city()],
  ['company.name', (f) => f.company.name()],
];

describe('compiled faker templates', () => {
  it.each(['en', 'de', 'fr', 'ja', 'pt_BR', 'ru'])('fill every pattern of locale %s completely', (locale) => {
    for (const [, method] of METHODS) {
      for (const value of draws(locale, method, 300)) {
        expect(value.length).toBeGreaterThan(0);
        expect(value).not.toMatch(/{{|}}/);
      }
    }
  });

  it("draw from the locale's own data with faker's shares (en last names: 95% plain, 5% hyphenated)", () => {
    const generic = new Set(en.person!.last_name!.generic as string[]);
    const values = draws('en', (f) => f.person.lastName(), 20_000);
    const hyphenated = values.filter((v) => !generic.has(v));
    for (const v of hyphenated) {
      const [a, b] = v.split('-');
      expect(generic.has(a!) && generic.has(b!)).toBe(true);
    }
    expect(hyphenated.length / values.length).toBeGreaterThan(0.04);
    expect(hyphenated.length / values.length).toBeLessThan(0.06);
  });

  it("give values of the same shape as faker's own fake()", () => {
    const shape = (v: string): string => v.replace(/\d/g, '9').replace(/[^\d\s.-]+/gu, 'w');
    for (const [name, method] of METHODS) {
      const ours = new Set(draws('en', method, 3000).map(shape));
      const theirs = new Set(Array.from({ length: 3000 }, () => shape(method(plain))));
      // The common shapes agree (rare ones may be missing from either sample).
      const common = [...theirs].filter((s) => ours.has(s)).length;
      expect(common / theirs.size, name).toBeGreaterThan(0.5);
    }
  });

  it('are a pure function of the address, and leave expressions with arguments to faker', () => {
    expect(draws('en', (f) => f.location.streetAddress(), 50)).toEqual(draws('en', (f) => f.location.streetAddress(), 50));
    const bound = createBoundFaker('en');
    const rnd = new AddressRandom(addressKey('args'));
    const digits = Array.from({ length: 200 }, (_, i) => bound.use(rnd.at(i)).helpers.fake('{{number.int(9)}}-{{person.firstName}}'));
    for (const d of digits) expect(d).toMatch(/^\d-\S+/);
    expect(new Set(digits.map((d) => d[0])).size).toBeGreaterThan(5);
  });
});
