/**
 * A PostgreSQL server in a throwaway container (testcontainers), for
 * `understudy rehearse --container postgres:16`: started, handed out as a URL,
 * and removed by `stop()`.
 *
 * @example
 * ```ts
 * const container = await startPostgresContainer('postgres:16-alpine');
 * try { await rehearse({ set, dialect: postgresDialect, url: container.url }); } finally { await container.stop(); }
 * ```
 */
import { containerStartError, type StartedDatabaseContainer } from '@understudy/core';

/**
 * Starts `image` as a PostgreSQL server.
 * @throws ConnectionError when no Docker engine is reachable or the image does not start.
 * @example
 * ```ts
 * const { url, stop } = await startPostgresContainer('postgres:15');
 * ```
 */
export async function startPostgresContainer(image: string): Promise<StartedDatabaseContainer> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  try {
    const started = await new PostgreSqlContainer(image).withDatabase('postgres').withUsername('postgres').withPassword('understudy').start();
    return { url: started.getConnectionUri(), stop: async () => void (await started.stop().catch(() => undefined)) };
  } catch (error) {
    throw containerStartError(image, error, 'postgres://user@host:5432/postgres', 'PGlite');
  }
}
