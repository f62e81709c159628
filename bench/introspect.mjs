#!/usr/bin/env node
// Benchmark: how long introspection takes, from a DDL file on PGlite (start-up
// included, as a user running `introspect --from` pays it) and from a live
// PostgreSQL server. Run on demand after `npm run build`:
//
//   node bench/introspect.mjs [--runs 5] [--url postgres://postgres@127.0.0.1:5432/postgres]
//
// It prints one line per measurement: median and min of the runs, in ms.
import { parseArgs } from 'node:util';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { postgresDialect } from '@understudy/postgres';
import { countSchema } from '@understudy/core';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    url: { type: 'string', default: process.env.UNDERSTUDY_TEST_PG_URL },
  },
});
const runs = Number(values.runs);
const fixtures = ['fixtures/schemas/pagila/schema.sql', 'fixtures/schemas/northwind/schema.sql'];

async function measure(label, fn) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const c = countSchema(result);
  console.log(`${label.padEnd(60)} median ${times[Math.floor(times.length / 2)].toFixed(0).padStart(6)} ms   min ${times[0].toFixed(0).padStart(6)} ms   (${c.tables} tables, ${c.columns} columns)`);
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${runs} runs each`);
for (const file of fixtures) {
  await measure(`introspect --from ${file} (PGlite, start-up included)`, () => postgresDialect.introspectSqlFile(file));
}

if (values.url) {
  for (const file of fixtures) {
    const name = `understudy_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: values.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(values.url);
      url.pathname = `/${name}`;
      const loader = new pg.Client({ connectionString: url.toString() });
      await loader.connect();
      const { readFile } = await import('node:fs/promises');
      await loader.query(await readFile(file, 'utf8'));
      await loader.end();
      const db = await postgresDialect.connect(url.toString());
      try {
        await measure(`introspect --url (PostgreSQL server) of ${file}`, () => db.introspect());
      } finally {
        await db.close();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    }
  }
}
