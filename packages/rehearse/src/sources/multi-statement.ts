/**
 * How a server runs a migration file that a tool sends as one multi-statement query
 * (golang-migrate, Prisma, dbmate `transaction:false`, diesel `run_in_transaction =
 * false`, sqlx `-- no-transaction`, popx `.autocommit`): PostgreSQL runs it in one
 * implicit transaction (a lone statement in none); MySQL commits statement by statement.
 * Data keyed by SQL flavour, so readers never ask which engine it is.
 *
 * @example
 * ```ts
 * const transaction = MULTI_STATEMENT_QUERY[flavor]; // 'implicit' on PostgreSQL
 * ```
 */
import type { MigrationDialect, ScriptTransaction } from '../migration-model.js';

export const MULTI_STATEMENT_QUERY: Readonly<Record<MigrationDialect, ScriptTransaction>> = { postgres: 'implicit', mysql: 'none' };

/** The hint for a statement that failed inside that implicit transaction. */
export const MULTI_STATEMENT_HINT = 'the tool sends the file as one multi-statement query, which PostgreSQL runs as one transaction: put this statement alone in a migration of its own';
