/**
 * The rehearsal report as Markdown for a pull-request comment (`understudy rehearse
 * --markdown FILE`): a verdict line, a summary table (migration | result | time | locks |
 * rewrites) and the hazards first; then the details folded in `<details>` blocks: each
 * failure with its statement, error and offending rows as a table, schema changes, data
 * changes, the down check, user checks, estimates at production size and every statement.
 * Cell text is escaped (`|`, Markdown and HTML characters), SQL goes in code spans or
 * fences long enough for the backticks MySQL identifiers carry.
 *
 * @example
 * ```ts
 * await writeFile('rehearsal.md', renderMarkdown(report));
 * // then: gh pr comment --body-file rehearsal.md
 * ```
 */
import { rehearsalExitCode, type FailureReport, type MigrationReport, type RehearsalReport, type SchemaChange, type StatementReport } from './rehearsal-report.js';

/**
 * Plain text fit for a Markdown table cell or line: Markdown and HTML characters escaped, on one line.
 * @example
 * ```ts
 * mdText('a|b <c>'); // 'a\\|b \\<c\\>'
 * ```
 */
export function mdText(text: string): string {
  return visible(text)
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]<>|#]/g, '\\$&');
}

/** Control characters (which no reader can see) as `\uXXXX`. */
function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for inside an HTML element (`<summary>`), where Markdown is not read: HTML-escaped, on one line. */
function htmlText(text: string): string {
  return visible(text).replace(/\r?\n/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A code span that survives backticks and `|` inside a table cell.
 * @example
 * ```ts
 * mdCode('SELECT `a` FROM t'); // '`` SELECT `a` FROM t ``'
 * ```
 */
export function mdCode(text: string): string {
  const oneLine = visible(text).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || /^ | $/.test(oneLine) ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/** A fenced block longer than any backtick run in `text`. */
function fenced(raw: string, language = ''): string {
  const text = visible(raw);
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function folded(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body.trim()}\n\n</details>`;
}

/** `12 ms`, `1.4 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const number = (n: number): string => n.toLocaleString('en-US');

/** The locks of a migration as a cell: the strongest mode per relation, and MySQL's ALGORITHM/LOCK per ALTER. */
function locksCell(statements: readonly StatementReport[]): string {
  // The strongest per relation, by the rank the dialect gave each mode.
  const strongest = new Map<string, StatementReport['locks'][number]>();
  for (const s of statements) {
    for (const l of s.locks) {
      const held = strongest.get(l.relation);
      if (held === undefined || l.rank > held.rank) strongest.set(l.relation, l);
    }
  }
  const parts = [...strongest].map(([relation, lock]) => `${mdText(lock.mode)} on ${mdText(relation)}`);
  const alters = [...new Set(statements.filter((s) => s.alter).map((s) => `ALGORITHM=${s.alter!.algorithm}, LOCK=${s.alter!.lock}`))];
  return [...parts, ...alters].join('<br>') || '—';
}

function rewritesCell(statements: readonly StatementReport[], more: StatementReport['rewrites'] = []): string {
  const rewrites = [...new Set([...statements.flatMap((s) => s.rewrites), ...more].map((r) => `${r.kind === 'index' ? 'index ' : ''}${r.relation}`))];
  return rewrites.map(mdText).join('<br>') || '—';
}

/**
 * How a migration is named in a report: `002 add_status` (id and name, as the terminal summary says it).
 * @example
 * ```ts
 * migrationLabel({ id: '002', name: 'add_status' }); // '002 add_status'
 * ```
 */
export function migrationLabel(m: { readonly id: string; readonly name: string }): string {
  return !m.name || m.name === m.id || m.name.startsWith(m.id) ? m.name || m.id : `${m.id} ${m.name}`;
}

/** True when `text` names `id` as a word of its own (a hazard message that already says which migration). */
export function mentions(text: string, id: string): boolean {
  return new RegExp(`(^|[^\\w])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w])`).test(text);
}

const RESULT: Record<MigrationReport['status'], string> = { passed: '✅ passed', failed: '❌ failed', skipped: '⏭️ skipped' };

function verdict(report: RehearsalReport): string {
  const failed = report.migrations.filter((m) => m.status === 'failed').length;
  if (rehearsalExitCode(report) === 0) {
    const down = report.down ? (report.down.restored ? ', and the down migrations restore the schema' : '') : '';
    return `### ✅ Rehearsal passed\n\n${report.migrations.length} pending migration${report.migrations.length === 1 ? '' : 's'} ran on representative data with no hazard${down}.`;
  }
  const reasons: string[] = [];
  if (failed > 0) reasons.push(`${failed} of ${report.migrations.length} migration${report.migrations.length === 1 ? '' : 's'} failed`);
  const count = (kind: string): number => report.hazards.filter((h) => h.kind === kind).length;
  if (count('data-lost') > 0) reasons.push(`data lost (${count('data-lost')})`);
  if (count('down-mismatch') > 0) reasons.push('the down migrations do not restore the schema');
  if (count('long-lock') > 0) reasons.push(`long locks (${count('long-lock')})`);
  if (count('check-failed') > 0) reasons.push(`user checks failed (${count('check-failed')})`);
  if (count('server-level') > 0) reasons.push(`statements not run: they act on the whole server (${count('server-level')})`);
  return `### ❌ Rehearsal failed\n\n${reasons.join('; ') || `${report.hazards.length} hazard(s)`}.`;
}

function context(report: RehearsalReport): string {
  const pending = `${report.migrations.length} pending migration${report.migrations.length === 1 ? '' : 's'} from ${mdCode(report.migrationsDir)} (${mdText(report.format)})`;
  const baseline = report.baseline.length > 0 ? `, after ${report.baseline.length} baseline` : '';
  const seed = `${number(report.seed.rows)} rows seeded in ${report.seed.tables} table${report.seed.tables === 1 ? '' : 's'}`;
  return `${pending}${baseline} · ${seed} · ${mdCode(report.environment)} (${report.dialect}) · ${formatDuration(report.durationMs)}`;
}

function offendingRowsBlock(failure: FailureReport): string {
  const found = failure.offendingRows;
  if (!found) return '';
  const columns = [...new Set(found.rows.flatMap((r) => Object.keys(r)))];
  const shown = found.rows.length < found.total ? `, first ${found.rows.length}` : '';
  const rows = found.rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '*NULL*' : mdText(r[c]!))));
  return [
    `**Offending rows**: ${mdText(found.description)} (${number(found.total)} in all${shown})`,
    columns.length > 0 ? table(columns.map(mdText), rows) : '',
    `Found with (run it on production to see them all):\n\n${fenced(found.query, 'sql')}`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

function failureBlock(what: string, failure: FailureReport): string {
  const where = failure.file ? `${mdCode(`${failure.file}${failure.line ? `:${failure.line}` : ''}`)}\n\n` : '';
  const sqlText = failure.sql ? `${fenced(failure.sql, 'sql')}\n\n` : '';
  const error = `${fenced(failure.error)}`;
  const firstLine = failure.error.split('\n')[0]!;
  return folded(`❌ ${htmlText(what)}: ${htmlText(firstLine.length > 120 ? `${firstLine.slice(0, 117)}...` : firstLine)}`, `${where}${sqlText}${error}\n\n${offendingRowsBlock(failure)}`);
}

function changeRows(changes: readonly SchemaChange[]): string[][] {
  return changes.map((c) => [c.change, c.object, mdText(c.name), c.detail ? mdText(c.detail) : '']);
}

function schemaChangesBlock(report: RehearsalReport): string {
  if (report.schemaChanges.length === 0) return folded('Schema changes (none)', 'The pending migrations change no table, column, constraint or index.');
  return folded(`Schema changes (${report.schemaChanges.length})`, table(['change', 'object', 'name', 'detail'], changeRows(report.schemaChanges)));
}

function dataChangesBlock(report: RehearsalReport): string {
  if (report.dataChanges.length === 0) return folded('Data changes (none)', 'No row was lost, added or changed.');
  const tables = table(
    ['table', 'rows before', 'rows after', 'lost', 'added'],
    report.dataChanges.map((t) => [
      mdText(t.table) + (t.dropped ? ' (dropped)' : ''),
      number(t.rowsBefore),
      number(t.rowsAfter),
      t.rowsLost === null ? '?' : number(t.rowsLost),
      t.rowsAdded === null ? '?' : number(t.rowsAdded),
    ]),
  );
  const columnRows = report.dataChanges.flatMap((t) =>
    t.columns.map((c) => [
      mdText(`${t.table}.${c.column}`),
      c.dropped ? 'dropped: every value lost' : c.truncated ? 'values truncated or rounded' : '',
      c.changedRows === null ? '?' : number(c.changedRows),
      `${number(c.nullsBefore)} → ${number(c.nullsAfter)}`,
      `${number(c.distinctBefore)} → ${number(c.distinctAfter)}`,
    ]),
  );
  const columns = columnRows.length > 0 ? `\n\n${table(['column', 'loss', 'rows changed', 'NULLs', 'distinct'], columnRows)}` : '';
  return folded(`Data changes (${report.dataChanges.length} table${report.dataChanges.length === 1 ? '' : 's'})`, tables + columns);
}

function downBlock(report: RehearsalReport): string {
  const down = report.down;
  if (!down) return folded('Down check: not run', 'The down migrations were not rehearsed (`--no-down`, or an up migration failed).');
  const steps = table(
    ['down', 'result', 'time'],
    down.steps.map((d) => [mdText(migrationLabel(d)), { passed: '✅ passed', failed: '❌ failed', missing: '⚠️ missing', skipped: '⏭️ skipped' }[d.status], formatDuration(d.durationMs)]),
  );
  const differences = down.differences.length > 0 ? `\n\nStill different from before the migrations:\n\n${table(['change', 'object', 'name', 'detail'], changeRows(down.differences))}` : '';
  const failures = down.steps
    .filter((d) => d.failure)
    .map((d) => `\n\n${failureBlock(`down ${migrationLabel(d)}`, d.failure!)}`)
    .join('');
  const summary = down.restored
    ? 'Down check: ✅ restores the schema'
    : `Down check: ❌ does not restore the schema (${down.differences.length} difference${down.differences.length === 1 ? '' : 's'})`;
  return folded(summary, steps + differences + failures);
}

function checksBlock(report: RehearsalReport): string | undefined {
  if (report.checks.length === 0) return undefined;
  const failed = report.checks.filter((c) => c.status === 'failed').length;
  const json = (value: unknown): string => (value === undefined ? '' : mdCode(JSON.stringify(value) ?? ''));
  const rows = report.checks.map((c) => [
    mdText(c.name),
    c.status === 'passed' ? '✅ passed' : '❌ failed',
    c.expectChange ? 'yes' : 'no',
    c.changed ? 'yes' : 'no',
    json(c.before),
    json(c.after),
    json(c.afterDown),
    c.error ? mdText(c.error) : '',
  ]);
  return folded(
    `User checks (${report.checks.length}${failed > 0 ? `, ${failed} failed` : ''})`,
    table(['check', 'result', 'expects change', 'changed', 'before', 'after', 'after down', 'error'], rows),
  );
}

function estimatesBlock(report: RehearsalReport): string | undefined {
  if (report.estimates.length === 0) return undefined;
  const rows = report.estimates.map((e) => [
    mdText(e.migration),
    mdCode(e.sql),
    e.table ? mdText(e.table) : '',
    e.table ? number(e.targetRows) : '',
    formatDuration(e.estimatedMs),
    e.lockMode ? `${mdText(e.lockMode)}${e.lockMs !== undefined ? ` held ${formatDuration(e.lockMs)}` : ''}` : '',
    mdText(e.basis),
  ]);
  return folded(`Estimates at production size (${report.estimates.length})`, table(['migration', 'statement', 'table', 'rows', 'estimated time', 'lock', 'basis'], rows));
}

function statementsBlock(report: RehearsalReport): string | undefined {
  const rows = report.migrations.flatMap((m) =>
    m.statements.map((s) => [mdText(`${s.file}:${s.line}`), mdCode(s.sql), formatDuration(s.durationMs), s.rowsAffected === null ? '' : number(s.rowsAffected), locksCell([s]), rewritesCell([s])]),
  );
  if (rows.length === 0) return undefined;
  return folded(`Statements (${rows.length})`, table(['at', 'statement', 'time', 'rows', 'locks', 'rewrites'], rows));
}

/** Each `--command` step's exit status and output (secrets already removed), folded. */
function commandBlocks(report: RehearsalReport): string[] {
  return report.migrations.flatMap((m) => {
    const c = m.command;
    if (!c) return [];
    const watched = `exit status ${c.exitCode}; ${c.samples} samples of the database's sessions, every ${c.intervalMs} ms`;
    const output = c.output ? fenced(`${c.outputTruncated ? '…\n' : ''}${c.output}`) : '_(no output)_';
    return [folded(`Output of ${mdText(c.command)}`, `${mdText(watched)}${c.notes.length > 0 ? ` (${mdText(c.notes.join('; '))})` : ''}\n\n${output}`)];
  });
}

/**
 * Renders a rehearsal report as Markdown for a pull-request comment.
 * @example
 * ```ts
 * const markdown = renderMarkdown(report);
 * markdown.split('\n')[0]; // '### ✅ Rehearsal passed'
 * ```
 */
export function renderMarkdown(report: RehearsalReport): string {
  const summary = table(
    ['migration', 'result', 'time', 'locks', 'rewrites'],
    report.migrations.map((m) => [
      mdText(migrationLabel(m)),
      RESULT[m.status],
      m.status === 'skipped' ? '—' : formatDuration(m.durationMs),
      locksCell(m.statements),
      rewritesCell(m.statements, m.command?.rewrites),
    ]),
  );
  const hazards =
    report.hazards.length > 0
      ? `**Hazards**\n\n${report.hazards.map((h) => `- **${h.kind}**: ${h.migration && !mentions(h.message, h.migration) ? `${mdText(h.migration)}: ` : ''}${mdText(h.message)}`).join('\n')}`
      : '';
  const failures = [...report.migrations.filter((m) => m.failure).map((m) => failureBlock(`${migrationLabel(m)} failed`, m.failure!))];
  const notes = report.notes.length > 0 ? folded(`Notes (${report.notes.length})`, report.notes.map((n) => `- ${mdText(n)}`).join('\n')) : '';
  const sections = [
    verdict(report),
    context(report),
    report.migrations.length > 0 ? summary : 'No pending migration.',
    hazards,
    ...failures,
    schemaChangesBlock(report),
    dataChangesBlock(report),
    downBlock(report),
    checksBlock(report),
    estimatesBlock(report),
    statementsBlock(report),
    ...commandBlocks(report),
    notes,
    '<sub>Rehearsed by Understudy (`understudy rehearse`).</sub>',
  ];
  return `${sections.filter((s): s is string => Boolean(s)).join('\n\n')}\n`;
}
