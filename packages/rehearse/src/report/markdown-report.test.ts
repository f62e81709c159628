/**
 * The Markdown rendering for pull-request comments: verdict first, then the summary table
 * (one row per migration, with the strongest locks and the rewrites), then the details
 * folded; every table keeps its column count whatever the cells hold.
 */
import { describe, expect, it } from 'vitest';
import { mdCode, mdText, renderMarkdown } from './markdown-report.js';
import { failingReport, lossyReport, NASTY_SQL, passingReport } from './test-reports.js';

/** The cells of a table row, split at pipes that are not escaped. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** Every table in the document: its header and rows; fails when a row has another column count. */
function tables(markdown: string): Array<{ header: string[]; rows: string[][] }> {
  const lines = markdown.split('\n');
  const found: Array<{ header: string[]; rows: string[][] }> = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.startsWith('| ') || !/^\| (--- \| )*---\s*\|$/.test(lines[i + 1]!)) continue;
    const header = cells(lines[i]!);
    expect(cells(lines[i + 1]!)).toHaveLength(header.length);
    const rows: string[][] = [];
    for (let j = i + 2; j < lines.length && lines[j]!.startsWith('|'); j++) {
      const row = cells(lines[j]!);
      expect(row, `row ${lines[j]} of the table headed ${lines[i]}`).toHaveLength(header.length);
      rows.push(row);
    }
    found.push({ header, rows });
    i += rows.length + 1;
  }
  return found;
}

/** The summaries of the folded sections, in order. */
function summaries(markdown: string): string[] {
  expect(markdown.match(/<details>/g)?.length ?? 0).toBe(markdown.match(/<\/details>/g)?.length ?? 0);
  return [...markdown.matchAll(/<details><summary>(.*?)<\/summary>\n\n/g)].map((m) => m[1]!);
}

describe('renderMarkdown', () => {
  it('puts a passing verdict and the summary table before any folded detail', () => {
    const md = renderMarkdown(passingReport);
    expect(md.split('\n')[0]).toBe('### ✅ Rehearsal passed');
    expect(md).toContain('2 pending migrations ran on representative data with no hazard, and the down migrations restore the schema.');
    const summary = tables(md)[0]!;
    expect(md.indexOf('| migration | result | time | locks | rewrites |')).toBeLessThan(md.indexOf('<details>'));
    expect(summary.header).toEqual(['migration', 'result', 'time', 'locks', 'rewrites']);
    expect(summary.rows).toEqual([
      ['002 add\\_status', '✅ passed', '14 ms', 'AccessExclusiveLock on public.orders', '—'],
      ['003 total\\_numeric', '✅ passed', '1.5 s', 'AccessExclusiveLock on public.orders', 'public.orders<br>index public.orders\\_pkey'],
    ]);
    expect(md).not.toContain('**Hazards**');
    expect(summaries(md)).toEqual(['Schema changes (2)', 'Data changes (none)', 'Down check: ✅ restores the schema', 'User checks (1)', 'Estimates at production size (1)', 'Statements (2)']);
    const estimates = tables(md).find((t) => t.header.includes('estimated time'))!;
    expect(estimates.rows[0]).toContain('1 min 35 s');
    expect(estimates.rows[0]).toContain('12,000,000');
  });

  it('shows a failed migration, its statement, error and offending rows as a table, and the skipped ones', () => {
    const md = renderMarkdown(failingReport);
    expect(md.split('\n')[0]).toBe('### ❌ Rehearsal failed');
    expect(md).toContain('1 of 3 migrations failed.');
    expect(tables(md)[0]!.rows.map((r) => [r[0], r[1], r[3]])).toEqual([
      ['001 add\\_note', '✅ passed', 'ALGORITHM=INSTANT, LOCK=NONE'],
      ['002 note\\_required', '❌ failed', '—'],
      ['003 index\\_note', '⏭️ skipped', '—'],
    ]);
    expect(md).toContain("- **failed**: migration 002 note\\_required failed at 002\\_note\\_required.up.sql:3: Data truncated for column 'note' at row 1");
    const [first] = summaries(md);
    expect(first).toBe("❌ 002 note_required failed: Data truncated for column 'note' at row 1");
    const details = md.slice(md.indexOf('<details>'), md.indexOf('</details>'));
    expect(details).toContain('`002_note_required.up.sql:3`');
    expect(details).toContain(`\`\`\`sql\n${NASTY_SQL.replace('\u0007', '\\u0007').replace('\u001b', '\\u001b')}\n\`\`\``);
    expect(details).toContain('**Offending rows**: rows of test.orders where note IS NULL (41 in all, first 3)');
    const offending = tables(details)[0]!;
    expect(offending.header).toEqual(['id', 'note']);
    expect(offending.rows).toEqual([
      ['3', '*NULL*'],
      ['7', '*NULL*'],
      ['9', 'a\\|b'],
    ]);
    expect(details).toContain('```sql\nSELECT `id`, `note` FROM `orders` WHERE `note` IS NULL\n```');
    expect(summaries(md)).toContain('Down check: not run');
  });

  it('shows data loss, a down that does not restore and failed user checks', () => {
    const md = renderMarkdown(lossyReport);
    expect(md).toContain('data lost (2); the down migrations do not restore the schema; user checks failed (1).');
    expect(summaries(md)).toEqual([
      'Schema changes (1)',
      'Data changes (1 table)',
      'Down check: ❌ does not restore the schema (1 difference)',
      '❌ down 2 drop_phone: column "phone" of relation "users" contains null values', // folded inside the down check
      'User checks (2, 2 failed)',
      'Statements (2)',
    ]);
    const all = tables(md);
    const columns = all.find((t) => t.header[0] === 'column')!;
    expect(columns.rows).toEqual([
      ['public.users.phone', 'dropped: every value lost', '?', '100 → 1,000', '900 → 0'],
      ['public.users.name', 'values truncated or rounded', '812', '0 → 0', '990 → 700'],
    ]);
    const down = all.find((t) => t.header[0] === 'down')!;
    expect(down.rows.map((r) => r.slice(0, 2))).toEqual([
      ['3 short\\_names', '⚠️ missing'],
      ['2 drop\\_phone', '❌ failed'],
    ]);
    expect(md).toContain('<details><summary>❌ down 2 drop_phone: column "phone" of relation "users" contains null values</summary>');
    const checks = all.find((t) => t.header[0] === 'check')!;
    expect(checks.rows.map((r) => [r[0], r[1], r[4], r[5]])).toEqual([
      ['active users', '❌ failed', '`[{"count":700}]`', '`[{"count":650}]`'],
      ['names \\| pipes', '❌ failed', '`[{"x":1}]`', '`[{"x":1}]`'],
    ]);
    const statements = all.find((t) => t.header[0] === 'at')!;
    expect(statements.rows[1]).toEqual(['3\\_short\\_names.up.sql:1', '`UPDATE users SET name = left(name, 5)`', '39 ms', '1,000', 'RowExclusiveLock on public.users', '—']);
  });

  it('escapes cells and picks code fences longer than the backticks inside', () => {
    expect(mdText('a|b <i>x</i> *y* `z`\nnext')).toBe('a\\|b \\<i\\>x\\</i\\> \\*y\\* \\`z\\` next');
    expect(mdCode('SELECT `a` FROM t WHERE x = 1 | 2')).toBe('`` SELECT `a` FROM t WHERE x = 1 \\| 2 ``');
    expect(mdCode('plain')).toBe('`plain`');
    const odd = { ...failingReport, migrations: [{ ...failingReport.migrations[1]!, name: 'x | y', failure: { ...failingReport.migrations[1]!.failure!, sql: 'SELECT ```weird```' } }] };
    const md = renderMarkdown(odd);
    expect(tables(md)[0]!.rows[0]![0]).toBe('002 x \\| y');
    expect(md).toContain('````sql\nSELECT ```weird```\n````');
  });
});
