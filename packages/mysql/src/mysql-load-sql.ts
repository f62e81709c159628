/**
 * The SQL a MySQL/MariaDB load runs (LOAD DATA column lists, INSERT prefixes,
 * deferred updates): pure string builders shared by the sink and the SQL file format.
 *
 * @example
 * ```ts
 * loadDataSql('`shop`.`users`', columns, 'understudy-users');
 * // "LOAD DATA LOCAL INFILE 'understudy-users' INTO TABLE `shop`.`users` CHARACTER SET utf8mb4 FIELDS … (`id`, @v1) SET `avatar` = UNHEX(@v1)"
 * ```
 */
import type { EncoderColumn, Table } from '@understudy/core';
import { HEX_KINDS } from './mysql-load-data-encoder.js';

/**
 * Backquotes an identifier.
 * @example
 * ```ts
 * quoteId('order'); // '`order`'
 * ```
 */
export function quoteId(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/**
 * `` `db`.`table` `` for a table of the model.
 * @example
 * ```ts
 * tableRef({ schema: 'shop', name: 'users' }); // '`shop`.`users`'
 * ```
 */
export function tableRef(table: Pick<Table, 'schema' | 'name'>): string {
  return `${quoteId(table.schema)}.${quoteId(table.name)}`;
}

/**
 * A single-quoted MySQL string literal (for file names and the like).
 * @example
 * ```ts
 * quoteString("a'b"); // "'a\\'b'"
 * ```
 */
export function quoteString(text: string): string {
  return `'${text.replace(/[\\']/g, '\\$&')}'`;
}

/**
 * The column list and SET clause of a LOAD DATA matching the LOAD DATA encoder:
 * binary columns through `UNHEX(@v)`, bit columns through `CONV(@v, 2, 10)`, spatial through `ST_GeomFromText(@v)`.
 * @example
 * ```ts
 * loadDataColumnsSql([{ name: 'b', kind: 'blob', arrayDimensions: 0, rawType: 'blob' }]);
 * // '(@v0) SET `b` = UNHEX(@v0)'
 * ```
 */
export function loadDataColumnsSql(columns: readonly EncoderColumn[]): string {
  const list: string[] = [];
  const sets: string[] = [];
  columns.forEach((c, i) => {
    const v = `@v${i}`;
    if (HEX_KINDS.has(c.kind)) sets.push(`${quoteId(c.name)} = UNHEX(${v})`);
    else if (c.kind === 'bit') sets.push(`${quoteId(c.name)} = CAST(CONV(${v}, 2, 10) AS UNSIGNED)`);
    else if (c.kind === 'spatial') sets.push(`${quoteId(c.name)} = ST_GeomFromText(${v})`);
    else {
      list.push(quoteId(c.name));
      return;
    }
    list.push(v);
  });
  return `(${list.join(', ')})${sets.length > 0 ? ` SET ${sets.join(', ')}` : ''}`;
}

/**
 * `LOAD DATA LOCAL INFILE` for the LOAD DATA encoder's format.
 * @example
 * ```ts
 * loadDataSql('`t`', columns, 'understudy-t');
 * ```
 */
export function loadDataSql(table: string, columns: readonly EncoderColumn[], fileName: string): string {
  return (
    `LOAD DATA LOCAL INFILE ${quoteString(fileName)} INTO TABLE ${table} CHARACTER SET utf8mb4 ` +
    `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ${loadDataColumnsSql(columns)}`
  );
}

/**
 * `INSERT INTO t (cols) VALUES` (without the tuples).
 * @example
 * ```ts
 * insertPrefix('`t`', [{ name: 'id', kind: 'integer', arrayDimensions: 0, rawType: 'int' }]); // 'INSERT INTO `t` (`id`) VALUES'
 * ```
 */
export function insertPrefix(table: string, columns: readonly EncoderColumn[]): string {
  return `INSERT INTO ${table} (${columns.map((c) => quoteId(c.name)).join(', ')}) VALUES`;
}

/**
 * `UPDATE t JOIN temp ON key… SET t.c = temp.c, …`.
 * @example
 * ```ts
 * updateJoinSql('`shop`.`dept`', '`understudy_update_1`', ['id'], ['head_id']);
 * ```
 */
export function updateJoinSql(table: string, temp: string, keys: readonly string[], sets: readonly string[]): string {
  const on = keys.map((k) => `t.${quoteId(k)} = u.${quoteId(k)}`).join(' AND ');
  const set = sets.map((s) => `t.${quoteId(s)} = u.${quoteId(s)}`).join(', ');
  return `UPDATE ${table} AS t JOIN ${temp} AS u ON ${on} SET ${set}`;
}

/**
 * One row `{ name }` per table of `tables` that has rows (read where `refOf` says: a staging copy).
 * @example
 * ```ts
 * nonEmptyTablesSql([users]); // "SELECT 'shop.users' AS name FROM DUAL WHERE EXISTS (SELECT 1 FROM `shop`.`users`)"
 * ```
 */
export function nonEmptyTablesSql(tables: readonly Table[], refOf: (table: Table) => string = tableRef): string {
  return tables.map((t) => `SELECT ${quoteString(`${t.schema}.${t.name}`)} AS name FROM DUAL WHERE EXISTS (SELECT 1 FROM ${refOf(t)})`).join(' UNION ALL ');
}

/**
 * Counts the rows of `child` whose foreign key `fk` points at no row of `parent`
 * (MATCH SIMPLE: a key with any NULL column is not checked). Used to validate a
 * table loaded with `FOREIGN_KEY_CHECKS = 0`. `refOf` names where a table's rows are (a staging copy).
 * @example
 * ```ts
 * orphanCountSql(staff, staff.foreignKeys[0]!, store);
 * // "SELECT COUNT(*) AS n FROM `sakila`.`staff` AS c WHERE c.`store_id` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `sakila`.`store` AS p WHERE p.`store_id` = c.`store_id`)"
 * ```
 */
export function orphanCountSql(child: Table, fk: Table['foreignKeys'][number], parent: Table, refOf: (table: Table) => string = tableRef): string {
  const notNull = fk.columns.map((c) => `c.${quoteId(c)} IS NOT NULL`).join(' AND ');
  const match = fk.columns.map((c, i) => `p.${quoteId(fk.references.columns[i]!)} = c.${quoteId(c)}`).join(' AND ');
  return `SELECT COUNT(*) AS n FROM ${refOf(child)} AS c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${refOf(parent)} AS p WHERE ${match})`;
}
