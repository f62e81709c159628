/**
 * `scan`: the PII detectors applied to every column of a database, and the scrub policy they propose.
 *
 * @example
 * ```ts
 * import { scanDatabase, formatScanReport, policyFromScan } from '@understudy/core';
 * ```
 */
export type { ScannedColumn, ScannedTable, ScanReport } from './scan-model.js';
export { transformForKind, proposeTransform, type ProposedRule } from './scan-transform.js';
export { scanSamples, type TableSample, type ScanSamplesOptions } from './scan-columns.js';
export { scanDatabase, type ScanDatabaseOptions, DEFAULT_SCAN_SAMPLE } from './scan-database.js';
export { formatScanReport, policyFromScan } from './scan-output.js';
export { updatePolicy, type PolicyUpdate } from './policy-update.js';
