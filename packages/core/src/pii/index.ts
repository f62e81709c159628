/**
 * The PII detectors, in one place for `profile` (its privacy policy) and `scan`/`scrub`.
 *
 * @example
 * ```ts
 * import { classifyColumnPii, loadPiiDictionaries } from '@understudy/core';
 * const verdict = classifyColumnPii({ table, column, values, dictionaries: await loadPiiDictionaries() });
 * ```
 */
export { PiiKind, DetectionSource, Detection } from './pii-kind.js';
export { luhnValid, mod, ibanValid, verhoeffValid, elevenTestValid } from './checksums.js';
export { isEmail, countEmailsIn, isPhone, phoneDigitsOnly, countPhonesIn } from './contact.js';
export { isCardNumber, countCardNumbersIn, isIban, countIbansIn } from './finance.js';
export { nationalIdScheme, countNationalIdsIn, type NationalIdScheme, NATIONAL_ID_SCHEMES } from './national-ids.js';
export {
  isIpAddress,
  countIpAddressesIn,
  isMacAddress,
  countMacAddressesIn,
  isUrlWithCredentials,
  countUrlsWithCredentialsIn,
} from './network.js';
export { isJwt, countJwtsIn, shannonEntropy, looksRandomToken, secretKind, countSecretsIn } from './secrets.js';
export { isStreetAddress, countStreetAddressesIn, isPostcode, postcodeDigitsOnly } from './places.js';
export { isVocabularyWord, personName, isCompanyName, isProperName, isCode } from './names.js';
export { dictionariesFromLocales, loadPiiDictionaries, builtInDictionaries, type PiiDictionaries, BUSINESS_WORDS } from './dictionaries.js';
export { wholeValueDetections, countPersonNamesIn, type ValueDetector, VALUE_DETECTORS, NATIONAL_ID_IN_TEXT } from './value-detectors.js';
export { isFreeText, findInText, findInJson, parseJsonDocument, type InsideFinding } from './inside-values.js';
export { nameTokens, kindsFromName, detectFromSchema, PEOPLE_TABLES, type NameHit } from './column-name-detector.js';
export { analyzeValues, verdictFromValues, type ValueAnalysis, type ValuesVerdict } from './value-analysis.js';
export { classifyColumnPii, type ColumnPiiInput, type PiiVerdict, MIN_VALUES_TO_OVERRULE } from './column-verdict.js';
