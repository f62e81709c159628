// Writes dist/pii/dictionaries.json: the PII name dictionaries made from every locale of the
// installed faker (run by `npm run build`, after tsc), so a command that detects PII reads one
// file instead of importing 70-odd locales (src/pii/dictionaries.ts, loadPiiDictionaries).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dictionariesFromFaker, serializeDictionaries } from '../dist/index.js';

const { version } = createRequire(import.meta.url)('@faker-js/faker/package.json');
writeFileSync(new URL('../dist/pii/dictionaries.json', import.meta.url), serializeDictionaries(await dictionariesFromFaker(), version));
