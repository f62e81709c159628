/**
 * The piscina worker entry: holds one compiled plan (sent once, as workerData)
 * and answers `ChunkTask`s with encoded bytes, transferred (never row objects).
 */
import { move, workerData } from 'piscina';
import type { Plan } from '../plan/plan-model.js';
import { loadFakerLocale } from '../random/faker-randomizer.js';
import { ChunkRunner } from './chunk-runner.js';
import type { ChunkTask, ReadyTask, WorkerSetup } from './chunk-task.js';
import { encodeWorkerError } from './worker-errors.js';

const setup = workerData as WorkerSetup;
// The main thread validated the plan (buildPlan or parsePlan) before starting the pool; planId is its hash.
const plan = JSON.parse(setup.planJson) as Plan;
await loadFakerLocale(plan.locale);
const runner = new ChunkRunner(setup.planId, plan);

/**
 * Encodes one chunk (into the task's buffer when it fits); the chunk's own ArrayBuffer is transferred to the main thread.
 * A `ready` task is answered at once: this worker has started.
 */
export default async function generateChunk(message: (ChunkTask & { readonly into?: ArrayBuffer }) | ReadyTask): Promise<unknown> {
  if (message.kind === 'ready') return null;
  const { into, ...task } = message;
  let bytes: Uint8Array;
  try {
    bytes = await runner.run(task, into);
  } catch (error) {
    throw encodeWorkerError(error);
  }
  return move(bytes);
}
