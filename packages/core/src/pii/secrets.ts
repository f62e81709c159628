/**
 * Secrets: JSON Web Tokens, API keys of well-known services (by their documented
 * prefixes), password hashes, private keys, and, failing those, long random-looking
 * tokens (by Shannon entropy and character mix).
 *
 * @example
 * ```ts
 * isJwt('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'); // true
 * secretKind('ghp_16C7e42F292c6912E7710c838347Ae178B4a'); // 'github-token'
 * secretKind('hello world'); // undefined
 * ```
 */

const JWT = /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/;
const JWT_IN_TEXT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;

function base64UrlJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * A JSON Web Token whose header decodes to JSON with an `alg`.
 * @example
 * ```ts
 * isJwt('eyJhbGciOiJub25lIn0.eyJhIjoxfQ.'); // true
 * ```
 */
export function isJwt(value: string): boolean {
  const v = value.trim().replace(/^Bearer /i, '');
  if (!JWT.test(v)) return false;
  const header = base64UrlJson(v.split('.')[0]!);
  return header !== null && typeof header === 'object' && 'alg' in header;
}

/** JWTs inside a text. */
export function countJwtsIn(text: string): number {
  return text.includes('eyJ') ? [...text.matchAll(JWT_IN_TEXT)].filter((m) => isJwt(m[0])).length : 0;
}

/** Documented prefixes of service credentials, and password-hash and key formats. */
const KNOWN_SECRETS: ReadonlyArray<readonly [string, RegExp]> = [
  ['stripe-key', /^(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}$/],
  ['github-token', /^(?:gh[pousr]_[0-9A-Za-z]{36,}|github_pat_[0-9A-Za-z_]{40,})$/],
  ['aws-access-key', /^(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}$/],
  ['slack-token', /^xox[abposr]-[0-9A-Za-z-]{10,}$/],
  ['gitlab-token', /^glpat-[0-9A-Za-z_-]{20,}$/],
  ['google-api-key', /^AIza[0-9A-Za-z_-]{35}$/],
  ['openai-key', /^sk-(?:proj-|svcacct-|admin-)?[0-9A-Za-z_-]{20,}$/],
  ['sendgrid-key', /^SG\.[0-9A-Za-z_-]{16,}\.[0-9A-Za-z_-]{16,}$/],
  ['npm-token', /^npm_[0-9A-Za-z]{36}$/],
  ['shopify-token', /^shp(?:at|ss|ca|pa)_[0-9a-fA-F]{32}$/],
  ['twilio-key', /^SK[0-9a-f]{32}$/],
  ['password-hash', /^(?:\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}|\$argon2(?:id|i|d)\$\S+|\$[156]\$[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{20,}|pbkdf2_sha\d+\$\d+\$\S+|scrypt:\S+)$/],
  ['private-key', /^-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/],
];
const KNOWN_IN_TEXT =
  /\b(?:(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}|gh[pousr]_[0-9A-Za-z]{36,}|github_pat_[0-9A-Za-z_]{40,}|(?:AKIA|ASIA)[0-9A-Z]{16}|xox[abposr]-[0-9A-Za-z-]{10,}|glpat-[0-9A-Za-z_-]{20,}|AIza[0-9A-Za-z_-]{35}|sk-(?:proj-)?[0-9A-Za-z_-]{32,}|npm_[0-9A-Za-z]{36})\b|\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}|-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/g;

/**
 * Shannon entropy of a string, in bits per character.
 * @example
 * ```ts
 * shannonEntropy('aaaa'); // 0
 * ```
 */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A long token that looks random: 20+ characters of one token alphabet, no spaces, high
 * entropy, letters mixed with digits (or a long hex string). UUIDs are identifiers, not secrets.
 * @example
 * ```ts
 * looksRandomToken('9f8Kq2LmZx7Rt4Vb1Nc6Wd3Ye5'); // true
 * looksRandomToken('customer_reference_number'); // false
 * ```
 */
export function looksRandomToken(value: string): boolean {
  const v = value.trim();
  if (v.length < 20 || v.length > 512 || UUID.test(v)) return false;
  if (!/^[A-Za-z0-9+/=_.~-]+$/.test(v)) return false;
  const digits = /\d/.test(v);
  const lower = /[a-z]/.test(v);
  const upper = /[A-Z]/.test(v);
  if (/^[0-9a-f]+$/i.test(v)) return v.length >= 32 && shannonEntropy(v) >= 3.3; // hex digests and keys
  if (!digits || (!lower && !upper)) return false;
  const threshold = Math.min(4.5, 3 + Math.log2(v.length) / 4);
  return shannonEntropy(v) >= threshold && (lower && upper ? true : v.length >= 24);
}

/**
 * Which kind of secret a whole value is: a named service's key, a password hash, a
 * private key, `random-token` by entropy, or `undefined`.
 * @example
 * ```ts
 * secretKind('AKIAIOSFODNN7EXAMPLE'); // 'aws-access-key'
 * ```
 */
export function secretKind(value: string): string | undefined {
  const v = value.trim();
  if (v.length < 16) return undefined;
  for (const [id, pattern] of KNOWN_SECRETS) if (pattern.test(v)) return id;
  return looksRandomToken(v) ? 'random-token' : undefined;
}

/** Secrets with a known prefix or format inside a text (not entropy: prose has long words). */
export function countSecretsIn(text: string): number {
  return [...text.matchAll(KNOWN_IN_TEXT)].length;
}
