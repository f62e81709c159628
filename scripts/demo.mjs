#!/usr/bin/env node
// `npm start`: an end-to-end demo on a bundled fixture, on the embedded
// PGlite, so it needs no database server. It grows with every capability.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../bin/understudy', import.meta.url));
const fixture = 'fixtures/schemas/pagila/schema.sql';
mkdirSync(`${root}/.understudy`, { recursive: true });
// The demo's own outputs, made again on every run.
for (const dir of ['pagila-db', 'scrubbed']) rmSync(`${root}/.understudy/${dir}`, { recursive: true, force: true });
// The scrub's secret key: a fresh one for the demo (keep a real one out of the repository).
const env = { ...process.env, UNDERSTUDY_SCRUB_KEY: randomBytes(32).toString('hex') };

function understudy(...args) {
  run(args);
}

/** Runs `understudy ARGS`; with `lastLines`, prints only the last lines of what it prints (a long report's summary). */
function run(args, lastLines) {
  process.stdout.write(`\n$ understudy ${args.join(' ')}${lastLines ? ` | tail -${lastLines}` : ''}\n`);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', lastLines ? 'pipe' : 'inherit', 'inherit'], env, encoding: 'utf8' });
  if (lastLines) process.stdout.write(`${result.stdout.trimEnd().split('\n').slice(-lastLines).join('\n')}\n`);
  if (result.status !== 0) {
    process.stderr.write(`demo step failed with exit code ${result.status}\n`);
    process.exit(result.status ?? 1);
  }
}

process.stdout.write(`Understudy demo: the pagila schema (${fixture}), read on an embedded PGlite. No server needed.\n`);
understudy('introspect', '--from', fixture, '--summary');
understudy('introspect', '--from', fixture, '--out', '.understudy/pagila.schema.json');
understudy('plan', '--schema', '.understudy/pagila.schema.json', '--rows', '1000', '--seed', '42', '--out', '.understudy/pagila.plan.json');
// The saved plan makes the data: edit .understudy/pagila.plan.json (a row count, a generator) and run it again.
understudy('seed', '--from', fixture, '--plan', '.understudy/pagila.plan.json', '--pglite', '.understudy/pagila-db');
// Scrub the seeded copy as if it were production: scan proposes a policy (review it), scrub applies it.
run(['scan', '--url', 'pglite://./.understudy/pagila-db', '--out', '.understudy/scrub.policy.json'], 1);
understudy('scrub', '--source', 'pglite://./.understudy/pagila-db', '--policy', '.understudy/scrub.policy.json', '--out', '.understudy/scrubbed');
process.stdout.write('\nThe Schema JSON is in .understudy/pagila.schema.json, the Plan in .understudy/pagila.plan.json (edit it and seed again),\n');
process.stdout.write('the seeded database in .understudy/pagila-db, its scrub policy in .understudy/scrub.policy.json and the scrubbed\n');
process.stdout.write('copy as CSV in .understudy/scrubbed. Try `bin/understudy --help` for more.\n');
