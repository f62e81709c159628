/**
 * piscina's entry file for the generate workers, in CommonJS on purpose. piscina `require()`s its
 * worker file first; on Node 20 a `require()` of an ES module can meet an `import()` still in
 * flight in the same thread and abort the process (FATAL "v8::Module::IsGraphAsync must be used
 * on an instantiated module"). Here `require()` loads plain CommonJS, and the worker's ES module
 * is loaded once, by `import()`.
 */
type Worker = typeof import('./generate-chunk-worker.js', { with: { 'resolution-mode': 'import' } });

let worker: Promise<Worker['default']> | undefined;

function generateChunkEntry(message: Parameters<Worker['default']>[0]): Promise<unknown> {
  worker ??= import('./generate-chunk-worker.js').then((m) => m.default);
  return worker.then((run) => run(message));
}

export = generateChunkEntry;
