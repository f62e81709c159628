// Writes dist/understudy.config.schema.json from core's config model (run by `npm run build`, after tsc).
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '@understudy/core';

const file = new URL('../dist/understudy.config.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
