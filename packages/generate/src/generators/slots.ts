/**
 * `slot`: row i's own stretch of a line, `start + i × width` plus up to half a width. A range
 * built from this column and a later one at most half a width after it (`after` with `maxDelta`
 * below `width / 2`) lies inside the row's stretch, so no two rows' ranges overlap: an exclusion
 * constraint over `tsrange("startTime", "endTime") WITH &&`.
 *
 * @example
 * ```ts
 * // plan: { name: 'slot', params: { valueType: 'timestamp', start: '2024-01-01', width: 14400 } }
 * // row 0: 2024-01-01 00:47:12, row 1: 2024-01-01 04:13:05, …
 * ```
 */
import { z } from 'zod';
import { defineGenerator } from './generator-types.js';
import { formatDate, formatTimestamp, parseDateDays, parseTimestampSeconds } from './time-format.js';

export const slot = defineGenerator({
  name: 'slot',
  summary: "a point in row i's own stretch [start + i × width, start + i × width + width / 2): ranges from it to a column at most width / 2 later never overlap",
  params: z.object({
    valueType: z.enum(['timestamp', 'date', 'integer']),
    /** The first stretch's start: a timestamp or date text, or a number. */
    start: z.union([z.string(), z.number()]),
    /** Seconds (timestamp), days (date) or units (integer); at least 2. */
    width: z.number().int().min(2),
    fractionalSeconds: z.number().int().min(0).max(6).optional(),
    withZone: z.boolean().optional(),
  }),
  create(p) {
    const half = Math.floor(p.width / 2);
    switch (p.valueType) {
      case 'timestamp': {
        const start = parseTimestampSeconds(String(p.start));
        const zone = p.withZone ?? false;
        const digits = p.fractionalSeconds ?? 0;
        return (rnd, row) => formatTimestamp(start + row * p.width + rnd.int(0, half - 1), 0, digits, zone);
      }
      case 'date': {
        const start = parseDateDays(String(p.start));
        return (rnd, row) => formatDate(start + row * p.width + rnd.int(0, half - 1));
      }
      default: {
        const start = Number(p.start);
        return (rnd, row) => start + row * p.width + rnd.int(0, half - 1);
      }
    }
  },
});
