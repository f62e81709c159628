import { loadPiiDictionaries } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { createFaker } from './fakes.js';
import { createTextScrubber } from './free-text.js';
import { ScrubKey } from './scrub-key.js';

describe('createTextScrubber', () => {
  it('keeps every separator where it was (Unicode spaces too), common words, and gives a token the same replacement wherever it is', async () => {
    const key = new ScrubKey(Buffer.from('free-text-test-key-0123456789abcdef'));
    const scrub = createTextScrubber(key, createFaker(key), await loadPiiDictionaries());
    const text = 'Call\u00a0Zwirblowski (Zwirblowski!) at zw@example.com;\tthe\u3000order [x] {y} "z" \'w\' a|b=c&d?e*f\n';
    const out = scrub(text);
    const separators = (t: string): string[] => t.split(/[^\s,;()[\]{}"'<>|=&!?*]+/);
    expect(separators(out)).toEqual(separators(text));
    expect(out).not.toContain('Zwirblowski');
    expect(out).not.toContain('zw@example.com');
    const [first, second] = out.split(/[\s()!]+/).slice(1, 3);
    expect(first).toBe(second);
    expect(out).toContain('\tthe\u3000order');
    expect(scrub('')).toBe('');
    expect(scrub('  ,, ')).toBe('  ,, ');
  });
});
