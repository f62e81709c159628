/**
 * Precision and recall of the rehearsal's hazard verdicts on labelled cases
 * (`fixtures/rehearse/labelled/cases.json`): good and bad migrations for the lock,
 * rewrite and data-loss rules of squawk, eugene and strong_migrations, written for
 * this project. Each case is one `understudy rehearse` through the built CLI, with
 * estimates at a production size (`--target-rows`, default 1,000,000 rows per
 * table), on PGlite and, with --url, on a PostgreSQL server too. Prints a table per
 * rule family and overall, and every case the verdict got wrong.
 *
 * It runs on demand, not in CI: 56 rehearsals with estimates take 5–25 minutes on a
 * 2-core machine, and their timings are what is being measured.
 *
 * Usage: node bench/rehearse-labelled.mjs [--url postgres://postgres@127.0.0.1:5432/postgres]
 *          [--target-rows 1000000] [--jobs 2] [--only case,case] [--no-pglite]
 * (--no-pglite: with --url, the server only, e.g. to run it beside a PGlite run)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..');
const DIR = 'fixtures/rehearse/labelled';
const KINDS = ['long-lock', 'data-lost'];

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    'target-rows': { type: 'string', default: '1000000' },
    jobs: { type: 'string', default: '2' },
    only: { type: 'string' },
    'no-pglite': { type: 'boolean', default: false },
  },
});
const ARGS = ['--rows', '1000', '--estimate-rows', '10000', '--target-rows', opts['target-rows'], '--no-down'];

function cli(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bin', 'understudy'), ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

function score(outcomes) {
  const c = { tp: 0, fp: 0, fn: 0, cases: outcomes.length };
  for (const { label, found } of outcomes) {
    for (const kind of KINDS) {
      const expected = label.expect.includes(kind);
      if (expected && found.has(kind)) c.tp++;
      else if (expected) c.fn++;
      else if (found.has(kind)) c.fp++;
    }
  }
  return c;
}

const ratio = (n, d) => (d === 0 ? '–' : (n / d).toFixed(2));
const line = (name, c) => `| ${name} | ${c.cases} | ${c.tp} | ${c.fp} | ${c.fn} | ${ratio(c.tp, c.tp + c.fp)} | ${ratio(c.tp, c.tp + c.fn)} |`;

async function pool(items, size, run) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await run(items[i]);
      }
    }),
  );
  return results;
}

const only = opts.only ? new Set(opts.only.split(',')) : undefined;
const labels = JSON.parse(await readFile(join(root, DIR, 'cases.json'), 'utf8')).filter((c) => !only || only.has(c.case));
const work = await mkdtemp(join(tmpdir(), 'understudy-labelled-'));
const environments = [...(opts['no-pglite'] && opts.url ? [] : [{ name: 'PGlite', args: [] }]), ...(opts.url ? [{ name: 'PostgreSQL', args: ['--url', opts.url] }] : [])];
try {
  for (const env of environments) {
    const started = performance.now();
    const runs = await pool(labels, Number(opts.jobs), async (label) => {
      const json = join(work, `${env.name}-${label.case}.json`);
      const result = await cli(['rehearse', `${DIR}/${label.case}`, ...ARGS, ...env.args, '--json', json]);
      if (!result.stderr.includes(`wrote ${json}`)) return { label, broken: result.stderr.trim().split('\n')[0] };
      const report = JSON.parse(await readFile(json, 'utf8'));
      return { label, report, found: new Set(report.hazards.map((h) => h.kind).filter((k) => KINDS.includes(k))) };
    });
    const outcomes = runs.filter((r) => !r.broken);
    const families = [...new Set(outcomes.map((o) => o.label.family))];
    console.log(`\nlabelled hazard cases on ${env.name}: understudy rehearse <case> ${ARGS.join(' ')}${env.args.length ? ' --url …' : ''} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
    console.log(
      [
        '| Rule family | Cases | TP | FP | FN | Precision | Recall |',
        '|---|---:|---:|---:|---:|---:|---:|',
        ...families.map((f) => line(f, score(outcomes.filter((o) => o.label.family === f)))),
        line('**overall**', score(outcomes)),
      ].join('\n'),
    );
    for (const r of runs.filter((r) => r.broken)) console.log(`  BROKEN ${r.label.case}: ${r.broken}`);
    for (const o of outcomes.filter((o) => KINDS.some((k) => o.label.expect.includes(k) !== o.found.has(k)))) {
      console.log(`  WRONG ${o.label.case}: expected [${o.label.expect.join(', ')}], found [${[...o.found].join(', ')}]: ${o.report.hazards.map((h) => h.message).join(' | ')}`);
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
