/**
 * Names of the throwaway databases a rehearsal creates on a server, and how a
 * later run tells a leftover from a database still in use or kept on purpose.
 *
 * A throwaway database is named `understudy_rehearse_<UTC yyyymmdd>t<hhmmss>_<8 hex>`:
 * the creation time is in the name, because neither PostgreSQL nor MySQL keeps one
 * a user can read. A rehearsal run with `--keep` names its database
 * `understudy_rehearse_kept_<…>`, which no cleanup ever drops. A rehearsal killed
 * before it could drop its database (SIGKILL, a second Ctrl-C, a crash) leaves a
 * throwaway name behind; `leftoverRehearsalDatabases` picks the ones older than an
 * hour, and the dialect drops those no session uses (see `Dialect.cleanRehearsalDatabases`).
 *
 * @example
 * ```ts
 * rehearsalDatabaseName({ keep: false, now: new Date('2025-01-14T09:30:00Z') }); // 'understudy_rehearse_20250114t093000_3f9a0c12'
 * rehearsalDatabaseCreatedAt('understudy_rehearse_20250114t093000_3f9a0c12');   // 2025-01-14T09:30:00.000Z
 * ```
 */

/** What every rehearsal database name starts with (a MySQL grant can name them: `understudy\_rehearse\_%`). */
export const REHEARSAL_DATABASE_PREFIX = 'understudy_rehearse_';

/** A throwaway rehearsal database older than this, and unused, is a leftover. */
export const LEFTOVER_AGE_MS = 60 * 60 * 1000;

const THROWAWAY = /^understudy_rehearse_(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})(\d{2})_[0-9a-f]{8}$/;
/** The names of Understudy versions before the timestamp: their age is unknown. */
const UNDATED = /^understudy_rehearse_[0-9a-f]{12}$/;

function randomHex(bytes: number): string {
  return [...globalThis.crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A new, unique rehearsal database name carrying its creation time (see the file comment).
 * @example
 * ```ts
 * rehearsalDatabaseName({ keep: true }); // 'understudy_rehearse_kept_20250114t093000_9b1e77d0'
 * ```
 */
export function rehearsalDatabaseName(options: { readonly keep: boolean; readonly now?: Date }): string {
  const stamp = (options.now ?? new Date())
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .toLowerCase();
  return `${REHEARSAL_DATABASE_PREFIX}${options.keep ? 'kept_' : ''}${stamp}_${randomHex(4)}`;
}

/**
 * When a throwaway rehearsal database was created, read from its name; undefined for any other
 * name (a kept one, an older Understudy's, another database).
 * @example
 * ```ts
 * rehearsalDatabaseCreatedAt('understudy_rehearse_kept_20250114t093000_9b1e77d0'); // undefined
 * ```
 */
export function rehearsalDatabaseCreatedAt(name: string): Date | undefined {
  const m = THROWAWAY.exec(name);
  if (!m) return undefined;
  const time = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** The databases of a server sorted by what a cleanup may do with them. */
export interface RehearsalDatabaseGroups {
  /** Throwaway names older than `olderThanMs`: drop them unless a session uses them. */
  readonly old: string[];
  /** Throwaway names younger than that: perhaps a rehearsal still running. */
  readonly recent: string[];
  /** Names of an older Understudy (`understudy_rehearse_<12 hex>`): age unknown, never dropped. */
  readonly undated: string[];
}

/**
 * Sorts database names into old and recent throwaways and undated ones; other names are ignored.
 * @example
 * ```ts
 * leftoverRehearsalDatabases(['understudy_rehearse_20250114t093000_3f9a0c12', 'shop'], { now: new Date('2025-01-14T12:00:00Z') });
 * // { old: ['understudy_rehearse_20250114t093000_3f9a0c12'], recent: [], undated: [] }
 * ```
 */
export function leftoverRehearsalDatabases(names: readonly string[], options: { readonly now?: Date; readonly olderThanMs?: number } = {}): RehearsalDatabaseGroups {
  const now = (options.now ?? new Date()).getTime();
  const limit = options.olderThanMs ?? LEFTOVER_AGE_MS;
  const groups: RehearsalDatabaseGroups = { old: [], recent: [], undated: [] };
  for (const name of [...names].sort()) {
    const created = rehearsalDatabaseCreatedAt(name);
    if (created) (now - created.getTime() > limit ? groups.old : groups.recent).push(name);
    else if (UNDATED.test(name)) groups.undated.push(name);
  }
  return groups;
}

/** What a cleanup of rehearsal leftovers did on one server. */
export interface RehearsalCleanup {
  /** Leftovers dropped. */
  readonly dropped: string[];
  /** Old throwaway databases left because a session is connected to them. */
  readonly inUse: string[];
  /** Throwaway databases younger than the age limit, left alone. */
  readonly recent: string[];
  /** Databases of an older Understudy, whose age is unknown: listed, never dropped. */
  readonly undated: string[];
  /** Leftovers that could not be dropped, with the server's reason. */
  readonly failed: ReadonlyArray<{ readonly name: string; readonly error: string }>;
  /** What the cleanup could not check (e.g. MySQL without the PROCESS privilege sees only its own sessions). */
  readonly notes: string[];
}
