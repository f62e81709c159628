/**
 * understudy-cli as a library: the command program, and `defineConfig` for
 * typing an `understudy.config.ts`.
 *
 * @example
 * ```ts
 * // understudy.config.ts
 * import { defineConfig } from 'understudy-cli';
 * export default defineConfig({ seed: 42, tables: { customer: { rows: 5000 } } });
 * ```
 */

// The public API.
export { buildProgram } from './program.js';
export { defineConfig, type UnderstudyConfigInput, type GenerateConfigInput } from '@understudy/core';
