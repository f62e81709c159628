/** `generate --format sql` scripts for PostgreSQL load with psql into a real server. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEncoder } from './postgres-copy-encoder.js';
import { postgresSqlFile } from './postgres-sql-file.js';
import { columnsOf, serverDatabase, TEST_PG_URL } from './test-load-targets.js';

function hasPsql(): boolean {
  try {
    execFileSync('psql', ['--version']);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!TEST_PG_URL || !hasPsql())('postgresSqlFile', () => {
  it('writes a COPY script psql loads exactly', async () => {
    const db = await serverDatabase(TEST_PG_URL!);
    try {
      await db.exec(`CREATE TABLE "Odd ""name""" (id int, t text, arr text[], b bytea)`);
      const schema = await db.introspect('public');
      const key = 'public.Odd "name"';
      const target = { table: key, columns: columnsOf(schema, key), rows: 2 };
      const rows = [
        [1, 'a\tb\n\\.', ['x', null, 'y z'], Buffer.from([0, 1, 255])],
        [2, '\\.', null, null],
      ];
      const encoding = postgresSqlFile.encoding(target, schema);
      expect(encoding.module).toBe('@understudy/postgres/copy-encoder');
      const text = postgresSqlFile.header(target, schema) + Buffer.from(createEncoder(target.columns, encoding.options)(rows)).toString() + postgresSqlFile.footer(target, schema);
      expect(text.startsWith('COPY "public"."Odd ""name""" ("id", "t", "arr", "b") FROM stdin;\n')).toBe(true);
      const file = join(await mkdtemp(join(tmpdir(), 'understudy-sql-')), 'table.sql');
      await writeFile(file, text);
      const url = (await db.query<{ db: string }>('SELECT current_database() AS db'))[0]!.db;
      const target_url = new URL(TEST_PG_URL!);
      target_url.pathname = `/${url}`;
      execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-f', file, target_url.toString()]);
      expect(await db.query(`SELECT id, t, array_to_json(arr)::text AS arr, encode(b, 'hex') AS b FROM "Odd ""name""" ORDER BY id`)).toEqual([
        { id: 1, t: 'a\tb\n\\.', arr: '["x",null,"y z"]', b: '0001ff' },
        { id: 2, t: '\\.', arr: null, b: null },
      ]);
    } finally {
      await db.close();
    }
  });
});
