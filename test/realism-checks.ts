/**
 * What a user reading a schema-only seed expects of its rows, checked by SQL written
 * here from the columns' names and types (never from the plan's own reasons):
 * - boolean-like `is_*` / `has_*` small integers hold 0 or 1;
 * - integer status / type / kind / level / state codes are small (0–100), or the column's DEFAULT;
 * - dates in name order: `created` ≤ `updated` / `deleted` / `closed` / `resolved`,
 *   `start` ≤ `end`, `from` ≤ `to`, `birth` < `hire`, in at least 99% of the rows;
 * - a byte column named for text (`page_title`, `user_name`, `comment_text`: the last word) holds readable UTF-8.
 * A column a CHECK, an enum, a key or a foreign key constrains is left out: those are
 * the schema's word, which the independent checker of db-checks.ts verifies.
 */
import type { Column, Schema, Table } from '@understudy/core';
import type { CheckTarget } from './db-checks.js';

const INTEGER_KINDS = new Set<Column['kind']>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint']);
const TIME_KINDS = new Set<Column['kind']>(['date', 'timestamp', 'timestamptz']);
const BYTE_KINDS = new Set<Column['kind']>(['varbinary', 'blob']);
const CODE_WORDS = new Set(['status', 'type', 'kind', 'level', 'state']);
const TEXT_WORDS = new Set(['name', 'title', 'text', 'comment', 'description', 'label', 'summary', 'message', 'body', 'content']);
/** Earlier word → later words, for date columns that differ only by that word. */
const LATER: Record<string, readonly string[]> = {
  created: ['updated', 'modified', 'deleted', 'closed', 'resolved', 'completed', 'finished', 'started', 'processed', 'sent'],
  start: ['end'],
  starts: ['ends'],
  started: ['ended', 'finished', 'completed'],
  from: ['to', 'until'],
  birth: ['hire'],
};

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Columns the schema itself constrains: keys, foreign keys, CHECKs naming them. */
function constrained(table: Table): Set<string> {
  const out = new Set<string>(table.primaryKey?.columns ?? []);
  for (const u of table.uniques) for (const c of u.columns) if (c !== null) out.add(c);
  for (const fk of table.foreignKeys) for (const c of fk.columns) out.add(c);
  for (const check of table.checks) for (const c of table.columns) if (check.expression.toLowerCase().includes(c.name.toLowerCase())) out.add(c.name);
  return out;
}

function datePairs(table: Table): Array<[Column, Column]> {
  const times = table.columns.filter((c) => TIME_KINDS.has(c.kind) && c.arrayDimensions === 0);
  const pairs: Array<[Column, Column]> = [];
  for (const a of times) {
    const wa = words(a.name);
    for (const b of times) {
      if (a === b) continue;
      const wb = words(b.name);
      if (wa.length !== wb.length) continue;
      const diff = wa.map((w, i) => [w, wb[i]!] as const).filter(([x, y]) => x !== y);
      if (diff.length === 1 && LATER[diff[0]![0]]?.includes(diff[0]![1])) pairs.push([a, b]);
    }
  }
  return pairs;
}

/**
 * Problems found in the seeded tables of `tables` (their keys in `schema.tables`), each
 * as `table.column: what is wrong (counts)`.
 */
export async function checkRealism(t: CheckTarget, schema: Schema, tables: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const q = t.quote;
  for (const key of tables) {
    const table = schema.tables[key];
    if (!table || table.kind === 'partition') continue;
    const ref = `${q(table.schema)}.${q(table.name)}`;
    const fixed = constrained(table);
    const free = table.columns.filter((c) => !fixed.has(c.name) && !c.generated && c.kind !== 'enum' && c.arrayDimensions === 0);
    for (const c of free) {
      const w = words(c.name);
      if (!INTEGER_KINDS.has(c.kind)) continue;
      if ((w[0] === 'is' || w[0] === 'has') && c.kind !== 'bigint' && c.kind !== 'integer') {
        const [row] = await t.query(`SELECT count(*) AS n FROM ${ref} WHERE ${q(c.name)} NOT IN (0, 1)`);
        if (Number(row?.['n']) > 0) problems.push(`${key}.${c.name}: ${row?.['n']} rows neither 0 nor 1`);
      } else if (CODE_WORDS.has(w.at(-1)!)) {
        // The column's own DEFAULT is the schema's word too (danbooru's `media_assets.status DEFAULT 200`).
        const d = c.default?.kind === 'literal' ? /^\(?'?(-?\d+)'?(?:::\w+)?\)?$/.exec(c.default.value.trim())?.[1] : undefined;
        const [row] = await t.query(`SELECT count(*) AS n FROM ${ref} WHERE (${q(c.name)} < 0 OR ${q(c.name)} > 100)${d !== undefined ? ` AND ${q(c.name)} <> ${d}` : ''}`);
        if (Number(row?.['n']) > 0) problems.push(`${key}.${c.name}: ${row?.['n']} status/type codes outside 0–100`);
      }
    }
    for (const [a, b] of datePairs(table)) {
      if (fixed.has(a.name) && fixed.has(b.name)) continue;
      const [row] = await t.query(`SELECT count(*) AS n, sum(CASE WHEN ${q(a.name)} > ${q(b.name)} THEN 1 ELSE 0 END) AS bad FROM ${ref} WHERE ${q(a.name)} IS NOT NULL AND ${q(b.name)} IS NOT NULL`);
      const n = Number(row?.['n'] ?? 0);
      const bad = Number(row?.['bad'] ?? 0);
      if (n > 0 && bad / n > 0.01) problems.push(`${key}: ${a.name} after ${b.name} in ${bad} of ${n} rows`);
    }
    for (const c of table.columns.filter((c) => BYTE_KINDS.has(c.kind) && TEXT_WORDS.has(words(c.name).at(-1)!))) {
      const rows = await t.query(`SELECT ${q(c.name)} AS v FROM ${ref} WHERE ${q(c.name)} IS NOT NULL LIMIT 200`);
      const unreadable = rows.filter((r) => {
        const v = r['v'];
        const bytes = Buffer.isBuffer(v) ? v : v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(String(v), 'utf8');
        const text = bytes.toString('utf8');
        return !Buffer.from(text, 'utf8').equals(bytes) || /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/.test(text);
      }).length;
      if (unreadable > 0) problems.push(`${key}.${c.name} (${c.rawType}): ${unreadable} of ${rows.length} values are not readable UTF-8 text`);
    }
  }
  return problems;
}
