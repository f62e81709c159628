/**
 * Chooses which migrations a rehearsal applies as "pending" (traced, diffed)
 * and which it applies first as the "baseline" (the database as production has
 * it). One of:
 *
 * - `pending: N`: the last N migrations (all of them when the folder holds fewer);
 * - `from: NAME`: that migration and every one after it; NAME matches an id
 *   (`003`, or `3`), a name (`add_email`), `<id>_<name>`, or a file or folder name;
 * - `since: REF`: the migrations whose files were added since the git ref
 *   (committed on this branch, staged or untracked), e.g. `origin/main` in CI;
 *   an empty `pending` means the branch adds no migration.
 *
 * With none of them, the last migration is pending: the one you just wrote.
 * A `--command` set has one migration, the command, and it is always pending; with
 * `since: REF` the baseline is the same command run at the merge-base of REF and
 * HEAD (in a git worktree), so the command in the current tree applies what the
 * branch adds, on seeded data.
 *
 * @example
 * ```ts
 * const { baseline, pending } = await selectPending(set, { from: 'add_email' });
 * ```
 */
import { basename, dirname } from 'node:path';
import { UsageError } from '@understudy/core';
import type { Migration, MigrationSet } from './migration-model.js';
import { isMigrationScript } from './migration-model.js';
import { gitAddedFiles } from './git-added-files.js';
import { mergeBase } from './git-worktree.js';
import { nearMatches } from './near-matches.js';
import { compareVersions } from './version-order.js';

export interface PendingOptions {
  /** The last N migrations are pending (`--pending N`). */
  readonly pending?: number | undefined;
  /** This migration and every later one are pending (`--pending-from NAME`). */
  readonly from?: string | undefined;
  /** Migrations whose files were added since this git ref are pending (`--since REF`). */
  readonly since?: string | undefined;
}

export interface PendingSelection {
  /** Applied first, in order, untraced. */
  readonly baseline: Migration[];
  /** Rehearsed, in order. */
  readonly pending: Migration[];
  /** How they were chosen, in words for the report: `the last 2 migrations`. */
  readonly reason: string;
  /** What a user should know: a pending migration that sorts before a baseline one. */
  readonly problems: string[];
}

/** The names `--from` accepts for a migration. */
function namesOf(m: Migration): string[] {
  const names = [m.id, m.name, `${m.id}_${m.name}`];
  if (isMigrationScript(m.up)) {
    names.push(basename(m.up.file), basename(m.up.file).replace(/(\.up)?\.sql$/i, ''));
    if (dirname(m.up.file) !== '.') names.push(dirname(m.up.file));
  }
  return names.filter((n) => n.length > 0);
}

function describe(m: Migration): string {
  return m.name && m.name !== m.id ? `${m.id} ${m.name}` : m.id;
}

function findFrom(migrations: readonly Migration[], wanted: string): number {
  const exact = migrations.flatMap((m, index) => (namesOf(m).includes(wanted) ? [index] : []));
  const matches =
    exact.length > 0
      ? exact
      : /^\d+(\.\d+)*$/.test(wanted)
        ? migrations.flatMap((m, index) => (!m.repeatable && /^\d+(\.\d+)*$/.test(m.id) && compareVersions(m.id, wanted) === 0 ? [index] : []))
        : [];
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new UsageError(`--pending-from ${wanted} matches ${matches.length} migrations: ${matches.map((i) => describe(migrations[i]!)).join(', ')}`, {
      hint: 'Give the file name or <id>_<name> to pick one.',
    });
  }
  const near = nearMatches(wanted, migrations.flatMap(namesOf));
  throw new UsageError(`--pending-from ${wanted} matches no migration`, {
    hint: near.length > 0 ? `Did you mean: ${near.join(', ')}?` : `Migrations run from ${describe(migrations[0]!)} to ${describe(migrations[migrations.length - 1]!)}.`,
  });
}

function checkOrder(migrations: readonly Migration[], pending: ReadonlySet<Migration>): string[] {
  const lastBaseline = migrations.findLastIndex((m) => !pending.has(m) && !m.repeatable);
  return migrations
    .filter((m, index) => pending.has(m) && !m.repeatable && index < lastBaseline)
    .map(
      (m) =>
        `pending migration ${describe(m)} sorts before baseline migration ${describe(migrations[lastBaseline]!)}; ` +
        'tools that refuse out-of-order migrations (golang-migrate, Flyway by default, drizzle-kit) will skip or reject it in production',
    );
}

function split(set: MigrationSet, pending: ReadonlySet<Migration>, reason: string): PendingSelection {
  return {
    baseline: set.migrations.filter((m) => !pending.has(m)),
    pending: set.migrations.filter((m) => pending.has(m)),
    reason,
    problems: checkOrder(set.migrations, pending),
  };
}

/**
 * Splits `set` into baseline and pending migrations as `options` say (see the
 * module comment for the rules). Bad counts, unknown names, bad git refs and a
 * folder outside git are `UsageError`s.
 *
 * @example
 * ```ts
 * const { baseline, pending, reason } = await selectPending(set, { pending: 2 });
 * // reason: 'the last 2 migrations (--pending 2)'
 * ```
 */
export async function selectPending(set: MigrationSet, options: PendingOptions = {}): Promise<PendingSelection> {
  const given = (['pending', 'from', 'since'] as const).filter((key) => options[key] !== undefined);
  const flagOf = (key: (typeof given)[number]): string => (key === 'from' ? 'pending-from' : key);
  if (given.length > 1) {
    throw new UsageError(`--${flagOf(given[0]!)} and --${flagOf(given[1]!)} cannot be used together`, { hint: 'Choose pending migrations one way: --pending N, --pending-from NAME or --since REF.' });
  }
  const { migrations } = set;
  if (migrations.length === 0) throw new UsageError(`${set.dir} holds no migrations to rehearse`);
  if (set.format === 'command' && (options.from !== undefined || options.pending !== undefined)) {
    throw new UsageError(`--${flagOf(given[0]!)} cannot choose migrations for --command`, {
      hint: 'The command applies whatever it considers pending. To rehearse what a branch adds, give --since REF: the baseline is the command run at the merge-base with REF.',
    });
  }
  if (set.format === 'command' && options.since !== undefined) {
    const command = migrations[0]!;
    if (!('command' in command.up)) throw new UsageError('a --command set holds a command');
    const commit = await mergeBase(set.dir, options.since);
    const baseline: Migration = {
      ...command,
      id: 'baseline',
      name: `${command.name} at ${commit.slice(0, 12)}, the merge-base with ${options.since}`,
      up: { command: command.up.command, at: { commit, ref: options.since } },
    };
    return {
      baseline: [baseline],
      pending: [command],
      reason: `what the branch adds since ${options.since}: the command at the merge-base, then in the current tree (--since ${options.since})`,
      problems: [],
    };
  }

  if (options.pending !== undefined) {
    const n = options.pending;
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--pending must be a positive whole number, got ${String(n)}`);
    if (n > migrations.length) {
      // More than the folder holds: every migration is pending (a corpus-wide --pending 30 over short histories), and the reason says so.
      const all = migrations.length;
      return split(set, new Set(migrations), `all ${all} migration${all === 1 ? '' : 's'} (--pending ${n}, but ${set.dir} holds only ${all})`);
    }
    return split(set, new Set(migrations.slice(-n)), n === 1 ? 'the last migration (--pending 1)' : `the last ${n} migrations (--pending ${n})`);
  }
  if (options.from !== undefined) {
    const index = findFrom(migrations, options.from);
    return split(set, new Set(migrations.slice(index)), `from ${describe(migrations[index]!)} on (--pending-from ${options.from})`);
  }
  if (options.since !== undefined) {
    const added = await gitAddedFiles(set.dir, options.since);
    const pending = new Set(migrations.filter((m) => isMigrationScript(m.up) && added.has(m.up.file)));
    return split(set, pending, `migrations added since ${options.since} (--since ${options.since})`);
  }
  return split(set, new Set(migrations.slice(-1)), 'the last migration (the default; choose with --pending N, --pending-from NAME or --since REF)');
}
