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
import { DIALECTS } from './dialect-registry.js';
import type { SqlFlavor } from './sql-splitter.js';

/**
 * The dialect whose markers (the registry's `syntax.markers`) a script matches more of than any
 * other's; `undefined` when none does or two tie.
 */
export function guessSqlFlavor(sql: string): SqlFlavor | undefined {
  const scores = DIALECTS.map((d) => ({ name: d.name, score: d.syntax.markers.filter((m) => m.test(sql)).length })).sort((a, b) => b.score - a.score);
  const [best, second] = scores;
  if (!best || best.score === 0 || (second && second.score === best.score)) return undefined;
  return best.name;
}
