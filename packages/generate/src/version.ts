/**
 * Versions recorded in every Plan, so a saved plan regenerates identical data:
 * `GENERATOR_VERSION` changes whenever a generator would produce different values
 * for the same address; `FAKER_VERSION` is the faker release whose data and
 * algorithms the faker-backed generators use.
 *
 * @example
 * ```ts
 * if (plan.generatorVersion !== GENERATOR_VERSION) console.warn('values may differ from the saved run');
 * ```
 */
import { createRequire } from 'node:module';

/** Bump on any change that alters generated values for an unchanged plan. */
export const GENERATOR_VERSION = '3';

const require = createRequire(import.meta.url);

/** The installed @faker-js/faker version. */
export const FAKER_VERSION: string = (require('@faker-js/faker/package.json') as { version: string }).version;
