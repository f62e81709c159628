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

/** Removes every occurrence of the URL's password from a message (drivers sometimes echo it). */
export function redactSecrets(message: string, url: string | undefined): string {
  if (!url) return message;
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password.length > 0) return message.split(password).join('***').split(url).join(redactUrl(url));
  } catch {
    // not a URL: nothing to remove
  }
  return message;
}
