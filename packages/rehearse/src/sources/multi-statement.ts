/**
 * How a server runs a migration file that a tool sends as one multi-statement query
 * (golang-migrate, Prisma, dbmate `transaction:false`, diesel `run_in_transaction =
 * false`, sqlx `-- no-transaction`, popx `.autocommit`): PostgreSQL runs it in one
 * implicit transaction (a lone statement in none); MySQL commits statement by statement.
 * The dialect's fact (the registry's `syntax.multiStatementQuery`), so readers never ask which engine it is.
 *
 * @example
 * ```ts
 * const transaction = multiStatementQuery(flavor); // 'implicit' on PostgreSQL
 * ```
 */
import { dialectInfo } from '@understudy/core';
import type { MigrationDialect, ScriptTransaction } from '../migration-model.js';

/** How the dialect's server runs a file sent as one multi-statement query (the registry's `syntax.multiStatementQuery`). */
export function multiStatementQuery(flavor: MigrationDialect): ScriptTransaction {
  return dialectInfo(flavor).syntax.multiStatementQuery;
}

/** The hint for a statement that failed inside that implicit transaction. */
export const MULTI_STATEMENT_HINT = 'the tool sends the file as one multi-statement query, which PostgreSQL runs as one transaction: put this statement alone in a migration of its own';
