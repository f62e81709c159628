/**
 * Scratch databases for end-to-end tests on PostgreSQL and MariaDB (UNDERSTUDY_TEST_PG_URL,
 * UNDERSTUDY_TEST_MYSQL_URL): each engine's `create()` makes a database with a unique name
 * (`<prefix>_<8 hex>`) and returns its URL and a query function on it; `dropAll()` closes and
 * drops every database made (call it in `afterAll`). An engine whose URL is not set is not
 * `enabled`, for `it.skipIf`.
 *
 * @example
 * ```ts
 * const scratch = scratchEngines('understudy_orders');
 * afterAll(scratch.dropAll);
 * for (const engine of scratch.engines) it.skipIf(!engine.enabled)(engine.name, async () => { const db = await engine.create(); … });
 * ```
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

export type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

export interface ScratchEngine {
  readonly name: 'postgres' | 'mariadb';
  readonly enabled: boolean;
  /** Makes a database, returns its URL and a query function. */
  create(): Promise<{ url: string; query: Query }>;
}

export function scratchEngines(prefix: string): { engines: ScratchEngine[]; dropAll: () => Promise<void> } {
  const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
  const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
  const cleanups: Array<() => Promise<void>> = [];
  const uniqueName = (): string => `${prefix}_${randomBytes(4).toString('hex')}`;
  const engines: ScratchEngine[] = [
    {
      name: 'postgres',
      enabled: pgUrl !== undefined,
      async create() {
        const name = uniqueName();
        const admin = new pg.Client({ connectionString: pgUrl });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        const url = new URL(pgUrl!);
        url.pathname = `/${name}`;
        const client = new pg.Client({ connectionString: url.toString() });
        await client.connect();
        cleanups.push(async () => {
          await client.end();
          const c = new pg.Client({ connectionString: pgUrl });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.end();
        });
        return { url: url.toString(), query: async (sql) => (await client.query(sql)).rows };
      },
    },
    {
      name: 'mariadb',
      enabled: mysqlUrl !== undefined,
      async create() {
        const name = uniqueName();
        const admin = await mysql.createConnection({ uri: mysqlUrl! });
        await admin.query(`CREATE DATABASE \`${name}\``);
        await admin.end();
        const url = new URL(mysqlUrl!);
        url.pathname = `/${name}`;
        const conn = await mysql.createConnection({ uri: url.toString() });
        cleanups.push(async () => {
          await conn.end();
          const c = await mysql.createConnection({ uri: mysqlUrl! });
          await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
          await c.end();
        });
        return { url: url.toString(), query: async (sql) => (await conn.query(sql))[0] as Array<Record<string, unknown>> };
      },
    },
  ];
  const dropAll = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  return { engines, dropAll };
}
