/**
 * A MySQL or MariaDB server in a throwaway container (testcontainers), for
 * `understudy rehearse --container mysql:8 --dialect mysql`: started, handed out
 * as a root URL, and removed by `stop()`.
 *
 * @example
 * ```ts
 * const container = await startMysqlContainer('mariadb:11');
 * try { console.log(container.url); } finally { await container.stop(); }
 * ```
 */
import { containerStartError, type StartedDatabaseContainer } from '@understudy/core';

/**
 * Starts `image` (a `mysql` or `mariadb` image) as a server with a `test` database.
 * @throws ConnectionError when no Docker engine is reachable or the image does not start.
 * @example
 * ```ts
 * const { url, stop } = await startMysqlContainer('mysql:8.0');
 * ```
 */
export async function startMysqlContainer(image: string): Promise<StartedDatabaseContainer> {
  const { MySqlContainer } = await import('@testcontainers/mysql');
  try {
    const password = 'understudy';
    const started = await new MySqlContainer(image).withDatabase('test').withRootPassword(password).start();
    const url = `mysql://root:${password}@${started.getHost()}:${started.getPort()}/test`;
    return { url, stop: async () => void (await started.stop().catch(() => undefined)) };
  } catch (error) {
    throw containerStartError(image, error, 'mysql://root@host:3306/test');
  }
}
