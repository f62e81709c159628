/**
 * Starts PGlite quickly. A new instance (in memory, or in a data directory that
 * does not exist yet) starts from a cached, freshly initialised data directory
 * instead of running initdb: about 0.5–0.9 s instead of 2–5 s on this project's
 * machines. The cache is one gzip tarball per PGlite version, in
 * `$UNDERSTUDY_CACHE_DIR` or `~/.cache/understudy`; it is made on first use, and
 * when it cannot be written, start-up is just slower.
 *
 * @example
 * ```ts
 * const pglite = await startPglite({ extensions: await loadPgliteExtensions(['hstore']) });
 * ```
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Extensions, PGlite, PGliteOptions } from '@electric-sql/pglite';
import { makeDirectory, UsageError } from '@understudy/core';
import { isPgliteExtension, loadPgliteExtensions } from './pglite-extensions.js';

export interface StartPgliteOptions {
  /** A data directory to open or create; in memory when absent. */
  readonly dataDir?: string;
  readonly extensions?: Extensions;
}

/** PGlite's version, read from its package.json (which the package does not export). */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = join(dirname(dirname(entry)), 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Where the initialised-cluster tarball for this PGlite version lives. */
export function pgliteTemplatePath(): string {
  const dir = process.env['UNDERSTUDY_CACHE_DIR'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'understudy');
  return join(dir, `pglite-${pgliteVersion()}-initdb.tar.gz`);
}

async function readTemplate(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

async function saveTemplate(pglite: PGlite, path: string): Promise<void> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const dump = await pglite.dumpDataDir('gzip');
    await makeDirectory(join(path, '..'));
    await writeFile(temp, Buffer.from(await dump.arrayBuffer()));
    await rename(temp, path);
  } catch {
    await unlink(temp).catch(() => undefined);
  }
}

/** True when `dir` already holds a PostgreSQL cluster (so it must be opened, not initialised). */
function isCluster(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

/** Locks per transaction an embedded PGlite is started with (PostgreSQL's default is 64). */
export const PGLITE_MAX_LOCKS_PER_TRANSACTION = 1024;

/**
 * A folder a new database may be made in: created if missing, and empty (a database is never
 * initialised over someone's files, as `--pglite .` would).
 * @throws UsageError naming the folder: it cannot be made, it is a file, or it holds other files.
 */
async function assertNewDataDir(dir: string): Promise<void> {
  await makeDirectory(dir).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot create the PGlite folder ${dir}: ${error.code ?? error.message}`, {
      hint: error.code === 'EEXIST' || error.code === 'ENOTDIR' ? `${dir} or a folder above it is a file.` : 'Give a folder you may write to.',
      cause: error,
    });
  });
  const entries = (await readdir(dir)).filter((name) => name !== '.DS_Store');
  if (entries.length > 0) {
    throw new UsageError(`the PGlite folder ${dir} holds other files (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}) but no database`, {
      hint: 'Give a new or empty folder for the embedded database, e.g. --pglite ./dev-db.',
    });
  }
}

/** The libraries a kept cluster's configuration preloads (PGlite writes pg_stat_statements' there). */
function preloadLibraries(dir: string): string[] {
  const names: string[] = [];
  for (const file of ['postgresql.conf', 'postgresql.auto.conf']) {
    let text = '';
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/^\s*shared_preload_libraries\s*=\s*'?([^'#\n]*)'?/gm))
      names.push(
        ...m[1]!
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean),
      );
  }
  return names;
}

interface PGliteClass {
  create(options: PGliteOptions): Promise<PGlite>;
}

/**
 * Opens a kept cluster with the extensions it was made with: a library its configuration preloads
 * (without it PGlite does not start: "PGlite failed to initialize properly"), and, found in its
 * catalog once open, every other extension it has (without them their types cannot be read or written).
 */
async function openCluster(PGlite: PGliteClass, base: PGliteOptions, dir: string): Promise<PGlite> {
  const has = (names: readonly string[]): string[] => names.filter((n) => isPgliteExtension(n));
  const extensions: Extensions = { ...(base.extensions ?? {}), ...(await loadPgliteExtensions(has(preloadLibraries(dir)))) };
  const pglite = await PGlite.create({ ...base, extensions });
  const installed = (await pglite.query<{ extname: string }>('select extname from pg_extension')).rows.map((r: { extname: string }) => r.extname);
  const needed = await loadPgliteExtensions(has(installed));
  const missing = Object.keys(needed).filter((k) => !(k in extensions));
  if (missing.length === 0) return pglite;
  await pglite.close();
  return PGlite.create({ ...base, extensions: { ...extensions, ...needed } });
}

/** Starts a PGlite, from the cached initialised cluster when the instance is new. */
export async function startPglite(options: StartPgliteOptions = {}): Promise<PGlite> {
  // Imported here so that connecting to a server never loads the WebAssembly engine.
  const { PGlite } = await import('@electric-sql/pglite');
  const base = {
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.extensions ? { extensions: options.extensions } : {}),
    // A seed locks every table, key and index it loads in one transaction: PostgreSQL's default lock
    // table (64 per transaction × 100 connections) ran out at ~260 tables. An embedded engine has one
    // session, so it gets room for ~40,000 relations' locks (~20 MB).
    startParams: [...PGlite.defaultStartParams, '-c', `max_locks_per_transaction=${PGLITE_MAX_LOCKS_PER_TRANSACTION}`],
  };
  if (options.dataDir && isCluster(options.dataDir)) return openCluster(PGlite, base, options.dataDir);
  if (options.dataDir) await assertNewDataDir(options.dataDir);

  const path = pgliteTemplatePath();
  const template = await readTemplate(path);
  if (template) {
    try {
      return await PGlite.create({ ...base, loadDataDir: new Blob([template]) });
    } catch {
      // A damaged or foreign cache file: start the slow way and replace it below.
      await unlink(path).catch(() => undefined);
    }
  }
  const pglite = await PGlite.create(base);
  // Only a pristine cluster makes a template: right after initdb, before any statement.
  await saveTemplate(pglite, path);
  return pglite;
}
