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

  it('keeps the everyday words of a ticket or an order note, inflected and hyphenated ones too, and still replaces the names among them', async () => {
    const key = new ScrubKey(Buffer.from('free-text-test-key-0123456789abcdef'));
    const scrub = createTextScrubber(key, createFaker(key), await loadPiiDictionaries());
    const kept = 'Invoice paid in full; the report is attached. Please update the contact for the refund meetings, the package was delivered with a pocket-watch.';
    expect(scrub(kept)).toBe(kept);
    const named = 'Sent to Anna Zwirblowski and Fielding, signed Walker; reports attached by Heloise';
    const out = scrub(named);
    for (const name of ['Anna', 'Zwirblowski', 'Fielding', 'Walker', 'Heloise']) expect(out).not.toContain(name);
    expect(out).toContain('reports attached by');
  });
});
