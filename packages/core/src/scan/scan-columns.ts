/**
 * The pure half of `scan`: a Schema and a sample of each table's values in, a
 * ScanReport out. Every column gets a verdict from the PII detectors and a proposed
 * transform; then the schema's keys refine them:
 *
 * - **codes identify people only in people's tables.** A column of codes (`ALFKI`,
 *   `CUST-0042`) is hashed when it is a key of a table of people, refers to one, or is
 *   named after one (`customer_ref`); an SKU is kept.
 * - **joins stay intact.** A foreign key whose referenced column is transformed gets the
 *   same transform, so `orders.customer_id` follows `customers.customer_id`.
 * - **partitions follow their parent**, which is the table sampled.
 *
 * @example
 * ```ts
 * const report = scanSamples(schema, samples, { dictionaries, sample: 200, source: 'postgres://…/app' });
 * ```
 */
import { nameTokens, PEOPLE_TABLES } from '../pii/column-name-detector.js';
import { classifyColumnPii, MIN_VALUES_TO_OVERRULE, type PiiVerdict } from '../pii/column-verdict.js';
import type { PiiDictionaries } from '../pii/dictionaries.js';
import type { PiiKind } from '../pii/pii-kind.js';
import { uniqueKeyColumns, type Schema, type Table } from '../schema-model.js';
import type { ScanReport, ScannedColumn, ScannedTable } from './scan-model.js';
import { fitProposal, proposeTransform, type ProposedRule } from './scan-transform.js';

/** One table's sampled values, as a dialect's `sampleColumns` returns them. */
export interface TableSample {
  readonly rows: number;
  readonly method: string;
  readonly values: ReadonlyMap<string, ReadonlyArray<string | null>>;
}

export interface ScanSamplesOptions {
  readonly dictionaries: PiiDictionaries;
  /** Rows asked for per table. */
  readonly sample: number;
  readonly source?: string;
  readonly takenAt?: Date;
}

/** Kinds that make a table a table of people. */
const IDENTITY_KINDS = new Set<PiiKind>(['person-name', 'email', 'phone', 'address', 'national-id', 'username', 'birth-date', 'card-number', 'iban']);
/** Words of a column's name that say it holds an account's id (`github_uid`, `auth0_sub`, `slackUserId`). */
const ACCOUNT_WORDS = new Set(['id', 'uid', 'sub', 'guid', 'uuid', 'account', 'handle', 'login']);
/** Words in a column's name that say its codes name a person or customer. */
const PERSON_REFERENCE = /customer|client|user|member|account|person|employee|patient|guest|contact|subscriber|buyer|passenger|student/i;

interface Working {
  verdict: PiiVerdict;
  column: ScannedColumn;
}

/**
 * A column the target derives from the row's other columns, so it holds nothing the scrub has not
 * already transformed: a generated column, or a search vector a `tsvector_update_trigger` sets
 * (scrub keeps that trigger on while it loads). Else `undefined`.
 */
function derivedBy(table: Table, column: Table['columns'][number]): string | undefined {
  if (column.generated) return 'generated column: the target computes it from the scrubbed columns';
  const trigger = (table.triggers ?? []).find((t) => t.sets?.includes(column.name));
  return trigger ? `set by trigger ${trigger.name} (tsvector_update_trigger): the target recomputes it from the scrubbed columns` : undefined;
}

/**
 * The rule for a column whose values hold personal data no transform can rewrite in place: a
 * search vector (`tsvector`) that nothing in the target recomputes keeps the original words, as
 * lexemes, so it goes (`null`, or `generate` where it is NOT NULL).
 */
function searchVectorRule(verdict: PiiVerdict, column: Table['columns'][number]): ProposedRule | undefined {
  if (column.kind !== 'tsvector' || verdict.kinds.length === 0) return undefined;
  return { transform: column.nullable ? 'null' : 'generate' };
}

function scanned(table: Table, verdict: PiiVerdict, column: Table['columns'][number]): ScannedColumn {
  const derived = derivedBy(table, column);
  const { transform, ...options } = derived ? { transform: 'keep' as const } : (searchVectorRule(verdict, column) ?? proposeTransform(verdict, column));
  const searchVector = !derived && column.kind === 'tsvector' && verdict.kinds.length > 0;
  return {
    column: column.name,
    type: column.rawType,
    transform,
    ...(Object.keys(options).length > 0 ? { options } : {}),
    kinds: verdict.kinds,
    confidence: verdict.confidence,
    examined: verdict.examined,
    detected: verdict.detections,
    reason: derived
      ? `${verdict.kinds.length > 0 ? `${verdict.reason}; ` : ''}${derived}`
      : searchVector
        ? `${verdict.reason}; a search vector keeps the words of its text and nothing recomputes it here`
        : verdict.reason,
  };
}

/** A uuid or integer named after a permuted key the schema does not tie it to follows that key. */
function followNamedKeys(schema: Schema, keys: readonly string[], work: Map<string, Map<string, Working>>): void {
  // a reference the schema does not declare, named after a transformed key (`audit_logs.organization_id` → `organizations.id`,
  // both uuid): the same transform, which on a key's type is the same keyed permutation, keeps the join
  const singular = (name: string): string =>
    name
      .replace(/ies$/, 'y')
      .replace(/(ss|x|ch|sh)es$/, '$1')
      .replace(/([^s])s$/, '$1');
  const keyByName = new Map<string, { table: string; column: Table['columns'][number]; w: Working } | null>();
  for (const key of keys) {
    const table = schema.tables[key]!;
    const pk = table.primaryKey?.columns ?? [];
    if (pk.length !== 1 || table.kind === 'partition') continue;
    const column = table.columns.find((c) => c.name === pk[0]);
    const w = work.get(key)!.get(pk[0]!);
    if (!column || !w || w.column.transform === 'keep') continue;
    const entry = { table: key, column, w };
    // by words, so that a Prisma app's `Event.tenantId` finds `Tenant.id` as `audit_logs.organization_id` finds `organizations.id`
    const words = [...nameTokens(table.name).slice(0, -1), singular(nameTokens(table.name).at(-1) ?? ''), ...nameTokens(column.name)].join('_');
    keyByName.set(`${table.schema ?? ''}.${words}`, entry);
    // from another schema (lago's partman.template_public_enriched_events.organization_id) when one schema has it
    const anywhere = `*.${words}`;
    keyByName.set(anywhere, keyByName.has(anywhere) ? null : entry);
  }
  for (const key of keys) {
    const table = schema.tables[key]!;
    for (const column of table.columns) {
      // the whole name, or its end after a role (hatchet's `QueueItem.desiredWorkerId` → `Worker.id`, `owner_user_id` → `users.id`)
      const tokens = nameTokens(column.name);
      let parent: { table: string; column: Table['columns'][number]; w: Working } | null | undefined;
      for (let from = 0; from + 2 <= tokens.length && !parent; from++) {
        const words = tokens.slice(from).join('_');
        parent = keyByName.get(`${table.schema ?? ''}.${words}`) ?? keyByName.get(`*.${words}`);
      }
      const w = work.get(key)!.get(column.name)!;
      if (!parent || parent.table === key || w.column.transform !== 'keep' || column.kind !== parent.column.kind || (column.arrayDimensions ?? 0) > 0) continue;
      if (parent.w.column.transform !== 'hash' || !/^(uuid|tinyint|smallint|mediumint|integer|bigint)$/.test(column.kind) || column.unsigned !== parent.column.unsigned) continue;
      if (table.foreignKeys.some((fk) => fk.columns.includes(column.name))) continue;
      w.column = {
        ...w.column,
        transform: parent.w.column.transform,
        kinds: parent.w.column.kinds,
        reason: `named after ${parent.table}(${parent.column.name}), which is ${parent.w.column.transform}, with no foreign key declared: the same transform keeps the join`,
      };
    }
  }
}

/** Every rule made to fit its column as scrub checks it (see `fitProposal`). */
function fitRules(schema: Schema, keys: readonly string[], work: Map<string, Map<string, Working>>, keyOf: (table: Table, column: string) => boolean): void {
  // every rule fits its column as scrub checks it (a foreign key follows its parent's function in scrub, whatever its rule says)
  const referenced = new Set(keys.flatMap((key) => schema.tables[key]!.foreignKeys.flatMap((fk) => fk.references.columns.map((c) => `${fk.references.table}.${c}`))));
  for (const key of keys) {
    const table = schema.tables[key]!;
    const names = table.columns.map((c) => c.name);
    const parentKey = table.kind === 'partition' && table.partitionOf ? schema.tables[table.partitionOf] : undefined;
    for (const column of table.columns) {
      const w = work.get(key)!.get(column.name)!;
      if (table.foreignKeys.some((fk) => fk.columns.includes(column.name) && work.has(fk.references.table))) continue;
      const isKey =
        keyOf(table, column.name) || (parentKey !== undefined && keyOf(parentKey, column.name)) || referenced.has(`${key}.${column.name}`) || referenced.has(`${table.partitionOf}.${column.name}`);
      const nullChecked = table.checks.some(
        (c) =>
          /\bIS\s+(NOT\s+)?NULL\b|\bnum_(non)?nulls\b|\bcoalesce\b/i.test(c.expression) && uniqueKeyColumns({ columns: c.columns ?? [], expressions: [c.expression] }, names).includes(column.name),
      );
      const fitted = fitProposal({ transform: w.column.transform, ...(w.column.options ?? {}) }, column, w.column.kinds, isKey, nullChecked);
      if (fitted.note === undefined) continue;
      const { transform, ...options } = fitted.rule;
      const next: ScannedColumn = { ...w.column, transform, options, reason: `${w.column.reason}; ${fitted.note}` };
      if (Object.keys(options).length === 0) delete (next as { options?: unknown }).options;
      w.column = next;
    }
  }
}

/**
 * Classifies every column of `schema` from its samples (a table without one is judged by its schema alone).
 * @example
 * ```ts
 * scanSamples(schema, new Map([['public.users', { rows: 2, method: 'test', values: new Map([['email', ['a@b.co', 'c@d.org']]]) }]]), { dictionaries, sample: 2 });
 * ```
 */
export function scanSamples(schema: Schema, samples: ReadonlyMap<string, TableSample>, options: ScanSamplesOptions): ScanReport {
  const keys = Object.keys(schema.tables).sort();
  const work = new Map<string, Map<string, Working>>();
  for (const key of keys) {
    const table = schema.tables[key]!;
    const sampleKey = table.kind === 'partition' && table.partitionOf ? table.partitionOf : key;
    const sample = samples.get(sampleKey);
    const columns = new Map<string, Working>();
    for (const column of table.columns) {
      const values = sample?.values.get(column.name);
      const verdict = classifyColumnPii({ table, column, ...(values ? { values } : {}), dictionaries: options.dictionaries });
      columns.set(column.name, { verdict, column: scanned(table, verdict, column) });
    }
    work.set(key, columns);
  }

  const people = new Set(keys.filter((key) => PEOPLE_TABLES.test(schema.tables[key]!.name) || [...work.get(key)!.values()].some((w) => w.verdict.kinds.some((k) => IDENTITY_KINDS.has(k)))));
  const referencesPeople = (table: Table, column: string): string | undefined => table.foreignKeys.find((fk) => fk.columns.includes(column) && people.has(fk.references.table))?.references.table;
  const keyOf = (table: Table, column: string): boolean =>
    [
      table.primaryKey?.columns ?? [],
      ...table.uniques.map((u) =>
        uniqueKeyColumns(
          u,
          table.columns.map((c) => c.name),
        ),
      ),
    ].some((cols) => cols.includes(column));

  // codes are personal only where they identify people
  for (const key of keys) {
    const table = schema.tables[key]!;
    for (const [name, w] of work.get(key)!) {
      if (w.column.transform !== 'hash' || !w.verdict.kinds.includes('identifier')) continue;
      // in a table of people, a code each row has its own (`github_uid`, `auth0_sub`) is a person's account elsewhere
      // a declared reference is its parent's key (hatchet's `WorkflowRun.parentStepRunId` → `StepRun.id`), personal only where that is
      const declared = table.foreignKeys.some((fk) => fk.columns.includes(name) && work.has(fk.references.table));
      const ownCode =
        !declared && people.has(key) && nameTokens(name).some((t) => ACCOUNT_WORDS.has(t)) && w.verdict.examined >= MIN_VALUES_TO_OVERRULE && w.verdict.distinct >= 0.9 * w.verdict.examined;
      const personal = (!declared && people.has(key) && keyOf(table, name)) || ownCode || referencesPeople(table, name) !== undefined || (!declared && PERSON_REFERENCE.test(name));
      if (!personal) {
        const why = people.has(key) ? 'codes shared by many rows of a table of people, naming none' : 'codes, but not of a table of people';
        w.column = { ...w.column, transform: 'keep', kinds: [], reason: `${w.column.reason}; ${why}: kept` };
      }
    }
  }
  // a foreign key follows the column it references, so joins stay intact (repeated along chains of keys)
  for (let changed = true; changed;) {
    changed = false;
    for (const key of keys) {
      const table = schema.tables[key]!;
      for (const fk of table.foreignKeys) {
        const parent = work.get(fk.references.table);
        if (!parent) continue;
        fk.columns.forEach((name, i) => {
          const child = work.get(key)!.get(name);
          const referenced = parent.get(fk.references.columns[i]!);
          if (!child || !referenced || referenced.column.transform === 'keep' || child.column.transform === referenced.column.transform) return;
          changed = true;
          child.column = {
            ...child.column,
            transform: referenced.column.transform,
            ...(referenced.column.options ? { options: referenced.column.options } : {}),
            kinds: referenced.column.kinds,
            reason: `references ${fk.references.table}(${fk.references.columns[i]}), which is ${referenced.column.transform}: the same transform keeps the join`,
          };
        });
      }
    }
  }

  followNamedKeys(schema, keys, work);
  fitRules(schema, keys, work, keyOf);

  const tables: ScannedTable[] = keys.map((key) => {
    const table = schema.tables[key]!;
    const sample = samples.get(table.kind === 'partition' && table.partitionOf ? table.partitionOf : key);
    return {
      table: key,
      sampled: sample?.rows ?? 0,
      method: table.kind === 'partition' && table.partitionOf ? `sampled through ${table.partitionOf}` : (sample?.method ?? 'not sampled'),
      columns: [...work.get(key)!.values()].map((w) => w.column),
    };
  });
  const byTransform: Record<string, number> = {};
  let columns = 0;
  for (const t of tables) for (const c of t.columns) (columns++, (byTransform[c.transform] = (byTransform[c.transform] ?? 0) + 1));
  return {
    source: options.source ?? schema.source ?? schema.dialect,
    dialect: schema.dialect,
    takenAt: (options.takenAt ?? new Date()).toISOString(),
    sample: options.sample,
    tables,
    summary: { tables: tables.length, columns, transformed: columns - (byTransform['keep'] ?? 0), byTransform },
  };
}
