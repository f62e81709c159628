/**
 * `scan`: the PII detectors applied to every column of a database, and the scrub policy they propose.
 *
 * @example
 * ```ts
 * import { scanDatabase, formatScanReport, policyFromScan } from '@understudy/core';
 * ```
 */
export * from './scan-model.js';
export * from './scan-transform.js';
export * from './scan-columns.js';
export * from './scan-database.js';
export * from './scan-output.js';
export * from './policy-update.js';
