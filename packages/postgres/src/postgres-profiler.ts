/**
 * Profiling PostgreSQL and PGlite: row estimates from `pg_class.reltuples`, column
 * statistics from `pg_stats` (null_frac, n_distinct, most common values and
 * frequencies, histogram bounds, avg_width, correlation), and, unless `scan: false`,
 * foreign-key fan-out and text lengths through count-only aggregate queries.
 * Never selects a user table's rows; ANALYZE runs only when asked (`analyze: true`).
 * Every column passes through the core privacy policy before it reaches the profile.
 *
 * @example
 * ```ts
 * const conn = await connectPostgres(url, postgresDialect);
 * const schema = await conn.introspect();
 * const profile = await profilePostgres(conn.db, schema, { scan: true, k: 10 });
 * console.log(formatProfileExplain(profile));
 * ```
 */
import {
  buildProfile,
  loadPiiDictionaries,
  fanoutBuckets,
  withPartitionForeignKeys,
  fanoutSql,
  scanRelations,
  tolerantScan,
  type TableRelations,
  hasTextLengths,
  lengthBuckets,
  lengthSql,
  type FanoutBucket,
  type Profile,
  type RawColumnStats,
  type RawTableStats,
  type ProfileOptions,
  type Schema,
} from '@understudy/core';
import { sql, type Kysely } from 'kysely';

interface TableRow {
  schema: string;
  name: string;
  reltuples: number | string | null;
  relkind: string;
  analysed: boolean;
}

interface StatsRow {
  schema: string;
  table: string;
  column: string;
  inherited: boolean;
  null_frac: number | string | null;
  n_distinct: number | string | null;
  avg_width: number | string | null;
  correlation: number | string | null;
  mcv: unknown;
  mcf: unknown;
  bounds: unknown;
}

const quote = (id: string): string => `"${id.replace(/"/g, '""')}"`;

function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** json / float8[] may come back parsed (pg) or as text (other drivers). */
function array(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('[')) return JSON.parse(value) as unknown[];
  if (value.startsWith('{'))
    return value
      .slice(1, -1)
      .split(',')
      .filter((s) => s.length > 0)
      .map(Number);
  return undefined;
}

/** Frequencies are float4: trim the float8 noise (0.30000001192092896 → 0.3). */
const round = (n: number): number => Number(n.toPrecision(6));

function rawStats(row: StatsRow): RawColumnStats {
  const distinct = num(row.n_distinct);
  const mcv = array(row.mcv);
  const mcf = array(row.mcf)?.map((f) => round(Number(f)));
  const bounds = array(row.bounds);
  return {
    nullFraction: num(row.null_frac) === null ? null : round(num(row.null_frac)!),
    ...(distinct !== null && distinct >= 0 ? { distinctCount: distinct } : {}),
    ...(distinct !== null && distinct < 0 ? { distinctRatio: -distinct } : {}),
    ...(mcv && mcf ? { mostCommon: { values: mcv, frequencies: mcf } } : {}),
    ...(bounds ? { histogramBounds: bounds } : {}),
    avgWidth: num(row.avg_width),
    correlation: num(row.correlation) === null ? null : round(num(row.correlation)!),
  };
}

async function readTables(db: Kysely<any>, namespaces: string[]): Promise<TableRow[]> {
  const { rows } = await sql<TableRow>`
    select n.nspname as schema, c.relname as name, c.relkind::text as relkind,
      case when c.relkind = 'p' then (
        select sum(greatest(ch.reltuples, 0))::float8 from pg_catalog.pg_inherits i
        join pg_catalog.pg_class ch on ch.oid = i.inhrelid where i.inhparent = c.oid)
      else c.reltuples::float8 end as reltuples,
      (s.last_analyze is not null or s.last_autoanalyze is not null) as analysed
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    left join pg_catalog.pg_stat_all_tables s on s.relid = c.oid
    where n.nspname = any(${namespaces}::text[]) and c.relkind in ('r', 'p')`.execute(db);
  return rows;
}

async function readStats(db: Kysely<any>, namespaces: string[]): Promise<StatsRow[]> {
  const { rows } = await sql<StatsRow>`
    select schemaname as schema, tablename as table, attname as column, inherited,
      null_frac::float8 as null_frac, n_distinct::float8 as n_distinct, avg_width, correlation::float8 as correlation,
      array_to_json(most_common_vals) as mcv, most_common_freqs::float8[] as mcf,
      array_to_json(histogram_bounds) as bounds
    from pg_catalog.pg_stats where schemaname = any(${namespaces}::text[])`.execute(db);
  return rows;
}

/** Count-only queries: fan-out per foreign key, text lengths per text column, and the relations of one table. */
async function scanTable(db: Kysely<any>, schema: Schema, key: string): Promise<{ fanout: Map<string, FanoutBucket[]>; lengths: Map<string, RawColumnStats['lengths']> } & TableRelations> {
  const table = schema.tables[key]!;
  const run = async (text: string): Promise<Record<string, unknown>[]> => (await sql.raw<Record<string, unknown>>(text).execute(db)).rows;
  const scan = tolerantScan(run);
  const fanout = new Map<string, FanoutBucket[]>();
  // A partitioned table's fan-out is over all its rows, for its partitions' FKs too.
  for (const fk of withPartitionForeignKeys(schema, key).foreignKeys) {
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
  const relations = await scanRelations(schema, table, quote, run);
  return { fanout, lengths, ...relations, skipped: [...scan.skipped, ...relations.skipped] };
}

/**
 * Profiles the tables of `schema` (as introspected from the same database).
 * @example
 * ```ts
 * const profile = await profilePostgres(conn.db, schema, { scan: false }); // catalog reads only
 * profile.tables['public.orders']?.columns['status']?.mostCommon;
 * ```
 */
export async function profilePostgres(db: Kysely<any>, schema: Schema, options: ProfileOptions = {}): Promise<Profile> {
  const scan = options.scan ?? true;
  const keys = Object.keys(schema.tables).sort();
  if (options.analyze) {
    for (const key of keys) {
      const table = schema.tables[key]!;
      if (table.kind === 'partition') continue; // analysed through its parent
      options.onProgress?.(`analyze ${key}`);
      await sql`analyze ${sql.id(table.schema, table.name)}`.execute(db);
    }
  }
  const namespaces = [...new Set(keys.map((k) => schema.tables[k]!.schema))];
  options.onProgress?.('read statistics');
  const [tableRows, statsRows] = await Promise.all([readTables(db, namespaces), readStats(db, namespaces)]);
  const tableInfo = new Map(tableRows.map((r) => [`${r.schema}.${r.name}`, r]));
  const columnStats = new Map<string, Map<string, RawColumnStats>>();
  for (const row of statsRows) {
    const key = `${row.schema}.${row.table}`;
    // A partitioned parent keeps its statistics as inherited rows; a plain table as non-inherited ones.
    const wantInherited = schema.tables[key]?.kind === 'partitioned';
    if (Boolean(row.inherited) !== wantInherited) continue;
    let map = columnStats.get(key);
    if (!map) columnStats.set(key, (map = new Map()));
    map.set(row.column, rawStats(row));
  }

  const raw = new Map<string, RawTableStats>();
  for (const key of keys) {
    const info = tableInfo.get(key);
    const reltuples = num(info?.reltuples);
    const columns = columnStats.get(key) ?? new Map<string, RawColumnStats>();
    const analysed = Boolean(info?.analysed) || columns.size > 0;
    let fanout: Map<string, FanoutBucket[]> | undefined;
    let orders: TableRelations['orders'] | undefined;
    let nullsTogether: TableRelations['nullsTogether'] | undefined;
    let related: TableRelations['related'] | undefined;
    let trends: TableRelations['trends'] | undefined;
    let skipped: TableRelations['skipped'] = [];
    if (scan) {
      options.onProgress?.(`scan ${key}`);
      const scanned = await scanTable(db, schema, key);
      fanout = scanned.fanout;
      orders = scanned.orders;
      nullsTogether = scanned.nullsTogether;
      related = scanned.related;
      trends = scanned.trends;
      skipped = scanned.skipped;
      for (const [name, lengths] of scanned.lengths) columns.set(name, { ...columns.get(name), lengths });
    }
    raw.set(key, {
      rowEstimate: reltuples !== null && reltuples >= 0 && (analysed || reltuples > 0) ? reltuples : null,
      analysed,
      columns,
      ...(fanout ? { fanout } : {}),
      ...(orders ? { orders } : {}),
      ...(nullsTogether ? { nullsTogether } : {}),
      ...(related ? { foreignKeyRelations: related } : {}),
      ...(trends ? { trends } : {}),
      ...(skipped.length > 0 ? { skipped } : {}),
    });
  }
  return buildProfile(schema, raw, {
    dictionaries: options.dictionaries ?? (await loadPiiDictionaries()),
    ...(options.k !== undefined ? { k: options.k } : {}),
    ...(options.copyScale !== undefined ? { copyScale: options.copyScale } : {}),
    ...(options.unscreened !== undefined ? { unscreened: options.unscreened } : {}),
    scanned: scan,
    ranAnalyze: options.analyze ?? false,
    unanalysedNote: 'never analysed: pg_stats has nothing for this table; rerun with --analyze (runs ANALYZE on it)',
  });
}
