/**
 * Files a command writes: made under a hidden temporary name that carries the
 * writer's process id, and renamed into place when complete, so an interrupted
 * run never leaves half a file; a later run removes the temporary files of runs
 * whose process is gone. Folders are made one level at a time: Node's
 * `mkdir(…, { recursive: true })` never returns for a path under `/proc`.
 *
 * @example
 * ```ts
 * await makeDirectory('out/data');
 * await removeAbandonedTemps('out/data');
 * const temp = tempPathFor('out/data/public.film.csv'); // out/data/.public.film.csv.4242-9f3a1c2e.tmp
 * ```
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** `.name.<pid>-<8 hex>.tmp` */
const TEMP_NAME = /^\..+\.(\d+)-[0-9a-f]{8}\.tmp$/;

/** A hidden temporary path beside `final`, naming this process. */
export function tempPathFor(final: string): string {
  return join(dirname(final), `.${basename(final)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/**
 * Removes the temporary files that runs which died (SIGKILL, a crash, a power cut) left in `dir`.
 * A file of a process that still runs (another shard writing here) is left alone.
 * @returns the names removed.
 */
export async function removeAbandonedTemps(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pid = TEMP_NAME.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || isRunning(Number(pid))) continue;
    if (
      await unlink(join(dir, name)).then(
        () => true,
        () => false,
      )
    )
      removed.push(name);
  }
  return removed;
}

/**
 * Makes `dir` and its missing parents, like `mkdir -p`.
 * @throws the error of the level that cannot be made (an `ENOENT` that persists, `EACCES`, `ENOTDIR`, `EEXIST` for a file).
 */
export async function makeDirectory(dir: string): Promise<void> {
  const path = resolve(dir);
  try {
    await mkdir(path);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await stat(path)).isDirectory()) return;
      throw error;
    }
    if (code !== 'ENOENT' || dirname(path) === path) throw error;
  }
  await makeDirectory(dirname(path));
  // The parent exists now; an ENOENT here (under /proc) is final.
  await mkdir(path).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST' || !(await stat(path)).isDirectory()) throw error;
  });
}
