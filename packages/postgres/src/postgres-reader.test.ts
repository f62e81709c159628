/**
 * `wholeTuples`: where a binary COPY stream cut anywhere stops holding whole tuples, and
 * whether its trailer follows; the binary reader yields exactly those bytes, so a tuple is
 * never split between two chunks whatever the socket's pieces.
 */
import { describe, expect, it } from 'vitest';
import { wholeTuples } from './postgres-reader.js';

/** A tuple of the given fields (null: NULL), as binary COPY writes it. */
function tuple(fields: readonly (Uint8Array | null)[]): number[] {
  const out = [fields.length >> 8, fields.length & 0xff];
  for (const f of fields) {
    const n = f === null ? -1 : f.length;
    out.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, ...(f ?? []));
  }
  return out;
}

describe('wholeTuples', () => {
  const a = tuple([Uint8Array.of(1, 2, 3, 4), null, new Uint8Array(0)]);
  const b = tuple([new TextEncoder().encode('Zebulon'), Uint8Array.of(9)]);
  const stream = Uint8Array.from([...a, ...b, 0xff, 0xff]);

  it('stops after the last whole tuple at every cut, and sees the trailer only when it is there', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const { end, trailer } = wholeTuples(stream.subarray(0, cut), 0);
      const expected = cut >= a.length + b.length ? a.length + b.length : cut >= a.length ? a.length : 0;
      expect([cut, end, trailer]).toEqual([cut, expected, cut === stream.length]);
    }
  });

  it('starts where it is told (after a header)', () => {
    const withHeader = Uint8Array.from([7, 7, 7, ...a, ...b]);
    expect(wholeTuples(withHeader, 3)).toEqual({ end: 3 + a.length + b.length, trailer: false });
  });
});
