/**
 * Where command output goes: stdout, or a file written atomically (a temporary
 * file renamed into place), so an interrupted run never leaves half a file; the
 * temporary files of killed runs are removed by the next (see output-files.ts).
 */
import { rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { removeAbandonedTemps, tempPathFor, UsageError } from '@understudy/core';

/** Writes `text` to `file` atomically, or to stdout when `file` is undefined or `-`. */
export async function writeOutput(text: string, file: string | undefined): Promise<void> {
  if (file === undefined || file === '-') {
    process.stdout.write(text);
    return;
  }
  const temp = tempPathFor(file);
  // Temporary files of runs killed before their rename (SIGKILL) go now.
  await removeAbandonedTemps(dirname(file));
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot write --out ${file}: ${code ?? (error as Error).message}`, {
      hint: code === 'ENOENT' ? `The folder ${dirname(file)} does not exist: create it first.` : undefined,
      cause: error,
    });
  }
}

/** Progress and notes for people: stderr, so stdout stays machine-readable. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
