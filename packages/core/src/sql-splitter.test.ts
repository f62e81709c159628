import { describe, expect, it } from 'vitest';
import { splitSql } from './sql-splitter.js';

const texts = (sql: string, flavor: 'postgres' | 'mysql' = 'postgres') => splitSql(sql, flavor).map((s) => s.text);

describe('splitSql (postgres)', () => {
  it('splits on semicolons and reports the starting line of each statement', () => {
    const statements = splitSql('-- header\n\nCREATE TABLE a (x int);\n\n  SELECT 1;\nSELECT\n 2;', 'postgres');
    expect(statements.map((s) => [s.text, s.line])).toEqual([
      ['CREATE TABLE a (x int)', 3],
      ['SELECT 1', 5],
      ['SELECT\n 2', 6],
    ]);
  });

  it('keeps semicolons inside strings, identifiers, comments and dollar quotes', () => {
    const sql = [
      "INSERT INTO t VALUES ('a;b', 'it''s;');",
      'CREATE TABLE "we;ird" (x int);',
      "SELECT E'\\';' AS s;",
      '/* a; /* nested; */ still; */ SELECT 1;',
      'CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.x := 1; RETURN NEW; END $$ LANGUAGE plpgsql;',
      'CREATE FUNCTION g() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;',
      'SELECT $1::int;',
    ].join('\n');
    expect(texts(sql)).toEqual([
      "INSERT INTO t VALUES ('a;b', 'it''s;')",
      'CREATE TABLE "we;ird" (x int)',
      "SELECT E'\\';' AS s",
      'SELECT 1', // the leading comment (with its nested comment and semicolons) is not part of the statement
      'CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.x := 1; RETURN NEW; END $$ LANGUAGE plpgsql',
      'CREATE FUNCTION g() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql',
      'SELECT $1::int',
    ]);
  });

  it('returns psql meta-commands and COPY data apart from statements', () => {
    const sql = '\\connect app\nCOPY t (a, b) FROM stdin;\n1\tx;y\n2\tz\n\\.\nSELECT 1;\n';
    const statements = splitSql(sql, 'postgres');
    expect(statements.map((s) => [s.kind, s.text, s.line])).toEqual([
      ['meta', '\\connect app', 1],
      ['sql', 'COPY t (a, b) FROM stdin', 2],
      ['copy-data', '1\tx;y\n2\tz\n', 3],
      ['sql', 'SELECT 1', 6],
    ]);
  });

  it('keeps an SQL-standard routine body (BEGIN ATOMIC … END, PostgreSQL 14+) whole, as psql does', () => {
    const sql = [
      'CREATE OR REPLACE FUNCTION grade(score int) RETURNS text LANGUAGE sql',
      'BEGIN ATOMIC',
      "  SELECT CASE WHEN score > 50 THEN 'pass' ELSE 'fail' END;",
      'END;',
      'CREATE PROCEDURE bump() LANGUAGE sql BEGIN ATOMIC UPDATE t SET n = n + 1; INSERT INTO log VALUES (1); END;',
      'BEGIN;',
      'ALTER TABLE t ADD COLUMN x int;',
      'END;',
    ].join('\n');
    expect(texts(sql)).toEqual([
      "CREATE OR REPLACE FUNCTION grade(score int) RETURNS text LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN score > 50 THEN 'pass' ELSE 'fail' END;\nEND",
      'CREATE PROCEDURE bump() LANGUAGE sql BEGIN ATOMIC UPDATE t SET n = n + 1; INSERT INTO log VALUES (1); END',
      'BEGIN',
      'ALTER TABLE t ADD COLUMN x int',
      'END',
    ]);
  });

  it('keeps a statement with no final semicolon and drops comment-only chunks', () => {
    expect(texts('SELECT 1;\n-- trailing comment\n')).toEqual(['SELECT 1']);
    expect(texts('SELECT 2')).toEqual(['SELECT 2']);
  });
});

describe('splitSql (mysql)', () => {
  it('follows DELIMITER changes and keeps routine bodies whole', () => {
    const sql = [
      'CREATE TABLE `a;b` (x int); # comment;',
      'DELIMITER ;;',
      'CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN',
      '  SET NEW.x = 1;',
      'END;;',
      'DELIMITER ;',
      "SELECT 'don\\'t;';",
    ].join('\n');
    const statements = splitSql(sql, 'mysql');
    expect(statements.map((s) => [s.text, s.line])).toEqual([
      ['CREATE TABLE `a;b` (x int)', 1],
      ['CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN\n  SET NEW.x = 1;\nEND', 3],
      ["SELECT 'don\\'t;'", 7],
    ]);
  });

  it('keeps a routine body whole without DELIMITER, as runners that send a file at once write it (authelia)', () => {
    const sql = [
      'DROP PROCEDURE IF EXISTS p;',
      'CREATE DEFINER=`root`@`%` PROCEDURE p(IN t VARCHAR(64))',
      'BEGIN',
      '  IF EXISTS(SELECT * FROM information_schema.TABLES WHERE TABLE_NAME = t) THEN',
      "    SET @q = CONCAT('DROP TABLE ', t, ';');",
      '    PREPARE s FROM @q; EXECUTE s;',
      '  END IF;',
      '  lbl: LOOP LEAVE lbl; END LOOP;',
      "  SET @k = CASE WHEN t = 'a' THEN 1 ELSE 2 END;",
      '  CASE @k WHEN 1 THEN BEGIN SET @z = 1; END; ELSE SET @z = 2; END CASE;',
      'END;',
      "CALL p('x');",
      'BEGIN;',
      'CREATE TRIGGER t1 BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1;',
      'COMMIT;',
    ].join('\n');
    const statements = splitSql(sql, 'mysql');
    expect(statements.map((s) => [s.text.split('\n')[0], s.line])).toEqual([
      ['DROP PROCEDURE IF EXISTS p', 1],
      ['CREATE DEFINER=`root`@`%` PROCEDURE p(IN t VARCHAR(64))', 2],
      ["CALL p('x')", 12],
      ['BEGIN', 13],
      ['CREATE TRIGGER t1 BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1', 14],
      ['COMMIT', 15],
    ]);
    expect(statements[1]!.text.endsWith('END CASE;\nEND')).toBe(true);
    // PostgreSQL has no such bodies: its ; always ends a statement outside quotes.
    expect(texts('BEGIN; SELECT 1; END;', 'postgres')).toEqual(['BEGIN', 'SELECT 1', 'END']);
  });

  it('treats versioned comments as code', () => {
    const sql = '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n/* plain; */\nSELECT 1;';
    expect(texts(sql, 'mysql')).toEqual(['/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */', 'SELECT 1']);
  });
});

describe('guessSqlFlavor', () => {
  it('tells the bundled MySQL dumps from the PostgreSQL ones', async () => {
    const { readFile } = await import('node:fs/promises');
    const { guessSqlFlavor } = await import('./sql-flavor.js');
    const root = new URL('../../../fixtures/schemas/', import.meta.url);
    for (const file of ['sakila-mysql/schema.sql', 'employees/schema.sql', 'chinook/mysql/schema.sql']) {
      expect([file, guessSqlFlavor(await readFile(new URL(file, root), 'utf8'))]).toEqual([file, 'mysql']);
    }
    expect(guessSqlFlavor(await readFile(new URL('pagila/schema.sql', root), 'utf8'))).toBe('postgres');
    for (const file of ['pagila/schema.sql', 'northwind/schema.sql', 'chinook/postgresql/schema.sql', 'chinook/postgresql/schema-identity-pks.sql']) {
      // Plain DDL may carry no marker either way; what matters is never mistaking it for MySQL.
      expect([file, guessSqlFlavor(await readFile(new URL(file, root), 'utf8'))]).not.toEqual([file, 'mysql']);
    }
    expect(guessSqlFlavor('CREATE TABLE t (id int);')).toBeUndefined();
  });
});
