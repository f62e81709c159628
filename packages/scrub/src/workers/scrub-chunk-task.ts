/** What the scrub's worker threads are given once (workerData) and per chunk. */
import type { PiiDictionaries, Schema, ScrubPolicy } from '@understudy/core';

export interface ScrubWorkerSetup {
  readonly schema: Schema;
  readonly policy: ScrubPolicy;
  readonly policyFile: string;
  /** The scrub key's secret: the worker derives the same subkeys (it stays in this process). */
  readonly secret: Uint8Array;
  readonly dictionaries: PiiDictionaries;
  readonly locale?: string;
  /** `RawRowFormat.fieldCodec` of the reader. */
  readonly fieldCodec: string;
}

/** One chunk of whole rows of a table, in the reader's raw format. */
export interface ScrubChunkTask {
  readonly kind: 'chunk';
  readonly table: string;
  readonly chunk: Uint8Array;
}

export interface ScrubReadyTask {
  readonly kind: 'ready';
}
