/**
 * Network identifiers: IPv4 and IPv6 addresses, MAC addresses, and URLs that carry
 * credentials (`scheme://user:password@host`, or a token in the query string).
 *
 * @example
 * ```ts
 * isIpAddress('192.168.0.12'); // true
 * isMacAddress('00:1A:2B:3C:4D:5E'); // true
 * isUrlWithCredentials('postgres://app:s3cret@db:5432/app'); // true
 * ```
 */
import { isIP } from 'node:net';

/**
 * An IPv4 or IPv6 address (a `/prefix` allowed).
 * @example
 * ```ts
 * isIpAddress('2001:db8::1'); // true
 * isIpAddress('1.2.3'); // false
 * ```
 */
export function isIpAddress(value: string): boolean {
  const v = value.trim().replace(/\/\d{1,3}$/, '');
  return v.length >= 2 && v.length <= 45 && isIP(v) !== 0;
}

const IPV4_IN_TEXT = /\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b/g;
const IPV6_IN_TEXT = /(?<![\w:.])[0-9a-f]*:[0-9a-f]*:[0-9a-f:]*(?![\w:])/gi;

/** IP addresses inside a text. */
export function countIpAddressesIn(text: string): number {
  let n = [...text.matchAll(IPV4_IN_TEXT)].length;
  if (text.includes(':')) for (const m of text.matchAll(IPV6_IN_TEXT)) if (isIP(m[0]) === 6) n++;
  return n;
}

const MAC = /^(?:[0-9A-Fa-f]{2}([:-]))(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}$|^(?:[0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4}$/;
const MAC_IN_TEXT = /\b[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}\b/g;

/**
 * A MAC (EUI-48) address: `00:1a:2b:3c:4d:5e`, `00-1A-…`, or Cisco's `001a.2b3c.4d5e`.
 * @example
 * ```ts
 * isMacAddress('001a.2b3c.4d5e'); // true
 * ```
 */
export function isMacAddress(value: string): boolean {
  return MAC.test(value.trim());
}

/** MAC addresses inside a text. */
export function countMacAddressesIn(text: string): number {
  return [...text.matchAll(MAC_IN_TEXT)].length;
}

const URL_USERINFO = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s/:@]+:[^\s/@]+@[^\s/]+/gi;
const URL_TOKEN_QUERY = /\bhttps?:\/\/[^\s?]+\?[^\s]*\b(?:access_token|api_key|apikey|token|secret|password|passwd|sig|signature|key|auth)=[^\s&]{6,}/gi;

/**
 * A URL with a password in it (`https://user:pass@host`), or a secret in its query string.
 * @example
 * ```ts
 * isUrlWithCredentials('https://api.example.com/v1?access_token=abcdef123456'); // true
 * isUrlWithCredentials('https://example.com/about'); // false
 * ```
 */
export function isUrlWithCredentials(value: string): boolean {
  const v = value.trim();
  if (/\s/.test(v)) return false;
  return countUrlsWithCredentialsIn(v) === 1;
}

/** URLs with credentials inside a text. */
export function countUrlsWithCredentialsIn(text: string): number {
  if (!text.includes('://')) return 0;
  return [...text.matchAll(URL_USERINFO)].length + [...text.matchAll(URL_TOKEN_QUERY)].length;
}
