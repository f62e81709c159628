/**
 * Guesses whether a SQL script is written for MySQL/MariaDB or PostgreSQL, from
 * markers only one of them uses. Used to give a useful message when a file is
 * handed to the wrong engine (a MySQL dump given to the embedded PGlite).
 *
 * @example
 * ```ts
 * guessSqlFlavor('CREATE TABLE `a` (id int) ENGINE=InnoDB;'); // 'mysql'
 * ```
 */
import type { SqlFlavor } from './sql-splitter.js';

const MYSQL_MARKERS = [
  /\bENGINE\s*=\s*\w+/i,
  /^\s*DELIMITER\s+\S+/im,
  /\/\*!\d{5}/,
  /\bAUTO_INCREMENT\b/i,
  /`[^`\n]+`/,
  /\bUNSIGNED\b/i,
];
const POSTGRES_MARKERS = [
  /\$\$|\$[A-Za-z_]\w*\$/,
  /::\s*[a-z_]+/i,
  /\bCREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\b[\s\S]*?\bLANGUAGE\s+plpgsql\b/i,
  /\bSERIAL\b|\bBIGSERIAL\b/i,
  /\bGENERATED\s+(?:ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY\b/i,
  /^\s*\\connect\b/im,
  /\bpg_catalog\./,
];

/** `mysql` or `postgres` when the markers point one way, `undefined` when they do not tell. */
export function guessSqlFlavor(sql: string): SqlFlavor | undefined {
  const mysql = MYSQL_MARKERS.filter((m) => m.test(sql)).length;
  const postgres = POSTGRES_MARKERS.filter((m) => m.test(sql)).length;
  if (mysql > postgres) return 'mysql';
  if (postgres > mysql) return 'postgres';
  return undefined;
}
