/**
 * The scrub's piscina worker: compiles the same scrub plan as the main thread (schema,
 * policy and key, sent once as workerData) and rewrites chunks of raw rows, answering
 * with the new bytes, transferred.
 */
import { move, workerData } from 'piscina';
import { encodeWorkerError, loadFakerLocale } from '@understudy/generate';
import { planScrub } from '../scrub-plan.js';
import { ScrubKey } from '../scrub-key.js';
import { createLineRewriter, type FieldCodec } from '../scrub-lines.js';
import type { ScrubChunkTask, ScrubReadyTask, ScrubWorkerSetup } from './scrub-chunk-task.js';

const setup = workerData as ScrubWorkerSetup;
await loadFakerLocale(setup.locale ?? 'en');
const plan = planScrub(setup.schema, setup.policy, {
  key: new ScrubKey(Buffer.from(setup.secret)),
  dictionaries: setup.dictionaries,
  policyFile: setup.policyFile,
  ...(setup.locale !== undefined ? { locale: setup.locale } : {}),
});
const codec = (await import(setup.fieldCodec)) as FieldCodec;
const rewriters = new Map<string, (chunk: string) => string>();
const decoder = new TextDecoder('utf-8', { fatal: true });

export default function scrubChunk(task: ScrubChunkTask | ScrubReadyTask): unknown {
  if (task.kind === 'ready') return null;
  try {
    let rewrite = rewriters.get(task.table);
    if (!rewrite) {
      const t = plan.tables.find((x) => x.table === task.table);
      if (!t) throw new Error(`scrub worker: no table ${task.table} in the plan`);
      rewrite = createLineRewriter(t, codec);
      rewriters.set(task.table, rewrite);
    }
    const out = Buffer.from(rewrite(decoder.decode(task.chunk)));
    return move(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
  } catch (error) {
    throw encodeWorkerError(error);
  }
}
