/**
 * A script runs the way its tool runs it: the tool's transaction around the file (`file`),
 * PostgreSQL's implicit transaction of a multi-statement query (`implicit`), or statement by
 * statement (`none`), and the BEGIN/COMMIT/ROLLBACK written in the file are honoured. What
 * the database holds afterwards is checked with queries of the test's own, on PGlite and on
 * a PostgreSQL server (UNDERSTUDY_TEST_PG_URL).
 */
import type { RehearsalTarget } from '@understudy/core';
import { postgresDialect } from '@understudy/postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MigrationScript, ScriptTransaction } from '../migration-model.js';
import { buildStatements } from '../statement-builder.js';
import { runScript } from './run-script.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the PostgreSQL server runs of run-script (PGlite still runs)');
const environments: Array<{ name: string; url?: string }> = [{ name: 'pglite' }, ...(PG_URL ? [{ name: 'postgres 15', url: PG_URL }] : [])];

function script(text: string, transaction: ScriptTransaction, transactionHint?: string): MigrationScript {
  const statements = buildStatements(text, { file: 'm.sql', flavor: 'postgres', firstLine: 1, problems: [] });
  return { file: 'm.sql', statements, transaction, ...(transactionHint ? { transactionHint } : {}) };
}

describe.each(environments)('runScript on $name', ({ url }) => {
  let target: RehearsalTarget;

  beforeAll(async () => {
    target = await postgresDialect.openRehearsalTarget!(url ? { url } : {});
  });
  afterAll(async () => {
    await target?.close();
  });
  beforeEach(async () => {
    await target.reset!();
    await target.query!('CREATE TABLE t (id int PRIMARY KEY, x int)');
  });

  const run = async (s: MigrationScript) => runScript(target, s, { dir: '.', schema: await target.introspect() });
  const ids = async (): Promise<number[]> => (await target.query!('SELECT id FROM t ORDER BY id')).map((r) => Number(r['id']));
  const validIndexes = async (): Promise<string[]> =>
    (await target.query!("SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 't'::regclass AND i.indisvalid AND NOT i.indisprimary ORDER BY 1")).map((r) =>
      String(r['relname']),
    );

  it('file: CREATE INDEX CONCURRENTLY fails inside the tool transaction, with the error PostgreSQL gives and the tool hint', async () => {
    const outcome = await run(script('INSERT INTO t VALUES (1, 1);\nCREATE INDEX CONCURRENTLY t_x ON t (x);', 'file', 'add "-- +goose NO TRANSACTION" to the file'));
    expect(outcome.failure).toMatchObject({ file: 'm.sql', line: 2 });
    expect(outcome.failure!.error).toMatch(/^CREATE INDEX CONCURRENTLY cannot run inside a transaction block \(add "-- \+goose NO TRANSACTION" to the file\)$/);
    // The whole file was rolled back with the tool's transaction.
    expect(await ids()).toEqual([]);
    expect(await validIndexes()).toEqual([]);
  });

  it('none: the same statements run one by one, and the index is built', async () => {
    const outcome = await run(script('INSERT INTO t VALUES (1, 1);\nCREATE INDEX CONCURRENTLY t_x ON t (x);', 'none'));
    expect(outcome.failure).toBeUndefined();
    expect(outcome.statements.map((s) => s.line)).toEqual([1, 2]);
    expect(await ids()).toEqual([1]);
    expect(await validIndexes()).toEqual(['t_x']);
  });

  it('none: BEGIN; CREATE INDEX CONCURRENTLY; COMMIT written in the file fails as PostgreSQL fails it, naming the BEGIN', async () => {
    const outcome = await run(script('BEGIN;\nCREATE INDEX CONCURRENTLY t_x ON t (x);\nCOMMIT;', 'none'));
    expect(outcome.failure).toMatchObject({ line: 2 });
    expect(outcome.failure!.error).toBe('CREATE INDEX CONCURRENTLY cannot run inside a transaction block (the BEGIN at m.sql:1 opens that transaction: run this statement outside it)');
    expect(await validIndexes()).toEqual([]);
  });

  it('none: two transactions written in the file stay two (the first is kept when the second fails)', async () => {
    const outcome = await run(script('BEGIN;\nINSERT INTO t VALUES (1, 1);\nCOMMIT;\nBEGIN;\nINSERT INTO t VALUES (2, 2);\nINSERT INTO t VALUES (1, 3);\nCOMMIT;', 'none'));
    expect(outcome.failure).toMatchObject({ line: 6 });
    expect(outcome.failure!.error).toMatch(/duplicate key value violates unique constraint "t_pkey"/);
    expect(await ids()).toEqual([1]);
  });

  it('none: a BEGIN never committed loses its changes when the session ends, and says so', async () => {
    const outcome = await run(script('INSERT INTO t VALUES (1, 1);\nBEGIN;\nINSERT INTO t VALUES (2, 2);', 'none'));
    expect(outcome.failure).toMatchObject({ line: 2 });
    expect(outcome.failure!.error).toMatch(/never committed/);
    expect(await ids()).toEqual([1]);
  });

  it('file: a COMMIT in the file ends the tool transaction early; a later failure keeps what was committed', async () => {
    const outcome = await run(script('INSERT INTO t VALUES (1, 1);\nCOMMIT;\nINSERT INTO t VALUES (2, 2);\nINSERT INTO t VALUES (2, 3);', 'file'));
    expect(outcome.failure).toMatchObject({ line: 4 });
    // psql-like autocommit after the COMMIT: row 2 is kept too.
    expect(await ids()).toEqual([1, 2]);
  });

  it('file: a ROLLBACK in the file undoes the tool transaction so far', async () => {
    const outcome = await run(script('INSERT INTO t VALUES (1, 1);\nROLLBACK;\nINSERT INTO t VALUES (2, 2);', 'file'));
    expect(outcome.failure).toBeUndefined();
    expect(await ids()).toEqual([2]);
  });

  it('implicit: a lone CREATE INDEX CONCURRENTLY runs (no transaction block), one beside another statement fails', async () => {
    expect((await run(script('CREATE INDEX CONCURRENTLY t_x ON t (x);', 'implicit'))).failure).toBeUndefined();
    expect(await validIndexes()).toEqual(['t_x']);
    const outcome = await run(script('INSERT INTO t VALUES (1, 1);\nCREATE INDEX CONCURRENTLY t_y ON t (x, id);', 'implicit', 'put this statement alone in a migration of its own'));
    expect(outcome.failure!.error).toMatch(/cannot run inside a transaction block \(put this statement alone/);
    expect(await ids()).toEqual([]);
  });

  it('implicit: after a COMMIT written in the query, the rest is one more implicit transaction', async () => {
    const outcome = await run(script('INSERT INTO t VALUES (1, 1);\nCOMMIT;\nINSERT INTO t VALUES (2, 2);\nINSERT INTO t VALUES (2, 3);', 'implicit'));
    expect(outcome.failure).toMatchObject({ line: 4 });
    // Row 2 was in the failed implicit transaction, unlike in `file` mode.
    expect(await ids()).toEqual([1]);
  });

  it('file: ALTER TYPE … ADD VALUE runs in the transaction; using the value before COMMIT fails as PostgreSQL says', async () => {
    await target.query!("CREATE TYPE mood AS ENUM ('ok')");
    expect((await run(script("ALTER TYPE mood ADD VALUE 'sad';", 'file'))).failure).toBeUndefined();
    const outcome = await run(script("ALTER TYPE mood ADD VALUE 'happy';\nSELECT 'happy'::mood;", 'file'));
    expect(outcome.failure!.error).toMatch(/unsafe use of new value "happy" of enum type mood/);
  });

  it('a script’s time is what its statements and COMMIT took, not the tracing around each (upchieve’s 1,074 COMMENT ON)', async () => {
    const comments = Array.from({ length: 200 }, (_, i) => `COMMENT ON COLUMN t.x IS 'note ${i}';`).join('\n');
    const started = performance.now();
    const outcome = await run(script(comments, 'file'));
    const wall = performance.now() - started;
    expect(outcome.failure).toBeUndefined();
    const statements = outcome.statements.reduce((sum, s) => sum + s.durationMs, 0);
    expect(outcome.statements).toHaveLength(200);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(statements);
    // The COMMIT is all that is added; the catalog readings around 200 statements are left out.
    expect(outcome.durationMs - statements).toBeLessThan((wall - statements) / 2);
    expect((await target.query!("SELECT col_description('t'::regclass, 2) AS c"))[0]).toEqual({ c: 'note 199' });
  });

  // langfuse's backfill_evaluator_v2 (Prisma sends the file as one query): `BEGIN; SET TRANSACTION ISOLATION LEVEL
  // REPEATABLE READ;`, which PostgreSQL takes only before the transaction's first query.
  const level = async (): Promise<string[]> => (await target.query!('SELECT level FROM iso ORDER BY 1')).map((r) => String(r['level']));
  const levelScript = (first: string) => `${first}\nCREATE TABLE iso AS SELECT current_setting('transaction_isolation') AS level;\nINSERT INTO t VALUES (1, 1);\nCOMMIT;`;

  it.each([
    ['implicit', 'BEGIN;\nSET TRANSACTION ISOLATION LEVEL REPEATABLE READ;', 'repeatable read'],
    ['file', 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;', 'repeatable read'],
    ['none', 'BEGIN;\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE;', 'serializable'],
    ['none', 'BEGIN ISOLATION LEVEL SERIALIZABLE;', 'serializable'],
    ['implicit', 'BEGIN ISOLATION LEVEL REPEATABLE READ;', 'repeatable read'],
  ] as const)('%s: a transaction the file starts with %j runs at %s', async (transaction, first, expected) => {
    const outcome = await run(script(levelScript(first), transaction));
    expect(outcome.failure).toBeUndefined();
    expect(await level()).toEqual([expected]);
    expect(await ids()).toEqual([1]);
  });

  it('none: SET TRANSACTION after a query of the transaction fails as PostgreSQL says', async () => {
    const outcome = await run(script('BEGIN;\nINSERT INTO t VALUES (1, 1);\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nCOMMIT;', 'none'));
    expect(outcome.failure).toMatchObject({ line: 3, error: 'SET TRANSACTION ISOLATION LEVEL must be called before any query' });
    expect(await ids()).toEqual([]);
  });
});
