/**
 * An independent check of a seeded database, in plain SQL (not the loader's
 * own claims): every table has the rows asked for, no FK has an orphan, no
 * primary or unique key has a duplicate, no text is longer than its column.
 * CHECK constraints and lengths are enforced by the database on load (MariaDB
 * in strict mode, checked by the caller), so a load that succeeded with every
 * row counted proves them; lengths are checked again here anyway.
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
  for (const [key, table] of Object.entries(schema.tables)) {
    const name = qualified(t, schema, key);
    if (table.kind !== 'partition') {
      const n = await scalar(t, `SELECT count(*) AS n FROM ${name}`);
      counts[key] = n;
      if (n === 0) problems.push(`${key} is empty`);
      if (expected[key] !== undefined && n !== expected[key]) problems.push(`${key} has ${n} rows, the seed reported ${expected[key]}`);
    }
    for (const fk of table.foreignKeys) {
      if (fk.virtual) continue;
      foreignKeys++;
      const parent = qualified(t, schema, fk.references.table);
      const on = fk.columns.map((c, i) => `c.${t.quote(c)} = p.${t.quote(fk.references.columns[i]!)}`).join(' AND ');
      const notNull = fk.columns.map((c) => `c.${t.quote(c)} IS NOT NULL`).join(' AND ');
      const orphans = await scalar(t, `SELECT count(*) AS n FROM ${name} c LEFT JOIN ${parent} p ON ${on} WHERE ${notNull} AND p.${t.quote(fk.references.columns[0]!)} IS NULL`);
      if (orphans > 0) problems.push(`${key}: ${orphans} orphan rows for foreign key ${fk.name} → ${fk.references.table}`);
    }
    const keys: (readonly (string | null)[])[] = [...(table.primaryKey ? [table.primaryKey.columns] : []), ...table.uniques.map((u) => u.columns)];
    for (const key of keys) {
      if (key.some((c) => c === null)) continue; // an expression in a unique index
      const columns = key as readonly string[];
      uniqueKeys++;
      const cols = columns.map((c) => t.quote(c)).join(', ');
      const notNull = columns.map((c) => `${t.quote(c)} IS NOT NULL`).join(' AND ');
      const dups = await scalar(t, `SELECT count(*) AS n FROM (SELECT ${cols} FROM ${name} WHERE ${notNull} GROUP BY ${cols} HAVING count(*) > 1) d`);
      if (dups > 0) problems.push(`${key}: ${dups} duplicated values of (${columns.join(', ')})`);
    }
    for (const column of table.columns) {
      if (column.length === undefined || column.arrayDimensions > 0 || !['char', 'varchar'].includes(column.kind)) continue;
      const long = await scalar(t, `SELECT count(*) AS n FROM ${name} WHERE char_length(${t.quote(column.name)}) > ${column.length}`);
      if (long > 0) problems.push(`${key}.${column.name}: ${long} values longer than ${column.length}`);
    }
  }
  return { problems, counts, foreignKeys, uniqueKeys };
}

/** The table → rows map of a `seed --json` result. */
export function reportedRows(json: string): Record<string, number> {
  const result = JSON.parse(json) as { tables: { table: string; rows: number }[] };
  return Object.fromEntries(result.tables.map((t) => [t.table, t.rows]));
}
