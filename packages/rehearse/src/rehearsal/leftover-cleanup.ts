/**
 * Rehearsal databases left on a server by rehearsals that were killed (SIGKILL, a
 * second Ctrl-C, a crash) before they could drop them: every rehearsal on a server
 * first drops those older than an hour that nobody uses (through the dialect's
 * `cleanRehearsalDatabases`), and `understudy rehearse --clean --url URL` does only
 * that. Never fails a rehearsal: a cleanup that cannot run is a note.
 *
 * @example
 * ```ts
 * const notes = await cleanLeftovers(postgresDialect, 'postgres://postgres@localhost:5432/postgres');
 * // ['dropped 1 leftover rehearsal database older than an hour: understudy_rehearse_20250114t093000_3f9a0c12']
 * ```
 */
import type { Dialect, RehearsalCleanup } from '@understudy/core';

/**
 * What a cleanup did, one line each: dropped, left in use, failed, undated, and its notes.
 * @example
 * ```ts
 * describeCleanup({ dropped: ['understudy_rehearse_20250114t093000_3f9a0c12'], inUse: [], recent: [], undated: [], failed: [], notes: [] });
 * // ['dropped 1 leftover rehearsal database older than an hour: understudy_rehearse_20250114t093000_3f9a0c12']
 * ```
 */
export function describeCleanup(cleanup: RehearsalCleanup, options: { readonly recent?: boolean } = {}): string[] {
  const list = (names: readonly string[]): string => names.join(', ');
  const databases = (n: number): string => `${n} leftover rehearsal database${n === 1 ? '' : 's'}`;
  const lines: string[] = [];
  if (cleanup.dropped.length > 0) lines.push(`dropped ${databases(cleanup.dropped.length)} older than an hour: ${list(cleanup.dropped)}`);
  if (cleanup.inUse.length > 0) lines.push(`left ${databases(cleanup.inUse.length)} older than an hour that a session still uses: ${list(cleanup.inUse)}`);
  for (const f of cleanup.failed) lines.push(`could not drop leftover rehearsal database ${f.name}: ${f.error}`);
  if (options.recent && cleanup.recent.length > 0)
    lines.push(`left ${cleanup.recent.length} rehearsal database${cleanup.recent.length === 1 ? '' : 's'} younger than an hour (perhaps running): ${list(cleanup.recent)}`);
  if (cleanup.undated.length > 0) {
    lines.push(
      `left ${cleanup.undated.length} rehearsal database${cleanup.undated.length === 1 ? '' : 's'} of an older Understudy, whose age is unknown (drop ${cleanup.undated.length === 1 ? 'it' : 'them'} by hand if no rehearsal runs): ${list(cleanup.undated)}`,
    );
  }
  lines.push(...cleanup.notes);
  return lines;
}

/** Drops the leftovers on the server of `url` and says what it did (see the file comment). */
export async function cleanLeftovers(dialect: Pick<Dialect, 'cleanRehearsalDatabases'>, url: string): Promise<string[]> {
  try {
    // A rehearsal mentions only what it dropped or could not: undated names and notes are for --clean.
    return describeCleanup({ ...(await dialect.cleanRehearsalDatabases(url)), undated: [], notes: [] });
  } catch (error) {
    return [`leftover rehearsal databases were not cleaned: ${error instanceof Error ? error.message : String(error)}`];
  }
}
