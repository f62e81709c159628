import { describe, expect, it } from 'vitest';
import { jsonHbStats, mariadbColumnStats } from './mysql-histogram.js';

describe('MariaDB JSON_HB histograms', () => {
  it('keeps single-value buckets as frequent values, not as a spread between them (unit price 0.99 / 1.99)', () => {
    const json = JSON.stringify({
      histogram_hb: [
        { start: '0.99', size: 0.95, ndv: 1 },
        { start: '1.99', end: '1.99', size: 0.05, ndv: 1 },
      ],
    });
    expect(jsonHbStats(json, 'decimal', 0)).toEqual({ mostCommon: { values: [0.99, 1.99], frequencies: [0.95, 0.05] } });
  });

  it('keeps bucket sizes (cumulative frequencies), with a popular value as a point and an empty bucket', () => {
    const json = JSON.stringify({
      histogram_hb: [
        { start: '1', size: 0.1, ndv: 8 },
        { start: '10', size: 0.6, ndv: 1 },
        { start: '11', size: 0.2, ndv: 40 },
        { start: '100', end: '1000', size: 0.1, ndv: 50 },
      ],
    });
    const out = jsonHbStats(json, 'integer', 0.5)!;
    expect(out.mostCommon).toEqual({ values: [10], frequencies: [0.3] }); // 0.6 of the non-null half
    expect(out.histogramBounds).toEqual([1, 10, 11, 100, 1000]);
    // the remaining 0.1 + 0.2 + 0.1 of the rows, as shares: 0.25, 0 (the popular value's span), 0.5, 0.25
    expect(out.histogramSizes).toEqual([0.25, 0, 0.5, 0.25]);
  });

  it('reads dates, and a row of mysql.column_stats through it', () => {
    const json = JSON.stringify({
      histogram_hb: [
        { start: '1985-01-01', size: 0.27, ndv: 900 },
        { start: '9999-01-01', end: '9999-01-01', size: 0.73, ndv: 1 },
      ],
    });
    const raw = mariadbColumnStats(
      { min_value: '1985-01-01', max_value: '9999-01-01', nulls_ratio: '0', avg_length: '3', avg_frequency: '10', hist_type: 'JSON_HB', histogram: json },
      { kind: 'date' },
      1000,
    );
    expect(raw.mostCommon).toEqual({ values: ['9999-01-01'], frequencies: [0.73] });
    expect(raw.histogramBounds).toEqual(['1985-01-01', '9999-01-01']);
    expect(raw.histogramSizes).toEqual([1]);
    // a bucket before the popular value ends one bucket width after its start, not at 9999
    const two = JSON.stringify({
      histogram_hb: [
        { start: '1985-01-01', size: 0.1, ndv: 900 },
        { start: '1990-01-01', size: 0.17, ndv: 900 },
        { start: '9999-01-01', end: '9999-01-01', size: 0.73, ndv: 1 },
      ],
    });
    const out = jsonHbStats(two, 'date', 0)!;
    expect(out.histogramBounds).toEqual(['1985-01-01', '1990-01-01', '1995-01-01']);
    expect(out.histogramSizes).toEqual([0.37037, 0.62963]);
  });
});
