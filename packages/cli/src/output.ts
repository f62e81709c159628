/**
 * Where command output goes: stdout, or a file written atomically (a temporary
 * file renamed into place), so an interrupted run never leaves half a file; the
 * temporary files of killed runs are removed by the next (see output-files.ts).
 */
import { rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { removeAbandonedTemps, tempPathFor, UsageError } from '@understudy/core';
import { painter } from './colour.js';

/** Writes `text` to `file` atomically, or to stdout when `file` is undefined or `-`. */
export async function writeOutput(text: string, file: string | undefined): Promise<void> {
  if (file === undefined || file === '-') {
    clearStatus();
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

/**
 * The result of a command for `--json [file]`, the same on every command: with `--json` alone (or
 * `--json -`) the JSON document on stdout instead of the readable output; with `--json FILE` the
 * document written to FILE and the readable output on stdout as usual.
 */
export async function writeResult(json: boolean | string | undefined, document: () => string, readable: () => string): Promise<void> {
  if (json === true || json === '-') {
    await writeOutput(document(), undefined);
    return;
  }
  if (typeof json === 'string') await writeOutput(document(), json);
  await writeOutput(readable(), undefined);
  // After the readable output, so that on a terminal the line is last, where the README shows it.
  if (typeof json === 'string') note(`wrote ${json}`);
}

/** Whether the JSON document goes to stdout (so nothing else may). */
export function jsonOnStdout(json: boolean | string | undefined): boolean {
  return json === true || json === '-';
}

/** How much a run says on stderr: `--quiet` (errors and warnings only), normal, or `--verbose`. */
export type OutputLevel = 'quiet' | 'normal' | 'verbose';
let level: OutputLevel = 'normal';

/** Set once per run from `--quiet` / `--verbose` (see program.ts). */
export function setOutputLevel(value: OutputLevel): void {
  level = value;
}

/** Progress and notes for people: stderr, so stdout stays machine-readable. Silent with --quiet, except warnings. */
export function note(message: string): void {
  if (level === 'quiet' && !/^(warning|understudy:)/.test(message)) return;
  clearStatus();
  process.stderr.write(`${message.replace(/^warning:/, painter(process.stderr).yellow('warning:'))}\n`);
}

/** Said even with --quiet and --json (on stderr): what a pipeline must not miss, such as an in-memory target. */
export function loud(message: string): void {
  clearStatus();
  process.stderr.write(`${message}\n`);
}

/** Whether status and progress lines are drawn: stderr is a terminal and --quiet was not given. */
export function drawing(): boolean {
  return process.stderr.isTTY === true && level !== 'quiet';
}

let statusShown = false;

/**
 * One status line on a terminal's stderr, replaced by the next (`starting PGlite…`, `planning…`),
 * so something shows from the first second. Nothing when stderr is not a terminal, or with --quiet.
 */
export function statusLine(text: string): void {
  if (!drawing()) return;
  process.stderr.write(`\r\x1b[K${text}…`);
  statusShown = true;
}

/** Clears the status or progress line, before anything else is printed. */
export function clearStatus(): void {
  if (!statusShown || !process.stderr.isTTY) return;
  process.stderr.write('\r\x1b[K');
  statusShown = false;
}

/** For the progress printer: a line it drew is now on screen, to clear before the next output. */
export function markStatusShown(): void {
  statusShown = true;
}

/** Said only with --verbose: where settings came from (which config, which database and why). */
export function verbose(message: string): void {
  if (level !== 'verbose') return;
  clearStatus();
  process.stderr.write(`${message}\n`);
}
