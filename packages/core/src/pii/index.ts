/**
 * The PII detectors, in one place for `profile` (its privacy policy) and `scan`/`scrub`.
 *
 * @example
 * ```ts
 * import { classifyColumnPii, loadPiiDictionaries } from '@understudy/core';
 * const verdict = classifyColumnPii({ table, column, values, dictionaries: await loadPiiDictionaries() });
 * ```
 */
export * from './pii-kind.js';
export * from './checksums.js';
export * from './contact.js';
export * from './finance.js';
export * from './national-ids.js';
export * from './network.js';
export * from './secrets.js';
export * from './places.js';
export * from './names.js';
export * from './dictionaries.js';
export * from './value-detectors.js';
export * from './inside-values.js';
export * from './column-name-detector.js';
export * from './value-analysis.js';
export * from './column-verdict.js';
