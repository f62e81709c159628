/**
 * `scan` over a live database: introspect, sample every table through the dialect's
 * `sampleColumns` (read-only), classify. Partitions are read through their parent.
 *
 * @example
 * ```ts
 * const db = await dialect.connect(url);
 * try { const report = await scanDatabase(db, { sample: 200 }); } finally { await db.close(); }
 * ```
 */
import type { DatabaseConnection } from '../dialect.js';
import { UsageError } from '../errors.js';
import { loadPiiDictionaries, type PiiDictionaries } from '../pii/dictionaries.js';
import type { ScanReport } from './scan-model.js';
import { scanSamples, type TableSample } from './scan-columns.js';

export interface ScanDatabaseOptions {
  readonly schemas?: readonly string[];
  /** Rows to sample per table (default 200). */
  readonly sample?: number;
  readonly dictionaries?: PiiDictionaries;
  /** Called before each table, for progress display. */
  readonly onProgress?: (step: string) => void;
}

export const DEFAULT_SCAN_SAMPLE = 200;

/**
 * Scans every table of the connection's database.
 * @throws UsageError when the dialect cannot sample rows.
 * @example
 * ```ts
 * const report = await scanDatabase(db, { schemas: ['public'], sample: 500 });
 * ```
 */
export async function scanDatabase(db: DatabaseConnection, options: ScanDatabaseOptions = {}): Promise<ScanReport> {
  if (!db.sampleColumns) {
    throw new UsageError(`${db.description}: the ${db.dialect.name} dialect cannot sample rows, so it cannot be scanned`);
  }
  const sample = options.sample ?? DEFAULT_SCAN_SAMPLE;
  const [schema, dictionaries] = await Promise.all([
    db.introspect(options.schemas ? { schemas: options.schemas } : {}),
    options.dictionaries ? Promise.resolve(options.dictionaries) : loadPiiDictionaries(),
  ]);
  const samples = new Map<string, TableSample>();
  for (const key of Object.keys(schema.tables).sort()) {
    const table = schema.tables[key]!;
    if (table.kind === 'partition') continue;
    options.onProgress?.(`sample ${key}`);
    samples.set(key, sample > 0 ? await db.sampleColumns(table, { limit: sample }) : { rows: 0, method: 'not sampled (--sample 0)', values: new Map() });
  }
  return scanSamples(schema, samples, { dictionaries, sample, source: db.description });
}
