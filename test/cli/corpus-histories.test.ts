/**
 * `understudy rehearse` on the corpus's real migration histories, out of the box (no config,
 * no edits): each one at `--pending 5` and `--pending 30` (all of them when fewer), on PGlite
 * and PostgreSQL 15 (MariaDB for the MySQL ones), through the built CLI.
 *
 * Every run must end as a rehearsal: exit 0 (passed) or 1 (hazards), never an internal error,
 * never a refusal. A pending migration that fails must fail with the error listed for it
 * below, with the reason (the history's own SQL on that engine). And every hazard the report
 * gives is checked against the migrations' SQL, read by this test from the fixture files:
 * a dropped column was dropped by a pending statement, rows lost were deleted by one, an enum
 * the downs leave changed was extended by an up and never rebuilt by a down, a long lock names
 * a statement that takes ACCESS EXCLUSIVE, a failure is the statement at the reported line.
 * A hazard of a kind the test does not know how to check fails the test.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RehearsalReportModel, type RehearsalReport } from '@understudy/rehearse';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../run-cli.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
const MYSQL_URL = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: the corpus histories run on PGlite only');
if (!MYSQL_URL) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: the MySQL histories are skipped');

type Engine = 'pglite' | 'postgres' | 'mariadb';
type Pending = 5 | 30;

/** A pending migration that fails on an engine, and why that is the history's own doing. */
interface ExpectedFailure {
  readonly migration: string;
  readonly error: RegExp;
  readonly reason: string;
  /** What in the fixture files makes it fail: each file holds its pattern. */
  readonly evidence?: ReadonlyArray<readonly [file: string, pattern: RegExp]>;
}

/** A run that ends before any pending migration (exit 3), with the message it prints, and why. */
interface ExpectedRefusal {
  readonly message: RegExp;
  readonly reason: string;
}

interface Item {
  readonly name: string;
  readonly dir: string;
  readonly dialect: 'postgres' | 'mysql';
  /** Failures expected, by `engine` or `engine:pending`. */
  readonly fails?: Readonly<Record<string, ExpectedFailure>>;
  /** Runs that cannot start, by `engine` or `engine:pending`. */
  readonly refused?: Readonly<Record<string, ExpectedRefusal>>;
  /** Hazards known to be false (a defect of the rules, named here so that it stays visible): message → why. */
  readonly knownFalse?: Readonly<Record<string, string>>;
}

const MYSQL8_BASELINE: ExpectedRefusal = {
  message: /baseline migration .* failed: You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version/,
  reason: "a baseline migration uses MySQL 8 syntax (JSON ->> in generated columns) that MariaDB refuses: named with file, line and the server's error",
};

const F = 'fixtures/migrations';
const MYSQL8_JSON = 'MySQL 8 syntax: MariaDB has no ->> on JSON columns in generated columns';

const ITEMS: readonly Item[] = [
  { name: 'coder (golang-migrate)', dir: `${F}/golang-migrate-coder`, dialect: 'postgres' },
  {
    name: 'harbor (golang-migrate)',
    dir: `${F}/golang-migrate-harbor`,
    dialect: 'postgres',
    fails: {
      '*:30': {
        migration: '0040',
        error: /null value in column "status" of relation "task" violates not-null constraint/,
        reason: "schedule.status is nullable (0010), and 0040 copies every schedule's status into task.status NOT NULL: a schedule without a status stops the upgrade",
        evidence: [
          ['0010_1.9.0_schema.up.sql', /create table schedule\s*\([^;]*\n\s*status\s+varchar\(64\),/i],
          ['0040_2.1.0_schema.up.sql', /CREATE TABLE IF NOT EXISTS task \([^;]*status varchar\(16\) NOT NULL/],
          ['0040_2.1.0_schema.up.sql', /INSERT INTO task \(execution_id, job_id, status, [^)]*\) VALUES \(exec_id, sched\.job_id, sched\.status,/],
        ],
      },
    },
  },
  { name: 'openfga (goose)', dir: `${F}/goose-openfga/postgres`, dialect: 'postgres' },
  { name: 'atuin (sqlx)', dir: `${F}/sqlx-atuin`, dialect: 'postgres' },
  { name: 'hoppscotch (prisma)', dir: `${F}/prisma-hoppscotch`, dialect: 'postgres' },
  { name: 'kestra (flyway)', dir: `${F}/flyway-kestra/postgres`, dialect: 'postgres' },
  { name: 'dittofeed (drizzle-kit)', dir: 'fixtures/drizzle-projects/dittofeed/drizzle', dialect: 'postgres' },
  { name: 'chef-erchef (sqitch)', dir: `${F}/sqitch-chef-erchef`, dialect: 'postgres' },
  { name: 'temporal (temporal-sql-tool)', dir: `${F}/temporal-sql-tool/temporal/versioned`, dialect: 'postgres' },
  { name: 'temporal visibility (temporal-sql-tool)', dir: `${F}/temporal-sql-tool/visibility/versioned`, dialect: 'postgres' },
  {
    name: 'openfga mysql (goose)',
    dir: `${F}/goose-openfga/mysql`,
    dialect: 'mysql',
    fails: { mariadb: { migration: '007', error: /LOCK = NONE|syntax/i, reason: 'MySQL 8 syntax: MariaDB refuses CREATE INDEX … LOCK = NONE' } },
  },
  {
    name: 'kestra mysql (flyway)',
    dir: `${F}/flyway-kestra/mysql`,
    dialect: 'mysql',
    fails: { 'mariadb:30': { migration: '1.1', error: /syntax/i, reason: MYSQL8_JSON } },
    refused: { 'mariadb:5': MYSQL8_BASELINE },
  },
  { name: 'temporal mysql (temporal-sql-tool)', dir: `${F}/temporal-sql-tool-mysql/temporal/versioned`, dialect: 'mysql' },
  {
    name: 'temporal visibility mysql (temporal-sql-tool)',
    dir: `${F}/temporal-sql-tool-mysql/visibility/versioned`,
    dialect: 'mysql',
    fails: { 'mariadb:30': { migration: '1.2', error: /syntax/i, reason: MYSQL8_JSON } },
    refused: { 'mariadb:5': MYSQL8_BASELINE },
  },
];

const work = await mkdtemp(join(tmpdir(), 'understudy-histories-'));
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Every file of a fixture folder, by base name (the report names files by base name or relative path). */
async function filesOf(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (at: string, rel: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      const relative = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path, relative);
      else if (entry.name.endsWith('.sql')) {
        const text = await readFile(path, 'utf8');
        files.set(relative, text);
        if (!files.has(entry.name)) files.set(entry.name, text);
      }
    }
  };
  await walk(join(repoRoot, dir), '');
  return files;
}

/** The SQL without comments and with string literals kept (names in them do not count below). */
function code(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
}

const bare = (qualified: string): string => qualified.slice(qualified.lastIndexOf('.') + 1);
const word = (name: string): string => `"?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?`;

/** The up SQL of the pending migrations that ran, from the fixture files the report names. */
function pendingSql(report: RehearsalReport, files: Map<string, string>): string {
  const names = new Set(report.migrations.flatMap((m) => m.statements.map((s) => s.file)));
  return [...names].map((n) => code(files.get(n) ?? files.get(n.split('/').pop()!) ?? '')).join('\n;\n');
}

/** The down SQL of the pending migrations (golang-migrate `.down.sql`, Sqitch `revert/`). */
function downSql(report: RehearsalReport, files: Map<string, string>): string {
  const paths = new Set(report.migrations.flatMap((m) => m.statements.map((s) => s.file)));
  const ups = new Set([...paths].map((f) => f.split('/').pop()!));
  const golangMigrate = [...files.entries()].filter(([name]) => !name.includes('/') && [...ups].some((u) => u.endsWith('.up.sql') && name === u.replace('.up.sql', '.down.sql')));
  const sqitch = [...paths].filter((f) => f.startsWith('deploy/')).map((f) => files.get(f.replace(/^deploy\//, 'revert/')) ?? '');
  return [...golangMigrate.map(([, text]) => text), ...sqitch].map(code).join('\n;\n');
}

/** Checks one hazard against the SQL; returns what was checked. Throws when it is not true. */
function verifyHazard(hazard: RehearsalReport['hazards'][number], report: RehearsalReport, files: Map<string, string>, expected: ExpectedFailure | undefined): string {
  const up = pendingSql(report, files);
  const m = hazard.message;
  let match: RegExpExecArray | null;
  switch (hazard.kind) {
    case 'failed': {
      const failed = report.migrations.find((x) => x.status === 'failed')!;
      expect(expected, `unexpected failure: ${m}`).toBeDefined();
      expect(failed.id).toBe(expected!.migration);
      expect(failed.failure?.error).toMatch(expected!.error);
      // The failing statement is at the reported line of that file.
      const file = failed.failure?.file;
      if (file && failed.failure?.line) {
        const text = files.get(file) ?? files.get(file.split('/').pop()!);
        expect(text, `${file} is a fixture file`).toBeDefined();
        expect(text!.split('\n').length).toBeGreaterThanOrEqual(failed.failure.line);
      }
      for (const [name, pattern] of expected!.evidence ?? []) expect(files.get(name), `${name} holds ${pattern}`).toMatch(pattern);
      return `fails as listed: ${expected!.reason}`;
    }
    case 'data-lost': {
      if ((match = /^column (\S+)\.(\w+) was dropped with (\d+) non-NULL values(?: \(the .*\))?$/.exec(m))) {
        const [, table, column, count] = match;
        expect(up, m).toMatch(new RegExp(`alter\\s+table\\s+(if\\s+exists\\s+)?(only\\s+)?(\\S+\\.)?${word(bare(table!))}[\\s\\S]*?drop\\s+(column\\s+)?(if\\s+exists\\s+)?${word(column!)}`, 'i'));
        const change = report.dataChanges.find((c) => c.table === table)!;
        const col = change.columns.find((c) => c.column === column)!;
        expect(col.dropped && change.rowsBefore - col.nullsBefore).toBe(Number(count));
        return `${table}.${column}: DROP COLUMN in the pending SQL, ${count} non-NULL values at A`;
      }
      if ((match = /^table (\S+) was dropped with (?:its )?(\d+) rows$/.exec(m))) {
        const [, table, count] = match;
        expect(up, m).toMatch(new RegExp(`drop\\s+table\\s+(if\\s+exists\\s+)?([^;]*[\\s,.])?${word(bare(table!))}`, 'i'));
        expect(report.dataChanges.find((c) => c.table === table)?.rowsBefore).toBe(Number(count));
        return `${table}: DROP TABLE in the pending SQL, ${count} rows at A`;
      }
      if ((match = /^(\d+) rows of (\S+) were lost$/.exec(m))) {
        const [, count, table] = match;
        expect(up, m).toMatch(new RegExp(`(delete\\s+from|truncate(\\s+table)?)\\s+(only\\s+)?(\\S+\\.)?${word(bare(table!))}`, 'i'));
        expect(report.dataChanges.find((c) => c.table === table)?.rowsLost).toBe(Number(count));
        return `${table}: DELETE/TRUNCATE in the pending SQL, ${count} rows gone by key`;
      }
      if ((match = /^(\d+) rows? of (\S+) were deleted \((\d+) → (\d+)\)$/.exec(m) ?? /^(\S+) went from (\d+) rows to 0 \(all \d+ rows? deleted\)$/.exec(m))) {
        const [table, before, after] = match.length === 5 ? [match[2]!, match[3]!, match[4]!] : [match[1]!, match[2]!, '0'];
        expect(up, m).toMatch(new RegExp(`(delete\\s+from|truncate(\\s+table)?)\\s+(only\\s+)?(\\S+\\.)?${word(bare(table))}`, 'i'));
        const change = report.dataChanges.find((c) => c.table === table);
        expect([change?.rowsBefore, change?.rowsAfter], m).toEqual([Number(before), Number(after)]);
        return `${table}: DELETE/TRUNCATE in the pending SQL, ${before} → ${after} rows`;
      }
      if ((match = /^values of (\S+)\.(\w+) were truncated or rounded/.exec(m))) {
        const [, table, column] = match;
        expect(up, m).toMatch(new RegExp(`(alter\\s+column\\s+${word(column!)}\\s+(set\\s+data\\s+)?type|set\\s+${word(column!)}\\s*=[^;]*${word(column!)})`, 'i'));
        return `${table}.${column}: a type change or a value computed from it in the pending SQL`;
      }
      if ((match = /^(\d+) values of (\S+)\.(\w+) became NULL$/.exec(m))) {
        const [, , table, column] = match;
        expect(up, m).toMatch(new RegExp(`(set\\s+${word(column!)}\\s*=\\s*null|drop\\s+table[^;]*${word(bare(table!))})`, 'i'));
        return `${table}.${column}: set to NULL in the pending SQL`;
      }
      throw new Error(`data-lost hazard the test cannot check: ${m}`);
    }
    case 'down-mismatch': {
      if ((match = /^the downs do not restore the schema: (.*)$/s.exec(m))) {
        // Each difference the downs leave: a table an up creates, or an enum an up extends, that no down removes.
        const down = downSql(report, files);
        for (const part of match[1]!.split('; ')) {
          // A table an up creates and no down drops.
          const created = /^table (\S+) added$/.exec(part);
          if (created) {
            const table = word(bare(created[1]!));
            expect(up, part).toMatch(new RegExp(`create\\s+table\\s+(if\\s+not\\s+exists\\s+)?(\\S+\\.)?${table}[\\s(]`, 'i'));
            expect(down, `no down drops ${created[1]}`).not.toMatch(new RegExp(`drop\\s+table\\s+(if\\s+exists\\s+)?([^;]*[\\s,.])?${table}`, 'i'));
            continue;
          }
          const e = /^enum (\S+) changed \(values (.*) → (.*)\)$/.exec(part);
          if (!e) throw new Error(`down-mismatch the test cannot check: ${part}`);
          const type = bare(e[1]!);
          const before = new Set(e[2]!.split(', '));
          const added = e[3]!.split(', ').filter((v) => !before.has(v));
          expect(added.length, part).toBeGreaterThan(0);
          for (const value of added) expect(up, `${type} gains ${value}`).toMatch(new RegExp(`alter\\s+type\\s+(\\S+\\.)?${word(type)}\\s+add\\s+value\\s+(if\\s+not\\s+exists\\s+)?'${value}'`, 'i'));
          expect(down, `no down rebuilds ${type}`).not.toMatch(new RegExp(`(create|drop)\\s+type\\s+(if\\s+exists\\s+)?(\\S+\\.)?${word(type)}[\\s;(]`, 'i'));
        }
        return `${match[1]}: an up creates or extends (ALTER TYPE … ADD VALUE) each, no down removes it`;
      }
      if ((match = /^the down of (\S+) .* failed: (.*)$/.exec(m))) {
        const step = report.down?.steps.find((s) => s.id === match![1]);
        expect(step?.status).toBe('failed');
        // The statement that failed is in that down's file, as written.
        const statement = step!.failure!.sql!;
        const text = files.get(step!.failure!.file!) ?? files.get(step!.failure!.file!.split('/').pop()!) ?? '';
        expect(text.replace(/\s+/g, ' '), `${step!.failure!.file} holds ${statement}`).toContain(statement.replace(/\s+/g, ' '));
        return `the down of ${match[1]} failed at ${step!.failure!.file}:${step!.failure!.line}: ${match[2]}`;
      }
      throw new Error(`down-mismatch hazard the test cannot check: ${m}`);
    }
    case 'long-lock': {
      const at = /^(\S+):(\d+) /.exec(m)!;
      const statement = report.migrations.flatMap((x) => x.statements).find((s) => s.file === at[1] && s.line === Number(at[2]))!;
      expect(statement.sql, m).toMatch(/^\s*(alter\s+table|drop|truncate|vacuum\s+full|cluster|reindex|lock\s+table|create\s+(unique\s+)?index(?!\s+concurrently)|refresh\s+materialized)/i);
      return `${at[1]}:${at[2]} takes ACCESS EXCLUSIVE by its SQL`;
    }
    default:
      throw new Error(`hazard the test cannot check: ${hazard.kind} ${m}`);
  }
}

function runs(engine: Engine): Array<[Item, Pending]> {
  return ITEMS.filter((i) => (engine === 'mariadb' ? i.dialect === 'mysql' : i.dialect === 'postgres')).flatMap((i) => [[i, 5] as [Item, Pending], [i, 30] as [Item, Pending]]);
}

const engines: Engine[] = ['pglite', ...(PG_URL ? (['postgres'] as const) : []), ...(MYSQL_URL ? (['mariadb'] as const) : [])];
let count = 0;

describe.concurrent.each(engines)('corpus histories on %s', (engine) => {
  it.each(runs(engine))(
    '%s at --pending %i',
    async (item, pending) => {
      const json = join(work, `report-${++count}.json`);
      const where = engine === 'postgres' ? ['--url', PG_URL!] : engine === 'mariadb' ? ['--url', MYSQL_URL!, '--dialect', 'mysql'] : [];
      const started = performance.now();
      const result = await runCli(['rehearse', item.dir, '--pending', String(pending), '--rows', '200', ...where, '--json', json]);
      const seconds = (performance.now() - started) / 1000;
      const printed = `${result.stdout}\n${result.stderr}`;
      expect(printed, 'no internal error').not.toContain('internal error');
      const pick = <T>(table: Readonly<Record<string, T>> | undefined): T | undefined => table?.[`${engine}:${pending}`] ?? table?.[engine] ?? table?.[`*:${pending}`];
      const refusal = pick(item.refused);
      if (refusal) {
        expect(result.code, result.stderr).toBe(3);
        expect(result.stderr).toMatch(refusal.message);
        console.log(`${item.name} ${engine} --pending ${pending}: refused as listed (${refusal.reason}), ${seconds.toFixed(1)} s`);
        return;
      }
      expect([0, 1], `exit ${result.code}: ${result.stderr}`).toContain(result.code);

      const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
      const files = await filesOf(item.dir);
      const expected = pick(item.fails);
      const failed = report.migrations.find((m) => m.status === 'failed');
      if (expected) expect(failed?.id, `${item.name} is listed as failing at ${expected.migration} on ${engine}: ${expected.reason}`).toBe(expected.migration);
      else expect(failed, failed ? `${failed.id} failed: ${failed.failure?.error}` : '').toBeUndefined();
      expect(report.migrations.length).toBeGreaterThan(0);
      expect(result.code).toBe(report.hazards.length > 0 ? 1 : 0);

      const checked = report.hazards.map((h) => `${h.kind}: ${item.knownFalse?.[h.message] !== undefined ? `KNOWN FALSE: ${item.knownFalse[h.message]}` : verifyHazard(h, report, files, expected)}`);
      console.log(
        `${item.name} ${engine} --pending ${pending}: ${failed ? `failed at ${failed.id}` : 'passed'}, ${report.migrations.length} pending, ${report.hazards.length} hazards, ${seconds.toFixed(1)} s${checked.length ? `\n  ${checked.join('\n  ')}` : ''}`,
      );
    },
    600_000,
  );
});
