import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dialectForUrl, type Dialect } from './dialect.js';
import { ambiguousUrlReason, redactSecrets, redactUrl, urlSecrets } from './redact-url.js';

describe('redactUrl', () => {
  it('hides passwords in URLs and in text that does not parse', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/prod')).toBe('postgres://app:***@db:5432/prod');
    expect(redactUrl('mysql://root@localhost/test')).toBe('mysql://root@localhost/test');
    expect(redactUrl('postgres://u:p@ss@host/db')).toBe('postgres://u:***@host/db');
    expect(redactUrl('postgres://db/x?password=hunter2')).toBe('postgres://db/x?password=***');
  });

  it('hides a password holding unencoded /, @, #, ? and : whole (it used to print ***@ss:w/rd)', () => {
    expect(redactUrl('postgres://app:p@ss:w/rd@db:5432/shop')).toBe('postgres://app:***@db:5432/shop');
    expect(redactUrl('postgres://app:p#ss?w/rd@db/shop')).toBe('postgres://app:***@db/shop');
    // Parses, but as host "app", port 1234: the password must not show as a port and a path.
    expect(redactUrl('postgres://app:1234/abc@db/shop')).toBe('postgres://app:***@db/shop');
    // No scheme at all.
    expect(redactUrl('app:hunter2@db:5432/shop')).toBe('app:***@db:5432/shop');
    expect(redactUrl('localhost:5432')).toBe('localhost:5432');
  });

  it('hides secret query parameters, however spelled', () => {
    expect(redactUrl('postgres://h/d?sslpassword=abc&application_name=x')).toBe('postgres://h/d?sslpassword=***&application_name=x');
    expect(redactUrl('postgres://h/d?pass%77ord=abc')).toBe('postgres://h/d?pass%77ord=***');
  });

  it('removes a password a driver echoed into a message', () => {
    const url = 'postgres://app:hunter2@db/prod';
    expect(redactSecrets(`connect to ${url} failed: hunter2 rejected`, url)).toBe('connect to postgres://app:***@db/prod failed: *** rejected');
  });

  it('removes the password as written in the URL and decoded, and that of any other URL in the text', () => {
    const url = 'postgres://app:p%40ss%2Fw0rd@db:5432/understudy_rehearse_x';
    const printed = `DATABASE_URL=${url}\nPGPASSWORD=p@ss/w0rd\nraw p%40ss%2Fw0rd\nalso mysql://root:other@h/d and postgresql://u:x@y/z`;
    const redacted = redactSecrets(printed, url);
    for (const secret of ['p@ss/w0rd', 'p%40ss%2Fw0rd', 'other', ':x@']) expect(redacted).not.toContain(secret);
    expect(redacted).toBe('DATABASE_URL=postgres://app:***@db:5432/understudy_rehearse_x\nPGPASSWORD=***\nraw ***\nalso mysql://root:***@h/d and postgresql://u:***@y/z');
  });

  it('removes every spelling of a password: as written, decoded and encoded', () => {
    const url = 'postgres://app:p%40ss%2Fw@db/prod';
    expect(urlSecrets(url)).toEqual(expect.arrayContaining(['p%40ss%2Fw', 'p@ss/w']));
    expect(redactSecrets('bad password "p@ss/w" (p%40ss%2Fw)', url)).toBe('bad password "***" (***)');
  });
});

describe('ambiguousUrlReason', () => {
  it('flags a URL whose password holds an unencoded /, ? or #, and passes the encoded one', () => {
    for (const bad of ['postgres://app:12/ab@db/shop', 'postgres://app:a?b@db/shop', 'mysql://root:a#b@db/shop', 'postgres://app:p@ss:w/rd@db/shop']) {
      expect(ambiguousUrlReason(bad)).toMatch(/percent-encoded/);
    }
    for (const good of ['postgres://app:12%2Fab@db/shop', 'postgres://app:p@ss@db/shop', 'postgres://db/shop?host=/tmp', 'mysql://root@db/shop?socket=/run/mysqld.sock']) {
      expect(ambiguousUrlReason(good)).toBeUndefined();
    }
  });
});

/** Characters a password can hold, the URL delimiters among them. */
const passwordChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/@#?:%&=+ !$^*()[]{}|\\\'"~`,;<>é€'.split(''));
const password = fc.array(passwordChar, { minLength: 6, maxLength: 24 }).map((a) => a.join(''));
const word = fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-'.split('')), { minLength: 1, maxLength: 10 }).map((a) => a.join(''));
const scheme = fc.constantFrom('postgres://', 'postgresql://', 'mysql://', 'mariadb://', 'oracle://', '');
const tail = fc.record({
  host: fc.oneof(word, fc.constantFrom('127.0.0.1', '[::1]', 'db.example.com')),
  port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  db: fc.option(word, { nil: undefined }),
  query: fc.option(fc.constantFrom('?sslmode=require', '?host=/tmp', '?application_name=x&ssl=true', '?socket=/run/x.sock'), { nil: undefined }),
});

describe('redaction, fuzzed', () => {
  it('never leaves the password of a URL in its redacted form, encoded or not', () => {
    fc.assert(
      fc.property(scheme, word, password, tail, fc.boolean(), (s, user, pw, t, encode) => {
        const written = encode ? encodeURIComponent(pw) : pw;
        const url = `${s}${user}:${written}@${t.host}${t.port ? `:${t.port}` : ''}/${t.db ?? ''}${t.query ?? ''}`;
        const rest = url.replace(written, '');
        fc.pre(!rest.includes(pw) && !rest.includes(written));
        // With no scheme, `user://…@host` is a URL of scheme `user:` whose user info holds no password
        // (a parser reads it so): not a password to find.
        fc.pre(s !== '' || !written.startsWith('//'));
        const redacted = redactUrl(url);
        expect(redacted).not.toContain(pw);
        expect(redacted).not.toContain(written);
        // A message carrying the password in any spelling, and the URL, keeps none of them.
        const message = `failed: ${url} (${pw}) [${encodeURIComponent(pw)}] {${written}}`;
        const clean = redactSecrets(message, url);
        expect(clean).not.toContain(pw);
        expect(clean).not.toContain(written);
        expect(clean).not.toContain(encodeURIComponent(pw));
      }),
      { numRuns: 2000 },
    );
  });

  it('never prints the password a URL parser finds in any URL-ish string, and never throws', () => {
    const urlish = fc.array(fc.oneof(passwordChar, fc.constantFrom('://', '@', ':', '/', '?', '#', '%2F', '%40', 'postgres', 'host')), { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(
        fc.oneof(
          urlish,
          fc.tuple(scheme, urlish).map(([a, b]) => a + b),
        ),
        (text) => {
          const redacted = redactUrl(text);
          let parsed: URL | undefined;
          try {
            parsed = new URL(text);
          } catch {
            return;
          }
          const pw = parsed.password;
          // The parser percent-encodes what it reads (a second "@" in the user info becomes "%40"), so the
          // spelling it returns may also be found elsewhere (the host "%40" of "postgres://:@@%40"): only a
          // password found once, and before the "@" that ends the user info, is one the text spells out.
          // Nor is a spelling that is the user name's too (`postgres://%40:@@a`: user `%40`, password `@`, read as `%40`).
          fc.pre(pw.length >= 3 && text.split(pw).length === 2 && text.indexOf(pw) < text.lastIndexOf('@') && !parsed.username.includes(pw));
          expect(redacted).not.toContain(pw);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('flags as ambiguous every URL whose password holds an unencoded / ? or # (the parser would read another host)', () => {
    fc.assert(
      fc.property(
        scheme.filter((s) => s !== ''),
        word,
        password,
        tail,
        (s, user, pw, t) => {
          const url = `${s}${user}:${pw}@${t.host}/${t.db ?? ''}`;
          const delimited = /[/?#]/.test(pw);
          expect(ambiguousUrlReason(url) !== undefined).toBe(delimited);
          expect(ambiguousUrlReason(`${s}${user}:${encodeURIComponent(pw)}@${t.host}/${t.db ?? ''}`)).toBeUndefined();
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('dialectForUrl', () => {
  const fake = { name: 'postgres', urlSchemes: ['postgres', 'postgresql'] } as unknown as Dialect;
  it('picks by scheme and explains unknown ones without printing the password', () => {
    expect(dialectForUrl([fake], 'postgresql://x@y/z')).toBe(fake);
    expect(() => dialectForUrl([fake], 'oracle://u:pw@h/d')).toThrow(/no dialect handles "oracle:\/\/" URLs \(oracle:\/\/u:\*\*\*@h\/d\)/);
    expect(() => dialectForUrl([fake], 'localhost:5432')).toThrow(/is not a database URL/);
    expect(() => dialectForUrl([fake], 'u:p@ss/w#rd@h/d')).toThrow(/"u:\*\*\*@h\/d" is not a database URL/);
  });
});
