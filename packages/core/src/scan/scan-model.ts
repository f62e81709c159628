/**
 * What `scan` reports: per table and column, the proposed transform, the kinds found,
 * the detectors that fired and their counts. Never a value. Plain JSON (`scan --json`).
 *
 * @example
 * ```ts
 * const report = await scanDatabase(connection, { sample: 200 });
 * report.tables[0]?.columns.find((c) => c.column === 'email')?.transform; // 'fake:email'
 * ```
 */
import type { DialectName } from '../dialect-registry.js';
import type { Detection, PiiKind } from '../pii/pii-kind.js';
import type { ColumnRule, Transform } from '../scrub-policy.js';

export interface ScannedColumn {
  readonly column: string;
  /** The engine's type, as introspected. */
  readonly type: string;
  readonly transform: Transform;
  /** Options of the transform (`mask`, `noise`, JSON `paths`, `kinds` for `text`). */
  readonly options?: Pick<ColumnRule, 'mask' | 'noise' | 'paths' | 'kinds'>;
  /** What the column holds, strongest first; empty for `keep`. */
  readonly kinds: PiiKind[];
  readonly confidence: number;
  /** Non-null sampled values examined. */
  readonly examined: number;
  readonly detected: Detection[];
  readonly reason: string;
}

export interface ScannedTable {
  /** `schema.table`, as in the Schema. */
  readonly table: string;
  /** Rows sampled, and how. */
  readonly sampled: number;
  readonly method: string;
  readonly columns: ScannedColumn[];
}

export interface ScanReport {
  readonly source: string;
  readonly dialect: DialectName;
  readonly takenAt: string;
  /** Rows asked for per table. */
  readonly sample: number;
  readonly tables: ScannedTable[];
  readonly summary: {
    readonly tables: number;
    readonly columns: number;
    /** Columns whose proposed transform is not `keep`. */
    readonly transformed: number;
    readonly byTransform: Record<string, number>;
  };
}
