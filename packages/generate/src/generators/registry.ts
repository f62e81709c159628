/**
 * Every generator by name: the vocabulary of `generator.name` in a Plan and of
 * `generator:` in a config file.
 *
 * @example
 * ```ts
 * const def = generatorNamed('integer');
 * const fn = def.create(def.params.parse({ min: 1, max: 6 }), env);
 * ```
 */
import { UsageError } from '@understudy/core';
import { bits, bytes } from './binary.js';
import { boolean, set, values } from './choice.js';
import { city, email, username } from './contact.js';
import type { AnyGeneratorDefinition } from './generator-types.js';
import { distribution } from './distribution.js';
import { hex, passwordHash, uuid } from './identifiers.js';
import { cidr, inet, macaddr } from './network.js';
import { decimal, float, integer, sequence } from './numbers.js';
import { childSum, periodEnd, periodStart } from './lines.js';
import { after } from './ordering.js';
import { slot } from './slots.js';
import { reference, tuple, via } from './reference.js';
import { geometric, hstore, json, ltree, multirange, range, tsquery, tsvector, vector, xml } from './structured.js';
import { fakerMethod, letters, regex, sentences, template, words } from './text.js';
import { date, interval, time, timestamp } from './time.js';

const ALL: readonly AnyGeneratorDefinition[] = [
  integer,
  sequence,
  decimal,
  float,
  boolean,
  values,
  set,
  words,
  sentences,
  letters,
  template,
  regex,
  fakerMethod,
  email,
  username,
  city,
  bytes,
  bits,
  date,
  timestamp,
  time,
  interval,
  after,
  slot,
  childSum,
  periodStart,
  periodEnd,
  uuid,
  hex,
  passwordHash,
  inet,
  cidr,
  macaddr,
  json,
  xml,
  range,
  multirange,
  tsvector,
  tsquery,
  geometric,
  hstore,
  ltree,
  vector,
  reference,
  tuple,
  via,
  distribution,
];

const BY_NAME = new Map(ALL.map((g) => [g.name, g]));

/**
 * All generator definitions, for docs and `understudy generators`.
 *
 * @example
 * ```ts
 * listGenerators().map((g) => `${g.name}: ${g.summary}`);
 * ```
 */
export function listGenerators(): readonly AnyGeneratorDefinition[] {
  return ALL;
}

/**
 * The generator called `name`, or undefined.
 *
 * @example
 * ```ts
 * findGenerator('uuid')?.summary;
 * ```
 */
export function findGenerator(name: string): AnyGeneratorDefinition | undefined {
  return BY_NAME.get(name);
}

/**
 * The generator called `name`.
 * @throws UsageError naming the unknown generator and the known ones.
 *
 * @example
 * ```ts
 * generatorNamed('integer').params.parse({ min: 1, max: 6 });
 * ```
 */
export function generatorNamed(name: string, where = 'generator'): AnyGeneratorDefinition {
  const found = BY_NAME.get(name);
  if (!found) {
    throw new UsageError(`${where}: unknown generator "${name}"`, {
      hint: `Known generators: ${[...BY_NAME.keys()].sort().join(', ')}.`,
    });
  }
  return found;
}

/**
 * Validates params for a generator.
 * @throws UsageError naming where the params came from and the first problem.
 *
 * @example
 * ```ts
 * parseGeneratorParams('template', { pattern: '###-##' }, 'config tables.t.columns.c');
 * ```
 */
export function parseGeneratorParams(name: string, params: unknown, where = 'generator'): Record<string, unknown> {
  const def = generatorNamed(name, where);
  const parsed = def.params.safeParse(params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${where}: bad params for generator "${name}" at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data as Record<string, unknown>;
}
