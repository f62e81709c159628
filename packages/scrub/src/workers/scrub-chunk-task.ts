/** What the scrub's worker threads are given once (workerData) and per chunk. */
import type { PiiDictionaries, Schema, ScrubPolicy } from '@understudy/core';
import type { BinaryRewriteSpec } from '../scrub-binary-rows.js';

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
  /** Binary COPY tuples (`createBinaryRewriter`): the encoder module to load and the table's spec; absent for rows of text. */
  readonly binary?: { readonly module: string; readonly spec: BinaryRewriteSpec };
}

export interface ScrubReadyTask {
  readonly kind: 'ready';
}
