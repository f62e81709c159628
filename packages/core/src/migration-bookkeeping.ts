/**
 * The bookkeeping tables of migration tools: where a tool records which
 * migrations ran (`schema_migrations`, `_prisma_migrations`, …). They are not
 * the application's data: a seed never fills or empties them, a rehearsal
 * leaves them as the tool left them, and their rows stay what the migrations
 * wrote. Told apart by name and, for names an application could also use
 * (`migrations`, `schema_version`), by the columns the tool creates.
 *
 * @example
 * ```ts
 * migrationBookkeeping(schema.tables['public.schema_migrations']!); // 'Rails, golang-migrate, dbmate or Ecto'
 * migrationBookkeeping(schema.tables['public.users']!);             // undefined
 * ```
 */
import type { Table } from './schema-model.js';

interface Signature {
  readonly tool: string;
  readonly name: string;
  /** The namespace it lives in, when the tool makes one of its own. */
  readonly schema?: string;
  /** Columns that must all be there: for names an application could use too. */
  readonly columns?: readonly string[];
}

const SIGNATURES: readonly Signature[] = [
  { tool: 'Rails, golang-migrate, dbmate or Ecto', name: 'schema_migrations', columns: ['version'] },
  { tool: 'Rails', name: 'ar_internal_metadata', columns: ['key', 'value'] },
  { tool: 'Prisma', name: '_prisma_migrations' },
  { tool: 'drizzle-kit', name: '__drizzle_migrations' },
  { tool: 'Flyway', name: 'flyway_schema_history' },
  { tool: 'Flyway (before 5)', name: 'schema_version', columns: ['installed_rank', 'version', 'script', 'checksum'] },
  { tool: 'Liquibase', name: 'databasechangelog' },
  { tool: 'Liquibase', name: 'databasechangeloglock' },
  { tool: 'goose', name: 'goose_db_version' },
  { tool: 'diesel', name: '__diesel_schema_migrations' },
  { tool: 'sqlx', name: '_sqlx_migrations' },
  { tool: 'Alembic', name: 'alembic_version' },
  { tool: 'Django', name: 'django_migrations' },
  { tool: 'Knex', name: 'knex_migrations' },
  { tool: 'Knex', name: 'knex_migrations_lock' },
  { tool: 'TypeORM', name: 'migrations', columns: ['timestamp', 'name'] },
  { tool: 'TypeORM', name: 'typeorm_metadata' },
  { tool: 'Laravel or CodeIgniter', name: 'migrations', columns: ['migration', 'batch'] },
  { tool: 'Sequelize (umzug)', name: 'SequelizeMeta' },
  { tool: 'SeaORM', name: 'seaql_migrations' },
  { tool: 'Atlas', name: 'atlas_schema_revisions' },
  { tool: 'popx (gobuffalo)', name: 'schema_migration', columns: ['version'] },
  { tool: 'Sqitch', name: 'changes', schema: 'sqitch' },
  { tool: 'Sqitch', name: 'dependencies', schema: 'sqitch' },
  { tool: 'Sqitch', name: 'events', schema: 'sqitch' },
  { tool: 'Sqitch', name: 'projects', schema: 'sqitch' },
  { tool: 'Sqitch', name: 'releases', schema: 'sqitch' },
  { tool: 'Sqitch', name: 'tags', schema: 'sqitch' },
  { tool: 'node-pg-migrate', name: 'pgmigrations' },
  { tool: 'Doctrine', name: 'doctrine_migration_versions' },
  { tool: 'Phinx', name: 'phinxlog' },
  { tool: 'Yii', name: 'migration', columns: ['version', 'apply_time'] },
  { tool: 'MikroORM', name: 'mikro_orm_migrations' },
  { tool: 'Entity Framework', name: '__EFMigrationsHistory' },
  { tool: 'Play evolutions', name: 'play_evolutions' },
  { tool: 'temporal-sql-tool', name: 'schema_version', columns: ['curr_version', 'min_compatible_version'] },
  { tool: 'temporal-sql-tool', name: 'schema_update_history', columns: ['old_version', 'new_version'] },
];

/** Names applications give their own migration bookkeeping, and the columns such a table has. */
const GENERIC_NAMES = new Set(['schema_version', 'schema_versions', 'schema_info', 'db_version', 'schema_migrations', 'migrations', 'migration', 'migration_versions']);
const GENERIC_COLUMNS = new Set([
  'version',
  'id',
  'name',
  'description',
  'applied_at',
  'applied_on',
  'installed_on',
  'run_on',
  'created_at',
  'inserted_at',
  'dirty',
  'batch',
  'migration',
  'checksum',
  'execution_time',
  'success',
  'timestamp',
]);

/**
 * The migration tool whose bookkeeping table `table` is, or `undefined` for an application table.
 * Names match case-insensitively; drizzle-kit's and Atlas's own namespaces are matched too.
 * @example
 * ```ts
 * migrationBookkeeping({ schema: 'public', name: '_prisma_migrations', columns: [] } as unknown as Table); // 'Prisma'
 * ```
 */
export function migrationBookkeeping(table: Pick<Table, 'schema' | 'name' | 'columns'>): string | undefined {
  const name = table.name.toLowerCase();
  const columns = new Set(table.columns.map((c) => c.name.toLowerCase()));
  for (const s of SIGNATURES) {
    if (s.name.toLowerCase() !== name) continue;
    if (s.schema !== undefined && s.schema !== table.schema.toLowerCase()) continue;
    if (s.columns && !s.columns.every((c) => columns.has(c))) continue;
    return s.tool;
  }
  // An application's own (kanboard's `schema_version(version)`): a migration-ish name and nothing but version-ish columns.
  if (GENERIC_NAMES.has(name) && columns.has('version') && [...columns].every((c) => GENERIC_COLUMNS.has(c))) return "the application's own migrations";
  return undefined;
}
