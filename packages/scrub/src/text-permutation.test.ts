import { describe, expect, it } from 'vitest';
import { ScrubKey } from './scrub-key.js';
import { createTextPermutation } from './text-permutation.js';

const key = new ScrubKey(Buffer.from('a test key that is long enough'));
const other = new ScrubKey(Buffer.from('another key, also long enough'));
const shape = (s: string): string => s.replace(/[0-9]/g, 'd').replace(/[a-z]/g, 'l').replace(/[A-Z]/g, 'u');

describe('format-preserving text permutation', () => {
  const perm = createTextPermutation(key.derive('permute:text'));

  it('keeps length, character classes and separators', () => {
    for (const s of ['C0012', 'alice.smith@corp.example', 'SKU-12-AB', 'x', '9', 'A-1', '***', '']) {
      const out = perm(s);
      expect(out.length).toBe(s.length);
      expect(shape(out)).toBe(shape(s));
    }
  });

  it('is injective on every 5-character code of one shape (all 260,000 of U-dddd with 26 letters)', () => {
    const seen = new Set<string>();
    for (let l = 0; l < 26; l++) {
      for (let n = 0; n < 10_000; n++) seen.add(perm(`${String.fromCharCode(65 + l)}${String(n).padStart(4, '0')}`));
    }
    expect(seen.size).toBe(260_000);
  });

  it('is injective on 100,000 e-mail-shaped strings', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(perm(`user${i}@example.com`));
    expect(seen.size).toBe(100_000);
  });

  it('is deterministic; another key gives other values', () => {
    const again = createTextPermutation(key.derive('permute:text'));
    const otherPerm = createTextPermutation(other.derive('permute:text'));
    const inputs = Array.from({ length: 200 }, (_, i) => `C${String(i).padStart(4, '0')}`);
    expect(inputs.map(perm)).toEqual(inputs.map(again));
    expect(inputs.filter((s) => perm(s) !== otherPerm(s)).length).toBeGreaterThan(190);
  });

  it('keeps a uuid a uuid in hex mode', () => {
    const hex = createTextPermutation(key.derive('permute:uuid'), { hex: true });
    const out = hex('3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    expect(out).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(out).not.toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301');
  });
});
