/**
 * Walks every command's option table against core's config model: every declared flag comes from
 * a table; a flag's config key exists in the model with a matching kind (a switch is a boolean, a
 * repeatable flag a list); every key of the model is a flag's or says why it is config-only; a flag
 * means one thing on every command; `--json` is `--json [file]` everywhere.
 */
import { UnderstudyConfig } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildProgram } from './program.js';
import { applyConfig, attributeName, COMMON_OPTIONS, CONFIG_ONLY_KEYS, OPTION_TABLES, PROFILE_OPTIONS, type OptionSpec } from './option-tables.js';

/** A flag that mirrors a config key on some commands and means something else on these (and why). */
const OTHER_MEANING: Readonly<Record<string, string>> = {
  'rehearse --url': 'the server rehearse creates throwaway databases on, not the database to work on',
  'scrub --url': 'the copy scrub writes (a copy of production is never written where the config or DATABASE_URL points by default)',
  'audit --url': 'the scrubbed copy audit checks, named beside its --source',
  'scrub --workers': "threads that transform a scrub's rows, off unless given (measured slower on 2 cores); the config's workers are a seed's",
};

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else return s;
  }
}

/** The zod type of `rows` or `profiling.k` in the config model; undefined when there is no such key. */
function schemaAt(key: string): z.ZodType | undefined {
  let shape = UnderstudyConfig.shape as Record<string, z.ZodType>;
  let found: z.ZodType | undefined;
  for (const part of key.split('.')) {
    found = shape[part];
    if (found === undefined) return undefined;
    const inner = unwrap(found);
    shape = inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : {};
    found = inner;
  }
  return found;
}

/** Every key a flag could mirror: top-level keys that are not sections, and `section.key`. */
function modelKeys(): string[] {
  const keys: string[] = [];
  for (const [key, schema] of Object.entries(UnderstudyConfig.shape as Record<string, z.ZodType>)) {
    if (key === '$schema' || key === 'environments') continue;
    const inner = unwrap(schema);
    if (inner instanceof z.ZodObject) keys.push(...Object.keys(inner.shape).map((k) => `${key}.${k}`));
    else keys.push(key);
  }
  return keys;
}

const isSwitch = (spec: OptionSpec): boolean => !/[<[]/.test(spec.flags);

describe('the option tables', () => {
  const program = buildProgram();

  it('declare every flag of every command', () => {
    expect(program.commands.map((c) => c.name()).sort()).toEqual(Object.keys(OPTION_TABLES).sort());
    for (const command of program.commands) {
      const declared = command.options.map((o) => o.flags).sort();
      const table = [...OPTION_TABLES[command.name()]!, ...COMMON_OPTIONS].map((s) => s.flags).sort();
      expect(declared, command.name()).toEqual(table);
    }
  });

  it("name config keys the model has, of the flag's kind", () => {
    for (const [command, table] of Object.entries(OPTION_TABLES)) {
      for (const spec of table) {
        if (spec.config === undefined) continue;
        const schema = schemaAt(spec.config);
        expect(schema, `${command} ${spec.flags} → ${spec.config}`).toBeDefined();
        const where = `${command} ${spec.flags} → ${spec.config} (${schema!.constructor.name})`;
        if (isSwitch(spec)) expect(schema instanceof z.ZodBoolean, where).toBe(true);
        else expect(schema instanceof z.ZodBoolean, where).toBe(false);
        if (spec.list) expect(schema instanceof z.ZodArray, where).toBe(true);
      }
    }
  });

  it('cover every key of the config model, or say why a key has no flag', () => {
    const mirrored = new Set(Object.values(OPTION_TABLES).flatMap((t) => t.flatMap((s) => (s.config ? [s.config as string] : []))));
    const missing = modelKeys().filter((k) => !mirrored.has(k) && !(k in CONFIG_ONLY_KEYS));
    expect(missing).toEqual([]);
    for (const key of Object.keys(CONFIG_ONLY_KEYS)) expect(schemaAt(key), key).toBeDefined();
  });

  it('give a flag one meaning on every command', () => {
    const meaning = new Map<string, { config: string | undefined; where: string }>();
    for (const [command, table] of Object.entries(OPTION_TABLES)) {
      for (const spec of table) {
        const name = attributeName(spec.flags);
        if (`${command} --${spec.flags.split(' ')[0]!.slice(2)}` in OTHER_MEANING) continue;
        const seen = meaning.get(name);
        if (seen === undefined) meaning.set(name, { config: spec.config, where: command });
        else if (seen.config !== undefined || spec.config !== undefined) expect(spec.config, `${command} ${spec.flags} vs ${seen.where}`).toBe(seen.config);
      }
    }
    // The renamed rehearse flags: a migration name and a migration tool are not a DDL file and a data format.
    const rehearse = OPTION_TABLES['rehearse']!;
    expect(rehearse.find((s) => s.flags.startsWith('--from '))?.deprecatedFor).toBe('--pending-from');
    expect(rehearse.find((s) => s.flags.startsWith('--format '))?.deprecatedFor).toBe('--tool');
  });

  it('spell --json as --json [file] on every command that has it', () => {
    const json = Object.entries(OPTION_TABLES).flatMap(([command, table]) => table.filter((s) => s.flags.startsWith('--json')).map((s) => `${command} ${s.flags}`));
    expect(json.length).toBeGreaterThanOrEqual(5);
    for (const entry of json) expect(entry).toMatch(/ --json \[file\]$/);
  });
});

describe('applyConfig', () => {
  const config = UnderstudyConfig.parse({ rows: 5, profiling: { k: 20, scan: false } });

  it("fills a flag not given with the config's value, as the flag's text; a given flag wins", () => {
    const notGiven = (): boolean => false;
    expect(applyConfig({ scan: true }, PROFILE_OPTIONS, config, notGiven)).toEqual({ scan: false, k: '20' });
    const kGiven = (name: string): boolean => name === 'k';
    expect(applyConfig({ k: '3', scan: true }, PROFILE_OPTIONS, config, kGiven)).toEqual({ k: '3', scan: false });
  });

  it('leaves keys the library reads from the config itself (rows) to it', () => {
    expect(applyConfig({}, OPTION_TABLES['seed']!, config, () => false)).toEqual({});
  });
});
