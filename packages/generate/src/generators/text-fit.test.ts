import { faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { AddressRandom } from '../random/address-random.js';
import { addressKey } from '../random/hash.js';
import { compileTextFit, truncateText } from './text-fit.js';

const rnd = new AddressRandom(addressKey('1', 't', 'c'));

/** True when `cut` ends inside a word of `whole` (the next character of `whole` continues it). */
function endsMidWord(cut: string, whole: string): boolean {
  if (cut.length === 0 || cut.length >= whole.length || !whole.startsWith(cut)) return false;
  return /[\p{L}\p{N}]/u.test(cut.at(-1)!) && /[\p{L}\p{N}]/u.test(whole.charAt(cut.length));
}

describe('truncateText', () => {
  it('cuts at a word boundary when there is one', () => {
    expect(truncateText('Sweden Guatemala', 15)).toBe('Sweden');
    expect(truncateText('Raven Smith', 9)).toBe('Raven');
    expect(truncateText('Jean-Luc Picard', 6)).toBe('Jean');
    expect(truncateText('hello world', 7)).toBe('hello');
    // A cut that falls on a boundary keeps everything before it.
    expect(truncateText('Quiet Harbor Light', 12)).toBe('Quiet Harbor');
  });

  it('cuts a single long word (nothing else to keep), and keeps a minimum length by cutting mid-word', () => {
    expect(truncateText('Guatemala', 5)).toBe('Guate');
    expect(truncateText('Raven Smith', 9, 8)).toBe('Raven Smi');
  });

  it('never splits a surrogate pair', () => {
    expect(truncateText('ab😀cd', 3)).toBe('ab');
  });

  it('leaves no generated name, city or company cut inside a word when a boundary exists', () => {
    faker.seed(7);
    let checked = 0;
    for (let i = 0; i < 2000; i++) {
      const whole = [faker.person.fullName(), faker.location.country(), faker.company.name(), faker.lorem.sentence()][i % 4]!;
      for (const n of [6, 9, 12, 15]) {
        const cut = truncateText(whole, n);
        expect(cut.length).toBeLessThanOrEqual(n);
        if (/[\s-]/.test(whole.slice(1, n))) {
          checked++;
          expect(endsMidWord(cut, whole), `${JSON.stringify(whole)} in ${n} → ${JSON.stringify(cut)}`).toBe(false);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('compileTextFit unique suffix', () => {
  it('adds the row number as a word after words, and "-" after a single token', () => {
    const fit = compileTextFit({ maxLength: 10, unique: 'suffix' });
    expect(fit('Quiet Harbor Light', rnd, 1234)).toBe('Quiet ya');
    expect(fit('ACME', rnd, 0)).toBe('ACME-0');
  });

  it('stays injective over mixed word and token values, case-insensitively, at every width', () => {
    for (const maxLength of [4, 6, 9, 20]) {
      const fit = compileTextFit({ maxLength, unique: 'suffix' });
      const seen = new Set<string>();
      const sources = ['Quiet Harbor', 'Quiet-Harbor', 'Quiet', 'a b', 'a-b', '', 'Jean-Luc Picard'];
      for (let row = 0; row < 5000; row++) {
        const value = fit(sources[row % sources.length]!, rnd, row).toLowerCase();
        expect(value.length).toBeLessThanOrEqual(maxLength);
        expect(seen.has(value), `${maxLength}: ${value}`).toBe(false);
        seen.add(value);
      }
    }
  });
});
