/**
 * Which table a migration statement works on, read from its text: the table
 * whose size its duration grows with. `ALTER TABLE x`, `CREATE INDEX … ON x`,
 * `UPDATE x`, `DELETE FROM x`, `INSERT INTO x`, `TRUNCATE x`, `CLUSTER x`,
 * `REINDEX TABLE x`, `VACUUM`/`ANALYZE x`, `OPTIMIZE TABLE x`, `LOCK TABLE x`;
 * anything else (`CREATE TABLE`, `DROP INDEX`, `CREATE FUNCTION`, …) works on no
 * table whose rows matter, and gets `undefined`.
 *
 * @example
 * ```ts
 * statementTable('ALTER TABLE ONLY "public"."orders" ADD COLUMN c int'); // { schema: 'public', name: 'orders' }
 * statementTable('create unique index concurrently ix on orders (a)');  // { name: 'orders' }
 * resolveStatementTable({ name: 'orders' }, ['public.orders', 'public.users']); // 'public.orders'
 * ```
 */

export interface StatementTableName {
  /** The schema (PostgreSQL) or database (MySQL) when the statement names one. */
  readonly schema?: string;
  readonly name: string;
  /** Written in quotes: compare case-sensitively. */
  readonly quoted?: boolean;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|\x60(?:[^\x60]|\x60\x60)+\x60|[\p{L}_][\p{L}\p{N}_$]*)`;
const NAME = String.raw`(${IDENT}(?:\s*\.\s*${IDENT})?)`;

/** The forms that name the table, each with the qualified name as its one capture group. */
const FORMS: readonly RegExp[] = [
  new RegExp(String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${NAME}`, 'iu'),
  new RegExp(String.raw`^create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:${IDENT}\s+)?on\s+(?:only\s+)?${NAME}`, 'iu'),
  new RegExp(String.raw`^create\s+(?:online\s+|offline\s+)?(?:unique\s+|fulltext\s+|spatial\s+)?index\s+${IDENT}\s+(?:using\s+\w+\s+)?on\s+${NAME}`, 'iu'),
  new RegExp(String.raw`^update\s+(?:only\s+)?${NAME}`, 'iu'),
  new RegExp(String.raw`^delete\s+from\s+(?:only\s+)?${NAME}`, 'iu'),
  new RegExp(String.raw`^(?:insert|replace)\s+(?:ignore\s+)?into\s+${NAME}`, 'iu'),
  new RegExp(String.raw`^truncate\s+(?:table\s+)?(?:only\s+)?${NAME}`, 'iu'),
  new RegExp(String.raw`^cluster\s+(?:verbose\s+)?${NAME}`, 'iu'),
  new RegExp(String.raw`^reindex\s+(?:\([^)]*\)\s+)?table\s+(?:concurrently\s+)?${NAME}`, 'iu'),
  new RegExp(String.raw`^(?:vacuum|analyze|analyse)\s+(?:\([^)]*\)\s+)?(?:full\s+|verbose\s+|freeze\s+|analyze\s+)*${NAME}`, 'iu'),
  new RegExp(String.raw`^(?:optimize|analyze)\s+(?:no_write_to_binlog\s+|local\s+)?table\s+${NAME}`, 'iu'),
  new RegExp(String.raw`^lock\s+(?:table\s+)?(?:only\s+)?${NAME}`, 'iu'),
];

/** Leading comments and whitespace. */
function stripLead(sql: string): string {
  let text = sql;
  for (;;) {
    const next = text
      .replace(/^\s+/, '')
      .replace(/^--[^\n]*\n?/, '')
      .replace(/^\/\*[\s\S]*?\*\//, '');
    if (next === text) return text;
    text = next;
  }
}

function unquote(ident: string): { text: string; quoted: boolean } {
  if (ident.startsWith('"')) return { text: ident.slice(1, -1).replace(/""/g, '"'), quoted: true };
  if (ident.startsWith('`')) return { text: ident.slice(1, -1).replace(/``/g, '`'), quoted: true };
  return { text: ident, quoted: false };
}

const SPLIT = new RegExp(String.raw`^(${IDENT})\s*\.\s*(${IDENT})$`, 'u');

/** See the module comment. */
export function statementTable(sql: string): StatementTableName | undefined {
  const text = stripLead(sql);
  for (const form of FORMS) {
    const match = form.exec(text);
    if (!match) continue;
    const written = match[1]!;
    const parts = SPLIT.exec(written);
    if (parts) {
      const schema = unquote(parts[1]!);
      const name = unquote(parts[2]!);
      return { schema: schema.text, name: name.text, ...(schema.quoted || name.quoted ? { quoted: true } : {}) };
    }
    const name = unquote(written);
    // `VACUUM;` / `ANALYZE;` without a table, or a keyword caught as a name.
    if (!name.quoted && /^(verbose|full|freeze|analyze|set|only|table|concurrently)$/i.test(name.text)) return undefined;
    return { name: name.text, ...(name.quoted ? { quoted: true } : {}) };
  }
  return undefined;
}

/**
 * The key (`schema.table`) of `keys` the name means: the qualified key itself, else the only key
 * with that table name, else the one in `public` (PostgreSQL's default search path); compared
 * case-insensitively unless the name was quoted.
 */
export function resolveStatementTable(table: StatementTableName, keys: readonly string[]): string | undefined {
  const same = (a: string, b: string): boolean => (table.quoted ? a === b : a.toLowerCase() === b.toLowerCase());
  const split = keys.map((key) => ({ key, schema: key.slice(0, key.lastIndexOf('.')), name: key.slice(key.lastIndexOf('.') + 1) }));
  if (table.schema !== undefined) return split.find((k) => same(k.schema, table.schema!) && same(k.name, table.name))?.key;
  const byName = split.filter((k) => same(k.name, table.name));
  if (byName.length === 1) return byName[0]!.key;
  return byName.find((k) => k.schema === 'public')?.key;
}

/**
 * The table key a statement works on, among `keys`, or `undefined`.
 * @example
 * ```ts
 * tableOfStatement('UPDATE orders SET total = 0', ['public.orders']); // 'public.orders'
 * ```
 */
export function tableOfStatement(sql: string, keys: readonly string[]): string | undefined {
  const table = statementTable(sql);
  return table ? resolveStatementTable(table, keys) : undefined;
}
