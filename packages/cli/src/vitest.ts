/**
 * `understudy-cli/vitest`: a seeded PGlite for your own tests. One call per test
 * file creates an in-memory PGlite from a DDL file or a drizzle schema, fills
 * every table with deterministic rows (the same `seed` gives the same rows), and
 * reads them back by table and column name.
 *
 * @example
 * ```ts
 * import { afterAll, expect, test } from 'vitest';
 * import { seededDatabase } from 'understudy-cli/vitest';
 *
 * const db = await seededDatabase({ schema: 'db/schema.sql', rows: 50, seed: 1 });
 * afterAll(() => db.close());
 *
 * test('every order has a customer', async () => {
 *   const customers = new Set(db.column('customer', 'id'));
 *   for (const order of db.rows<{ customer_id: number }>('orders')) expect(customers.has(order.customer_id)).toBe(true);
 *   const { rows } = await db.pglite.query<{ n: number }>('select count(*)::int as n from orders');
 *   expect(rows[0]?.n).toBe(50);
 * });
 * ```
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import { UsageError, type Schema, type Table } from '@understudy/core';
import { seed as seedRows, type GenerateConfigInput } from '@understudy/generate';
import { openEmbeddedTarget, type EmbeddedTarget } from './commands/embedded-target.js';
import { planFromOptions } from './commands/generation-options.js';

export interface SeededDatabaseOptions {
  /**
   * The tables to create: a DDL file (`.sql`), or a drizzle schema (a `.ts`/`.js` module, a folder
   * of them, or a `drizzle.config.ts`). Relative to the working directory (vitest's: the project root).
   */
  readonly schema: string;
  /** Rows per table (default 10). */
  readonly rows?: number;
  /** Rows of particular tables, keyed `table` or `schema.table`; these win over `rows`. */
  readonly tableRows?: Readonly<Record<string, number>>;
  /** The seed: the same seed, schema and options give the same rows (default 1). */
  readonly seed?: number | string;
  /** Generation settings, as in `understudy.config.ts` (`tables.<t>.columns.<c>.generator`, `nullRate`, …). No config file is read. */
  readonly config?: GenerateConfigInput;
}

/** A row as read back from PGlite: column name → value (numbers, strings, booleans, Dates, Uint8Arrays, arrays, JSON, null). */
export type SeededRow = Record<string, unknown>;

export interface SeededDatabase {
  /** The PGlite the rows are in, for any query (`db.pglite.query('select …')`). */
  readonly pglite: PGliteInterface;
  /** The schema as introspected from that PGlite. */
  readonly schema: Schema;
  /** The tables, `schema.table`, in the order they were loaded (parents before children). */
  readonly tables: readonly string[];
  /**
   * A table's rows as they are in the database after the seed (read once, right after it), ordered by
   * primary key. `table` is `name` or `schema.name`. Type the rows with `rows<{ id: number }>('users')`.
   * @throws UsageError naming the tables there are, for a table the schema does not have.
   */
  rows<Row extends SeededRow = SeededRow>(table: string): Row[];
  /** One column's values, in the order of `rows(table)`. @throws UsageError for an unknown table or column. */
  column<Value = unknown>(table: string, column: string): Value[];
  /** Closes the PGlite (call it in `afterAll`). */
  close(): Promise<void>;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function tableKeyFor(schema: Schema, table: string): string {
  if (schema.tables[table]) return table;
  const matches = Object.keys(schema.tables).filter((key) => schema.tables[key]?.name === table);
  if (matches.length === 1) return matches[0]!;
  const known = Object.keys(schema.tables).sort().join(', ') || 'none';
  throw new UsageError(matches.length > 1 ? `table ${table} is in several schemas (${matches.join(', ')}): give schema.table` : `no table ${table} in the seeded database (tables: ${known})`);
}

async function readTable(pglite: PGliteInterface, table: Table): Promise<SeededRow[]> {
  const order = table.primaryKey?.columns.map(quote).join(', ');
  const sql = `SELECT * FROM ${quote(table.schema)}.${quote(table.name)}${order ? ` ORDER BY ${order}` : ''}`;
  return (await pglite.query<SeededRow>(sql)).rows;
}

async function openTarget(schemaPath: string): Promise<EmbeddedTarget> {
  return /\.(sql|ddl)$/i.test(schemaPath) ? openEmbeddedTarget({ from: schemaPath }) : openEmbeddedTarget({ drizzle: schemaPath });
}

/**
 * Creates an in-memory PGlite from `options.schema`, seeds every table, and reads the rows back.
 * Takes about a second plus the seed (PGlite starts from a cached, initialised cluster).
 * @throws UsageError for a schema file that cannot be read or that PGlite refuses (naming the statement).
 */
export async function seededDatabase(options: SeededDatabaseOptions): Promise<SeededDatabase> {
  if (typeof options?.schema !== 'string' || options.schema === '') {
    throw new UsageError('seededDatabase needs { schema }: a DDL file (db/schema.sql) or a drizzle schema module (src/db/schema.ts)');
  }
  const target = await openTarget(options.schema);
  try {
    const pglite = target.client as PGliteInterface;
    const sink = await target.openSink({ schema: target.schema, truncate: false });
    const config: GenerateConfigInput = { ...(options.config ?? {}), ...(options.tableRows ? { tables: tableRowsConfig(options.config, options.tableRows) } : {}) };
    const plan = await planFromOptions(
      target.schema,
      { seed: String(options.seed ?? 1), rows: String(options.rows ?? 10), config: false },
      { sink, config, ...(target.hints ? { hints: target.hints } : {}) },
    ).catch(async (error: unknown) => {
      await sink.rollback();
      throw error;
    });
    await seedRows({ plan, sink });
    const rowsByTable = new Map<string, SeededRow[]>();
    for (const [key, table] of Object.entries(target.schema.tables)) {
      if (table.kind !== 'partition') rowsByTable.set(key, await readTable(pglite, table));
    }
    const schema = target.schema;
    const rows = <Row extends SeededRow = SeededRow>(table: string): Row[] => {
      const key = tableKeyFor(schema, table);
      return [...(rowsByTable.get(key) ?? [])] as Row[];
    };
    return {
      pglite,
      schema,
      tables: plan.loadOrder.filter((t) => rowsByTable.has(t)),
      rows,
      column: <Value = unknown>(table: string, column: string): Value[] => {
        const key = tableKeyFor(schema, table);
        if (!schema.tables[key]?.columns.some((c) => c.name === column)) {
          throw new UsageError(`no column ${column} in ${key} (columns: ${schema.tables[key]?.columns.map((c) => c.name).join(', ')})`);
        }
        return rows(key).map((row) => row[column] as Value);
      },
      close: () => target.close(),
    };
  } catch (error) {
    await target.close();
    throw error;
  }
}

function tableRowsConfig(config: GenerateConfigInput | undefined, tableRows: Readonly<Record<string, number>>): NonNullable<GenerateConfigInput['tables']> {
  const tables: NonNullable<GenerateConfigInput['tables']> = { ...(config?.tables ?? {}) };
  for (const [table, count] of Object.entries(tableRows)) tables[table] = { ...(tables[table] ?? {}), rows: count };
  return tables;
}
