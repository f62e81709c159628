/**
 * A drizzle schema and a database that has its tables, side by side: the
 * database's model is what gets loaded (its real columns, keys and defaults),
 * and the module adds what only it knows, its relations-only links (virtual
 * foreign keys) and its generator hints, wherever the database has those tables
 * and columns. `comparableSchema` removes from either model what can never be the
 * same on both sides, so what is left to compare is drift.
 *
 * @example
 * ```ts
 * const { schema, hints } = applyDrizzleToDatabase(await connection.introspect(), await readDrizzleSource('drizzle.config.ts'));
 * ```
 */
import type { Schema, Table } from '@understudy/core';
import type { GenerationHints } from './drizzle-hints.js';

/**
 * The database's model with the module's virtual foreign keys added, and the module's
 * hints for the tables and columns the database has.
 *
 * @example
 * ```ts
 * applyDrizzleToDatabase(live, { schema: fromModule, hints });
 * ```
 */
export function applyDrizzleToDatabase(live: Schema, drizzle: { readonly schema: Schema; readonly hints: GenerationHints }): { schema: Schema; hints: GenerationHints } {
  const schema = structuredClone(live);
  for (const [key, table] of Object.entries(drizzle.schema.tables)) {
    const target = schema.tables[key];
    if (!target) continue;
    for (const fk of table.foreignKeys) {
      if (!fk.virtual) continue;
      const parent = schema.tables[fk.references.table];
      if (!parent || !has(target, fk.columns) || !has(parent, fk.references.columns)) continue;
      if (target.foreignKeys.some((x) => x.references.table === fk.references.table && same(x.columns, fk.columns))) continue;
      target.foreignKeys.push(structuredClone(fk));
    }
  }
  const hints: GenerationHints = {};
  for (const [key, columns] of Object.entries(drizzle.hints)) {
    const table = schema.tables[key];
    if (!table) continue;
    for (const [column, hint] of Object.entries(columns)) if (has(table, [column])) (hints[key] ??= {})[column] = hint;
  }
  return { schema, hints };
}

/**
 * A model without what a drizzle module and its database can never agree on:
 * virtual foreign keys (the database has no such constraint), row estimates, the
 * order of constraints and indexes, constant casts PostgreSQL adds to CHECK and
 * generated expressions (`salary > 0::numeric`), keyword case and parentheses in index predicates,
 * the `public.` PostgreSQL prints before an extension's function (`public.uuid_generate_v4()`),
 * and on MySQL the server's charset and collation and its re-printing of generated columns.
 *
 * @example
 * ```ts
 * expect(comparableSchema(fromModule)).toEqual(comparableSchema(fromDatabase));
 * ```
 */
export function comparableSchema(schema: Schema): Schema {
  const out = structuredClone(schema);
  for (const table of Object.values(out.tables)) comparableTable(table, schema.dialect);
  out.source = '';
  delete out.serverVersion;
  out.notes = [];
  return out;
}

function comparableTable(t: Table, dialect: Schema['dialect']): void {
  t.rowEstimate = null;
  t.foreignKeys = byName(t.foreignKeys.filter((fk) => !fk.virtual));
  t.uniques = byName(t.uniques);
  t.checks = byName(t.checks);
  t.indexes = byName(t.indexes);
  if (dialect === 'postgres') {
    for (const c of t.columns) if (c.default?.kind === 'expression') c.default.expression = withoutPublicQualifier(c.default.expression);
    for (const c of t.checks) c.expression = withoutConstantCasts(c.expression);
    for (const c of t.columns) if (c.generated) c.generated.expression = withoutConstantCasts(c.generated.expression);
    for (const i of t.indexes) {
      if (i.where) i.where = upperKeywords(i.where);
      if (i.definition) i.definition = withoutPredicateParentheses(upperKeywords(i.definition));
    }
    for (const u of t.uniques) if (u.where) u.where = upperKeywords(u.where);
  } else {
    for (const c of t.columns) {
      delete c.charset;
      delete c.collation;
      if (c.generated) c.generated.expression = '<re-printed by the server>';
    }
  }
}

/** `public.uuid_generate_v4()` → `uuid_generate_v4()`: the database names the schema of an extension's function; the module does not. */
function withoutPublicQualifier(expression: string): string {
  return expression.replace(/\bpublic\.([a-z_][a-z0-9_]*)\(/gi, '$1(');
}

/** `salary > 0::numeric` → `salary > 0`: PostgreSQL types the constants of a stored expression; drizzle has the source. */
function withoutConstantCasts(expression: string): string {
  return expression.replace(/\b(\d+(?:\.\d+)?)::[a-z][a-z ]*[a-z]/g, '$1').replace(/\('(-?\d+(?:\.\d+)?)'::[a-z][a-z ]*[a-z]\)/g, '$1');
}

const KEYWORDS = /\b(is|not|null|and|or|true|false|in|like|ilike|between)\b/gi;

/** `… WHERE ((a IS NULL) AND (b > 0))` → `… WHERE a IS NULL AND b > 0`: PostgreSQL puts its own parentheses in a predicate it prints. */
function withoutPredicateParentheses(definition: string): string {
  const at = definition.indexOf(' WHERE ');
  return at < 0 ? definition : definition.slice(0, at) + definition.slice(at).replace(/[()]/g, '');
}

/** Keywords outside quotes upper-cased, as `pg_get_expr` prints them. */
function upperKeywords(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|[^'"]+/g, (part) => (part.startsWith("'") || part.startsWith('"') ? part : part.replace(KEYWORDS, (k) => k.toUpperCase())));
}

function byName<T extends { name: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function has(table: Table, columns: readonly string[]): boolean {
  return columns.every((c) => table.columns.some((x) => x.name === c));
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}
