/**
 * Parses a Sqitch plan (`sqitch.plan`) and its configuration (`sqitch.conf`): the
 * project name, the changes in plan order with their dependencies, the tags, and where
 * each change's deploy/revert/verify scripts are, including a reworked change's older
 * scripts (`deploy/NAME@TAG.sql`).
 *
 * @example
 * ```ts
 * const plan = parseSqitchPlan('%project=app\nusers 2024-01-01T00:00:00Z Ann <a@b.c> # users\n@v1 2024-01-02T00:00:00Z Ann <a@b.c>\n');
 * plan.changes[0]; // { name: 'users', requires: [], tagsAfter: ['v1'], reworked: false, line: 2 }
 * ```
 */

export interface SqitchChange {
  readonly name: string;
  /** `[dep …]` without conflicts (`!x`): `change`, `change@tag`, or `project:change`. */
  readonly requires: readonly string[];
  /** The plan line, for messages. */
  readonly line: number;
  /** A later change of the same name reworks this one: its scripts are `NAME@TAG.sql`. */
  readonly reworked: boolean;
  /** For a reworked change: the tags between it and its rework, in plan order (Sqitch looks for `NAME@TAG.sql` in this order). */
  readonly reworkTags: readonly string[];
}

export interface SqitchPlan {
  readonly project: string | undefined;
  readonly changes: readonly SqitchChange[];
}

const CHANGE_LINE = /^([+-]?)([^\s[@#][^\s[]*)\s*(?:\[([^\]]*)\])?/;

/** Parses the text of a sqitch.plan. */
export function parseSqitchPlan(text: string): SqitchPlan {
  let project: string | undefined;
  const entries: Array<{ kind: 'change'; name: string; requires: string[]; line: number } | { kind: 'tag'; name: string }> = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('%')) {
      const pragma = /^%\s*project\s*=\s*(\S+)/.exec(line);
      if (pragma) project = pragma[1];
      continue;
    }
    if (line.startsWith('@')) {
      entries.push({ kind: 'tag', name: line.slice(1).split(/\s/)[0]! });
      continue;
    }
    const m = CHANGE_LINE.exec(line);
    if (!m || m[1] === '-') continue;
    const requires = (m[3] ?? '').split(/\s+/).filter((d) => d !== '' && !d.startsWith('!'));
    entries.push({ kind: 'change', name: m[2]!, requires, line: index + 1 });
  }
  const changes: SqitchChange[] = [];
  for (const [i, entry] of entries.entries()) {
    if (entry.kind !== 'change') continue;
    const next = entries.findIndex((e, j) => j > i && e.kind === 'change' && e.name === entry.name);
    const reworkTags = next < 0 ? [] : entries.slice(i + 1, next).flatMap((e) => (e.kind === 'tag' ? [e.name] : []));
    changes.push({ name: entry.name, requires: entry.requires, line: entry.line, reworked: next >= 0, reworkTags });
  }
  return { project, changes };
}

export interface SqitchConfig {
  /** `pg`, `mysql`, … (`core.engine`). */
  readonly engine: string | undefined;
  readonly planFile: string;
  readonly deployDir: string;
  readonly revertDir: string;
  readonly verifyDir: string;
  readonly extension: string;
}

/** Reads the `[core]` settings Sqitch uses to find scripts; defaults for what is not set. */
export function parseSqitchConfig(text: string | undefined): SqitchConfig {
  const core: Record<string, string> = {};
  let section = '';
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim().toLowerCase();
      continue;
    }
    const setting = /^([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (setting && section === 'core') core[setting[1]!.toLowerCase()] = setting[2]!.trim();
  }
  const top = core['top_dir'] ?? '.';
  const join = (dir: string): string => (top === '.' ? dir : `${top}/${dir}`);
  return {
    engine: core['engine'],
    planFile: core['plan_file'] ?? join('sqitch.plan'),
    deployDir: core['deploy_dir'] ?? join('deploy'),
    revertDir: core['revert_dir'] ?? join('revert'),
    verifyDir: core['verify_dir'] ?? join('verify'),
    extension: core['extension'] ?? 'sql',
  };
}
