/**
 * Profiling MySQL and MariaDB: row estimates from `information_schema.TABLES`
 * (MariaDB: exact `mysql.table_stats.cardinality` once analysed persistently), column
 * statistics from MariaDB's `mysql.column_stats` or MySQL 8's
 * `information_schema.COLUMN_STATISTICS` histograms, and, unless `scan: false`,
 * foreign-key fan-out and text lengths through count-only aggregate queries.
 * Never selects a user table's rows; ANALYZE runs only when asked (`analyze: true`):
 * MariaDB `ANALYZE TABLE t PERSISTENT FOR ALL` (JSON_HB histograms on 10.8+), MySQL 8 `ANALYZE TABLE t UPDATE HISTOGRAM ON …`.
 * Every column passes through the core privacy policy before it reaches the profile.
 *
 * @example
 * ```ts
 * const conn = await mysqlDialect.connect(url) as MysqlConnection;
 * const profile = await profileMysql(conn.db, await conn.introspect(), { scan: true });
 * ```
 */
import {
  buildProfile,
  loadPiiDictionaries,
  classifyColumn,
  fanoutBuckets,
  fanoutSql,
  scanRelations,
  tolerantScan,
  type TableRelations,
  hasTextLengths,
  lengthBuckets,
  lengthSql,
  type FanoutBucket,
  type Profile,
  type ProfileOptions,
  type RawColumnStats,
  type RawTableStats,
  type Schema,
  type Table,
} from '@understudy/core';
import { sql, type RawBuilder } from 'kysely';
import { mariadbColumnStats, mysqlHistogramStats, type MariadbColumnStatsRow, type MysqlHistogram } from './mysql-histogram.js';
import type { MysqlKysely } from './mysql-pool.js';

/** The same options as every dialect's profiler. */
export type MysqlProfileOptions = ProfileOptions;

const quote = (id: string): string => `\`${id.replace(/`/g, '``')}\``;
const ref = (table: Pick<Table, 'schema' | 'name'>): string => `${quote(table.schema)}.${quote(table.name)}`;
type Row = Record<string, unknown>;

async function query(db: MysqlKysely, statement: string | RawBuilder<Row>): Promise<Row[]> {
  return (await (typeof statement === 'string' ? sql.raw<Row>(statement) : statement).execute(db)).rows;
}

/** Key `schema.table` and, for column rows, the column name (information_schema spells them in upper case). */
const field = (row: Row, name: string): string => String(row[name] ?? row[name.toUpperCase()] ?? '');

/** Columns MySQL 8 can keep a histogram on: not personal, not JSON/spatial, not alone in a unique key. */
function histogramColumns(table: Table): string[] {
  const singleUnique = new Set([table.primaryKey?.columns ?? [], ...table.uniques.map((u) => u.columns)].filter((c) => c.length === 1).map((c) => c[0]));
  return table.columns
    .filter((c) => !c.generated && !singleUnique.has(c.name) && !['json', 'spatial', 'blob'].includes(c.kind))
    .filter((c) => !classifyColumn(table, c).personal)
    .map((c) => c.name);
}

async function analyzeTables(db: MysqlKysely, schema: Schema, mariadb: boolean, onProgress?: (step: string) => void): Promise<void> {
  for (const key of Object.keys(schema.tables).sort()) {
    const table = schema.tables[key]!;
    onProgress?.(`analyze ${key}`);
    if (mariadb) {
      // JSON_HB histograms (MariaDB 10.8+) keep real bucket bounds and the frequent values of text
      // columns; the positional default (DOUBLE_PREC_HB) keeps neither. Older servers refuse the value.
      await query(db, `SET STATEMENT histogram_type = 'JSON_HB' FOR ANALYZE TABLE ${ref(table)} PERSISTENT FOR ALL`).catch(() => query(db, `ANALYZE TABLE ${ref(table)} PERSISTENT FOR ALL`));
    } else {
      await query(db, `ANALYZE TABLE ${ref(table)}`);
      const columns = histogramColumns(table);
      if (columns.length > 0) {
        await query(db, `ANALYZE TABLE ${ref(table)} UPDATE HISTOGRAM ON ${columns.map(quote).join(', ')} WITH 100 BUCKETS`);
      }
    }
  }
}

async function scanTable(db: MysqlKysely, schema: Schema, table: Table): Promise<{ fanout: Map<string, FanoutBucket[]>; lengths: Map<string, RawColumnStats['lengths']> } & TableRelations> {
  const scan = tolerantScan((text) => query(db, text));
  const fanout = new Map<string, FanoutBucket[]>();
  for (const fk of table.foreignKeys) {
    const text = fanoutSql(schema, fk, table, quote);
    if (!text) continue;
    const rows = await scan.run(`fan-out of ${fk.name}`, text);
    if (rows) fanout.set(fk.name, fanoutBuckets(rows));
  }
  const lengths = new Map<string, RawColumnStats['lengths']>();
  for (const column of table.columns.filter(hasTextLengths)) {
    const rows = await scan.run(`lengths of ${column.name}`, lengthSql(table, column, quote));
    if (rows) lengths.set(column.name, lengthBuckets(rows));
  }
  const relations = await scanRelations(schema, table, quote, (text) => query(db, text));
  return { fanout, lengths, ...relations, skipped: [...scan.skipped, ...relations.skipped] };
}

/** Reads a statistics table the user may not be allowed to read; notes it when not. */
async function optional(notes: string[], what: string, read: () => Promise<Row[]>): Promise<Row[]> {
  try {
    return await read();
  } catch (error) {
    notes.push(`cannot read ${what} (${(error as Error).message.split('\n')[0]}): column statistics left out`);
    return [];
  }
}

/**
 * Profiles the tables of `schema` (as introspected from the same server).
 * @example
 * ```ts
 * const profile = await profileMysql(conn.db, schema, { analyze: true, k: 20 });
 * console.log(formatProfileExplain(profile));
 * ```
 */
export async function profileMysql(db: MysqlKysely, schema: Schema, options: MysqlProfileOptions = {}): Promise<Profile> {
  const scan = options.scan ?? true;
  const version = String((await query(db, 'SELECT VERSION() AS v'))[0]?.['v'] ?? '');
  const mariadb = /mariadb/i.test(version);
  if (options.analyze) await analyzeTables(db, schema, mariadb, options.onProgress);
  const keys = Object.keys(schema.tables).sort();
  const namespaces = [...new Set(keys.map((k) => schema.tables[k]!.schema))];
  const inList = sql.join(namespaces);
  const notes: string[] = [];
  options.onProgress?.('read statistics');

  const tableRows = await query(db, sql`SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, TABLE_ROWS AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (${inList})`);
  const rowEstimates = new Map(tableRows.map((r) => [`${field(r, 's')}.${field(r, 't')}`, r['n'] === null ? null : Number(r['n'])]));
  const columnRows = new Map<string, Map<string, Row>>();
  const keep = (s: string, t: string, c: string, row: Row): void => {
    const key = `${s}.${t}`;
    if (!columnRows.has(key)) columnRows.set(key, new Map());
    columnRows.get(key)!.set(c, row);
  };
  if (mariadb) {
    const cardinality = await optional(notes, 'mysql.table_stats', () => query(db, sql`SELECT db_name AS s, table_name AS t, cardinality AS n FROM mysql.table_stats WHERE db_name IN (${inList})`));
    for (const r of cardinality) if (r['n'] !== null) rowEstimates.set(`${field(r, 's')}.${field(r, 't')}`, Number(r['n']));
    const stats = await optional(notes, 'mysql.column_stats', () =>
      query(
        db,
        sql`SELECT db_name AS s, table_name AS t, column_name AS c, min_value, max_value, nulls_ratio, avg_length, avg_frequency, hist_type, histogram
         FROM mysql.column_stats WHERE db_name IN (${inList})`,
      ),
    );
    for (const r of stats) keep(field(r, 's'), field(r, 't'), field(r, 'c'), r);
  } else {
    const stats = await optional(notes, 'information_schema.COLUMN_STATISTICS', () =>
      query(db, sql`SELECT SCHEMA_NAME AS s, TABLE_NAME AS t, COLUMN_NAME AS c, HISTOGRAM AS h FROM information_schema.COLUMN_STATISTICS WHERE SCHEMA_NAME IN (${inList})`),
    );
    for (const r of stats) keep(field(r, 's'), field(r, 't'), field(r, 'c'), r);
  }

  const raw = new Map<string, RawTableStats>();
  for (const key of keys) {
    const table = schema.tables[key]!;
    const rowEstimate = rowEstimates.get(key) ?? null;
    const found = columnRows.get(key) ?? new Map<string, Row>();
    const columns = new Map<string, RawColumnStats>();
    for (const column of table.columns) {
      const row = found.get(column.name);
      if (!row) continue;
      if (mariadb) columns.set(column.name, mariadbColumnStats(row as unknown as MariadbColumnStatsRow, column, rowEstimate));
      else {
        const h = row['h'];
        const histogram = (typeof h === 'string' ? JSON.parse(h) : h) as MysqlHistogram;
        columns.set(column.name, mysqlHistogramStats(histogram, column));
      }
    }
    let fanout: Map<string, FanoutBucket[]> | undefined;
    let orders: TableRelations['orders'] | undefined;
    let nullsTogether: TableRelations['nullsTogether'] | undefined;
    let related: TableRelations['related'] | undefined;
    let trends: TableRelations['trends'] | undefined;
    let skipped: TableRelations['skipped'] = [];
    if (scan) {
      options.onProgress?.(`scan ${key}`);
      const scanned = await scanTable(db, schema, table);
      fanout = scanned.fanout;
      orders = scanned.orders;
      nullsTogether = scanned.nullsTogether;
      related = scanned.related;
      trends = scanned.trends;
      skipped = scanned.skipped;
      for (const [name, lengths] of scanned.lengths) columns.set(name, { ...columns.get(name), lengths });
    }
    raw.set(key, {
      rowEstimate,
      analysed: found.size > 0,
      columns,
      ...(fanout ? { fanout } : {}),
      ...(orders ? { orders } : {}),
      ...(nullsTogether ? { nullsTogether } : {}),
      ...(related ? { foreignKeyRelations: related } : {}),
      ...(trends ? { trends } : {}),
      ...(skipped.length > 0 ? { skipped } : {}),
    });
  }
  const profile = buildProfile(schema, raw, {
    dictionaries: options.dictionaries ?? (await loadPiiDictionaries()),
    ...(options.k !== undefined ? { k: options.k } : {}),
    ...(options.copyScale !== undefined ? { copyScale: options.copyScale } : {}),
    ...(options.unscreened !== undefined ? { unscreened: options.unscreened } : {}),
    scanned: scan,
    ranAnalyze: options.analyze ?? false,
    unanalysedNote: mariadb
      ? 'no column statistics in mysql.column_stats; rerun with --analyze (runs ANALYZE TABLE … PERSISTENT FOR ALL)'
      : 'no column histograms; rerun with --analyze (runs ANALYZE TABLE … UPDATE HISTOGRAM ON …)',
  });
  return { ...profile, notes: [...profile.notes, ...notes] };
}
