/**
 * The JUnit rendering: well-formed XML (read back by a strict reader), a suite per phase,
 * a test case per migration, down step and user check, failures that carry the offending
 * rows and the SQL, times in seconds, and escaping that survives any statement text.
 */
import { describe, expect, it } from 'vitest';
import { renderJunit, xmlEscape } from './junit-report.js';
import { elements, failingReport, lossyReport, NASTY_SQL, parseXml, passingReport, type XmlElement } from './test-reports.js';

const at = new Date('2026-01-02T03:04:05.678Z');
const suite = (root: XmlElement, name: string): XmlElement => {
  const found = root.children.find((s) => s.name === 'testsuite' && s.attributes['name'] === name);
  if (!found) throw new Error(`no testsuite ${name}`);
  return found;
};
const caseNamed = (root: XmlElement, name: string): XmlElement => {
  const found = elements(root, 'testcase').find((c) => c.attributes['name'] === name);
  if (!found) throw new Error(`no testcase ${name}`);
  return found;
};

describe('renderJunit', () => {
  it('writes a passing rehearsal as four suites of passing test cases, times in seconds', () => {
    const xml = renderJunit(passingReport, { timestamp: at });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.children.map((s) => [s.attributes['name'], s.attributes['tests']])).toEqual([
      ['migrations', '2'],
      ['down', '3'],
      ['checks', '1'],
      ['hazards', '3'],
    ]);
    expect(root.attributes).toMatchObject({ tests: '9', failures: '0', skipped: '0', time: '4.200' });
    expect(elements(root, 'failure')).toHaveLength(0);
    expect(caseNamed(root, '002 add_status').attributes).toMatchObject({ time: '0.014', classname: 'rehearse.migrations' });
    expect(caseNamed(root, '003 total_numeric').attributes['time']).toBe('1.520');
    expect(suite(root, 'migrations').attributes).toMatchObject({ time: '1.534', timestamp: '2026-01-02T03:04:05' });
    const props = Object.fromEntries(elements(suite(root, 'migrations'), 'property').map((p) => [p.attributes['name'], p.attributes['value']]));
    expect(props).toMatchObject({ environment: 'PGlite (in memory)', dialect: 'postgres', 'seed rows': '3000' });
    const out = elements(caseNamed(root, '003 total_numeric'), 'system-out')[0]!.text;
    expect(out).toContain('003_total_numeric.up.sql:2 1.510s ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)');
    expect(out).toContain('AccessExclusiveLock on public.orders; rewrites table public.orders; rewrites index public.orders_pkey');
    // The estimates at production size: a property, and one line each in the long-lock case's output.
    expect(props).toMatchObject({ estimates: '1' });
    expect(elements(caseNamed(root, 'no long locks'), 'system-out')[0]!.text).toBe(
      'Estimates at production size:\n003_total_numeric 003_total_numeric.up.sql:2 ~95.000s on public.orders at 12000000 rows [AccessExclusiveLock] ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2) (linear fit over 1,000 and 10,000 rows; target rows from profile.json)',
    );
  });

  it('writes a failed migration as a failure with the error, the statement and the offending rows, and later ones as skipped', () => {
    const xml = renderJunit(failingReport, { timestamp: at });
    const root = parseXml(xml);
    expect(root.attributes).toMatchObject({ tests: '6', failures: '1', skipped: '1' });
    expect(suite(root, 'migrations').attributes).toMatchObject({ tests: '3', failures: '1', skipped: '1' });
    expect(suite(root, 'down').attributes['tests']).toBe('0');
    const failed = caseNamed(root, '002 note_required');
    const failure = elements(failed, 'failure');
    expect(failure).toHaveLength(1);
    expect(failure[0]!.attributes['message']).toBe("Data truncated for column 'note' at row 1\nsecond line <b>");
    expect(failure[0]!.attributes['type']).toBe('data');
    const body = failure[0]!.text;
    expect(body).toContain('at 002_note_required.up.sql:3');
    // The statement comes back exactly, control characters written as \uXXXX.
    expect(body).toContain(NASTY_SQL.replace('\u0007', '\\u0007').replace('\u001b', '\\u001b'));
    expect(body).toContain('Offending rows: rows of test.orders where note IS NULL (41 in all, first 3)');
    expect(body).toMatch(/^id \| note\n-+-\+-+\n3  \| NULL\n7  \| NULL\n9  \| a\|b$/m);
    expect(body).toContain('Found with: SELECT `id`, `note` FROM `orders` WHERE `note` IS NULL');
    expect(elements(caseNamed(root, '003 index_note'), 'skipped')[0]!.attributes['message']).toBe('not run: an earlier migration failed');
    expect(elements(caseNamed(root, '001 add_note'), 'system-out')[0]!.text).toContain('ALGORITHM=INSTANT LOCK=NONE');
  });

  it('fails the down suite, the user checks and the data-loss hazard of a lossy rehearsal', () => {
    const root = parseXml(renderJunit(lossyReport, { timestamp: at }));
    expect(elements(root, 'testcase')).toHaveLength(2 + 3 + 2 + 3);
    expect(elements(root, 'failure')).toHaveLength(5);
    expect(root.attributes).toMatchObject({ failures: '5', skipped: '1' });
    expect(elements(caseNamed(root, '3 short_names'), 'skipped')).toHaveLength(0); // the up passed
    const down = suite(root, 'down');
    expect(down.attributes).toMatchObject({ tests: '3', failures: '2', skipped: '1' });
    expect(elements(down, 'skipped')[0]!.attributes['message']).toBe('no down migration');
    const restored = elements(caseNamed(root, 'schema restored'), 'failure')[0]!;
    expect(restored.attributes['type']).toBe('down-mismatch');
    expect(restored.text).toBe('removed column public.users.phone');
    expect(elements(suite(root, 'checks'), 'failure').map((f) => f.attributes['message'])).toEqual(['the result changed, and the check expects no change', 'relation "x" does not exist']);
    const lost = elements(caseNamed(root, 'no data lost'), 'failure')[0]!;
    expect(lost.attributes['message']).toBe('2: column public.users.phone dropped: 900 non-NULL values lost (and 1 more)');
    expect(lost.text.split('\n')).toHaveLength(2);
    expect(elements(caseNamed(root, 'no long locks'), 'failure')).toHaveLength(0);
  });

  it('escapes markup characters, quotes, control characters and lone surrogates', () => {
    expect(xmlEscape(`a < b && c > "d" 'e'`)).toBe('a &lt; b &amp;&amp; c &gt; &quot;d&quot; &apos;e&apos;');
    expect(xmlEscape('bell\u0007 nul\u0000 tab\t')).toBe('bell\\u0007 nul\\u0000 tab\t');
    expect(xmlEscape('line\nnext\ttab', true)).toBe('line&#10;next&#9;tab');
    expect(xmlEscape('lone \ud800 pair \ud83d\ude00')).toBe('lone \\ud800 pair \ud83d\ude00');
    // A name made of nothing but trouble still gives a document the strict reader accepts.
    const nasty = { ...failingReport, migrations: failingReport.migrations.map((m) => ({ ...m, name: `${m.name} ${NASTY_SQL} ]]>` })) };
    const root = parseXml(renderJunit(nasty, { timestamp: at }));
    expect(elements(root, 'testcase')[0]!.attributes['name']).toBe(`001 add_note ${NASTY_SQL.replace('\u0007', '\\u0007').replace('\u001b', '\\u001b')} ]]>`);
  });

  it('the strict reader rejects what a careless renderer would write', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/closes/);
    expect(() => parseXml('<a>x & y</a>')).toThrow(/entity/);
    expect(() => parseXml('<a t="1 < 2"/>')).toThrow(/attribute/);
    expect(() => parseXml('<a>\u0007</a>')).toThrow(/not allowed/);
    expect(() => parseXml('<a/><b/>')).toThrow(/second root/);
  });
});
