import { describe, expect, it } from 'vitest';
import { classifyStatement } from './statement-classifier.js';

const nonTransactional = [
  'CREATE INDEX CONCURRENTLY i ON t (x)',
  'create unique index concurrently i on t (x)',
  'DROP INDEX CONCURRENTLY IF EXISTS i',
  'REINDEX INDEX CONCURRENTLY i',
  'REINDEX (VERBOSE) TABLE CONCURRENTLY t',
  'ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY',
  'VACUUM ANALYZE t',
  'CREATE DATABASE app',
  'DROP DATABASE app',
  "ALTER SYSTEM SET work_mem = '64MB'",
  // supabase/storage's 0029-create-prefixes: a backfill in batches, each committed.
  'DO $$\nBEGIN\n  LOOP\n    INSERT INTO prefixes SELECT 1;\n    EXIT WHEN NOT FOUND;\n    COMMIT;\n  END LOOP;\nEND\n$$',
  'do $$ begin perform 1; rollback; end $$',
];

describe('classifyStatement', () => {
  it.each(nonTransactional)('marks %s as non-transactional on PostgreSQL', (sql) => {
    expect(classifyStatement(sql, 'postgres').transactional).toBe(false);
  });

  it('keeps ordinary statements transactional', () => {
    // ADD VALUE runs in a transaction block since PostgreSQL 12: it is the value's use in the same transaction that fails.
    for (const sql of [
      'CREATE INDEX i ON t (x)',
      "ALTER TYPE order_status ADD VALUE 'refunded'",
      "ALTER TYPE s RENAME VALUE 'a' TO 'b'",
      'REFRESH MATERIALIZED VIEW CONCURRENTLY v',
      'UPDATE t SET x = 1',
      "DO $$ BEGIN RAISE NOTICE 'no commit here'; END $$",
      'DO $$ BEGIN -- commit the batch below\n PERFORM 1; END $$',
    ]) {
      expect(classifyStatement(sql, 'postgres').transactional).toBe(true);
    }
  });

  it('treats every MySQL statement as allowed inside a transaction', () => {
    expect(classifyStatement('CREATE DATABASE app', 'mysql').transactional).toBe(true);
  });

  it('sorts statements into ddl, dml and other', () => {
    const kinds = [
      'CREATE TABLE t (x int)',
      'ALTER TABLE t ADD COLUMN y int',
      "COMMENT ON TABLE t IS 'x'",
      'GRANT SELECT ON t TO app',
      'INSERT INTO t VALUES (1)',
      'UPDATE t SET x = 2',
      'DELETE FROM t',
      'TRUNCATE t',
      'COPY t FROM stdin',
      'WITH moved AS (DELETE FROM t RETURNING *) INSERT INTO u SELECT * FROM moved',
      'WITH x AS (SELECT 1) SELECT * FROM x',
      "SET lock_timeout = '5s'",
      'DO $$ BEGIN PERFORM 1; END $$',
      'BEGIN',
    ].map((sql) => classifyStatement(sql, 'postgres').kind);
    expect(kinds).toEqual(['ddl', 'ddl', 'ddl', 'ddl', 'dml', 'dml', 'dml', 'dml', 'dml', 'dml', 'other', 'other', 'other', 'other']);
  });
});
