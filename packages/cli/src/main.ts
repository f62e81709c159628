#!/usr/bin/env node
/**
 * The CLI entry. This is the one place that calls `process.exit`.
 *
 * Exit codes: 0 success, 1 the check found problems, 2 usage or config error,
 * 3 connection or runtime error.
 */
import { run } from './run.js';

const code = await run(process.argv.slice(2));
// Drivers and embedded databases can keep handles open; the command is done.
process.exit(code);
