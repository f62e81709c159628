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
import { createBinaryRewriter, type BinaryEncoderModule } from '../scrub-binary-rows.js';
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
const rewriters = new Map<string, (chunk: Uint8Array) => Uint8Array>();
const decoder = new TextDecoder('utf-8', { fatal: true });

async function rewriterFor(task: ScrubChunkTask): Promise<(chunk: Uint8Array) => Uint8Array> {
  const t = plan.tables.find((x) => x.table === task.table);
  if (!t) throw new Error(`scrub worker: no table ${task.table} in the plan`);
  if (task.binary) return createBinaryRewriter(t, (await import(task.binary.module)) as BinaryEncoderModule, task.binary.spec);
  const rewrite = createLineRewriter(t, codec);
  return (chunk) => Buffer.from(rewrite(decoder.decode(chunk)));
}

export default async function scrubChunk(task: ScrubChunkTask | ScrubReadyTask): Promise<unknown> {
  if (task.kind === 'ready') return null;
  try {
    let rewrite = rewriters.get(task.table);
    if (!rewrite) {
      rewrite = await rewriterFor(task);
      rewriters.set(task.table, rewrite);
    }
    const out = rewrite(task.chunk);
    // its own buffer, whole, to transfer (a rewritten chunk may be a view of a larger one)
    const own = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : new Uint8Array(out);
    return move(own);
  } catch (error) {
    throw encodeWorkerError(error);
  }
}
