import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSchema, countSchema } from '@understudy/core';
import { runCli } from '../run-cli.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the CLI tests that need a PostgreSQL server');

describe('understudy (no server needed)', () => {
  it('prints help for the program and for introspect, and its version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('introspect');
    const sub = await runCli(['introspect', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--from <file.sql>');
    expect(sub.stdout).toContain('Examples:');
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('summarises pagila from its DDL file on the embedded PGlite', async () => {
    const result = await runCli(['introspect', '--from', 'fixtures/schemas/pagila/schema.sql', '--summary']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('15 tables (7 partitions)');
    expect(result.stdout).toContain('36 foreign keys');
    expect(result.stdout).toMatch(/public\.payment\s+\S+\s+\d+\s+.*7 partitions/);
    // Load order puts parents first.
    expect(result.stdout.indexOf('public.country')).toBeLessThan(result.stdout.indexOf('public.city'));
    expect(result.stdout.indexOf('public.city')).toBeLessThan(result.stdout.indexOf('public.address'));
  });

  it('prints the whole Schema JSON to a pipe, however long (pagila is > 64 KiB), and triggers with it', async () => {
    const result = await runCli(['introspect', '--from', 'fixtures/schemas/pagila/schema.sql']);
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(65_536);
    const schema = parseSchema(result.stdout, 'stdout');
    expect(Object.values(schema.tables).filter((t) => t.kind !== 'partition')).toHaveLength(15);
    expect(schema.tables['public.film']!.triggers).toContainEqual({
      name: 'film_fulltext_trigger',
      timing: 'before',
      events: ['insert', 'update'],
      inserts: [],
      sets: ['fulltext'],
      reads: ['title', 'description'],
    });
  });

  it('writes Schema JSON with --out that reads back with the same counts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'understudy-cli-'));
    const out = join(dir, 'chinook.json');
    const result = await runCli(['introspect', '--from', 'fixtures/schemas/chinook/postgresql/schema.sql', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`wrote ${out}: 11 tables`);
    const schema = parseSchema(await readFile(out, 'utf8'), out);
    expect(countSchema(schema)).toMatchObject({ tables: 11, foreignKeys: 11 });
    expect(schema.source).toContain('schema.sql');
  });

  it('exits 2 with a clear message when no source is given, a flag is unknown, or the file is missing', async () => {
    const none = await runCli(['introspect']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('introspect needs a source: --url URL');
    const flag = await runCli(['introspect', '--frm', 'x.sql']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option '--frm'");
    const missing = await runCli(['introspect', '--from', 'no/such/schema.sql']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no/such/schema.sql');
    expect(missing.stderr).not.toMatch(/\n\s+at /); // no stack trace for a user's mistake
  });

  it('exits 3 and names the file and line of a statement that does not load', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'understudy-cli-'));
    const file = join(dir, 'broken.sql');
    await writeFile(file, 'CREATE TABLE ok (id int PRIMARY KEY);\n\n-- a typo on line 4\nCREATE TABEL broken (id int);\n');
    const result = await runCli(['introspect', '--from', file]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${file}:4:`);
    expect(result.stderr).toContain('syntax error');
    expect(result.stdout).toBe('');
  });

  it('exits 3 for an unreachable server and never prints the password', async () => {
    const result = await runCli(['introspect', '--url', 'postgres://app:hunter2@127.0.0.1:1/prod']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('127.0.0.1:1');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('exits 2 for a URL it cannot use', async () => {
    const result = await runCli(['introspect', '--url', 'oracle://scott:tiger@db/orcl']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no dialect handles "oracle://"');
    expect(result.stderr).not.toContain('tiger');
  });
});

describe.skipIf(!pgUrl)('understudy introspect --url (PostgreSQL server)', () => {
  it('reads a live database, and exits 2 naming an unknown schema', async () => {
    const ok = await runCli(['introspect', '--url', pgUrl!, '--summary']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('PostgreSQL');
    const unknown = await runCli(['introspect', '--url', pgUrl!, '--schemas', 'no_such_schema']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no_such_schema');
  });

  it('exits 3 naming a database that does not exist', async () => {
    const url = new URL(pgUrl!);
    url.pathname = '/understudy_no_such_db';
    const result = await runCli(['introspect', '--url', url.toString()]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('understudy_no_such_db');
  });
});
