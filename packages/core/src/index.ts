/**
 * @understudy/core: the Schema and Profile models, the one config model of every
 * command (`defineConfig`, its JSON Schema), the `Dialect` and `Sink` interfaces
 * and the dialect registry, the FK graph, typed errors and the PII detectors.
 *
 * @example
 * ```ts
 * import { parseSchema, countSchema } from '@understudy/core';
 * const schema = parseSchema(await readFile('schema.json', 'utf8'));
 * console.log(countSchema(schema));
 * ```
 */
// The public API.
export { GenerateConfig, ColumnConfig, TableConfig, CheckConfig, type GenerateConfigInput } from './config/generate-config.js';
export { RehearseConfig, RehearseCheck, type RehearseConfigInput } from './config/rehearse-config.js';
export { UnderstudyConfig, EnvironmentConfig, ProfilingConfig, FidelityConfig, ScrubConfig, defineConfig, configJsonSchema, type UnderstudyConfigInput } from './config/understudy-config.js';
export { withEnvironment } from './config/environments.js';
export {
  qualifiedName,
  SCHEMA_VERSION,
  ColumnKind,
  ColumnDefault,
  Column,
  PrimaryKey,
  UniqueKey,
  ReferentialAction,
  ForeignKey,
  CheckConstraint,
  Index,
  Trigger,
  Table,
  EnumType,
  DomainType,
  Sequence,
  View,
  Extension,
  SchemaModel,
  type Schema,
  type SchemaInput,
  uniqueKeyColumns,
} from './schema-model.js';
export { normalizeSchema, serializeSchema, parseSchema } from './schema-file.js';
export { isUnderstudyError, type ExitCode, UnderstudyError, UsageError, ConnectionError, SqlFileError } from './errors.js';
export { dialectForUrl, type IntrospectOptions, type ProfileOptions, type DatabaseConnection, type ConnectionTarget, type Dialect } from './dialect.js';
export { dialectInfo, parseDialectName, DIALECT_NAMES, type DialectName, type DialectCapabilities, type DialectInfo } from './dialect-registry.js';
export { buildFkGraph, type FkGraph } from './fk-graph.js';
export { redactUrl, redactSecrets } from './redact-url.js';
export { countSchema, formatSchemaSummary } from './schema-summary.js';
export type { EncoderColumn, RowEncoding, LoadTarget, ChunkWriter, Sink, OpenSinkOptions } from './sink.js';
export { profileToJson, PROFILE_VERSION, ProfileModel, type Profile } from './profile-model.js';
export { serializeScrubPolicy, parseScrubPolicy, SCRUB_POLICY_VERSION, FAKE_MIN_LENGTH, HASH_MIN_LENGTH, FakeKind, Transform, ColumnRule, ScrubPolicyModel, type ScrubPolicy } from './scrub-policy.js';
export type { ScanReport } from './scan/scan-model.js';
export { scanDatabase } from './scan/scan-database.js';
export type { RehearsalTarget } from './rehearsal-target.js';
export type { FidelityReport } from './fidelity/fidelity-model.js';
export { scoreFidelity } from './fidelity/fidelity-score.js';

// Exported for the other Understudy packages and their tests: not a stable API, may change in any release.
/** @internal */
export { migrationBookkeeping } from './migration-bookkeeping.js';
/** @internal */
export { tablePattern, matchesTablePattern } from './table-patterns.js';
/** @internal */
export { referencesFromKept, keptReferenceError, type KeptReference } from './truncate-guard.js';
/** @internal */
export { GENERATE_CONFIG_KEYS } from './config/generate-config.js';
/** @internal */
export { DEFAULT_LOCK_THRESHOLD_ROWS } from './config/rehearse-config.js';
/** @internal */
export type { ColumnSampleOptions, ColumnSample, SqlFileOptions, EmbeddedDdl, OpenEmbeddedOptions, EmbeddedDatabase } from './dialect.js';
/** @internal */
export { dialectNameFor, embeddedDialectInfo, type LockEffect, type SqlSyntax, DIALECTS } from './dialect-registry.js';
/** @internal */
export { prioritizedLoadOrder, type FkEdge, type BrokenEdge, type FkCycle, type FkGraphOptions } from './fk-graph.js';
/** @internal */
export { splitSql, type SqlFlavor, type SqlStatement } from './sql-splitter.js';
/** @internal */
export { urlSecrets, ambiguousUrlReason, PERCENT_ENCODE_HINT } from './redact-url.js';
/** @internal */
export type { SchemaCounts } from './schema-summary.js';
/** @internal */
export { guessSqlFlavor } from './sql-flavor.js';
/** @internal */
export type { DeferredUpdateTarget, ExistingRowsRequest, ExistingRows, SinkCommitOptions, SqlFileFormat } from './sink.js';
/** @internal */
export type { TextRow, SnapshotReader, RawRowFormat } from './snapshot-reader.js';
/** @internal */
export { parseDuration, lockTimeoutMs, DEFAULT_LOCK_TIMEOUT_MS, TargetConfig } from './target-config.js';
/** @internal */
export { binaryReason, readTextFile } from './text-file.js';
/** @internal */
export { tempPathFor, removeAbandonedTemps, makeDirectory } from './output-files.js';
/** @internal */
export {
  bucketLabel,
  bucketCounts,
  thinFanout,
  ProfileValue,
  ProfileStat,
  BucketLabel,
  LengthBucket,
  FanoutBucket,
  ProfileColumn,
  ProfileForeignKey,
  ProfileTable,
  ProfileOrder,
  ProfileNullsTogether,
} from './profile-model.js';
/** @internal */
export {
  classifyColumn,
  toProfileValue,
  applyPrivacyPolicy,
  type RawColumnStats,
  type PrivacyInput,
  LOW_CARDINALITY_COUNT,
  LOW_CARDINALITY_RATIO,
  FREE_TEXT_LENGTH,
  DEFAULT_K,
} from './profile-privacy.js';
/** @internal */
export { formatProfileExplain } from './profile-explain.js';
/** @internal */
export {
  hasTextLengths,
  fanoutSql,
  lengthSql,
  fanoutBuckets,
  lengthBuckets,
  orderPairs,
  orderSql,
  orderRelations,
  MAX_ORDER_PAIRS,
  ORDER_HOLDS,
  scanRelations,
  type TableRelations,
  type QuoteIdentifier,
} from './profile-scan-sql.js';
/** @internal */
export { tolerantScan, isStatementError, statementErrorReason, type TolerantScan } from './profile-scan-tolerant.js';
/** @internal */
export { buildProfile, type RawTableStats, type BuildProfileOptions } from './profile-build.js';
/** @internal */
export { PiiKind, DetectionSource, Detection } from './pii/pii-kind.js';
/** @internal */
export { luhnValid, mod, ibanValid, verhoeffValid, elevenTestValid } from './pii/checksums.js';
/** @internal */
export { isEmail, countEmailsIn, isPhone, phoneDigitsOnly, countPhonesIn } from './pii/contact.js';
/** @internal */
export { isCardNumber, countCardNumbersIn, isIban, countIbansIn } from './pii/finance.js';
/** @internal */
export { nationalIdScheme, countNationalIdsIn, type NationalIdScheme, NATIONAL_ID_SCHEMES } from './pii/national-ids.js';
/** @internal */
export { isIpAddress, countIpAddressesIn, isMacAddress, countMacAddressesIn, isUrlWithCredentials, countUrlsWithCredentialsIn } from './pii/network.js';
/** @internal */
export { isJwt, countJwtsIn, shannonEntropy, looksRandomToken, secretKind, countSecretsIn } from './pii/secrets.js';
/** @internal */
export { isStreetAddress, countStreetAddressesIn, isPostcode, postcodeDigitsOnly } from './pii/places.js';
/** @internal */
export { isCommonWord, isVocabularyWord, personName, isCompanyName, isProperName, isCode } from './pii/names.js';
/** @internal */
export { dictionariesFromLocales, dictionariesFromFaker, serializeDictionaries, loadPiiDictionaries, builtInDictionaries, type PiiDictionaries, BUSINESS_WORDS } from './pii/dictionaries.js';
/** @internal */
export { wholeValueDetections, countPersonNamesIn, type ValueDetector, VALUE_DETECTORS, NATIONAL_ID_IN_TEXT } from './pii/value-detectors.js';
/** @internal */
export { isFreeText, findInText, findInJson, parseJsonDocument, type InsideFinding } from './pii/inside-values.js';
/** @internal */
export { nameTokens, kindsFromName, detectFromSchema, PEOPLE_TABLES, type NameHit } from './pii/column-name-detector.js';
/** @internal */
export { analyzeValues, verdictFromValues, type ValueAnalysis, type ValuesVerdict } from './pii/value-analysis.js';
/** @internal */
export { classifyColumnPii, type ColumnPiiInput, type PiiVerdict, MIN_VALUES_TO_OVERRULE } from './pii/column-verdict.js';
/** @internal */
export { PlainTransform, JsonPathTransform, TableRules } from './scrub-policy.js';
/** @internal */
export type { ScannedColumn, ScannedTable } from './scan/scan-model.js';
/** @internal */
export { transformForKind, proposeTransform, type ProposedRule } from './scan/scan-transform.js';
/** @internal */
export { scanSamples, type TableSample, type ScanSamplesOptions } from './scan/scan-columns.js';
/** @internal */
export { type ScanDatabaseOptions, DEFAULT_SCAN_SAMPLE } from './scan/scan-database.js';
/** @internal */
export { formatScanReport, policyFromScan } from './scan/scan-output.js';
/** @internal */
export { updatePolicy, type PolicyUpdate } from './scan/policy-update.js';
/** @internal */
export {
  type OpenRehearsalTargetOptions,
  type LockModeInfo,
  type HeldLock,
  type Rewrite,
  type AlterProbe,
  type StatementTrace,
  type RowReads,
  type ColumnSnapshot,
  type TableSnapshot,
  type DataSnapshot,
  type ColumnFingerprint,
  type TableFingerprint,
  type DataFingerprint,
  SNAPSHOT_ROW_LIMIT,
  type OffendingRows,
  type ObservedStatement,
  type ExternalTrace,
  type ExternalWatch,
  type ServerStatement,
} from './rehearsal-target.js';
/** @internal */
export {
  rehearsalDatabaseName,
  rehearsalDatabaseCreatedAt,
  leftoverRehearsalDatabases,
  REHEARSAL_DATABASE_PREFIX,
  LEFTOVER_AGE_MS,
  type RehearsalDatabaseGroups,
  type RehearsalCleanup,
} from './rehearsal-database-name.js';
/** @internal */
export { triggerInserts, triggerCopies, type TriggerCopy } from './trigger-inserts.js';
/** @internal */
export { FIDELITY_VERSION, FidelityMetricName, FidelityMetric, FidelityBar, FidelityChart, FidelityColumn, FidelityTable, FidelityPairTrend, FidelityReportModel } from './fidelity/fidelity-model.js';
/** @internal */
export {
  orderedValue,
  columnCdf,
  cdfAt,
  ksDistance,
  cdfQuantile,
  categoryLabel,
  categoryShares,
  totalVariation,
  bucketShares,
  type CdfPiece,
  type Cdf,
  OTHER,
} from './fidelity/distribution-distance.js';
/** @internal */
export { categoricalChart, numericChart, lengthsChart, fanoutChart } from './fidelity/fidelity-charts.js';
/** @internal */
export { expectedDistinct, scoreColumn, worstColumns, type ScoreFidelityOptions, type KeyRole, type ColumnContext, unmeasuredColumns, coverageText } from './fidelity/fidelity-score.js';
/** @internal */
export { escapeHtml, fidelityHtml } from './fidelity/fidelity-html.js';
/** @internal */
export { containerStartError, type StartedDatabaseContainer } from './database-container.js';
/** @internal */
export { withPartitionForeignKeys } from './partition-foreign-keys.js';
