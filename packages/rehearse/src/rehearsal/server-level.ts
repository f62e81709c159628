/**
 * Statements a rehearsal does not run because they act on the server beyond the
 * rehearsal database (the target says which: `RehearsalTarget.beyondDatabase`):
 * in a pending migration each one is a `server-level` hazard naming file:line and
 * what it would have done; in the baseline or a down, a note. Roles such statements
 * would have created are remembered across the steps of one rehearsal, so that a
 * later statement that fails for want of one is not run either (see run-step.ts).
 *
 * @example
 * ```ts
 * const log = serverLevelLog();
 * await runStep(target, migration.up, { dir, schema, skippedRoles: log.roles });
 * serverLevelHazards(migrations); // [{ kind: 'server-level', migration: '002', message: '002_x.up.sql:3 DROP DATABASE other_db was not run: …' }]
 * ```
 */
import type { Hazard, MigrationReport, SkippedStatementReport } from '../report/rehearsal-report.js';

/** What one rehearsal run keeps about the statements it did not run. */
export interface ServerLevelLog {
  /** Roles and users created by statements not run, with their file:line. */
  readonly roles: Map<string, string>;
  /** Notes for statements not run outside the pending migrations. */
  readonly notes: string[];
}

export function serverLevelLog(): ServerLevelLog {
  return { roles: new Map(), notes: [] };
}

/**
 * A note for a statement of the baseline or of a down that was not run.
 * @example
 * ```ts
 * skippedNote('baseline 001 init', { file: '001_init.up.sql', line: 1, sql: 'CREATE ROLE app', effect: 'creates role app' });
 * ```
 */
export function skippedNote(where: string, s: SkippedStatementReport): string {
  return `${where}: ${s.file}:${s.line} ${s.sql} was not run: it ${s.effect}, beyond the rehearsal database`;
}

/** One `server-level` hazard per statement of a pending migration that was not run. */
export function serverLevelHazards(migrations: readonly MigrationReport[]): Hazard[] {
  return migrations.flatMap((m) =>
    (m.skipped ?? []).map((s) => ({
      kind: 'server-level' as const,
      migration: m.id,
      message: `${s.file}:${s.line} ${s.sql} was not run: it ${s.effect}, beyond the rehearsal database (a rehearsal on a shared server never runs such statements); check it by hand before production`,
    })),
  );
}

/**
 * The first role of `roles` that `text` names (as a word, or quoted), with where it was created.
 * @example
 * ```ts
 * skippedRoleIn('GRANT SELECT ON users TO app', new Map([['app', '001.sql:1']])); // ['app', '001.sql:1']
 * ```
 */
export function skippedRoleIn(text: string, roles: ReadonlyMap<string, string> | undefined): [string, string] | undefined {
  for (const [role, where] of roles ?? []) {
    const name = role.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(^|[^\\w$"'\`])["'\`]?${name}["'\`]?([^\\w$]|$)`, 'i').test(text)) return [role, where];
  }
  return undefined;
}

const NAME = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;

/**
 * `CREATE SCHEMA [IF NOT EXISTS] [name] AUTHORIZATION role …` without its owner, when `role` is the one
 * named there: the schema as the rehearsal's user creates it (named after the role when the statement
 * names none, as PostgreSQL names it). Undefined for any other statement.
 * @example
 * ```ts
 * schemaWithoutOwner('CREATE SCHEMA IF NOT EXISTS auth AUTHORIZATION supabase_auth_admin', 'supabase_auth_admin'); // 'CREATE SCHEMA IF NOT EXISTS auth'
 * ```
 */
export function schemaWithoutOwner(text: string, role: string): string | undefined {
  const m = new RegExp(String.raw`^\s*create\s+schema\s+(if\s+not\s+exists\s+)?(?:(?!authorization\b)(${NAME})\s+)?authorization\s+(${NAME})([\s\S]*)$`, 'i').exec(text);
  if (!m) return undefined;
  const owner = m[3]!.startsWith('"') ? m[3]!.slice(1, -1).replace(/""/g, '"') : m[3]!.toLowerCase();
  if (owner !== role && owner !== role.toLowerCase()) return undefined;
  const name = m[2] ?? (m[3]!.startsWith('"') ? m[3]! : `"${owner}"`);
  return `CREATE SCHEMA ${m[1] ?? ''}${name}${m[4]!.trimEnd().replace(/;$/, '')}`;
}
