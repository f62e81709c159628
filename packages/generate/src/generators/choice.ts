/**
 * Choice generators: booleans, one of a list of values (enum labels, CHECK … IN
 * lists, config `values` with weights), and MySQL SET subsets.
 *
 * @example
 * ```ts
 * values.create({ values: ['G', 'PG', 'R'], weights: [1, 2, 1] }, env)(rnd.at(3), 3); // 'PG' half the time
 * set.create({ values: ['a', 'b', 'c'] }, env)(rnd.at(0), 0);                          // 'a,c'
 * ```
 */
import { z } from 'zod';
import { createPermutation, MAX_PERMUTATION_SIZE } from '../random/permutation.js';
import { defineGenerator } from './generator-types.js';

export const boolean = defineGenerator({
  name: 'boolean',
  summary: 'true with probability trueRate',
  params: z.object({ trueRate: z.number().min(0).max(1).default(0.5), unique: z.boolean().optional() }),
  create(p, env) {
    if (p.unique) {
      const perm = createPermutation(2, env.key);
      return (_rnd, row) => perm(row) === 1;
    }
    const rate = p.trueRate;
    return (rnd) => rnd.fraction() < rate;
  },
  capacity: () => 2,
});

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const values = defineGenerator({
  name: 'values',
  summary: 'one of `values`, uniformly or by `weights`; unique: each value at most once',
  params: z.object({
    values: z.array(Scalar).min(1),
    weights: z.array(z.number().nonnegative()).optional(),
    unique: z.boolean().optional(),
  }),
  create(p, env) {
    const list = p.values;
    if (p.unique) {
      const perm = createPermutation(list.length, env.key);
      return (_rnd, row) => list[perm(row)]!;
    }
    if (p.weights && p.weights.length === list.length) {
      const cumulative: number[] = [];
      let total = 0;
      for (const w of p.weights) cumulative.push((total += w));
      if (total > 0) {
        return (rnd) => {
          const x = rnd.fraction() * total;
          let i = 0;
          while (i < cumulative.length - 1 && cumulative[i]! <= x) i++;
          return list[i]!;
        };
      }
    }
    return (rnd) => list[rnd.index(list.length)]!;
  },
  capacity: (p) => p.values.length,
});

export const set = defineGenerator({
  name: 'set',
  summary: 'a comma-joined subset of `values` in declaration order (MySQL SET)',
  params: z.object({
    values: z.array(z.string()).min(1),
    maxItems: z.number().int().min(0).optional(),
    unique: z.boolean().optional(),
  }),
  create(p, env) {
    const list = p.values;
    const n = Math.min(list.length, 52);
    const join = (mask: number): string => {
      let out = '';
      for (let i = 0; i < n; i++) {
        if (Math.floor(mask / 2 ** i) % 2 === 1) out = out ? `${out},${list[i]}` : list[i]!;
      }
      return out;
    };
    if (p.unique) {
      const perm = createPermutation(2 ** n, env.key);
      return (_rnd, row) => join(perm(row));
    }
    const maxItems = Math.min(p.maxItems ?? 3, n);
    return (rnd) => {
      const count = rnd.int(0, maxItems);
      let mask = 0;
      for (let k = 0; k < count; k++) {
        const bit = rnd.index(n);
        if (Math.floor(mask / 2 ** bit) % 2 === 0) mask += 2 ** bit;
      }
      return join(mask);
    };
  },
  capacity: (p) => Math.min(2 ** Math.min(p.values.length, 52), MAX_PERMUTATION_SIZE),
});
