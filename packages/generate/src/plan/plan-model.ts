/**
 * The Plan: what will be generated, as plain, versioned, zod-validated JSON.
 * A plan names, for every loadable table in load order, its row count and, for
 * every column, the generator and params, the NULL rate and the reason for the
 * choice. With the same plan (same seed, same GENERATOR_VERSION and faker
 * version), every worker and every machine produces byte-identical rows.
 *
 * @example
 * ```ts
 * const plan = PlanModel.parse(JSON.parse(await readFile('plan.json', 'utf8')));
 * plan.tables['public.customer']!.columns.find((c) => c.name === 'email')!.reason; // 'column name: email'
 * ```
 */
import { ColumnKind, DIALECT_NAMES } from '@understudy/core';
import { z } from 'zod';
import { TextFit } from '../generators/text-fit.js';

/** The current version of the saved Plan format. */
export const PLAN_VERSION = 1;

export const GeneratorSpec = z.object({
  name: z.string(),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type GeneratorSpec = z.infer<typeof GeneratorSpec>;

export const PlanColumn = z.object({
  name: z.string(),
  /** The kind generated (a domain's base kind when declared with a domain). */
  kind: ColumnKind,
  rawType: z.string(),
  /** Written by the load. False for generated columns, left to the database. */
  load: z.boolean(),
  /** How a value is made; null when the column is always NULL or not loaded. */
  generator: GeneratorSpec.nullable(),
  /** Text columns: length, LIKE, charset, uniqueness suffix. */
  fit: TextFit.optional(),
  /** `utf8`: the generator makes text, stored in this byte column as its UTF-8 bytes. */
  bytes: z.literal('utf8').optional(),
  /** For array columns: how many dimensions and elements. */
  array: z.object({ dimensions: z.number().int().min(1), minItems: z.number().int().min(0), maxItems: z.number().int().min(0) }).optional(),
  nullRate: z.number().min(0).max(1),
  /** Values a CHECK forbids (`status <> 'deleted'`): drawn again when hit. */
  exclude: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** Why this generator: 'config', 'column name: email', 'type: uuid', 'foreign key → public.customer(id)', … */
  reason: z.string(),
  /** Unique by construction (part of a primary key or unique constraint). */
  unique: z.boolean().optional(),
  /** Inserted as NULL and set by a deferred update after every table is loaded (a broken FK cycle). */
  deferred: z.boolean().optional(),
  /**
   * NULL or not by another column's value, as a CHECK says (`(status = 'approved') = (approved_at IS NOT NULL)`):
   * NOT NULL where `column`'s value is one of `values` when `notNullInside`, elsewhere when `notNullOutside`;
   * on a side named in `free` the CHECK allows either, and the column's own NULL rate decides
   * (`NOT all_day OR time_zone IS NULL`: NULL where all_day is true, free elsewhere).
   */
  nullBy: z
    .object({
      column: z.string(),
      values: z.array(z.string()),
      notNullInside: z.boolean(),
      notNullOutside: z.boolean(),
      check: z.string(),
      free: z.array(z.enum(['inside', 'outside'])).optional(),
    })
    .optional(),
});
export type PlanColumn = z.infer<typeof PlanColumn>;

/**
 * Two foreign keys to the same parent key that a CHECK compares (`follower_id <> user_id`,
 * `low_id < high_id`): the two picks are read together and adjusted so the CHECK holds. The
 * `first` pick is the CHECK's left side (`first <> second`, `first < second`, `first <= second`);
 * `<`/`<=` need parent keys ascending with the row index (a sequence).
 */
export const PlanPickPair = z.object({ pick: z.string(), relation: z.enum(['<>', '<', '<=']), first: z.boolean() });
export type PlanPickPair = z.infer<typeof PlanPickPair>;

/**
 * Two components of a distinct tuple that a CHECK compares (both a key of the same parent): the
 * `second` component's size is what is left once the CHECK holds (`<>`: n − 1 per `first` value;
 * `<`, `<=`: offsets that make each unordered pair once), decoded with the `first`.
 */
export const PlanTuplePair = z.object({ first: z.number().int().min(0), second: z.number().int().min(0), relation: z.enum(['<>', '<', '<=']), size: z.number().int().min(1) });
export type PlanTuplePair = z.infer<typeof PlanTuplePair>;

/** How a row of this table chooses a parent row (or a distinct tuple) for a foreign key or unique key. */
export const PlanPick = z.discriminatedUnion('kind', [
  /** Parent index drawn with a skewed fan-out (some parents have many children, some none). */
  z.object({
    kind: z.literal('skewed'),
    table: z.string(),
    rows: z.number().int().min(0),
    skew: z.number().min(1),
    nullRate: z.number().min(0).max(1),
    pair: PlanPickPair.optional(),
  }),
  /**
   * Fan-out from a profile: each parent gets a count of children drawn from `buckets`
   * (`[min, max, parents]`, zero-child parents included), scaled to the child rows; child
   * row i maps to a parent through a permutation and a prefix sum of those counts.
   */
  z.object({
    kind: z.literal('fanout'),
    table: z.string(),
    rows: z.number().int().min(0),
    children: z.number().int().min(0),
    buckets: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().nonnegative()])),
    nullRate: z.number().min(0).max(1),
    pair: PlanPickPair.optional(),
    /**
     * A composite key numbered within its parent (`(year, team, inseason)` over `(year, team)`):
     * at most this many children per parent; component 1 of the pick is a child's place among
     * its parent's children (0, 1, 2 …), distinct within the parent.
     */
    perParent: z.number().int().min(1).optional(),
    /** With no buckets: children drawn to parents as a `skewed` pick draws them (no profile). */
    skew: z.number().min(1).optional(),
    /**
     * A composite key made of two foreign keys (`salaries (year, team, player)`): this pick's
     * slot is the other fan-out pick's slot × a stride (mod the slots), so each follows its own
     * fan-out and the children of one parent of the other get different parents of this one.
     */
    spread: z.object({ pick: z.string() }).optional(),
  }),
  /** Self-reference as a tree: row i points at a row < i; row 0 (and a share of `rootRate`) is a root. */
  z.object({ kind: z.literal('tree'), skew: z.number().min(1), rootRate: z.number().min(0).max(1), rootSelf: z.boolean() }),
  /** Self-reference that must be unique: row i points at row i − 1. */
  z.object({ kind: z.literal('chain'), rootSelf: z.boolean() }),
  /** 1:1 with the parent: a permutation of the parent's rows (unique FK). */
  z.object({
    kind: z.literal('permutation'),
    table: z.string(),
    rows: z.number().int().min(0),
    nullRate: z.number().min(0).max(1),
    /**
     * A unique key over part of a composite foreign key (`"emailAccountId"` unique, the foreign key
     * `("messagingChannelId", "emailAccountId")`): only the first parent row of each value of the
     * parent's `columns` is picked, so no two rows share one; `key` names the unique key.
     */
    distinct: z.object({ key: z.string(), columns: z.array(z.string()).min(1) }).optional(),
  }),
  /** A distinct tuple per row: a permutation of the product of the component sizes (composite unique keys). */
  z.object({
    kind: z.literal('tuple'),
    sizes: z.array(z.number().int().min(1)),
    /** For each component, the FK pick it decides (its digit is that FK's parent row index), if any. */
    foreignKeys: z.array(z.string().nullable()),
    pairs: z.array(PlanTuplePair).optional(),
  }),
  /**
   * Two foreign keys that share columns (`(org_id, group_id)` and `(org_id, revision_id)`): one
   * pick chooses a pair of parent rows that agree on the shared columns, `on` (`[column of the
   * first parent, column of the second]`). The pairs are enumerated when generating (each first
   * parent row with each second parent row of the same values); `component` 0 is the first
   * parent's row index, 1 the second's. With `distinct`, every row gets a different pair.
   */
  z.object({
    kind: z.literal('agreeing'),
    tables: z.tuple([z.string(), z.string()]),
    rows: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
    foreignKeys: z.tuple([z.string(), z.string()]),
    on: z.array(z.tuple([z.string(), z.string()])).min(1),
    skew: z.number().min(1),
    /**
     * A unique key that needs a different pair per row: its label, and its columns as named in
     * each parent (pairs are made of parent rows with different values there, so the key differs too).
     */
    distinct: z.object({ key: z.string(), columns: z.tuple([z.array(z.string()).min(1), z.array(z.string()).min(1)]) }).optional(),
  }),
]);
export type PlanPick = z.infer<typeof PlanPick>;

export const PlanNullGroup = z
  .object({
    columns: z.array(z.string()).min(1),
    /** One character per column: `1` NOT NULL, `0` NULL (`10` and `01`: exactly one of two). */
    patterns: z.array(z.string().regex(/^[01]+$/)).min(1),
    /** How often each pattern is drawn (relative weights). */
    weights: z.array(z.number().nonnegative()),
    /** The CHECKs the patterns satisfy. */
    checks: z.array(z.string()),
  })
  .superRefine((g, ctx) => {
    if (new Set(g.columns).size !== g.columns.length) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'names a column twice' });
    g.patterns.forEach((p, i) => {
      if (p.length !== g.columns.length) ctx.addIssue({ code: 'custom', path: ['patterns', i], message: `must have one character per column (${g.columns.length})` });
    });
    if (g.weights.length !== g.patterns.length) ctx.addIssue({ code: 'custom', path: ['weights'], message: 'must have one weight per pattern' });
    else if (!g.weights.some((w) => w > 0)) ctx.addIssue({ code: 'custom', path: ['weights'], message: 'must give some pattern a weight above 0' });
  });
export type PlanNullGroup = z.infer<typeof PlanNullGroup>;

export const PlanCheck = z.object({
  name: z.string(),
  expression: z.string(),
  /** `interpreted`: generated rows satisfy it; `partial`/`uninterpreted`: they may not (see `reason`); `config`: a config generator covers it. */
  status: z.enum(['interpreted', 'partial', 'uninterpreted', 'config', 'ignored']),
  reason: z.string().optional(),
  /** Where the CHECK came from: the table, or a domain used by one of its columns. */
  domain: z.string().optional(),
});
export type PlanCheck = z.infer<typeof PlanCheck>;

export const PlanTable = z.object({
  table: z.string(),
  /**
   * The table's name in its values' addresses, when not `table`: MySQL's "schema" is the database,
   * whose name differs from one environment to the next (`shop`, `shop_ci_17`), so a MySQL table is
   * addressed by its bare name and the same schema gets the same data in any database.
   */
  address: z.string().optional(),
  rows: z.number().int().min(0),
  /** Every column, in the table's order; `load: false` ones are not written. */
  columns: z.array(PlanColumn),
  picks: z.record(z.string(), PlanPick).default({}),
  /**
   * Columns whose NULLs a CHECK ties together (`num_nonnulls(a, b) = 1`, `(a IS NULL) = (b IS NULL)`,
   * `a IS NOT NULL OR b IS NOT NULL`): each row draws one of the allowed patterns, and a member is
   * NULL exactly where its pattern says so (its `nullRate` only reports the resulting share).
   */
  nullGroups: z.array(PlanNullGroup).default([]),
  /**
   * Identity ALWAYS columns are written explicitly (value = start + rowIndex × step) so children can
   * compute their keys; PostgreSQL needs `OVERRIDING SYSTEM VALUE` on the INSERT/COPY.
   */
  overridingSystemValue: z.boolean().default(false),
  /** Sequences to move past the written values after the load: `setval(sequence, next, false)`. */
  sequences: z.array(z.object({ column: z.string(), sequence: z.string().optional(), next: z.number().int() })).default([]),
  /** FKs inserted as NULL and set after every table is loaded (cycles broken at a nullable FK). */
  deferredUpdates: z.array(z.object({ foreignKey: z.string(), columns: z.array(z.string()), keyColumns: z.array(z.string()) })).default([]),
  checks: z.array(PlanCheck).default([]),
  /**
   * Triggers disabled during the load and enabled again before commit (user triggers a restore
   * tool would not run: the rows already satisfy the schema). Triggers that fill another table or
   * set a column the load leaves to them stay enabled.
   */
  disabledTriggers: z.array(z.string()).default([]),
  notes: z.array(z.string()).default([]),
});
export type PlanTable = z.infer<typeof PlanTable>;

/**
 * A table the load does not write: its rows (if any) stay as they are, and the tables that
 * reference it pick their parents among them.
 */
export const PlanKeptTable = z.object({
  /** Why it is kept: `already has rows`, `bookkeeping table of Prisma`, `--exclude audit.*`, … */
  reason: z.string(),
  /** Rows its children pick from: the first `rows` in key order (all of them, unless `more`). */
  rows: z.number().int().min(0),
  /** It has more rows than `rows`. */
  more: z.boolean().default(false),
  /**
   * The values of the columns other tables reference, in those rows (read from the target when the
   * seed starts; never saved in a plan file).
   */
  values: z.record(z.string(), z.array(z.unknown())).optional(),
});
export type PlanKeptTable = z.infer<typeof PlanKeptTable>;

export const PlanModel = z
  .object({
    version: z.literal(PLAN_VERSION),
    generatorVersion: z.string(),
    fakerVersion: z.string(),
    seed: z.string(),
    locale: z.string(),
    /** "Now" for generated data (ISO); never the wall clock, so a plan regenerates the same dates. */
    referenceTime: z.string(),
    dialect: z.enum(DIALECT_NAMES),
    /** Tables in the order to load them (parents first). */
    loadOrder: z.array(z.string()),
    /**
     * The same tables with the most work for the database first, parents or not: the order for a
     * target that sets its foreign keys aside during the load (`Sink.anyTableOrder`). Absent in
     * plans saved before it existed (they load in `loadOrder`).
     */
    costOrder: z.array(z.string()).optional(),
    tables: z.record(z.string(), PlanTable),
    /** Tables not loaded whose rows stay, as parents of the loaded ones (see `PlanKeptTable`). */
    kept: z.record(z.string(), PlanKeptTable).default({}),
    /** FKs checked at commit: load these tables in one transaction with constraints deferred. */
    deferredConstraints: z.array(z.object({ table: z.string(), foreignKey: z.string() })).default([]),
    /**
     * FKs of a cycle no row order can satisfy, on a target that loads the child table with FK
     * checks off and validates its FKs by query before commit (MySQL/MariaDB).
     */
    uncheckedForeignKeys: z.array(z.object({ table: z.string(), foreignKey: z.string() })).default([]),
    /** Tables not loaded, and why (partitions load through their parent). */
    skipped: z.array(z.object({ table: z.string(), reason: z.string() })).default([]),
  })
  .superRefine((plan, ctx) => {
    // A hand-edited plan must not load, in one order, a table it dropped from the other.
    if (plan.costOrder === undefined) return;
    const load = new Set(plan.loadOrder);
    if (plan.costOrder.length !== load.size || new Set(plan.costOrder).size !== load.size || plan.costOrder.some((t) => !load.has(t))) {
      ctx.addIssue({ code: 'custom', path: ['costOrder'], message: 'must list the same tables as loadOrder (edit both, or delete costOrder)' });
    }
  });
export type Plan = z.infer<typeof PlanModel>;

/**
 * Validates a Plan (for instance one read from a file).
 *
 * @example
 * ```ts
 * const plan = parsePlan(JSON.parse(await readFile('plan.json', 'utf8')));
 * ```
 */
export function parsePlan(value: unknown): Plan {
  return PlanModel.parse(value);
}

/**
 * The columns a load writes, in order: the shape of every generated row.
 *
 * @example
 * ```ts
 * loadColumns(plan.tables['public.film']!).map((c) => c.name); // the COPY column list
 * ```
 */
export function loadColumns(table: PlanTable): PlanColumn[] {
  return table.columns.filter((c) => c.load);
}
