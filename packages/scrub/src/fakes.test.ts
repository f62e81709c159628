import { describe, expect, it } from 'vitest';
import { createFaker, fakeVocabulary } from './fakes.js';
import { HashSet64 } from './hash-set.js';
import { ScrubKey } from './scrub-key.js';

const key = new ScrubKey(Buffer.from('a test key that is long enough'));
const fake = createFaker(key);

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function ibanValid(iban: string): boolean {
  const compact = iban.replace(/\s/g, '');
  const rearranged = `${compact.slice(4)}${compact.slice(0, 4)}`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return BigInt(rearranged) % 97n === 1n;
}

describe('fakes', () => {
  it('are a function of the value: the same input gives the same fake, another input another one', () => {
    expect(fake('email', 'ann@corp.com', 120)).toBe(fake('email', 'ann@corp.com', 120));
    expect(fake('email', 'ann@corp.com', 120)).not.toBe(fake('email', 'bob@corp.com', 120));
    expect(fake('email', 'ann@corp.com', 120)).toMatch(/^[a-z]+\.[a-z]+\d+@example\.(com|net|org)$/);
  });

  it('keep a card valid (Luhn) and an IBAN valid (mod 97), in the original layout', () => {
    for (const card of ['4111 1111 1111 1111', '5500005555555559', '3782-822463-10005']) {
      const out = fake('card-number', card, undefined);
      expect(out.replace(/\d/g, '9')).toBe(card.replace(/\d/g, '9'));
      expect(luhnValid(out.replace(/\D/g, ''))).toBe(true);
      expect(out).not.toBe(card);
    }
    for (const iban of ['GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000']) {
      const out = fake('iban', iban, undefined);
      expect(ibanValid(out)).toBe(true);
      expect(out.slice(0, 2)).toBe(iban.slice(0, 2));
      expect(out.length).toBe(iban.length);
    }
  });

  it('fit the column: never longer than its length', () => {
    for (let i = 0; i < 200; i++) expect(fake('person-name', `Person ${i}`, 12).length).toBeLessThanOrEqual(12);
  });

  it("know the words they can draw (faker's cities include real ones)", () => {
    expect(fakeVocabulary().has('la crosse')).toBe(true);
  });
});

describe('HashSet64', () => {
  it('holds and counts 100,000 hashes across growth', () => {
    const set = new HashSet64();
    for (let i = 1n; i <= 100_000n; i++) set.add((i * 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn);
    set.add(0x9e3779b97f4a7c15n);
    expect(set.size).toBe(100_000);
    expect(set.count(0x9e3779b97f4a7c15n)).toBe(2);
    expect(set.has(12345n)).toBe(false);
  });
});
