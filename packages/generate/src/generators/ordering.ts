/**
 * `after`: a value greater than (or equal to) another column of the same row,
 * for `CHECK (ends_at > starts_at)` and for `updated_at ≥ created_at`. The other
 * column is computed first from its own address; this one adds a positive delta
 * drawn from its own stream. When the other column is NULL, `fallback` is used.
 * With `pick` and `table`, the other column is the parent's, in the parent row the
 * foreign key's pick chooses (a payment after its rental's `rental_date`).
 *
 * @example
 * ```ts
 * // plan: { name: 'after', params: { column: 'created_at', valueType: 'timestamp', maxDelta: 86400 * 90,
 * //         fallback: { name: 'timestamp', params: { min: '2020-01-01', max: '2025-01-01' } } } }
 * ```
 */
import { z } from 'zod';
import { defineGenerator, type GeneratorEnv, type ValueFn } from './generator-types.js';

/** The parent's `column` in the row `pick` chooses for this row; null when it chooses none. */
export function viaPick(env: GeneratorEnv, pickId: string, table: string, column: string, component?: number): (row: number) => ReturnType<ValueFn> {
  const pick = env.pick(pickId);
  const parent = env.parent(table, column);
  return (row) => {
    const index = component === undefined ? pick.index(row) : pick.component(row, component);
    return index < 0 ? null : parent(index);
  };
}
import { formatUnits, toUnits } from './numbers.js';
import { formatDate, formatTimestamp, parseDateDays, parseFractionMicros, parseTimestampSeconds } from './time-format.js';

/**
 * An address `steps` after `address` (IPv4 or IPv6, its `/mask` kept, so the host bits grow and the
 * network part stays: PostgreSQL orders `inet` by network, then mask, then address), capped at the
 * family's last address; undefined when the text is no address.
 */
export function inetPlus(address: string, steps: number): string | undefined {
  const [host, mask] = address.split('/') as [string, string | undefined];
  const suffix = mask === undefined ? '' : `/${mask}`;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) {
    const x = host.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
    const y = Math.min(x + steps, 0xffffffff);
    return `${Math.floor(y / 2 ** 24) % 256}.${Math.floor(y / 2 ** 16) % 256}.${Math.floor(y / 256) % 256}.${y % 256}${suffix}`;
  }
  if (!/^[0-9a-f:]+$/i.test(host) || !host.includes(':')) return undefined;
  const [head, tail] = host.split('::') as [string, string | undefined];
  const words = (text: string): string[] => (text === '' ? [] : text.split(':'));
  const given = [...words(head), ...(tail === undefined ? [] : words(tail))];
  if (given.length > 8 || (tail === undefined && given.length !== 8)) return undefined;
  const all = tail === undefined ? given : [...words(head), ...Array<string>(8 - given.length).fill('0'), ...words(tail)];
  const value = all.reduce((acc, w) => (acc << 16n) + BigInt(parseInt(w, 16)), 0n);
  const top = (1n << 128n) - 1n;
  let y = value + BigInt(steps) > top ? top : value + BigInt(steps);
  const out: string[] = [];
  for (let k = 0; k < 8; k++, y >>= 16n) out.unshift((y & 0xffffn).toString(16));
  return `${out.join(':')}${suffix}`;
}

export const after = defineGenerator({
  name: 'after',
  summary: 'the value of `column` in the same row plus a positive delta (CHECK a > b, updated_at ≥ created_at)',
  params: z.object({
    column: z.string(),
    valueType: z.enum(['timestamp', 'date', 'integer', 'decimal', 'float', 'inet']),
    strict: z.boolean().default(true),
    /** Largest delta, in seconds (timestamp), days (date), addresses (inet) or units of the value. */
    maxDelta: z.number().positive(),
    /** Smallest delta, in the units of maxDelta (hire_date at least 18 years after birth_date); default 1 when strict, else 0. */
    minDelta: z.number().min(0).optional(),
    /** Upper bound of this column, in the value's own text or number. */
    max: z.union([z.string(), z.number()]).optional(),
    scale: z.number().int().min(0).optional(),
    fractionalSeconds: z.number().int().min(0).max(6).optional(),
    withZone: z.boolean().optional(),
    /** Probability that the delta is exactly 0 (only when not strict): updated_at often equals created_at. */
    sameRate: z.number().min(0).max(1).optional(),
    fallback: z.object({ name: z.string(), params: z.record(z.string(), z.unknown()).default({}) }),
    /**
     * Keep the fallback's own value when it already comes after `column` (a profile's
     * distribution stays as it is); only the rows out of order take `column` + delta.
     */
    keepOrdered: z.boolean().optional(),
    /** With `table`: `column` is the parent's, in the row this row's pick chooses (a payment after its rental). */
    pick: z.string().optional(),
    table: z.string().optional(),
  }),
  create(p, env) {
    const other = p.pick !== undefined && p.table !== undefined ? viaPick(env, p.pick, p.table, p.column) : env.sibling(p.column);
    const fallback: ValueFn = env.compile(p.fallback);
    const minDelta = Math.max(p.strict ? 1 : 0, Math.min(p.minDelta ?? 0, p.maxDelta));
    const sameRate = p.strict ? 0 : (p.sameRate ?? 0);
    const delta = (rnd: Parameters<ValueFn>[0], max: number): number => {
      if (sameRate > 0 && rnd.fraction() < sameRate) return 0;
      const top = Math.max(minDelta, Math.min(p.maxDelta, max));
      return rnd.int(minDelta, Math.floor(top));
    };
    switch (p.valueType) {
      case 'timestamp': {
        const digits = p.fractionalSeconds ?? 0;
        const zone = p.withZone ?? false;
        const cap = p.max === undefined ? Infinity : parseTimestampSeconds(String(p.max));
        return (rnd, row) => {
          const base = other(row);
          if (typeof base !== 'string') return fallback(rnd, row);
          const s = parseTimestampSeconds(base);
          if (p.keepOrdered) {
            const own = fallback(rnd, row);
            if (typeof own === 'string' && parseTimestampSeconds(own) >= s) return own;
          }
          // The other column's fraction rounded up to this column's precision (updated_at(3) after created_at(6)).
          const unit = 10 ** (6 - digits);
          const up = Math.ceil(parseFractionMicros(base) / unit) * unit;
          const carry = up >= 1_000_000 ? 1 : 0;
          return formatTimestamp(s + carry + delta(rnd, cap - s - carry), carry ? 0 : up, digits, zone);
        };
      }
      case 'date': {
        const cap = p.max === undefined ? Infinity : parseDateDays(String(p.max));
        return (rnd, row) => {
          const base = other(row);
          if (typeof base !== 'string') return fallback(rnd, row);
          const d = parseDateDays(base);
          if (p.keepOrdered) {
            const own = fallback(rnd, row);
            if (typeof own === 'string' && parseDateDays(own) >= d) return own;
          }
          return formatDate(d + delta(rnd, cap - d));
        };
      }
      case 'integer': {
        const cap = p.max === undefined ? Infinity : Number(p.max);
        return (rnd, row) => {
          const base = other(row);
          if (typeof base !== 'number') return fallback(rnd, row);
          return base + delta(rnd, cap - base);
        };
      }
      case 'decimal': {
        const scale = p.scale ?? 2;
        const cap = p.max === undefined ? Infinity : toUnits(Number(p.max), scale, 'down');
        return (rnd, row) => {
          const base = other(row);
          if (typeof base !== 'string' && typeof base !== 'number') return fallback(rnd, row);
          const units = toUnits(Number(base), scale, 'down');
          return formatUnits(units + delta(rnd, cap - units), scale);
        };
      }
      case 'inet':
        return (rnd, row) => {
          const base = other(row);
          const next = typeof base === 'string' ? inetPlus(base, delta(rnd, Infinity)) : undefined;
          return next ?? fallback(rnd, row);
        };
      case 'float': {
        const cap = p.max === undefined ? Infinity : Number(p.max);
        return (rnd, row) => {
          const base = other(row);
          if (typeof base !== 'number') return fallback(rnd, row);
          const top = Math.min(p.maxDelta, cap - base);
          const d = Math.max(p.strict ? Math.max(1e-6, Math.abs(base) * 1e-12) : 0, rnd.float() * top);
          return base + d;
        };
      }
    }
  },
});
