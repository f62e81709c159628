/**
 * Connection URLs fit to print: the password is replaced by `***`.
 *
 * A password that holds `/`, `?`, `#`, `@` or `:` unencoded makes a URL that parses
 * differently from what the user meant (`postgres://app:12/ab@db/shop` parses as host
 * `app`, port `12`, path `/ab@db/shop`), or not at all. So the password is not taken
 * from a URL parser: everything from the first `:` of the user part up to the **last**
 * `@` is the password, whatever it holds. A URL with an `@` in a query value is then
 * redacted more than needed, never less. Query parameters named like secrets
 * (`password=`, `sslpassword=`, `token=`) are redacted too.
 *
 * These functions never throw: they are called while reporting another error.
 *
 * @example
 * ```ts
 * redactUrl('postgres://app:s3cret@db:5432/prod'); // 'postgres://app:***@db:5432/prod'
 * redactUrl('postgres://app:p@ss:w/rd@db/prod');   // 'postgres://app:***@db/prod'
 * ```
 */

/** Where a URL's user part starts: after `scheme://`, else at 0 (`user:pw@host` with no scheme). */
function authorityStart(url: string): number {
  return /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0].length ?? 0;
}

/** `[start, end)` of the password in `url` (see the module comment), or undefined when there is none. */
function passwordSpan(url: string): readonly [number, number] | undefined {
  const start = authorityStart(url);
  const at = url.lastIndexOf('@');
  if (at < start) return undefined;
  const colon = url.indexOf(':', start);
  if (colon < 0 || colon > at) return undefined;
  return [colon + 1, at];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function safeEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text; // a lone surrogate
  }
}

const SECRET_PARAMETER = /pass|pwd|secret|token|key/i;

/** `[start, end)` of every query value whose parameter is named like a secret. */
function secretParameterSpans(url: string, from: number): Array<readonly [number, number]> {
  const question = url.indexOf('?', from);
  if (question < 0) return [];
  const hash = url.indexOf('#', question);
  const end = hash < 0 ? url.length : hash;
  const spans: Array<readonly [number, number]> = [];
  let at = question + 1;
  while (at <= end) {
    const amp = url.indexOf('&', at);
    const stop = amp < 0 || amp > end ? end : amp;
    const pair = url.slice(at, stop);
    const eq = pair.indexOf('=');
    if (eq >= 0 && SECRET_PARAMETER.test(safeDecode(pair.slice(0, eq).replace(/\+/g, ' '))) && eq + 1 < pair.length) {
      spans.push([at + eq + 1, stop]);
    }
    at = stop + 1;
  }
  return spans;
}

/** Every secret span of `url`, in order: the password and the secret query values. */
function secretSpans(url: string): Array<readonly [number, number]> {
  const password = passwordSpan(url);
  const spans = password && password[1] > password[0] ? [password] : [];
  return [...spans, ...secretParameterSpans(url, password ? password[1] : authorityStart(url))];
}

/**
 * `url` with its password and secret query values replaced by `***`; any other text is kept as written.
 * @example
 * ```ts
 * redactUrl('mysql://root:pw@localhost/shop?ssl=true'); // 'mysql://root:***@localhost/shop?ssl=true'
 * ```
 */
export function redactUrl(url: string): string {
  let out = '';
  let at = 0;
  for (const [start, end] of secretSpans(url)) {
    out += `${url.slice(at, start)}***`;
    at = end;
  }
  return out + url.slice(at);
}

/**
 * The secrets of `url` in every spelling a message could carry them: as written, percent-decoded,
 * percent-encoded, and as a URL parser reads them. Longest first, so a longer one is removed whole.
 * @example
 * ```ts
 * urlSecrets('postgres://u:p%40ss@h/d'); // ['p%40ss', 'p@ss']
 * ```
 */
export function urlSecrets(url: string): string[] {
  const found = new Set<string>();
  const add = (secret: string): void => {
    if (secret.length === 0) return;
    // Whether it was written encoded or not cannot be told: every reading.
    for (const spelling of [secret, safeDecode(secret)]) {
      found.add(spelling);
      found.add(safeEncode(spelling));
    }
  };
  for (const [start, end] of secretSpans(url)) add(url.slice(start, end));
  try {
    const parsed = new URL(url);
    add(parsed.password);
    for (const [key, value] of parsed.searchParams) if (SECRET_PARAMETER.test(key)) add(value);
  } catch {
    // not a URL to a parser: the spans above are all there is
  }
  return [...found].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

/**
 * `message` with `url` redacted wherever it appears, and every spelling of its password removed
 * (drivers sometimes echo it).
 * @example
 * ```ts
 * redactSecrets('login as app with hunter2 failed', 'postgres://app:hunter2@db/prod'); // 'login as app with *** failed'
 * ```
 */
export function redactSecrets(message: string, url: string | undefined): string {
  let out = message;
  if (url) {
    out = out.split(url).join(redactUrl(url));
    for (const secret of urlSecrets(url)) out = out.split(secret).join('***');
  }
  // The password of any other `scheme://user:password@` in the text (a --command tool may print its own URLs).
  return out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:)[^\s@'"/]+@/gi, '$1***@');
}

/**
 * Why `url` cannot be read as the user meant it, or undefined: an `@` after the part a URL parser
 * takes as user, host and port, which happens when the password (or user name) holds an
 * unencoded `/`, `?` or `#`. The driver would then connect somewhere else, as someone else.
 * @example
 * ```ts
 * ambiguousUrlReason('postgres://app:12/ab@db/shop'); // 'its password (or user name) holds a "/", "?" or "#" …'
 * ambiguousUrlReason('postgres://app:12%2Fab@db/shop'); // undefined
 * ```
 */
export function ambiguousUrlReason(url: string): string | undefined {
  const start = authorityStart(url);
  const rest = url.slice(start);
  const end = rest.search(/[/?#]/);
  if (end < 0 || !rest.slice(end).includes('@')) return undefined;
  return 'its password (or user name) holds a "/", "?" or "#" that is not percent-encoded, so the URL says another host than the one after the "@"';
}

/** The hint for a URL whose password needs percent-encoding. */
export const PERCENT_ENCODE_HINT =
  'Percent-encode special characters in the user name and password: / → %2F, ? → %3F, # → %23, @ → %40, : → %3A, % → %25 ' +
  '(node -p "encodeURIComponent(process.argv[1])" \'<password>\' prints it encoded). An @ in a query value is %40 too.';
