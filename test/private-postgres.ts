/**
 * A private PostgreSQL server for one test: `initdb` into a temporary folder and
 * `pg_ctl start` on a free port of 127.0.0.1 (and a Unix socket in that folder),
 * so a test may kill it, restart it, or require a password, without touching the
 * shared server. As root (initdb refuses to run as root), the server runs as the
 * `postgres` user through `runuser`.
 *
 * @example
 * ```ts
 * const server = await startPrivatePostgres({ user: 'app', password: 'p@ss:w/rd#?' });
 * if (!server) return; // no initdb here: the caller says the test is skipped
 * try { … server.url('postgres') … await server.kill(); await server.start(); } finally { await server.destroy(); }
 * ```
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface PrivatePostgres {
  readonly port: number;
  readonly dir: string;
  readonly user: string;
  /** A URL for `database`, with the password percent-encoded. */
  url(database: string): string;
  /** The postmaster's pid (from postmaster.pid). */
  pid(): Promise<number>;
  /** SIGKILL to the postmaster, as a crash or an OOM kill would; resolves when it and its backends are gone. */
  kill(): Promise<void>;
  /** Starts it again (crash recovery after `kill`). */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

/** The folder of initdb and pg_ctl: PATH, else the newest /usr/lib/postgresql/N/bin. */
async function binDir(): Promise<string | undefined> {
  const fromPath = (process.env['PATH'] ?? '').split(':').find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (fromPath) return fromPath;
  const versions = await readdir('/usr/lib/postgresql').catch(() => [] as string[]);
  const newest = versions.sort((a, b) => Number(b) - Number(a)).find((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
  return newest ? `/usr/lib/postgresql/${newest}/bin` : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const isRoot = process.getuid?.() === 0;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a private server, or returns undefined (after saying why on stderr) where there is no
 * initdb, or, as root, no `postgres` user to run it as.
 */
export async function startPrivatePostgres(options: { user?: string; password?: string } = {}): Promise<PrivatePostgres | undefined> {
  const bin = await binDir();
  if (!bin) {
    console.warn('initdb not found (PATH, /usr/lib/postgresql/*/bin): skipping the tests that need a private PostgreSQL server');
    return undefined;
  }
  let owner: { uid: number; gid: number } | undefined;
  if (isRoot) {
    const id = await exec('id', ['-u', 'postgres']).then(
      (r) => Number(r.stdout.trim()),
      () => undefined,
    );
    const gid = await exec('id', ['-g', 'postgres']).then(
      (r) => Number(r.stdout.trim()),
      () => undefined,
    );
    if (id === undefined || gid === undefined) {
      console.warn('running as root with no postgres user to run initdb as: skipping the tests that need a private PostgreSQL server');
      return undefined;
    }
    owner = { uid: id, gid };
  }
  const as = (file: string, args: readonly string[]) => (owner ? exec('runuser', ['-u', 'postgres', '--', file, ...args]) : exec(file, [...args]));
  const dir = await mkdtemp(join(tmpdir(), 'understudy-private-pg-'));
  const data = join(dir, 'data');
  const user = options.user ?? 'understudy';
  const initdbArgs = ['-D', data, '-U', user, '-E', 'UTF8', '--locale=C', '--no-sync', '--auth', options.password !== undefined ? 'scram-sha-256' : 'trust'];
  if (options.password !== undefined) {
    await writeFile(join(dir, 'pwfile'), `${options.password}\n`);
    initdbArgs.push(`--pwfile=${join(dir, 'pwfile')}`);
  }
  if (owner) {
    await chown(dir, owner.uid, owner.gid);
    if (options.password !== undefined) await chown(join(dir, 'pwfile'), owner.uid, owner.gid);
  }
  await as(join(bin, 'initdb'), initdbArgs);
  await rm(join(dir, 'pwfile'), { force: true });
  const port = await freePort();
  const pgCtl = join(bin, 'pg_ctl');
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=20 -c shared_buffers=16MB`;
  const pid = async (): Promise<number> => Number((await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const start = async (): Promise<void> => {
    // After a kill, the old backends may hold shared memory for a moment: try again.
    for (let attempt = 0; ; attempt++) {
      try {
        await as(pgCtl, ['-D', data, '-o', serverOptions, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
        return;
      } catch (error) {
        if (attempt >= 10) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  await start();
  const encode = encodeURIComponent;
  return {
    port,
    dir,
    user,
    url: (database) => `postgres://${encode(user)}${options.password !== undefined ? `:${encode(options.password)}` : ''}@127.0.0.1:${port}/${encode(database)}`,
    pid,
    async kill() {
      const postmaster = await pid();
      const children = await exec('pgrep', ['-P', String(postmaster)]).then(
        (r) => r.stdout.split('\n').filter(Boolean).map(Number),
        () => [] as number[],
      );
      process.kill(postmaster, 'SIGKILL');
      for (const child of children) if (isAlive(child)) process.kill(child, 'SIGKILL');
      for (let i = 0; i < 100 && [postmaster, ...children].some(isAlive); i++) await new Promise((r) => setTimeout(r, 100));
    },
    start,
    async destroy() {
      await as(pgCtl, ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
