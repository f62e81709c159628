/**
 * The terminal summary's estimates: one line per statement at or above 100 ms (by its time
 * or its lock time), worst first, with the basis under it; the rest counted in one line.
 */
import { describe, expect, it } from 'vitest';
import { RehearsalReportModel, type EstimateReport, type StatementReport } from '../report/rehearsal-report.js';
import { passingReport } from '../report/test-reports.js';
import { formatRehearsalSummary } from './rehearsal-summary.js';

const estimate = (line: number, estimatedMs: number, extra: Partial<EstimateReport> = {}): EstimateReport => ({
  migration: '003 total_numeric',
  file: '003_total_numeric.up.sql',
  line,
  sql: `UPDATE orders SET total = ${line}`,
  table: 'public.orders',
  targetRows: 12_000_000,
  estimatedMs,
  basis: `basis ${line}`,
  ...extra,
});

describe('formatRehearsalSummary: estimates', () => {
  it('lists the slow statements worst first, with their lock and basis, and counts the rest', () => {
    const report = RehearsalReportModel.parse({
      ...passingReport,
      estimates: [estimate(1, 250), estimate(2, 3), estimate(3, 95_000, { lockMode: 'AccessExclusiveLock', lockMs: 96_000 }), estimate(4, 40, { lockMode: 'AccessExclusiveLock', lockMs: 5_000 })],
    });
    const text = formatRehearsalSummary(report);
    const block = text.slice(text.indexOf('Estimates at production size (worst first):'));
    const lines = block.split('\n').slice(1, 8);
    expect(lines).toEqual([
      '  1 min 35 s  003 total_numeric  003_total_numeric.up.sql:3  UPDATE orders SET total = 3, AccessExclusiveLock held 1 min 36 s',
      '             basis 3',
      '      40 ms  003 total_numeric  003_total_numeric.up.sql:4  UPDATE orders SET total = 4, AccessExclusiveLock held 5.0 s',
      '             basis 4',
      '     250 ms  003 total_numeric  003_total_numeric.up.sql:1  UPDATE orders SET total = 1',
      '             basis 1',
      '  and 1 statement under 100 ms',
    ]);
  });

  it('says nothing about estimates when there are none', () => {
    expect(formatRehearsalSummary(RehearsalReportModel.parse({ ...passingReport, estimates: [] }))).not.toContain('Estimates');
  });
});

describe('formatRehearsalSummary: a migration line', () => {
  it("names each rewritten table and each ALTER algorithm once, counted, when a migration alters a table column by column (flipt's change_timestamp_precision)", () => {
    const alter = (table: string, column: string, algorithm: 'COPY' | 'INSTANT'): StatementReport => ({
      file: '11_change_timestamp_precision.up.sql',
      line: 1,
      sql: `ALTER TABLE ${table} MODIFY ${column} TIMESTAMP(6) NOT NULL`,
      durationMs: 10,
      rowsAffected: 0,
      locks: [],
      rewrites: algorithm === 'COPY' ? [{ relation: `shop.${table}`, kind: 'table' }] : [],
      alter: { algorithm, lock: algorithm === 'COPY' ? 'SHARED' : 'NONE' },
    });
    const report = RehearsalReportModel.parse({
      ...passingReport,
      dialect: 'mysql',
      migrations: [
        {
          id: '11',
          name: 'change_timestamp_precision',
          status: 'passed',
          durationMs: 5400,
          statements: [alter('flags', 'created_at', 'COPY'), alter('flags', 'updated_at', 'COPY'), alter('segments', 'created_at', 'COPY'), alter('rules', 'note', 'INSTANT')],
        },
      ],
    });
    const line = formatRehearsalSummary(report)
      .split('\n')
      .find((l) => l.includes('change_timestamp_precision'));
    expect(line).toBe('✓ 11 change_timestamp_precision  5.4 s, 4 statements, rewrites shop.flags ×2, shop.segments, ALGORITHM=COPY LOCK=SHARED ×3, ALGORITHM=INSTANT LOCK=NONE');
  });
});
