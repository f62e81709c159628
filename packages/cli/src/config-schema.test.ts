/**
 * The JSON Schema the build writes (dist/understudy.config.schema.json, from core's config model)
 * accepts the example configs the repository ships and rejects what the CLI rejects.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { UnderstudyConfig } from '@understudy/core';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const schemaFile = fileURLToPath(new URL('../dist/understudy.config.schema.json', import.meta.url));
const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);

async function exampleValue(path: string): Promise<unknown> {
  if (path.endsWith('.json')) return JSON.parse(readFileSync(`${root}${path}`, 'utf8'));
  const { tsImport } = await import('tsx/esm/api');
  return ((await tsImport(pathToFileURL(`${root}${path}`).href, import.meta.url)) as { default: unknown }).default;
}

describe('the config JSON Schema', () => {
  it.each(['examples/understudy.config.ts', 'fixtures/configs/pagila.config.ts', 'fixtures/configs/pagila.config.json'])('accepts %s', async (path) => {
    const value = await exampleValue(path);
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    expect(UnderstudyConfig.safeParse(value).success).toBe(true);
  });

  it('is the one a JSON example names with "$schema"', () => {
    const example = JSON.parse(readFileSync(`${root}fixtures/configs/pagila.config.json`, 'utf8')) as { $schema: string };
    expect(fileURLToPath(new URL(example.$schema, pathToFileURL(`${root}fixtures/configs/`)))).toBe(schemaFile);
  });

  it.each([
    ['a misspelt section', { rehersal: {} }],
    ['an unknown key in an environment', { environments: { dev: { rowz: 1 } } }],
    ['a negative row count', { rows: -1 }],
    ['a check without a query', { rehearse: { checks: [{ name: 'x' }] } }],
  ])('rejects %s, as the CLI does', (_what, value) => {
    expect(validate(value)).toBe(false);
    expect(UnderstudyConfig.safeParse(value).success).toBe(false);
  });
});
