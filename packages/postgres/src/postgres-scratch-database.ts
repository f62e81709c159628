/**
 * A throwaway database on a PostgreSQL server: created with a unique name,
 * handed to a callback, and dropped afterwards whatever happens.
 *
 * @example
 * ```ts
 * const schema = await withScratchDatabase('postgres://postgres@localhost/postgres', async (scratchUrl) => {
 *   const conn = await postgresDialect.connect(scratchUrl);
 *   try { await conn.loadSqlFile('schema.sql'); return await conn.introspect(); } finally { await conn.close(); }
 * });
 * ```
 */
import { randomBytes } from 'node:crypto';
import { ConnectionError, redactSecrets } from '@understudy/core';
import pg from 'pg';
import { CONNECT_TIMEOUT_MS } from './postgres-connection.js';
import { connectionError } from './postgres-connection-errors.js';

/**
 * The URL of database `name` on the same server as `url`.
 * @example
 * ```ts
 * urlForDatabase('postgres://u@h:5432/postgres', 'scratch'); // 'postgres://u@h:5432/scratch'
 * ```
 */
export function urlForDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}

/**
 * Runs `fn` with a client connected to the database of `url` (for statements about other
 * databases: CREATE, DROP), closing it afterwards.
 * @throws ConnectionError when the server cannot be reached.
 * @example
 * ```ts
 * const names = await withAdminClient(url, async (client) => (await client.query('select datname from pg_database')).rows);
 * ```
 */
export async function withAdminClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  let client: pg.Client;
  try {
    // (the driver reads the URL here: a password with a `%` that starts no encoded byte throws URIError)
    client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    client.on('error', () => undefined);
    await client.connect();
  } catch (error) {
    throw connectionError(error, url);
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates an empty database with a unique name (`<prefix>_<random>`) on the server of `url`; returns its name.
 * @example
 * ```ts
 * const name = await createScratchDatabase(url, 'understudy_test'); // 'understudy_test_3f9a0c12ab4e'
 * ```
 */
export async function createScratchDatabase(url: string, prefix = 'understudy_tmp'): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await createDatabase(url, name);
  return name;
}

/**
 * Creates an empty database named `name` on the server of `url`.
 * @throws ConnectionError when the server is unreachable or the user may not create databases.
 * @example
 * ```ts
 * await createDatabase(url, rehearsalDatabaseName({ keep: false }));
 * ```
 */
export async function createDatabase(url: string, name: string): Promise<void> {
  await withAdminClient(url, async (client) => {
    try {
      await client.query(`create database ${pg.escapeIdentifier(name)}`);
    } catch (error) {
      throw new ConnectionError(`cannot create a scratch database on the server: ${redactSecrets((error as Error).message, url)}`, {
        hint: 'The user in the URL needs the CREATEDB privilege (or pass a URL for a user that has it).',
        cause: error,
      });
    }
  });
}

/**
 * Drops a database made by {@link createScratchDatabase}, disconnecting anyone still in it. Never throws.
 * @example
 * ```ts
 * await dropScratchDatabase(url, name);
 * ```
 */
export async function dropScratchDatabase(url: string, name: string): Promise<void> {
  await withAdminClient(url, async (client) => {
    await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
  }).catch(() => undefined);
}

/**
 * Runs `fn` with the URL of a fresh database on the server of `url`, dropping the database afterwards.
 * @example
 * ```ts
 * const tables = await withScratchDatabase(url, async (scratchUrl) => { … });
 * ```
 */
export async function withScratchDatabase<T>(url: string, fn: (scratchUrl: string) => Promise<T>): Promise<T> {
  const name = await createScratchDatabase(url);
  try {
    return await fn(urlForDatabase(url, name));
  } finally {
    await dropScratchDatabase(url, name);
  }
}
