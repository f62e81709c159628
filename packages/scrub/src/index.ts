/**
 * @understudy/scrub: a copy of production with no personal data, joins intact.
 * Keyed, deterministic transforms (permutations for keys, format-preserving fakes),
 * the scrub plan (policy × schema, fail-closed), the streaming pipeline and the leak audit.
 *
 * @example
 * ```ts
 * import { planScrub, readScrubKey } from '@understudy/scrub';
 * const plan = planScrub(schema, policy, { key: readScrubKey({ env: process.env }), dictionaries });
 * ```
 */
export { ScrubKey, readScrubKey, SCRUB_KEY_ENV, MIN_KEY_LENGTH } from './scrub-key.js';
export { halfSip, sipKey, KeyedStream, keyedHex, type SipKey } from './keyed-prf.js';
export { createIntPermutation, integerKeyPermutation, integerRange, type IntPermutation } from './int-permutation.js';
export { createTextPermutation, type TextPermutationOptions } from './text-permutation.js';
export { createFaker, scrambleShape, FAKE_MIN_LENGTH, type FakeFn } from './fakes.js';
export { createTextScrubber } from './free-text.js';
export { compileColumnTransform, checkTransformFits, type ValueTransform, type TransformContext } from './column-transforms.js';
export { planScrub, policyCoverage, copiedTables, rowEntity, SchemaDriftError, type ScrubPlan, type ScrubTablePlan, type ScrubPlanOptions } from './scrub-plan.js';
export { createLineRewriter, type FieldCodec } from './scrub-lines.js';
export { runScrub, checkTargetSchema, type RunScrubOptions, type ScrubResult, type ScrubTableResult, type ScrubProgress } from './scrub-run.js';
export { HashSet64 } from './hash-set.js';
export { auditLeaks, formatAuditReport, MIN_TOKEN_LENGTH, COMMON_TOKEN_ROWS, type AuditReport, type AuditOptions, type LeakHit, type JoinCheck, type KeyCheck } from './leak-audit.js';
export { createScrubPool, type ScrubPool, type ScrubWorkerSetup } from './scrub-pool.js';
export { computeSubset, parseSubsetRule, formatSubsetReport, type Subset, type SubsetRule, type SubsetTableReport, type ComputeSubsetOptions } from './subset.js';
