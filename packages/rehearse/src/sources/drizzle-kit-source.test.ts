import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@understudy/core';
import { readMigrations } from '../read-migrations.js';
import { FIXTURES, script, tempFolder } from '../test-folders.js';

async function drizzleFolder(journal: string, files: Record<string, string>): Promise<string> {
  const dir = await tempFolder('understudy-drizzle-');
  await mkdir(join(dir, 'meta'));
  await writeFile(join(dir, 'meta', '_journal.json'), journal);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}
const entry = (idx: number, tag: string) => ({ idx, version: '7', when: 1_700_000_000_000 + idx, tag, breakpoints: true });

describe('drizzle-kit', () => {
  it('orders by the journal, splits on breakpoints and reports a file the journal does not list', async () => {
    const set = await readMigrations(join(FIXTURES, 'drizzle-kit'));
    expect(set.format).toBe('drizzle-kit');
    expect(set.dialect).toBe('postgres');
    expect(set.migrations.map((m) => [m.id, m.name])).toEqual([
      ['0000', 'create_users_and_orders'],
      ['0001', 'add_refunded_status'],
      ['0002', 'index_orders_user_id'],
    ]);
    expect(set.problems).toEqual(['0003_backfill_email_verified.sql is not listed in meta/_journal.json; drizzle-kit migrate will never apply it']);
    expect(script(set.migrations[0]!.up).statements.map((s) => s.line)).toEqual([1, 2, 9, 16]);
    const custom = script(set.migrations[2]!.up).statements;
    expect(custom.map((s) => [s.line, s.transactional])).toEqual([
      [2, false],
      [4, true],
    ]);
    expect(custom[0]!.text).toBe('CREATE INDEX CONCURRENTLY "orders_user_id_idx" ON "orders" USING btree ("user_id")');
  });

  it('follows journal idx, not file names, and reports entries whose file is missing', async () => {
    const journal = JSON.stringify({ version: '7', dialect: 'postgresql', entries: [entry(1, '0001_second'), entry(0, '0000_first'), entry(2, '0002_gone')] });
    const dir = await drizzleFolder(journal, { '0000_first.sql': 'SELECT 1;', '0001_second.sql': 'SELECT 2;' });
    const set = await readMigrations(dir);
    expect(set.migrations.map((m) => m.name)).toEqual(['first', 'second']);
    expect(set.problems).toEqual(['meta/_journal.json lists 0002_gone (idx 2) but 0002_gone.sql is missing; drizzle-kit migrate would fail']);
  });

  it('takes mysql from the journal', async () => {
    const journal = JSON.stringify({ dialect: 'mysql', entries: [entry(0, '0000_init')] });
    const dir = await drizzleFolder(journal, { '0000_init.sql': 'CREATE TABLE `a` (`x` int);\n--> statement-breakpoint\nCREATE TABLE `b` (`y` int);' });
    const set = await readMigrations(dir);
    expect(set.dialect).toBe('mysql');
    expect(script(set.migrations[0]!.up).statements.map((s) => s.line)).toEqual([1, 3]);
  });

  it('refuses a journal that is not JSON or not a journal, naming it', async () => {
    const broken = await drizzleFolder('{ "entries": [', {});
    const error = await readMigrations(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain(join(broken, 'meta/_journal.json'));
    expect((error as UsageError).message).toMatch(/not valid JSON/);
    const wrong = await drizzleFolder('{ "entries": [{ "idx": "zero" }] }', {});
    await expect(readMigrations(wrong)).rejects.toThrow(/is not a drizzle-kit journal: entries\.0\./);
  });

  it('requires the journal when drizzle-kit is forced', async () => {
    const dir = await tempFolder('understudy-drizzle-');
    await writeFile(join(dir, '0000_a.sql'), 'SELECT 1;');
    await expect(readMigrations(dir, { format: 'drizzle' })).rejects.toThrow(/meta\/_journal\.json does not exist/);
  });
});
