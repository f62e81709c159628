import { loadPiiDictionaries } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { fakeVocabulary } from './fakes.js';
import { auditTokens, explainedByChance, numberDigits, weakValues } from './leak-audit.js';

describe('auditTokens', () => {
  it("drops a sentence's closing full stop, so a phone's last group at a sentence's end is not a token", () => {
    // "0935." would be a 5-character token: a fake phone ending in 0935 at the end of a sentence equalled it by chance
    expect(auditTokens('Refund requested by payer.344@example.com on +44 20 8534 0935.')).toEqual(['Refund', 'requested', 'payer.344@example.com']);
    expect(auditTokens('Mail ann.lee@example.org.')).toEqual(['ann.lee@example.org']);
    expect(auditTokens('Note: call 555-0100:')).toEqual(['555-0100']);
  });

  it("drops a phone's extension (`x5403`, `ext.123`): four digits identify nobody, and a fake's own extension equalled one by chance", () => {
    // invoiceninja: a fake `888-746-3175 x5403` in users.phone failed the audit on a source vendor's `1-385-381-7129 x5403`
    expect(auditTokens('888-746-3175 x5403')).toEqual(['888-746-3175']);
    expect(auditTokens('+1 (555) 010-0199 ext.12345 or EXT4567')).toEqual(['010-0199']);
    // A code that only starts with an x stays a token.
    expect(auditTokens('ref x5403a9 xylophone')).toEqual(['x5403a9', 'xylophone']);
  });

  it('keeps dots inside a token and never returns the whole text', () => {
    expect(auditTokens('10.1.2.3')).toEqual([]);
    expect(auditTokens('from 10.1.2.3 token=ghp_abc123')).toEqual(['10.1.2.3', 'token', 'ghp_abc123']);
  });
});

describe('numbers compared by chance', () => {
  it('counts the digits of a text made only of digits and separators', () => {
    expect(numberDigits('096-8816')).toBe(7);
    expect(numberDigits('+44 20 8534 0935')).toBe(12);
    expect(numberDigits('(775) 096-8816')).toBe(10);
    expect(numberDigits('ann@example.org')).toBe(0);
    expect(numberDigits('TRK-0100089')).toBe(0);
  });

  it('explains a match or two among many short numbers, never a copied column, never a long number', () => {
    // 800 source and 800 target 7-digit numbers: 0.064 equal by chance
    expect(explainedByChance(1, (800 * 800) / 1e7)).toBe(true);
    expect(explainedByChance(800, (800 * 800) / 1e7)).toBe(false);
    // 1,000 phones of 11 digits: 0.00001 expected, so one equal phone is a leak
    expect(explainedByChance(1, (1000 * 1000) / 1e11)).toBe(false);
    // a million 10-digit phones on each side: about 100 by chance, and a leak of every row is not
    expect(explainedByChance(120, 100)).toBe(true);
    expect(explainedByChance(1_000_000, 100)).toBe(false);
  });
});

describe('values that name nobody (found on sanbase, zencart, sharetribe)', () => {
  it("an array of common words, a time of day, a fake's own city, a setting of words and short numbers", async () => {
    const isWeak = weakValues(await loadPiiDictionaries(), fakeVocabulary());
    // sanbase: a hashed text[] held `{cantaloupe}`, and a kept array the same literal
    expect(isWeak('{cantaloupe}')).toBe(true);
    expect(isWeak('{cantaloupe,"hovercraft",NULL}')).toBe(true);
    expect(isWeak('{heloise.m}')).toBe(false);
    expect(isWeak('{ann@example.org}')).toBe(false);
    // zencart: a token of a timestamp, a seeded birth time
    expect(isWeak('15:28:56')).toBe(true);
    // sharetribe: faker's city, drawn by a fake and by the seed
    expect(isWeak('Macon-Bibb County')).toBe(true);
    expect(isWeak('Macon-Bibb')).toBe(true);
    // zencart's configuration texts: words, punctuation, short numbers
    expect(isWeak('Default = 50')).toBe(true);
    expect(isWeak('Accept card 0= off 1= on')).toBe(true);
    expect(isWeak('shipping')).toBe(true);
    expect(isWeak('Ask heloise.m for it: 0= off')).toBe(false);
  });
});
