#!/usr/bin/env node
// `npm start`: an end-to-end demo on a bundled fixture, on the embedded
// PGlite, so it needs no database server. It grows with every capability.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../bin/understudy', import.meta.url));
const fixture = 'fixtures/schemas/pagila/schema.sql';
mkdirSync(`${root}/.understudy`, { recursive: true });

function understudy(...args) {
  process.stdout.write(`\n$ understudy ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: 'inherit' });
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
understudy('seed', '--from', fixture, '--plan', '.understudy/pagila.plan.json');
process.stdout.write('\nThe Schema JSON is in .understudy/pagila.schema.json, the Plan in .understudy/pagila.plan.json (edit it and seed again);\n');
process.stdout.write('add --pglite .understudy/pagila-db to keep the seeded database. Try `bin/understudy --help` for more.\n');
