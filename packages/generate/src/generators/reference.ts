/**
 * Keys that come from elsewhere: `reference` copies a parent row's key column
 * (the parent row index is chosen by the table's pick for the foreign key), and
 * `tuple` reads one component of an enumerated distinct tuple (a composite
 * UNIQUE key spread over FK and small-domain columns, e.g. film_actor).
 *
 * @example
 * ```ts
 * // { name: 'reference', params: { pick: 'fk:rental_customer_fk', table: 'public.customer', column: 'customer_id' } }
 * ```
 */
import { z } from 'zod';
import { defineGenerator, type ValueFn } from './generator-types.js';
import { viaPick } from './ordering.js';
import { formatDate, parseDateDays } from './time-format.js';

export const reference = defineGenerator({
  name: 'reference',
  summary: "a parent row's key: the table's pick chooses the parent row index",
  params: z.object({ pick: z.string(), table: z.string(), column: z.string() }),
  create(p, env) {
    const pick = env.pick(p.pick);
    const parent = env.parent(p.table, p.column);
    return (_rnd, row) => {
      const index = pick.index(row);
      return index < 0 ? null : parent(index);
    };
  },
});

export const via = defineGenerator({
  name: 'via',
  summary: "the parent's column, in the parent row another foreign key's pick chooses (a payment's customer is its rental's)",
  params: z.object({
    pick: z.string(),
    /** For a tuple pick (a foreign key inside a composite key): the component that holds the parent row. */
    component: z.number().int().min(0).optional(),
    table: z.string(),
    column: z.string(),
    /** Used where the parent row or its value is missing (a NULL parent column). */
    fallback: z.object({ name: z.string(), params: z.record(z.string(), z.unknown()).default({}) }),
    /** The pick is a tree of this table: a row that is its own parent (a root) takes the fallback. */
    self: z.boolean().optional(),
  }),
  create(p, env) {
    const value = viaPick(env, p.pick, p.table, p.column, p.component);
    const fallback = env.compile(p.fallback);
    if (p.self) {
      const pick = env.pick(p.pick);
      return (rnd, row) => (pick.index(row) === row ? null : value(row)) ?? fallback(rnd, row);
    }
    return (rnd, row) => value(row) ?? fallback(rnd, row);
  },
});

export const tuple = defineGenerator({
  name: 'tuple',
  summary: 'one component of an enumerated distinct tuple (composite unique keys)',
  params: z.object({
    pick: z.string(),
    component: z.number().int().min(0),
    valueType: z.enum(['parent', 'integer', 'date', 'values', 'code']),
    table: z.string().optional(),
    column: z.string().optional(),
    min: z.union([z.number(), z.string()]).optional(),
    values: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
    /** `code`: the component as a base-36 code of at least this many characters. */
    minLength: z.number().int().min(1).optional(),
    upper: z.boolean().optional(),
    /** `code`: written between these (an email column's `user…@example.com`). */
    prefix: z.string().optional(),
    suffix: z.string().optional(),
    /** `code`: a value the column's name asks for, written before the code (`phoenix-2`), cut to fit `maxLength`. */
    stem: z.object({ name: z.string(), params: z.record(z.string(), z.unknown()).default({}) }).optional(),
    maxLength: z.number().int().min(1).optional(),
  }),
  create(p, env) {
    const pick = env.pick(p.pick);
    const c = p.component;
    switch (p.valueType) {
      case 'parent': {
        const parent = env.parent(p.table ?? '', p.column ?? '');
        return (_rnd, row) => parent(pick.component(row, c));
      }
      case 'integer': {
        const min = Number(p.min ?? 0);
        // Given values (a column numbered within its parent: production's, most frequent first) come first, then min, min + 1 …
        const values = (p.values ?? []).map(Number);
        if (values.length > 0)
          return (_rnd, row) => {
            const k = pick.component(row, c);
            return k < values.length ? values[k]! : min + k - values.length;
          };
        return (_rnd, row) => min + pick.component(row, c);
      }
      case 'date': {
        const min = parseDateDays(String(p.min ?? '1970-01-01'));
        return (_rnd, row) => formatDate(min + pick.component(row, c));
      }
      case 'values': {
        const values = p.values ?? [];
        return (_rnd, row) => values[pick.component(row, c)] ?? null;
      }
      case 'code': {
        const width = p.minLength ?? 1;
        const prefix = p.prefix ?? '';
        const suffix = p.suffix ?? '';
        if (prefix !== '' || suffix !== '') return (_rnd, row) => `${prefix}${pick.component(row, c).toString(36).padStart(width, '0')}${suffix}`;
        if (p.stem !== undefined) return stemmed(env.compile(p.stem), (row) => pick.component(row, c).toString(36).padStart(width, '0'), p.maxLength);
        return p.upper === true ? (_rnd, row) => pick.component(row, c).toString(36).toUpperCase().padStart(width, '0') : (_rnd, row) => pick.component(row, c).toString(36).padStart(width, '0');
      }
    }
  },
});

/**
 * `<stem>-<code>`: the code, unique within the parent, ends the value after its last `-` (a
 * code has none), so two values of one parent differ whatever their stems. The stem is kept
 * to printable ASCII and cut so that the value fits; with no room for it, the code alone.
 */
function stemmed(stem: ValueFn, code: (row: number) => string, maxLength: number | undefined): ValueFn {
  return (rnd, row) => {
    const tail = code(row);
    const room = (maxLength ?? Infinity) - tail.length - 1;
    const value = stem(rnd, row);
    if (room < 1 || value === null || value === undefined) return tail;
    const head = String(value)
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .trim()
      .slice(0, room)
      .trimEnd();
    return head === '' ? tail : `${head}-${tail}`;
  };
}
