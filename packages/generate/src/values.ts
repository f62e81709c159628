/**
 * The JavaScript values generated rows carry, per column kind. They are chosen
 * so that a sink (COPY, LOAD DATA, CSV, JSONL) can encode them without knowing
 * how they were made, and so that every value is exact (no float rounding of
 * decimals, no time-zone drift of timestamps).
 *
 * | kind | value |
 * |---|---|
 * | tinyint … bigint, year, oid | `number` (bigint within ±2^53) |
 * | decimal, money | `string` (`'1234.50'`) |
 * | real, double | `number` |
 * | boolean | `boolean` |
 * | char, varchar, text, citext, enum, set, xml, uuid, inet, cidr, macaddr(8) | `string` |
 * | json, jsonb | `string` (JSON text) |
 * | binary, varbinary, blob | `Buffer` |
 * | bit, varbit | `string` of `0`/`1` |
 * | date | `'YYYY-MM-DD'` |
 * | time / timetz | `'HH:MM:SS[.ffffff]'` / `'HH:MM:SS[.ffffff]+00'` |
 * | timestamp / timestamptz | `'YYYY-MM-DD HH:MM:SS[.ffffff]'` / `…+00` (UTC) |
 * | interval | `'3 days 04:05:06'` (PostgreSQL input syntax) |
 * | range, multirange, tsvector, tsquery, geometric, hstore, ltree, vector | `string` in PostgreSQL's input syntax |
 * | arrays | `GeneratedValue[]` (nested for more dimensions) |
 * | any NULL | `null` |
 *
 * @example
 * ```ts
 * const row: GeneratedValue[] = [1, 'ada@example.com', '19.99', null];
 * ```
 */
export type GeneratedValue = null | boolean | number | string | Buffer | readonly GeneratedValue[];

/** A JSON value, as stored in a Plan. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
