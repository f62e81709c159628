/** MySQL 8 syntax found in a rejected statement, read from tokens (strings and comments never match). */
import { describe, expect, it } from 'vitest';
import { engineSyntaxHint, mysql8OnlySyntax } from './mysql-engine-syntax.js';

describe('mysql8OnlySyntax', () => {
  it('finds the JSON operators and multi-valued indexes', () => {
    expect(mysql8OnlySyntax(`ALTER TABLE t ADD c VARCHAR(9) AS (doc->>'$.c')`)).toEqual(['the JSON ->> operator']);
    expect(mysql8OnlySyntax(`SELECT doc -> '$.a' FROM t`)).toEqual(['the JSON -> operator']);
    expect(mysql8OnlySyntax('CREATE INDEX i ON t ((CAST(tags AS CHAR(255) ARRAY)))')).toEqual(['multi-valued indexes (CAST(… AS … ARRAY))']);
  });

  it('does not read strings, comments or a minus before a comparison', () => {
    expect(mysql8OnlySyntax(`INSERT INTO t VALUES ('a->>b') -- x->>y`)).toEqual([]);
    expect(mysql8OnlySyntax('SELECT a FROM t WHERE b - 1 > 2 /* c->d */')).toEqual([]);
  });

  it('gives a hint only on MariaDB', () => {
    expect(engineSyntaxHint(`SELECT doc->>'$.a'`, { mariadb: true, display: 'MariaDB 10.11.19' })).toMatch(/MySQL 8 syntax that MariaDB 10\.11\.19 does not have \(the JSON ->> operator\)/);
    expect(engineSyntaxHint(`SELECT doc->>'$.a'`, { mariadb: false, display: 'MySQL 8.0.36' })).toBeUndefined();
    expect(engineSyntaxHint('SELEC 1', { mariadb: true, display: 'MariaDB 10.11.19' })).toBeUndefined();
  });
});
