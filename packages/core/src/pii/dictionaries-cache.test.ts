import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { dictionariesFromFaker, loadPiiDictionaries, parseDictionaries, serializeDictionaries, type PiiDictionaries } from './dictionaries.js';

const fakerVersion = (createRequire(import.meta.url)('@faker-js/faker/package.json') as { version: string }).version;
const lists = (d: PiiDictionaries): Record<string, string[]> => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, [...(v as Set<string>)]]));

describe('the dictionaries the build caches', () => {
  it('are, in dist/pii/dictionaries.json, exactly what every locale of the installed faker makes', async () => {
    // Written by `npm run build` (scripts/write-dictionaries.mjs); turbo builds before it tests.
    const text = readFileSync(new URL('../../dist/pii/dictionaries.json', import.meta.url), 'utf8');
    const fromFile = parseDictionaries(text, fakerVersion);
    expect(fromFile, 'dist/pii/dictionaries.json is missing or stale: run npm run build').toBeDefined();
    const fresh = await dictionariesFromFaker();
    expect(lists(fromFile!)).toEqual(lists(fresh));
    expect(fresh.firstNames.has('maria') && fresh.lastNames.has('schmidt')).toBe(true);
    // Run from the sources there is no file beside the module: the loader builds them from faker.
    expect(lists(await loadPiiDictionaries())).toEqual(lists(fresh));
  });

  it('are read back only for the faker version they were made from', async () => {
    const fresh = await dictionariesFromFaker();
    const text = serializeDictionaries(fresh, '10.6.0');
    expect(lists(parseDictionaries(text, '10.6.0')!)).toEqual(lists(fresh));
    expect(parseDictionaries(text, '10.7.0')).toBeUndefined();
    expect(parseDictionaries('{"fakerVersion":"10.6.0","firstNames":[]}', '10.6.0')).toBeUndefined();
    expect(parseDictionaries('not json', '10.6.0')).toBeUndefined();
  });
});
