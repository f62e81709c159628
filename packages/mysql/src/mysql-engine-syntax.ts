/**
 * MySQL 8 syntax that MariaDB does not have, found in a statement the server rejected, so that
 * the error can say why and what to do: a DDL file written for MySQL 8 (temporal's visibility
 * schema, kestra's migrations) fails on MariaDB with a bare "error in your SQL syntax".
 * Read from tokens, so strings and comments never match.
 *
 * @example
 * ```ts
 * mysql8OnlySyntax("ALTER TABLE t ADD c INT AS (doc->>'$.c')"); // ['the JSON ->> operator']
 * ```
 */
import { tokenize } from './mysql-sql-file-rewrite.js';

/**
 * The MySQL-8-only constructs in `statement`, described for a message; empty when there are none.
 * @example
 * ```ts
 * mysql8OnlySyntax('CREATE INDEX i ON t ((CAST(tags AS CHAR(255) ARRAY)))'); // ['multi-valued indexes (CAST(… AS … ARRAY))']
 * ```
 */
export function mysql8OnlySyntax(statement: string): string[] {
  const tokens = tokenize(statement);
  const found = new Set<string>();
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    if (t.kind === 'punct' && t.value === '-' && next?.kind === 'punct' && next.value === '>' && next.start === t.end) {
      const third = tokens[i + 2];
      found.add(third?.kind === 'punct' && third.value === '>' && third.start === next.end ? 'the JSON ->> operator' : 'the JSON -> operator');
    }
    if (t.kind === 'word' && t.value.toUpperCase() === 'ARRAY' && next?.kind === 'punct' && next.value === ')') found.add('multi-valued indexes (CAST(… AS … ARRAY))');
  });
  return [...found];
}

/**
 * The hint for a syntax error on a MariaDB server when the statement uses MySQL 8 syntax; undefined otherwise.
 * @example
 * ```ts
 * engineSyntaxHint(statement, { mariadb: true, display: 'MariaDB 10.11.19' });
 * ```
 */
export function engineSyntaxHint(statement: string, server: { readonly mariadb: boolean; readonly display: string }): string | undefined {
  if (!server.mariadb) return undefined;
  const features = mysql8OnlySyntax(statement);
  if (features.length === 0) return undefined;
  return (
    `This statement uses MySQL 8 syntax that ${server.display} does not have (${features.join(', ')}): the file was written for MySQL. ` +
    'Point --url at a MySQL 8 server (a disposable one will do: docker run -d -e MYSQL_ALLOW_EMPTY_PASSWORD=1 -p 3307:3306 mysql:8), or rewrite the statement for MariaDB.'
  );
}
