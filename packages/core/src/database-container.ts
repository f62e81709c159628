/**
 * A database server in a throwaway container (testcontainers), for
 * `understudy rehearse --container IMAGE`: each dialect that can start one
 * implements `Dialect.startContainer`; this file holds what they share.
 *
 * @example
 * ```ts
 * const container = await dialect.startContainer('postgres:16');
 * try { console.log(container.url); } finally { await container.stop(); }
 * ```
 */
import { ConnectionError } from './errors.js';

export interface StartedDatabaseContainer {
  /** A superuser URL to a database in the container. */
  readonly url: string;
  /** Removes the container (never throws). */
  stop(): Promise<void>;
}

/**
 * The error for a container that did not start: no container engine reachable (the
 * usual case on a laptop or CI without Docker), or the image itself failing.
 * @example
 * ```ts
 * throw containerStartError('mysql:8', error, 'mysql://root@host:3306/test');
 * ```
 */
export function containerStartError(image: string, error: unknown, exampleUrl: string, embeddedEngine: string | null = null): ConnectionError {
  const message = ((error as Error)?.message ?? String(error)).split('\n')[0]!;
  const noEngine = /container runtime strategy|docker|socket|ENOENT|ECONNREFUSED/i.test(message);
  return new ConnectionError(noEngine ? `--container ${image}: no Docker (or Podman) engine is reachable (${message})` : `--container ${image} did not start: ${message}`, {
    hint: noEngine
      ? `Start Docker, or rehearse on a server you have with --url ${exampleUrl}${embeddedEngine !== null ? `, or leave both out to use the embedded ${embeddedEngine}` : ''}.`
      : `Check the image name and tag, or use --url ${exampleUrl}.`,
    cause: error,
  });
}
