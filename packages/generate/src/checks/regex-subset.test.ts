import { describe, expect, it } from 'vitest';
import { AddressRandom } from '../random/address-random.js';
import { addressKey } from '../random/hash.js';
import { enumerationLayout, generateFromRegex, layoutCapacity, parseRegex, RegexSubsetError, stringAtIndex } from './regex-subset.js';
import { buildLikeValue, likeMatches, parseLike } from './like-pattern.js';

const rnd = new AddressRandom(addressKey('regex'));

describe('regex subset', () => {
  const patterns = [
    '^[A-Z]+$',
    '^[A-Z]{3}$',
    '^\\d{3}-\\d{2,4}$',
    '^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$',
    '^(foo|ba[rz])?x*$',
    '^[[:upper:]][[:lower:]]{2,5}$',
    '[^a-z]{4}',
    'abc',
    '^(?:AB|CD)-\\w{1,3}\\.?$',
  ];
  it.each(patterns)('generates strings matching /%s/', (pattern) => {
    const re = parseRegex(pattern);
    const js = new RegExp(pattern.replace('[[:upper:]]', '[A-Z]').replace('[[:lower:]]', '[a-z]'));
    for (let row = 0; row < 300; row++) expect(generateFromRegex(re, rnd.at(row))).toMatch(js);
  });

  it('respects a maximum length when it can', () => {
    const re = parseRegex('^[A-Z]+$');
    for (let row = 0; row < 200; row++) expect(generateFromRegex(re, rnd.at(row), { maxLength: 3 }).length).toBeLessThanOrEqual(3);
  });

  it('refuses what is outside the subset', () => {
    expect(() => parseRegex('(?=a)b')).toThrow(RegexSubsetError);
    expect(() => parseRegex('(a)\\1')).toThrow(RegexSubsetError);
    expect(() => parseRegex('a^b')).toThrow(RegexSubsetError);
  });

  it('leaves out the alternatives that hold a look-around: what is left matches the whole pattern', () => {
    // A slug or user name with no trailing or doubled separator (GitHub's rule), a tag name.
    for (const pattern of ['^[a-zA-Z0-9](?:[a-zA-Z0-9]|[-._\\s](?=[a-zA-Z0-9]))*-?$', '^[a-z\\d](?:[a-z\\d]|-(?=[a-z\\d])){0,38}$', '^(?:x(?!y)|z)+$']) {
      const re = parseRegex(pattern);
      const js = new RegExp(pattern);
      for (let row = 0; row < 300; row++) expect(generateFromRegex(re, rnd.at(row), { maxLength: 39 })).toMatch(js);
      const layout = enumerationLayout(re, 39)!;
      expect(layoutCapacity(layout)).toBeGreaterThan(pattern.startsWith('^(?:x') ? 0 : 1000);
      for (let i = 0; i < 500; i++) expect(stringAtIndex(layout, i * 7919)).toMatch(js);
    }
    // A look-around no alternative can leave out (a password rule) stays refused.
    expect(() => parseRegex('^(?=.*[0-9])[a-z0-9]{8,}$')).toThrow(RegexSubsetError);
  });

  it('enumerates distinct matches for unique columns', () => {
    const layout = enumerationLayout(parseRegex('^[A-C]{2}[0-9]$'))!;
    expect(layoutCapacity(layout)).toBe(90);
    const all = new Set([...Array(90).keys()].map((i) => stringAtIndex(layout, i)));
    expect(all.size).toBe(90);
    for (const s of all) expect(s).toMatch(/^[A-C]{2}[0-9]$/);
  });

  it('enumerates a part of several shapes in one of them: every string a match', () => {
    // graphile/starter's user name (`([_]?[a-zA-Z0-9])+`), alternatives of one character and of several.
    for (const [pattern, least] of [
      ['^[a-zA-Z]([_]?[a-zA-Z0-9])+$', 10 ** 12],
      ['^(a|b|c)[0-9]{3}$', 3000],
      ['^(?:ab|c)-[0-9]{2}(?:x[0-9]?)*$', 100],
      ['^([a-z]+[-.]?)+$', 10 ** 9],
    ] as const) {
      const js = new RegExp(pattern);
      const layout = enumerationLayout(parseRegex(pattern), 24)!;
      expect(layout, pattern).toBeDefined();
      expect(layout.length, pattern).toBeLessThanOrEqual(24);
      expect(layoutCapacity(layout), pattern).toBeGreaterThanOrEqual(least);
      const seen = new Set<string>();
      for (let i = 0; i < 500; i++) {
        const s = stringAtIndex(layout, (i * 7919) % layoutCapacity(layout));
        expect(s, pattern).toMatch(js);
        seen.add(s.toLowerCase());
      }
      expect(seen.size, pattern).toBe(Math.min(500, layoutCapacity(layout)));
    }
  });
});

describe('LIKE patterns', () => {
  it('matches and builds matching values', () => {
    for (const pattern of ['%@%', 'SKU-%', '%.pdf', 'A_C%', 'x%y%z', 'exact', '100\\%%']) {
      const like = parseLike(pattern);
      for (let row = 0; row < 50; row++) expect(likeMatches(like, buildLikeValue(like, 'core text', rnd.at(row)))).toBe(true);
    }
    expect(likeMatches(parseLike('%@%'), 'no at sign')).toBe(false);
    expect(likeMatches(parseLike('a%', true), 'ABC')).toBe(true);
  });
});
