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
export { GENERATOR_VERSION, FAKER_VERSION } from './version.js';
export type { GeneratedValue, JsonValue } from './values.js';

// Randomness
export { AddressRandom } from './random/address-random.js';
export { addressKey, fmix32, hashString32, type AddressKey } from './random/hash.js';
export { createPermutation, MAX_PERMUTATION_SIZE, type Permutation } from './random/permutation.js';
export { skewedRank } from './random/skew.js';
export { AddressRandomizer, createBoundFaker, fakerLocale, fakerLocaleNames, type BoundFaker } from './random/faker-randomizer.js';

// Generators
export type { AnyGeneratorDefinition, GeneratorDefinition, GeneratorEnv, PickReader, ValueFn } from './generators/generator-types.js';
export { defineGenerator } from './generators/generator-types.js';
export { findGenerator, generatorNamed, listGenerators, parseGeneratorParams } from './generators/registry.js';
export { compileTextFit, TextFit, truncateText, uniqueTextCapacity, type TextFitFn } from './generators/text-fit.js';

// Inference
export { inferSemanticKind, earlierSibling, type SemanticContext, type SemanticMatch } from './infer/infer-semantic.js';
export { SEMANTIC_KINDS, SEMANTIC_RULES, type SemanticRule } from './infer/semantic-kinds.js';
export { semanticIntent, type SemanticIntent } from './infer/semantic-intents.js';
export { nameTokens } from './infer/name-tokens.js';

// CHECK constraints
export { parseCheck, CheckParseError, type CheckNode, type CheckParseOptions } from './checks/check-parser.js';
export { interpretCheck, describeNode, type InterpretOptions } from './checks/check-interpreter.js';
export type { Bound, CheckInterpretation, ColumnConstraint, Scalar } from './checks/check-constraints.js';
export { parseLike, likeMatches, type LikePattern } from './checks/like-pattern.js';
export { parseRegex, generateFromRegex, RegexSubsetError, type ParsedRegex } from './checks/regex-subset.js';

// Plan
export { buildPlan, resolveTableKey, DEFAULT_NULL_RATE, DEFAULT_REFERENCE_TIME, type PlanOptions } from './plan/build-plan.js';
export { checkPlanAgainstSchema, parseSavedPlan, planInDatabaseOf } from './plan/saved-plan.js';
export { PLAN_VERSION, PlanModel, parsePlan, loadColumns, GeneratorSpec, PlanColumn, PlanPick, PlanTable, PlanCheck, PlanKeptTable, type Plan } from './plan/plan-model.js';
export { PlanError, type PlanProblem, type PlanProblemCode } from './plan/plan-errors.js';
export { defineConfig, GenerateConfig, ColumnConfig, TableConfig, CheckConfig, type GenerateConfigInput } from './plan/generate-config.js';
export { DEFAULT_ROWS } from './plan/table-rows.js';
export { formatPlanSummary } from './plan/plan-summary.js';
export { selectTables, existingRowsRequests, KEPT_PARENT_ROWS, type TableSelection, type TableSelectionOptions } from './plan/table-selection.js';
export { planForSink, planForSaving, withKeptValues, writableTables } from './plan/target-plan.js';

// Rows
export { generateRows, createRowGenerator, generateDeferredUpdates, type RowGenerator, type DeferredUpdateRow } from './row/row-generator.js';
export { compilePlan, CompiledPlan, CompiledTable } from './row/compiled-plan.js';

// Sinks and chunking
export { planChunks, shardRange, type RowRange } from './sink/chunks.js';
export { loadTarget, deferredUpdateTargets, encoderColumn } from './sink/load-targets.js';
export { openFileSink, tableFileName, FILE_FORMATS, type FileFormat, type FileSinkOptions } from './files/file-sink.js';

// Worker pool and seeding
export { createChunkPool, defaultWorkers, planIdOf, type ChunkPool, type ChunkPoolOptions } from './pool/chunk-pool.js';
export type { ChunkTask } from './workers/chunk-task.js';
export { seed, SeedAbortedError, SeedNotRolledBackError, DEFAULT_CHUNK_ROWS, SMALL_PLAN_ROWS, workersFor, type SeedOptions } from './seed/seed.js';
export type { SeedProgress, SeedResult, TableSeedResult } from './seed/seed-progress.js';
export { OrderedChunks, writeInOrder, type OrderedChunksOptions } from './seed/ordered-chunks.js';
export { scaleRows, SMALL_TABLE_ROWS, LOOKUP_TABLE_ROWS, type ScaledRows } from './plan/scaled-rows.js';
export { encodeWorkerError, reviveWorkerError } from './workers/worker-errors.js';
