#!/usr/bin/env node
/**
 * The CLI entry. This is the one place that calls `process.exit`.
 *
 * Exit codes: 0 success, 1 the check found problems, 2 usage or config error,
 * 3 connection or runtime error.
 */
import { run } from './run.js';

/** Resolves once everything written to `stream` so far has been handed to the OS (a pipe is asynchronous). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}

// The reader of a pipe went away (`understudy introspect | head`): nothing more to say, stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const code = await run(process.argv.slice(2));
// Exiting at once would cut off output still queued for a pipe (`understudy introspect | jq`).
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
// Drivers and embedded databases can keep handles open; the command is done.
process.exit(code);
