/**
 * The rehearsal report as JUnit XML (`understudy rehearse --junit FILE`), so any CI shows
 * it with its test results: one `<testsuite>` per phase —
 * - `migrations`: a test case per pending migration (failed: the error, the statement and
 *   the offending rows; skipped: not run after an earlier failure);
 * - `down`: a test case per down step, and one for "schema restored" listing what differs;
 * - `checks`: a test case per user check;
 * - `hazards`: a test case for data loss, one for long locks and one for statements not run
 *   because they act on the whole server, failing when the rehearsal found any (failed migrations, down mismatches and failed checks fail in their own suite).
 * Times are in seconds. Text is escaped for XML 1.0; characters XML cannot carry (control
 * characters, lone surrogates) are written as `\uXXXX`.
 *
 * @example
 * ```ts
 * await writeFile('rehearsal.xml', renderJunit(report));
 * ```
 */
import { mentions, migrationLabel } from './markdown-report.js';
import type { FailureReport, Hazard, RehearsalReport, SchemaChange } from './rehearsal-report.js';

const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text fit for an XML element or attribute.
 * @example
 * ```ts
 * xmlEscape('a < b & "c"\u0007'); // 'a &lt; b &amp; &quot;c&quot;\\u0007'
 * ```
 */
export function xmlEscape(text: string, attribute = false): string {
  const safe = text
    .replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
  return attribute ? safe.replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;') : safe;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

interface Case {
  readonly name: string;
  readonly classname: string;
  readonly ms: number;
  readonly failure?: { readonly message: string; readonly type: string; readonly body: string };
  readonly skipped?: string;
  readonly out?: string;
}

interface Suite {
  readonly name: string;
  readonly cases: readonly Case[];
  readonly properties?: ReadonlyArray<readonly [string, string]>;
}

/** Rows as a plain-text table, for a failure body. */
function rowsTable(rows: ReadonlyArray<Readonly<Record<string, string | null>>>): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (columns.length === 0) return '';
  const cell = (v: string | null | undefined): string => (v === null || v === undefined ? 'NULL' : v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]): string =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

function failureBody(failure: FailureReport): string {
  const lines: string[] = [];
  if (failure.file) lines.push(`at ${failure.file}${failure.line ? `:${failure.line}` : ''}`);
  if (failure.sql) lines.push('', failure.sql);
  lines.push('', failure.error);
  const rows = failure.offendingRows;
  if (rows) {
    lines.push('', `Offending rows: ${rows.description} (${rows.total} in all${rows.rows.length < rows.total ? `, first ${rows.rows.length}` : ''})`);
    lines.push(rowsTable(rows.rows), '', `Found with: ${rows.query}`);
  }
  return lines.join('\n').trim();
}

function changeLine(change: SchemaChange): string {
  return `${change.change} ${change.object} ${change.name}${change.detail ? `: ${change.detail}` : ''}`;
}

function migrationCases(report: RehearsalReport): Case[] {
  return report.migrations.map((m) => {
    const statements = m.statements.map((s) => {
      const extras = [
        ...(s.alter ? [`ALGORITHM=${s.alter.algorithm} LOCK=${s.alter.lock}`] : []),
        ...s.locks.map((l) => `${l.mode} on ${l.relation}`),
        ...s.rewrites.map((r) => `rewrites ${r.kind} ${r.relation}`),
        ...(s.rowsAffected !== null ? [`${s.rowsAffected} rows`] : []),
      ];
      return `${s.file}:${s.line} ${seconds(s.durationMs)}s ${s.sql}${extras.length > 0 ? ` [${extras.join('; ')}]` : ''}`;
    });
    const output = m.command
      ? [
          ...m.command.rewrites.map((r) => `rewritten while it ran: ${r.kind} ${r.relation}`),
          `$ ${m.command.command} (exit status ${m.command.exitCode})`,
          ...(m.command.outputTruncated ? ['…'] : []),
          m.command.output,
        ]
      : [];
    const base = { name: migrationLabel(m), classname: 'rehearse.migrations', ms: m.durationMs, out: [...statements, ...m.hazards.map((h) => `hazard: ${h}`), ...output].join('\n') };
    if (m.status === 'skipped') return { ...base, skipped: 'not run: an earlier migration failed' };
    if (m.status === 'failed') {
      const failure = m.failure ?? { error: 'failed' };
      return { ...base, failure: { message: failure.error, type: failure.offendingRows ? 'data' : 'error', body: failureBody(failure) } };
    }
    return base;
  });
}

function downCases(report: RehearsalReport): Case[] {
  const down = report.down;
  if (!down) return [];
  const cases: Case[] = down.steps.map((d) => {
    const base = { name: migrationLabel(d), classname: 'rehearse.down', ms: d.durationMs };
    if (d.status === 'missing') return { ...base, skipped: 'no down migration' };
    if (d.status === 'skipped') return { ...base, skipped: 'not run: an earlier down failed' };
    if (d.status === 'failed') {
      const failure = d.failure ?? { error: 'failed' };
      return { ...base, failure: { message: failure.error, type: 'error', body: failureBody(failure) } };
    }
    return base;
  });
  cases.push({
    name: 'schema restored',
    classname: 'rehearse.down',
    ms: 0,
    ...(down.restored
      ? {}
      : {
          failure: {
            message: `the down migrations leave ${down.differences.length} difference(s) from the schema before the migrations`,
            type: 'down-mismatch',
            body: down.differences.map(changeLine).join('\n'),
          },
        }),
  });
  return cases;
}

function checkCases(report: RehearsalReport): Case[] {
  return report.checks.map((c) => {
    const base = {
      name: c.name,
      classname: 'rehearse.checks',
      ms: 0,
      out: `${c.query}\nbefore: ${JSON.stringify(c.before)}\nafter: ${JSON.stringify(c.after)}${c.afterDown === undefined ? '' : `\nafter down: ${JSON.stringify(c.afterDown)}`}`,
    };
    if (c.status === 'passed') return base;
    const message = c.error ?? (c.expectChange ? 'expected the result to change, it did not' : 'the result changed, and the check expects no change');
    return { ...base, failure: { message, type: 'check', body: `${message}\n\n${base.out}` } };
  });
}

/** The estimates at production size, one line each, worst first (the `no long locks` case's system-out). */
function estimateOut(report: RehearsalReport): string | undefined {
  if (report.estimates.length === 0) return undefined;
  const sorted = [...report.estimates].sort((a, b) => b.estimatedMs - a.estimatedMs);
  return [
    'Estimates at production size:',
    ...sorted.map(
      (e) =>
        `${e.migration} ${e.file}:${e.line} ~${seconds(e.estimatedMs)}s${e.table ? ` on ${e.table} at ${e.targetRows} rows` : ''}${e.lockMode ? ` [${e.lockMode}${e.lockMs !== undefined ? ` held ~${seconds(e.lockMs)}s` : ''}]` : ''} ${e.sql} (${e.basis})`,
    ),
  ].join('\n');
}

function hazardCase(name: string, kind: Hazard['kind'], hazards: readonly Hazard[], out?: string): Case {
  const found = hazards.filter((h) => h.kind === kind);
  const lines = found.map((h) => (h.migration && !mentions(h.message, h.migration) ? `${h.migration}: ${h.message}` : h.message));
  return {
    name,
    classname: 'rehearse.hazards',
    ms: 0,
    ...(out ? { out } : {}),
    ...(found.length > 0 ? { failure: { message: lines[0]! + (found.length > 1 ? ` (and ${found.length - 1} more)` : ''), type: kind, body: lines.join('\n') } } : {}),
  };
}

function renderCase(c: Case): string {
  const open = `    <testcase name="${xmlEscape(c.name, true)}" classname="${xmlEscape(c.classname, true)}" time="${seconds(c.ms)}"`;
  const inner: string[] = [];
  if (c.skipped) inner.push(`      <skipped message="${xmlEscape(c.skipped, true)}"/>`);
  if (c.failure) {
    inner.push(`      <failure message="${xmlEscape(c.failure.message, true)}" type="${xmlEscape(c.failure.type, true)}">${xmlEscape(c.failure.body)}</failure>`);
  }
  if (c.out) inner.push(`      <system-out>${xmlEscape(c.out)}</system-out>`);
  return inner.length === 0 ? `${open}/>` : `${open}>\n${inner.join('\n')}\n    </testcase>`;
}

function renderSuite(suite: Suite, timestamp: string): string {
  const failures = suite.cases.filter((c) => c.failure).length;
  const skipped = suite.cases.filter((c) => c.skipped).length;
  const ms = suite.cases.reduce((sum, c) => sum + c.ms, 0);
  const lines = [
    `  <testsuite name="${xmlEscape(suite.name, true)}" tests="${suite.cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(ms)}" timestamp="${timestamp}">`,
  ];
  if (suite.properties && suite.properties.length > 0) {
    lines.push('    <properties>');
    for (const [name, value] of suite.properties) lines.push(`      <property name="${xmlEscape(name, true)}" value="${xmlEscape(value, true)}"/>`);
    lines.push('    </properties>');
  }
  lines.push(...suite.cases.map(renderCase), '  </testsuite>');
  return lines.join('\n');
}

/**
 * Renders a rehearsal report as JUnit XML.
 * @example
 * ```ts
 * const xml = renderJunit(report);
 * xml.startsWith('<?xml'); // true
 * ```
 */
export function renderJunit(report: RehearsalReport, options: { readonly timestamp?: Date } = {}): string {
  const timestamp = (options.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, '');
  const suites: Suite[] = [
    {
      name: 'migrations',
      cases: migrationCases(report),
      properties: [
        ['environment', report.environment],
        ['dialect', report.dialect],
        ['migrations', report.migrationsDir],
        ['format', report.format],
        ['seed rows', String(report.seed.rows)],
        ...(report.estimates.length > 0 ? [['estimates', String(report.estimates.length)] as [string, string]] : []),
      ],
    },
    { name: 'down', cases: downCases(report) },
    { name: 'checks', cases: checkCases(report) },
    {
      name: 'hazards',
      cases: [
        hazardCase('no data lost', 'data-lost', report.hazards),
        hazardCase('no long locks', 'long-lock', report.hazards, estimateOut(report)),
        hazardCase('nothing beyond the rehearsal database', 'server-level', report.hazards),
      ],
    },
  ];
  const all = suites.flatMap((s) => s.cases);
  const header = `<testsuites name="understudy rehearse" tests="${all.length}" failures="${all.filter((c) => c.failure).length}" errors="0" skipped="${all.filter((c) => c.skipped).length}" time="${seconds(report.durationMs)}">`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', header, ...suites.map((s) => renderSuite(s, timestamp)), '</testsuites>', ''].join('\n');
}
