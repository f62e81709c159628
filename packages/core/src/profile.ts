/**
 * Profiles: the model, the privacy policy every dialect applies, and the explain listing.
 *
 * @example
 * ```ts
 * import { applyPrivacyPolicy, formatProfileExplain, ProfileModel } from '@understudy/core';
 * ```
 */
export {
  bucketLabel,
  bucketCounts,
  profileToJson,
  PROFILE_VERSION,
  ProfileValue,
  ProfileStat,
  BucketLabel,
  LengthBucket,
  FanoutBucket,
  ProfileColumn,
  ProfileForeignKey,
  ProfileTable,
  ProfileModel,
  type Profile,
} from './profile-model.js';
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
export { formatProfileExplain } from './profile-explain.js';
export { hasTextLengths, fanoutSql, lengthSql, fanoutBuckets, lengthBuckets, type QuoteIdentifier } from './profile-scan-sql.js';
export { buildProfile, type RawTableStats, type BuildProfileOptions } from './profile-build.js';
