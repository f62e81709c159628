/**
 * @understudy/generate: deterministic, constraint-satisfying synthetic data.
 * Schema → `buildPlan` → Plan (JSON) → `generateRows` (pure in the row index).
 *
 * @example
 * ```ts
 * import { buildPlan, generateRows } from '@understudy/generate';
 * const plan = buildPlan(schema, { seed: 42, rows: 1000 });
 * for (const table of plan.loadOrder) console.log(table, generateRows(plan, table, 0, 5));
 * ```
 */

// The public API.
export { GENERATOR_VERSION } from './version.js';
export type { GeneratedValue, JsonValue } from './values.js';
export { type GeneratorDefinition, defineGenerator } from './generators/generator-types.js';
export { listGenerators } from './generators/registry.js';
export { buildPlan, type PlanOptions } from './plan/build-plan.js';
export { planCostOrder, planLoadOrder } from './plan/load-order.js';
export { PLAN_VERSION, PlanModel, parsePlan, type Plan } from './plan/plan-model.js';
export { PlanError, type PlanProblem, type PlanProblemCode } from './plan/plan-errors.js';
export { defineConfig, GenerateConfig, ColumnConfig, TableConfig, CheckConfig, type GenerateConfigInput } from '@understudy/core';
export { DEFAULT_ROWS } from './plan/table-rows.js';
export { formatPlanSummary } from './plan/plan-summary.js';
export { generateRows } from './row/row-generator.js';
export { openFileSink, FILE_FORMATS, type FileFormat, type FileSinkOptions } from './files/file-sink.js';
export { seed, SeedAbortedError, type SeedOptions } from './seed/seed.js';
export type { SeedProgress, SeedResult, TableSeedResult } from './seed/seed-progress.js';

// Exported for the other Understudy packages and their tests: not a stable API, may change in any release.
/** @internal */
export { FAKER_VERSION } from './version.js';
/** @internal */
export { AddressRandom } from './random/address-random.js';
/** @internal */
export { addressKey, fmix32, hashString32, type AddressKey } from './random/hash.js';
/** @internal */
export { createPermutation, MAX_PERMUTATION_SIZE, type Permutation } from './random/permutation.js';
/** @internal */
export { skewedRank } from './random/skew.js';
/** @internal */
export { AddressRandomizer, createBoundFaker, fakerLocale, fakerLocaleNames, loadFakerLocale, type BoundFaker } from './random/faker-randomizer.js';
/** @internal */
export type { AnyGeneratorDefinition, GeneratorEnv, PickReader, ValueFn } from './generators/generator-types.js';
/** @internal */
export { findGenerator, generatorNamed, parseGeneratorParams } from './generators/registry.js';
/** @internal */
export { compileTextFit, TextFit, truncateText, uniqueTextCapacity, type TextFitFn } from './generators/text-fit.js';
/** @internal */
export { inferSemanticKind, earlierSibling, type SemanticContext, type SemanticMatch } from './infer/infer-semantic.js';
/** @internal */
export { SEMANTIC_KINDS, SEMANTIC_RULES, type SemanticRule } from './infer/semantic-kinds.js';
/** @internal */
export { semanticIntent, type SemanticIntent } from './infer/semantic-intents.js';
/** @internal */
export { nameTokens } from './infer/name-tokens.js';
/** @internal */
export { parseCheck, CheckParseError, type CheckNode, type CheckParseOptions } from './checks/check-parser.js';
/** @internal */
export { interpretCheck, describeNode, type InterpretOptions } from './checks/check-interpreter.js';
/** @internal */
export type { Bound, CheckInterpretation, ColumnConstraint, Scalar } from './checks/check-constraints.js';
/** @internal */
export { parseLike, likeMatches, type LikePattern } from './checks/like-pattern.js';
/** @internal */
export { parseRegex, generateFromRegex, RegexSubsetError, type ParsedRegex } from './checks/regex-subset.js';
/** @internal */
export { resolveTableKey, DEFAULT_NULL_RATE, DEFAULT_REFERENCE_TIME } from './plan/build-plan.js';
/** @internal */
export { checkPlanAgainstSchema, parseSavedPlan, planInDatabaseOf } from './plan/saved-plan.js';
/** @internal */
export { loadColumns, GeneratorSpec, PlanColumn, PlanPick, PlanTable, PlanCheck, PlanKeptTable } from './plan/plan-model.js';
/** @internal */
export { selectTables, existingRowsRequests, KEPT_PARENT_ROWS, type TableSelection, type TableSelectionOptions } from './plan/table-selection.js';
/** @internal */
export { planForSink, planForSaving, withKeptValues, writableTables } from './plan/target-plan.js';
/** @internal */
export { createRowGenerator, generateDeferredUpdates, type RowGenerator, type DeferredUpdateRow } from './row/row-generator.js';
/** @internal */
export { compilePlan, CompiledPlan, CompiledTable } from './row/compiled-plan.js';
/** @internal */
export { planChunks, shardRange, type RowRange } from './sink/chunks.js';
/** @internal */
export { loadTarget, deferredUpdateTargets, encoderColumn } from './sink/load-targets.js';
/** @internal */
export { tableFileName } from './files/file-sink.js';
/** @internal */
export { createChunkPool, defaultWorkers, planIdOf, type ChunkPool, type ChunkPoolOptions } from './pool/chunk-pool.js';
/** @internal */
export type { ChunkTask } from './workers/chunk-task.js';
/** @internal */
export { SeedNotRolledBackError, DEFAULT_CHUNK_ROWS, SMALL_PLAN_ROWS, workersFor } from './seed/seed.js';
/** @internal */
export { OrderedChunks, writeInOrder, type OrderedChunksOptions } from './seed/ordered-chunks.js';
/** @internal */
export { scaleRows, SMALL_TABLE_ROWS, LOOKUP_TABLE_ROWS, type ScaledRows } from './plan/scaled-rows.js';
/** @internal */
export { encodeWorkerError, reviveWorkerError } from './workers/worker-errors.js';
/** Day numbers of civil dates and their `YYYY-MM-DD` text (what scrub's `shift-date` moves). */
export { daysFromCivil, formatDate } from './generators/time-format.js';
