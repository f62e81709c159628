/**
 * The DDL that creates a drizzle schema in an empty database: drizzle-kit's
 * migration from an empty snapshot to the module's (with the project's own
 * drizzle-kit when it has one). `understudy seed --drizzle` with no `--url` runs it
 * in an embedded PGlite; tests push schemas with it.
 *
 * @example
 * ```ts
 * const { dialect, statements } = await drizzleCreateStatements('src/db/schema.ts');
 * for (const sql of statements) await client.query(sql);
 * ```
 */
import type { DrizzleCasing } from './drizzle-config.js';
import { drizzleKitFor } from './drizzle-kit-runtime.js';
import { loadDrizzleModule, type DrizzleDialect, type DrizzleModule, type DrizzleTable } from './drizzle-module-loader.js';

export interface DrizzleCreateStatements {
  readonly dialect: DrizzleDialect;
  /** One statement per entry, in order, without the `--> statement-breakpoint` markers. */
  readonly statements: string[];
  /** PostgreSQL extensions the statements use (a type or operator class of `pg_trgm`, `citext`, …), to create first. */
  readonly extensions: string[];
  /**
   * Tables the module's foreign keys reference but it does not export (Supabase's `auth.users`,
   * imported from a module outside the schema: the platform creates it), as `schema.name`: created
   * too, from their drizzle tables, so that the foreign keys to them hold.
   */
  readonly referenced: string[];
}

/** What in a statement needs which extension: drizzle declares the use, not the `CREATE EXTENSION`. */
const EXTENSION_MARKERS: readonly [RegExp, string][] = [
  [/\b(gin|gist)_trgm_ops\b|\bsimilarity\(|\bword_similarity\(/i, 'pg_trgm'],
  [/\bcitext\b/i, 'citext'],
  [/\bltree\b/i, 'ltree'],
  [/\bhstore\b/i, 'hstore'],
  [/\bcube\b|\bearth\b/i, 'cube'],
  [/\buuid_generate_v[1-5]\(/i, 'uuid-ossp'],
  [/\bgen_random_bytes\(|\bcrypt\(|\bgen_salt\(/i, 'pgcrypto'],
  [/\bunaccent\(/i, 'unaccent'],
  // pgvector's types and operator classes (`tsvector` is core: no word boundary before its `vector`).
  [/\b(vector|halfvec|sparsevec)\(\d+\)|\b(vector|halfvec|sparsevec|bit)_(cosine|l2|ip|l1|hamming|jaccard)_ops\b/i, 'vector'],
];

/**
 * The extensions a list of PostgreSQL statements uses.
 *
 * @example
 * ```ts
 * extensionsUsedBy(['CREATE INDEX i ON t USING gin (name gin_trgm_ops)']); // ['pg_trgm']
 * ```
 */
export function extensionsUsedBy(statements: readonly string[]): string[] {
  const text = statements.join('\n');
  return [...new Set([...EXTENSION_MARKERS.filter(([re]) => re.test(text)).map(([, name]) => name), ...btreeOperatorClassesUsedBy(statements)])].sort();
}

/** Types a GIN index takes without btree_gin; a GiST index, without btree_gist. */
const GIN_TYPES = /^(jsonb|tsvector|hstore)$|\[\]$/i;
const GIST_TYPES = /^(tsvector|tsquery|point|line|lseg|box|path|polygon|circle|inet|cidr|ltree|cube|geometry|geography|\w*range|\w*multirange)$/i;

/**
 * `btree_gin` / `btree_gist` for an index of those methods over a plain scalar column
 * (sim's `USING gin ("table_id", "data" jsonb_path_ops)` on a text `table_id`): drizzle writes
 * the index, the project's hand-written migration the `CREATE EXTENSION`.
 */
function btreeOperatorClassesUsedBy(statements: readonly string[]): string[] {
  const types = new Map<string, string>();
  for (const statement of statements) {
    const table = /^CREATE TABLE (?:IF NOT EXISTS )?((?:"[^"]+"\.)?"[^"]+")/i.exec(statement)?.[1];
    if (!table) continue;
    for (const m of statement.matchAll(/^\s*"([^"]+)" ([a-z][\w ]*?(?:\([\d, ]+\))?(?:\[\])*)(?= |,|$)/gim)) types.set(`${table}.${m[1]}`, m[2]!.replace(/\(.*\)/, '').trim());
  }
  const out = new Set<string>();
  for (const statement of statements) {
    const m = /^CREATE (?:UNIQUE )?INDEX .*? ON ((?:"[^"]+"\.)?"[^"]+") USING (gin|gist) \((.*)\)/i.exec(statement.split('\n')[0]!);
    if (!m) continue;
    const [, table, method, list] = m;
    for (const item of list!.split(/,(?=\s*")/)) {
      const column = /^\s*"([^"]+)"\s*$/.exec(item)?.[1];
      const type = column === undefined ? undefined : types.get(`${table}.${column}`);
      if (type === undefined) continue;
      if (method!.toLowerCase() === 'gin' && !GIN_TYPES.test(type)) out.add('btree_gin');
      if (method!.toLowerCase() === 'gist' && !GIST_TYPES.test(type)) out.add('btree_gist');
    }
  }
  return [...out];
}

/**
 * The statements that create every object of a drizzle schema in an empty database.
 *
 * @param target a module, folder, glob or drizzle config (see `loadDrizzleModule`), or a loaded module.
 * @example
 * ```ts
 * const { statements } = await drizzleCreateStatements('fixtures/drizzle/pg-schema.ts');
 * ```
 * @throws UsageError as `loadDrizzleModule` does, or when drizzle-kit refuses the schema.
 */
export async function drizzleCreateStatements(target: string | DrizzleModule | undefined, options: { readonly casing?: DrizzleCasing; readonly cwd?: string } = {}): Promise<DrizzleCreateStatements> {
  const loaded = typeof target === 'object' ? target : await loadDrizzleModule(target, options.cwd);
  const referenced = loaded.dialect === 'postgres' ? referencedTables(loaded) : [];
  const mod =
    referenced.length === 0
      ? loaded
      : withTables(
          loaded,
          referenced.map((r) => r.table),
        );
  const kit = await drizzleKitFor(mod);
  let statements = (await kit.createStatements(mod, options.casing ?? mod.config?.casing)).map((s) => s.trim()).filter((s) => s.length > 0);
  // Their schemas, when the module declares no pgSchema for them (`CREATE SCHEMA` comes from exported schemas only).
  const schemas = [...new Set(referenced.map((r) => r.schema))].filter((name) => name !== 'public' && !statements.some((st) => new RegExp(`^CREATE SCHEMA (IF NOT EXISTS )?"${name}"`, 'i').test(st)));
  statements = [...schemas.map((name) => `CREATE SCHEMA IF NOT EXISTS "${name.replace(/"/g, '""')}";`), ...statements];
  return { dialect: mod.dialect, statements, extensions: mod.dialect === 'postgres' ? extensionsUsedBy(statements) : [], referenced: referenced.map((r) => `${r.schema}.${r.name}`) };
}

interface ForeignKeyLike {
  reference(): { foreignTable: DrizzleTable };
}

/** The tables the module's foreign keys reach (through each other) that it does not export. */
function referencedTables(mod: DrizzleModule): { table: DrizzleTable; schema: string; name: string }[] {
  const getTableConfig = mod.orm.pg['getTableConfig'] as ((t: DrizzleTable) => { name: string; schema?: string; foreignKeys: ForeignKeyLike[] }) | undefined;
  if (!getTableConfig) return [];
  const known = new Set<DrizzleTable>(mod.tables);
  const out: { table: DrizzleTable; schema: string; name: string }[] = [];
  const queue = [...mod.tables];
  for (let table = queue.shift(); table !== undefined; table = queue.shift()) {
    for (const fk of getTableConfig(table).foreignKeys) {
      const parent = fk.reference().foreignTable;
      if (known.has(parent)) continue;
      known.add(parent);
      queue.push(parent);
      const config = getTableConfig(parent);
      out.push({ table: parent, schema: config.schema ?? 'public', name: config.name });
    }
  }
  return out;
}

/** The module with more tables exported (under names no module uses). */
function withTables(mod: DrizzleModule, tables: readonly DrizzleTable[]): DrizzleModule {
  const exports: Record<string, unknown> = { ...mod.exports };
  tables.forEach((table, i) => (exports[`__understudy_referenced_${i}`] = table));
  return { ...mod, exports, tables: [...mod.tables, ...tables] };
}
