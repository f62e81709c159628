/**
 * A profile's scan queries may each fail on their own on real data (a sum of squares of
 * `double` values near 1e300 overflows, a server's `statement_timeout` cancels a join over a big
 * table, a type has no operator the query needs). What such a query would have measured is then
 * left out, with a note naming the table, the part and the server's reason, and the profile
 * goes on. A failure of the connection itself (the server went away) still stops it.
 *
 * @example
 * ```ts
 * const scan = tolerantScan((sql) => query(db, sql));
 * const rows = await scan.run('fan-out of orders_user_id_fkey', text); // undefined when the query failed
 * scan.skipped; // ['fan-out of orders_user_id_fkey: value out of range: overflow (22003)']
 * ```
 */

type Rows = ReadonlyArray<Record<string, unknown>>;

export interface TolerantScan {
  /** The rows of `sql`, or undefined when the statement failed on its own (noted under `part`). */
  run(part: string, sql: string): Promise<Rows | undefined>;
  /** `part: reason` of every statement that failed, in order, each part once. */
  readonly skipped: readonly string[];
}

/** The SQLSTATE of a driver's error (pg: `code`; mysql2: `sqlState`), when it has one. */
function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; sqlState?: unknown } | null;
  for (const v of [e?.sqlState, e?.code]) if (typeof v === 'string' && /^[0-9A-Z]{5}$/.test(v)) return v;
  return undefined;
}

/**
 * Whether `error` is a statement's own failure rather than the connection's: it carries a
 * SQLSTATE outside class 08 (connection exception) and 57P (operator intervention: shutdown,
 * crash), the driver does not call it fatal, and it is not MariaDB's "Connection was killed".
 */
export function isStatementError(error: unknown): boolean {
  const state = sqlState(error);
  const e = error as { fatal?: unknown; errno?: unknown };
  // MariaDB's ER_CONNECTION_KILLED (1927) shares SQLSTATE 70100 with a statement's timeout.
  if (state === undefined || e.fatal === true || e.errno === 1927) return false;
  return !state.startsWith('08') && !state.startsWith('57P');
}

/** The server's message, first line, with quoted text (which may hold a stored value) elided, and its SQLSTATE. */
export function statementErrorReason(error: unknown): string {
  const message = String((error as Error).message ?? error)
    .split('\n')[0]!
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '…')
    .slice(0, 160);
  const state = sqlState(error);
  return state ? `${message} (${state})` : message;
}

/** Runs scan queries through `run`, noting statements that fail on their own instead of throwing. */
export function tolerantScan(run: (sql: string) => Promise<Rows>): TolerantScan {
  const skipped: string[] = [];
  const parts = new Set<string>();
  return {
    skipped,
    async run(part, sql) {
      try {
        return await run(sql);
      } catch (error) {
        if (!isStatementError(error)) throw error;
        if (!parts.has(part)) skipped.push(`${part}: ${statementErrorReason(error)}`);
        parts.add(part);
        return undefined;
      }
    },
  };
}
