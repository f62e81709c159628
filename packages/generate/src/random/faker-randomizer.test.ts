import { allLocales } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@understudy/core';
import { createBoundFaker, fakerLocale, fakerLocaleNames, loadFakerLocale } from './faker-randomizer.js';
import { AddressRandom } from './address-random.js';
import { addressKey } from './hash.js';

describe('faker locales', () => {
  it('fakerLocaleNames lists what faker itself lists in allLocales', () => {
    expect(fakerLocaleNames()).toEqual(Object.keys(allLocales).sort());
  });

  it('a loaded locale is the one faker ships, under either spelling', async () => {
    await loadFakerLocale('pt-BR');
    expect(fakerLocale('pt-BR')).toBe(fakerLocale('pt_BR'));
    expect(fakerLocale('pt_BR').person?.first_name).toEqual(allLocales.pt_BR.person?.first_name);
    const rnd = new AddressRandom(addressKey('locale-test'));
    const name = createBoundFaker('de').use(rnd.at(3)).person.lastName();
    expect(allLocales.de.person?.last_name?.generic ?? []).toContain(name);
  });

  it('an unknown locale is refused by fakerLocale, not by loadFakerLocale', async () => {
    await expect(loadFakerLocale('xx_YY')).resolves.toBeUndefined();
    expect(() => fakerLocale('xx_YY')).toThrow(UsageError);
    expect(() => fakerLocale('../../evil')).toThrow(/unknown locale/);
  });
});
