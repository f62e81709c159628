/**
 * The scrub policy: for every column of every table, the transform `scrub` applies
 * (`keep`, `null`, `redact`, `fake:<kind>`, `hash`, `shift-date`, `noise`, `mask`,
 * `generate`, `json`, `text`). `understudy scan --out scrub.policy.json` proposes one; a
 * person reviews it, edits it and commits it. Plain JSON, validated with zod, versioned
 * like the Schema: tables keyed `schema.table`, columns by name, every key sorted.
 *
 * A rule may keep what scan saw (`detected`, `reason`): detector names and counts,
 * never a value. The key for keyed transforms is never in the policy.
 *
 * @example
 * ```ts
 * const policy = parseScrubPolicy(await readFile('scrub.policy.json', 'utf8'), 'scrub.policy.json');
 * policy.tables['public.users']?.columns['email']?.transform; // 'fake:email'
 * ```
 */
import { DIALECT_NAMES } from './dialect-registry.js';
import { z } from 'zod';
import { UsageError } from './errors.js';
import { Detection, PiiKind } from './pii/pii-kind.js';

/** The current version of the saved policy format. Bump it with an upgrade step below. */
export const SCRUB_POLICY_VERSION = 1;

/** What `fake:<kind>` can make: a realistic value of that kind, chosen by keyed hash. */
export const FakeKind = z.enum([
  'person-name',
  'first-name',
  'last-name',
  'email',
  'phone',
  'username',
  'company',
  'address',
  'city',
  'postcode',
  'card-number',
  'iban',
  'national-id',
  'ip-address',
  'mac-address',
]);
export type FakeKind = z.infer<typeof FakeKind>;

/** The fewest characters a realistic fake of each kind needs: scrub refuses `fake:<kind>` on a shorter text column, and scan never proposes it there. */
export const FAKE_MIN_LENGTH: Readonly<Record<FakeKind, number>> = {
  'person-name': 7,
  'first-name': 3,
  'last-name': 3,
  email: 10,
  phone: 7,
  username: 4,
  company: 4,
  address: 8,
  city: 3,
  postcode: 3,
  'card-number': 12,
  iban: 15,
  'national-id': 4,
  'ip-address': 7,
  'mac-address': 12,
};

/** The fewest characters (or bytes) `hash` needs: scrub refuses it on a shorter column, and scan never proposes it there. */
export const HASH_MIN_LENGTH = 8;

export const PlainTransform = z.enum(['keep', 'null', 'redact', 'hash', 'shift-date', 'noise', 'mask', 'generate', 'json', 'text']);
export type PlainTransform = z.infer<typeof PlainTransform>;

/** A transform's name: one of the plain ones, or `fake:<kind>`. */
export const Transform = z.union([PlainTransform, z.templateLiteral(['fake:', FakeKind])]);
export type Transform = z.infer<typeof Transform>;

/** A transform at a JSON path (`$.contact.email`, `$.items[*].phone`); `json` does not nest. */
export const JsonPathTransform = z.union([PlainTransform.exclude(['json']), z.templateLiteral(['fake:', FakeKind])]);

export const ColumnRule = z
  .object({
    transform: Transform,
    /** `mask`: characters kept at each end (the rest become `*`, separators kept). */
    mask: z.object({ keepFirst: z.number().int().nonnegative().default(0), keepLast: z.number().int().nonnegative().default(0) }).optional(),
    /** `noise`: the largest relative change (0.1 = ±10 %), kept within the column's CHECKs. */
    noise: z.object({ relative: z.number().positive().max(1) }).optional(),
    /** `json`: a transform per JSON path; the rest of each document is kept. */
    paths: z.record(z.string().regex(/^\$/, 'a JSON path starts with $'), JsonPathTransform).optional(),
    /** `text`: the kinds to redact where they occur inside the text (default: every kind). */
    kinds: z.array(PiiKind).optional(),
    /** What scan saw: detectors and counts, never a value. Informational. */
    detected: z.array(Detection).optional(),
    /** Why this transform (scan's reason, or a reviewer's note). */
    reason: z.string().optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.transform === 'json' && (!rule.paths || Object.keys(rule.paths).length === 0)) {
      ctx.addIssue({ code: 'custom', message: 'transform "json" needs "paths": { "$.path": "<transform>" }', path: ['paths'] });
    }
    if (rule.paths && rule.transform !== 'json') {
      ctx.addIssue({ code: 'custom', message: `"paths" only applies to transform "json", not "${rule.transform}"`, path: ['paths'] });
    }
  });
export type ColumnRule = z.infer<typeof ColumnRule>;

/**
 * A foreign key the database does not declare (a Rails app, MyISAM, a PlanetScale schema):
 * `orders.user_ref → public.users.id`. scrub treats it as a declared one: the referencing columns
 * get the function of the referenced key, the subset's closure follows it, and audit counts its
 * joins. The shape of the Schema's foreign keys, without the actions.
 */
export const PolicyForeignKey = z
  .object({
    /** Default `<table>_<columns>_virtual`. */
    name: z.string().min(1).optional(),
    columns: z.array(z.string().min(1)).min(1),
    /** `table`: keyed `schema.table`, as the policy's tables. */
    references: z.object({ table: z.string().min(1), columns: z.array(z.string().min(1)).min(1) }).strict(),
  })
  .strict()
  .refine((fk) => fk.columns.length === fk.references.columns.length, { message: 'a foreign key needs as many columns as it references' });
export type PolicyForeignKey = z.infer<typeof PolicyForeignKey>;

export const TableRules = z.object({
  columns: z.record(z.string(), ColumnRule),
  /** Foreign keys declared only here (virtual): see PolicyForeignKey. */
  foreignKeys: z.array(PolicyForeignKey).optional(),
});
export type TableRules = z.infer<typeof TableRules>;

export const ScrubPolicyModel = z.object({
  version: z.literal(SCRUB_POLICY_VERSION),
  dialect: z.enum(DIALECT_NAMES).optional(),
  /** Where scan read it, password removed. */
  source: z.string().optional(),
  /** ISO timestamp of the scan that proposed it. */
  createdAt: z.string().optional(),
  /** Rows sampled per table by that scan. */
  sample: z.number().int().nonnegative().optional(),
  /** Tables keyed `schema.table`, as in the Schema. */
  tables: z.record(z.string(), TableRules),
});
export type ScrubPolicy = z.infer<typeof ScrubPolicyModel>;

/** Upgrade steps: `upgrades[n]` turns a version-n document into version n+1. None yet. */
const upgrades: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Stable JSON of a policy (validated; tables, columns and paths sorted by key).
 * @example
 * ```ts
 * await writeFile('scrub.policy.json', serializeScrubPolicy(policy));
 * ```
 */
export function serializeScrubPolicy(policy: ScrubPolicy): string {
  const parsed = ScrubPolicyModel.parse(policy);
  const tables = Object.fromEntries(
    Object.entries(sorted(parsed.tables)).map(([key, table]) => [
      key,
      {
        columns: Object.fromEntries(Object.entries(sorted(table.columns)).map(([c, rule]) => [c, rule.paths ? { ...rule, paths: sorted(rule.paths) } : rule])),
        ...(table.foreignKeys ? { foreignKeys: table.foreignKeys } : {}),
      },
    ]),
  );
  return `${JSON.stringify({ ...parsed, tables }, null, 2)}\n`;
}

/**
 * Parses a saved policy, upgrading an older `version`.
 * @param origin the file name, for messages.
 * @throws UsageError for invalid JSON, a newer or unknown version, or a rule that does not fit the model (naming table, column and field).
 * @example
 * ```ts
 * parseScrubPolicy('{"version":1,"tables":{}}', 'p.json').tables; // {}
 * ```
 */
export function parseScrubPolicy(text: string, origin = 'scrub policy'): ScrubPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${origin} is not valid JSON: ${(error as Error).message}`, {
      hint: 'Make a policy with `understudy scan --url SRC --out scrub.policy.json`.',
    });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UsageError(`${origin} is not a scrub policy (expected a JSON object with "version" and "tables")`);
  }
  let record = doc as Record<string, unknown>;
  const version = record['version'];
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new UsageError(`${origin} has no numeric "version": it is not a scrub policy Understudy wrote`, {
      hint: 'Make one with `understudy scan --url SRC --out scrub.policy.json`.',
    });
  }
  if (version > SCRUB_POLICY_VERSION) {
    throw new UsageError(`${origin} is scrub policy version ${version}, newer than this Understudy understands (${SCRUB_POLICY_VERSION})`, {
      hint: 'Upgrade Understudy, or scan again with this version.',
    });
  }
  for (let v = version; v < SCRUB_POLICY_VERSION; v++) {
    const step = upgrades[v];
    if (!step) throw new UsageError(`${origin} is scrub policy version ${version}, which can no longer be upgraded`, { hint: 'Scan the database again.' });
    record = step(record);
  }
  const parsed = ScrubPolicyModel.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where =
      issue.path.length >= 4 && issue.path[0] === 'tables' && issue.path[2] === 'columns'
        ? `table ${String(issue.path[1])}, column ${String(issue.path[3])}${issue.path.length > 4 ? `, field ${issue.path.slice(4).join('.')}` : ''}`
        : issue.path.join('.') || '(root)';
    throw new UsageError(`${origin}: ${where}: ${issue.message}`, {
      hint: `Transforms are ${PlainTransform.options.join(', ')} or fake:<${FakeKind.options.join('|')}>.`,
    });
  }
  return parsed.data;
}
