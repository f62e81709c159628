/**
 * The PostgreSQL extensions the embedded PGlite engine can run (as separate
 * `@electric-sql/pglite/contrib/*` modules, and pgvector from
 * `@electric-sql/pglite-pgvector`, that must be handed to `new PGlite()` at
 * start-up), and how to load them by their SQL name.
 *
 * @example
 * ```ts
 * isPgliteExtension('citext');  // true
 * isPgliteExtension('postgis'); // false
 * const pglite = new PGlite({ extensions: await loadPgliteExtensions(['citext', 'uuid-ossp']) });
 * ```
 */
import type { Extensions } from '@electric-sql/pglite';

/** SQL extension name → contrib module (and export) name. */
const CONTRIB_MODULES: Readonly<Record<string, string>> = {
  amcheck: 'amcheck',
  auto_explain: 'auto_explain',
  bloom: 'bloom',
  btree_gin: 'btree_gin',
  btree_gist: 'btree_gist',
  citext: 'citext',
  cube: 'cube',
  dict_int: 'dict_int',
  dict_xsyn: 'dict_xsyn',
  earthdistance: 'earthdistance',
  file_fdw: 'file_fdw',
  fuzzystrmatch: 'fuzzystrmatch',
  hstore: 'hstore',
  intarray: 'intarray',
  isn: 'isn',
  lo: 'lo',
  ltree: 'ltree',
  moddatetime: 'moddatetime',
  pageinspect: 'pageinspect',
  pg_buffercache: 'pg_buffercache',
  pg_freespacemap: 'pg_freespacemap',
  pg_stat_statements: 'pg_stat_statements',
  pg_surgery: 'pg_surgery',
  pg_trgm: 'pg_trgm',
  pg_visibility: 'pg_visibility',
  pg_walinspect: 'pg_walinspect',
  pgcrypto: 'pgcrypto',
  seg: 'seg',
  tablefunc: 'tablefunc',
  tcn: 'tcn',
  tsm_system_rows: 'tsm_system_rows',
  tsm_system_time: 'tsm_system_time',
  unaccent: 'unaccent',
  'uuid-ossp': 'uuid_ossp',
};

/** SQL extension name → loader of the extensions PGlite builds outside its contrib modules. */
const PACKAGED_MODULES: Readonly<Record<string, () => Promise<Extensions[string]>>> = {
  vector: async () => (await import('@electric-sql/pglite-pgvector')).vector,
};

/** Extensions built into every PostgreSQL (nothing to load). */
const BUILT_IN = new Set(['plpgsql']);

/** The SQL names of every extension PGlite can run, sorted. */
export const PGLITE_EXTENSIONS: readonly string[] = [...BUILT_IN, ...Object.keys(CONTRIB_MODULES), ...Object.keys(PACKAGED_MODULES)].sort();

/**
 * True when PGlite can run `CREATE EXTENSION name`.
 * @example
 * ```ts
 * isPgliteExtension('uuid-ossp'); // true
 * ```
 */
export function isPgliteExtension(name: string): boolean {
  return BUILT_IN.has(name) || name in CONTRIB_MODULES || name in PACKAGED_MODULES;
}

/**
 * Imports the contrib modules for `names` (SQL names; built-ins and duplicates are ignored).
 * @throws Error for a name PGlite does not ship; check with {@link isPgliteExtension} first.
 * @example
 * ```ts
 * const pglite = await PGlite.create({ extensions: await loadPgliteExtensions(['hstore']) });
 * ```
 */
export async function loadPgliteExtensions(names: readonly string[]): Promise<Extensions> {
  const extensions: Extensions = {};
  for (const name of [...new Set(names)].sort()) {
    if (BUILT_IN.has(name)) continue;
    const packaged = PACKAGED_MODULES[name];
    if (packaged) {
      extensions[name] = await packaged();
      continue;
    }
    const module = CONTRIB_MODULES[name];
    if (!module) throw new Error(`PGlite does not ship the "${name}" extension`);
    const imported = (await import(`@electric-sql/pglite/contrib/${module}`)) as Record<string, Extensions[string]>;
    const extension = imported[module];
    if (!extension) throw new Error(`@electric-sql/pglite/contrib/${module} does not export "${module}"`);
    extensions[module] = extension;
  }
  return extensions;
}
