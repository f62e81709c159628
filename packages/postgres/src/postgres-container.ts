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
import { ConnectionError } from '@understudy/core';

export interface StartedDatabaseContainer {
  /** A superuser URL to the container's `postgres` database. */
  readonly url: string;
  stop(): Promise<void>;
}

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
    const message = (error as Error).message ?? String(error);
    const noDocker = /container runtime strategy|docker|socket|ENOENT|ECONNREFUSED/i.test(message);
    throw new ConnectionError(
      noDocker ? `--container ${image}: no Docker (or Podman) engine is reachable (${message.split('\n')[0]})` : `--container ${image} did not start: ${message.split('\n')[0]}`,
      {
        hint: noDocker
          ? 'Start Docker, or rehearse on a server you have with --url postgres://user@host:5432/postgres, or leave both out to use the embedded PGlite.'
          : 'Check the image name and tag (it must be a PostgreSQL image), or use --url.',
        cause: error,
      },
    );
  }
}
