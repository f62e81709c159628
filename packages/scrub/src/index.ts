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

// The public API.
export { ScrubKey, readScrubKey, SCRUB_KEY_ENV } from './scrub-key.js';
export { planScrub, SchemaDriftError, type ScrubPlan, type ScrubPlanOptions } from './scrub-plan.js';
export { runScrub, type RunScrubOptions, type ScrubResult, type ScrubProgress } from './scrub-run.js';
export { auditLeaks, formatAuditReport, type AuditReport, type AuditOptions } from './leak-audit.js';

// Exported for the other Understudy packages and their tests: not a stable API, may change in any release.
/** @internal */
export { MIN_KEY_LENGTH } from './scrub-key.js';
/** @internal */
export { halfSip, sipKey, KeyedStream, keyedHex, type SipKey } from './keyed-prf.js';
/** @internal */
export { createIntPermutation, integerKeyPermutation, integerRange, type IntPermutation, type IntegerKeyPermutation } from './int-permutation.js';
/** @internal */
export { createTextPermutation, type TextPermutationOptions } from './text-permutation.js';
/** @internal */
export { createFaker, scrambleShape, FAKE_MIN_LENGTH, type FakeFn } from './fakes.js';
/** @internal */
export { createTextScrubber } from './free-text.js';
/** @internal */
export { compileColumnTransform, checkTransformFits, type ValueTransform, type TransformContext } from './column-transforms.js';
/** @internal */
export { policyCoverage, copiedTables, type ScrubTablePlan } from './scrub-plan.js';
/** @internal */
export { checkTargetSchema, type ScrubTableResult } from './scrub-run.js';
/** @internal */
export { HashSet64 } from './hash-set.js';
/** @internal */
export { MIN_TOKEN_LENGTH, COMMON_TOKEN_ROWS, type LeakHit, type JoinCheck, type KeyCheck } from './leak-audit.js';
/** @internal */
export { rowEntity } from './scrub-plan.js';
/** @internal */
export { withPolicyForeignKeys } from './policy-foreign-keys.js';
/** @internal */
export { createLineRewriter, type FieldCodec } from './scrub-lines.js';
/** @internal */
export { createScrubPool, type ScrubPool, type ScrubWorkerSetup } from './scrub-pool.js';
/** @internal */
export { computeSubset, parseSubsetRule, formatSubsetReport, type Subset, type SubsetRule, type SubsetTableReport, type ComputeSubsetOptions } from './subset.js';
/** @internal */
export { targetKeyedAsSource, targetKeyOf, sinkKeyedAsSource } from './target-namespace.js';
