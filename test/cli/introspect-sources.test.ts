import { describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the CLI tests that need a MySQL/MariaDB server');

describe('understudy introspect: every source gives a Schema', () => {
  it('gives byte-identical JSON for two runs over the same DDL', async () => {
    const args = ['introspect', '--from', 'fixtures/schemas/chinook/postgresql/schema-identity-pks.sql'];
    const [a, b] = await Promise.all([runCli(args), runCli(args)]);
    expect(a.code).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(b.stdout).toBe(a.stdout);
  });

  it('reads a drizzle schema module, with relations()-only links as virtual FKs', async () => {
    const result = await runCli(['introspect', '--drizzle', 'fixtures/drizzle/pg-schema.ts']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.source).toBe('drizzle:fixtures/drizzle/pg-schema.ts');
    const fks = Object.values(schema.tables).flatMap((t: any) => t.foreignKeys);
    expect(fks).toHaveLength(7);
    expect(fks.filter((f: any) => f.virtual)).toHaveLength(1);
  });

  it('refuses two sources at once, and a MySQL dump given to the embedded PostgreSQL, saying what to do', async () => {
    const both = await runCli(['introspect', '--drizzle', 'fixtures/drizzle/pg-schema.ts', '--from', 'x.sql']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('introspect reads one schema: --drizzle (the module) or --from (the DDL file), not both');
    const dump = await runCli(['introspect', '--from', 'fixtures/schemas/sakila-mysql/schema.sql']);
    expect(dump.code).toBe(2);
    expect(dump.stderr).toContain('looks like a MySQL/MariaDB script');
    expect(dump.stderr).toContain('--url mysql://');
  });

  it.skipIf(!mysqlUrl)('loads a MySQL dump into a throwaway database on the server given by --url', async () => {
    const result = await runCli(['introspect', '--from', 'fixtures/schemas/sakila-mysql/schema.sql', '--url', mysqlUrl!, '--summary']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('16 tables (0 partitions), 89 columns');
    expect(result.stdout).toContain('22 foreign keys');
    expect(result.stdout).toContain('7 views');
  });

  it.skipIf(!mysqlUrl)('exits 3 naming the user when a MySQL password is wrong, without printing it', async () => {
    const url = new URL(mysqlUrl!);
    url.password = 'definitely-wrong-pw';
    const result = await runCli(['introspect', '--url', url.toString()]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('authentication failed for user');
    expect(result.stderr).not.toContain('definitely-wrong-pw');
  });
});
