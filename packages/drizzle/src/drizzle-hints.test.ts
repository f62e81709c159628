import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDrizzleSource } from './index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../fixtures/drizzle/${name}`, import.meta.url));

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('generator hints from a drizzle schema', () => {
  it('TypeScript-only enums give their values; $defaultFn and $onUpdateFn give the shape of what they make', async () => {
    const { hints } = await readDrizzleSource(fixture('pg-hints-schema.ts'));
    expect(hints).toEqual({
      'public.links': {
        id: { generator: 'letters', params: { chars: `${DIGITS}${LOWER}${UPPER}_-`, minLength: 21, maxLength: 21 }, reason: 'drizzle: $defaultFn(nanoid()): nanoid ids' },
        slug: {
          generator: 'letters',
          params: { chars: `${DIGITS}${LOWER}`, firstChars: LOWER, minLength: 24, maxLength: 24 },
          reason: 'drizzle: $defaultFn(createId()): cuid2 ids',
        },
        visibility: { values: ['public', 'private', 'unlisted'], reason: 'drizzle: { enum } (TypeScript only)' },
        kind: { values: ['article', 'video'], reason: 'drizzle: { enum } (TypeScript only)' },
        created_at_ms: { generator: 'integer', params: { min: Date.UTC(2020, 0, 1), max: Date.UTC(2025, 11, 31) }, reason: 'drizzle: $defaultFn(Date.now()): epoch milliseconds' },
        touched_at: {
          generator: 'integer',
          params: { min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2025, 11, 31) / 1000 },
          // The function as tsx compiled it.
          reason: 'drizzle: $onUpdateFn(Math.floor(Date.now()/1e3)): epoch seconds',
        },
      },
      'public.clicks': {
        id: { generator: 'letters', params: { chars: `${DIGITS}${LOWER}${UPPER}_-`, minLength: 16, maxLength: 16, prefix: 'clk_' }, reason: 'drizzle: $defaultFn(`clk_${nanoid(16)}`): nanoid ids' },
      },
    });
  });

  it('are the same on every read (the functions are called often enough to see their whole alphabet)', async () => {
    const reads = await Promise.all([1, 2, 3].map(() => readDrizzleSource(fixture('pg-hints-schema.ts'))));
    expect(reads[1]!.hints).toEqual(reads[0]!.hints);
    expect(reads[2]!.hints).toEqual(reads[0]!.hints);
  });

  it('a schema whose defaults are SQL gives none', async () => {
    expect((await readDrizzleSource(fixture('pg-schema.ts'))).hints).toEqual({});
  });
});
