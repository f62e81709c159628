/**
 * Profiles: the model, the privacy policy every dialect applies, and the explain listing.
 *
 * @example
 * ```ts
 * import { applyPrivacyPolicy, formatProfileExplain, ProfileModel } from '@understudy/core';
 * ```
 */
export * from './profile-model.js';
export * from './profile-privacy.js';
export * from './profile-explain.js';
export * from './profile-scan-sql.js';
export * from './profile-build.js';
