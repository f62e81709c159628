/**
 * An independent check of a seeded database, in plain SQL (not the loader's
 * own claims): every table has the rows asked for, no FK has an orphan, no
 * primary or unique key has a duplicate (expression and partial unique indexes
 * included), no row fails a CHECK constraint (the table's, and its domains'),
 * no text is longer than its column. The database enforces CHECKs and lengths
 * on load too (MariaDB in strict mode, checked by the caller); they are
 * counted again here so that a check the loader got past (triggers or FK
 * checks off, a constraint set aside) would still be caught.
 */
import type { Schema } from '@understudy/core';

export interface CheckTarget {
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Quotes an identifier: "a" (PostgreSQL) or `a` (MySQL). */
  quote(name: string): string;
  /** SQL length function of a text value: char_length works on both. */
  readonly dialect: 'postgres' | 'mysql';
}

export interface CheckReport {
  readonly problems: string[];
  readonly counts: Record<string, number>;
  readonly foreignKeys: number;
  readonly uniqueKeys: number;
  readonly checks: number;
}

const qualified = (t: CheckTarget, schema: Schema, key: string): string => {
  const table = schema.tables[key]!;
  return `${t.quote(table.schema)}.${t.quote(table.name)}`;
};

async function scalar(t: CheckTarget, sql: string): Promise<number> {
  const rows = await t.query(sql);
  return Number(Object.values(rows[0] ?? {})[0] ?? 0);
}

/** Runs every check; `expected` maps table keys to the row counts the seed reported. */
export async function checkSeededDatabase(t: CheckTarget, schema: Schema, expected: Record<string, number>): Promise<CheckReport> {
  const problems: string[] = [];
  const counts: Record<string, number> = {};
  let foreignKeys = 0;
  let uniqueKeys = 0;
  let checks = 0;
  for (const [tableKey, table] of Object.entries(schema.tables)) {
    const name = qualified(t, schema, tableKey);
    if (table.kind !== 'partition') {
      const n = await scalar(t, `SELECT count(*) AS n FROM ${name}`);
      counts[tableKey] = n;
      // A table expected empty (kept as it was, with no rows) may be; any other must have rows.
      if (n === 0 && expected[tableKey] !== 0) problems.push(`${tableKey} is empty`);
      if (expected[tableKey] !== undefined && n !== expected[tableKey]) problems.push(`${tableKey} has ${n} rows, the seed reported ${expected[tableKey]}`);
    }
    for (const fk of table.foreignKeys) {
      if (fk.virtual) continue;
      foreignKeys++;
      const notNullRefs = fk.columns.map((c) => `${t.quote(c)} IS NOT NULL`).join(' AND ');
      // A key to a table that does not exist (MySQL keeps one after a DROP with the checks off): no row may use it.
      if (!schema.tables[fk.references.table]) {
        const dangling = await scalar(t, `SELECT count(*) AS n FROM ${name} WHERE ${notNullRefs}`);
        if (dangling > 0) problems.push(`${tableKey}: ${dangling} rows for foreign key ${fk.name} → ${fk.references.table}, which does not exist`);
        continue;
      }
      const parent = qualified(t, schema, fk.references.table);
      const on = fk.columns.map((c, i) => `c.${t.quote(c)} = p.${t.quote(fk.references.columns[i]!)}`).join(' AND ');
      const notNull = fk.columns.map((c) => `c.${t.quote(c)} IS NOT NULL`).join(' AND ');
      const orphans = await scalar(t, `SELECT count(*) AS n FROM ${name} c LEFT JOIN ${parent} p ON ${on} WHERE ${notNull} AND p.${t.quote(fk.references.columns[0]!)} IS NULL`);
      if (orphans > 0) problems.push(`${tableKey}: ${orphans} orphan rows for foreign key ${fk.name} → ${fk.references.table}`);
    }
    // An exclusion constraint of equalities only (`EXCLUDE USING btree (email WITH =, tenant_id WITH =)`) is a unique key.
    const exclusionKeys = (table.indexes ?? []).filter((i) => i.exclusion && i.exclusion.length > 0 && i.exclusion.every((o) => /^(?:OPERATOR\()?(?:[\w$"]+\.)?=\)?$/i.test(o.trim())));
    const keys = [...(table.primaryKey ? [{ columns: table.primaryKey.columns, expressions: undefined, where: undefined }] : []), ...table.uniques, ...exclusionKeys];
    for (const key of keys) {
      // An expression part of a unique index is `null` in columns and spelled, in order, in expressions.
      const expressions = [...(key.expressions ?? [])];
      const parts = key.columns.map((c) => (c === null ? expressions.shift() : t.quote(c)));
      if (parts.some((p) => p === undefined)) continue; // an expression the schema did not spell
      uniqueKeys++;
      const cols = parts.join(', ');
      const conditions = [...parts.map((p) => `(${p}) IS NOT NULL`), ...(key.where ? [`(${key.where})`] : [])].join(' AND ');
      const dups = await scalar(t, `SELECT count(*) AS n FROM (SELECT ${cols} FROM ${name} WHERE ${conditions} GROUP BY ${cols} HAVING count(*) > 1) d`);
      if (dups > 0) problems.push(`${tableKey}: ${dups} duplicated values of (${cols})${key.where ? ` where ${key.where}` : ''}`);
    }
    // CHECK: a row fails when its expression is false (NULL passes, as in the database).
    const domainChecks = table.columns.flatMap((c) =>
      (c.domain ? (schema.domains[c.domain]?.checks ?? []) : []).map((check) => ({ ...check, expression: check.expression.replace(/\bVALUE\b/g, t.quote(c.name)) })),
    );
    for (const check of [...table.checks, ...domainChecks]) {
      if (check.notValid || table.kind === 'partition') continue; // NOT VALID: old rows may fail by design; a partition's rows are counted through its parent
      checks++;
      const failing = await scalar(t, `SELECT count(*) AS n FROM ${name} WHERE NOT (${check.expression})`);
      if (failing > 0) problems.push(`${tableKey}: ${failing} rows fail CHECK ${check.name} (${check.expression})`);
    }
    for (const column of table.columns) {
      if (column.length === undefined || column.arrayDimensions > 0 || !['char', 'varchar'].includes(column.kind)) continue;
      const long = await scalar(t, `SELECT count(*) AS n FROM ${name} WHERE char_length(${t.quote(column.name)}) > ${column.length}`);
      if (long > 0) problems.push(`${tableKey}.${column.name}: ${long} values longer than ${column.length}`);
    }
  }
  return { problems, counts, foreignKeys, uniqueKeys, checks };
}

/** The table → rows map of a `seed --json` result. */
export function reportedRows(json: string): Record<string, number> {
  const result = JSON.parse(json) as { tables: { table: string; rows: number }[] };
  return Object.fromEntries(result.tables.map((t) => [t.table, t.rows]));
}
