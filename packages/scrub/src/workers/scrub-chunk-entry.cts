/**
 * piscina's entry file for the scrub workers, in CommonJS on purpose: see
 * `@understudy/generate`'s `generate-chunk-entry.cts` (a `require()` of an ES module racing an
 * `import()` in flight aborts Node 20). The worker's ES module is loaded once, by `import()`.
 */
type Worker = typeof import('./scrub-chunk-worker.js', { with: { 'resolution-mode': 'import' } });

let worker: Promise<Worker['default']> | undefined;

function scrubChunkEntry(task: Parameters<Worker['default']>[0]): Promise<unknown> {
  worker ??= import('./scrub-chunk-worker.js').then((m) => m.default);
  return worker.then((run) => run(task));
}

export = scrubChunkEntry;
