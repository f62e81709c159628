/**
 * A connection URL fit to print: the password is replaced by `***`.
 * Works on strings that do not parse as URLs too (it never throws), since it is
 * called while reporting another error.
 *
 * @example
 * ```ts
 * redactUrl('postgres://app:s3cret@db:5432/prod'); // 'postgres://app:***@db:5432/prod'
 * ```
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass(word)?|secret|token/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
  }
}

/**
 * Removes every occurrence of the URL's password from a message (drivers sometimes echo it, and a
 * `--command` tool may print its DATABASE_URL): the URL itself, its password as written in it
 * (percent-encoded) and decoded, and the password of any other `scheme://user:password@` in the text.
 * @example
 * ```ts
 * redactSecrets('using postgres://app:p%40ss@db/x (p@ss)', 'postgres://app:p%40ss@db/x'); // 'using postgres://app:***@db/x (***)'
 * ```
 */
export function redactSecrets(message: string, url: string | undefined): string {
  let out = message;
  if (url) {
    try {
      const raw = new URL(url).password;
      const secrets = [decodeURIComponent(raw), raw].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
      out = out.split(url).join(redactUrl(url));
      for (const secret of secrets) out = out.split(secret).join('***');
    } catch {
      // not a URL: nothing of it to remove
    }
  }
  return out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:)[^\s@'"/]+@/gi, '$1***@');
}
