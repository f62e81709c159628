import { describe, expect, it } from 'vitest';
import { dialectForUrl, type Dialect } from './dialect.js';
import { redactSecrets, redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('hides passwords in URLs and in text that does not parse', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/prod')).toBe('postgres://app:***@db:5432/prod');
    expect(redactUrl('mysql://root@localhost/test')).toBe('mysql://root@localhost/test');
    expect(redactUrl('postgres://u:p@ss@host/db')).not.toContain('p@ss');
    expect(redactUrl('postgres://db/x?password=hunter2')).not.toContain('hunter2');
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
});

describe('dialectForUrl', () => {
  const fake = { name: 'postgres', urlSchemes: ['postgres', 'postgresql'] } as unknown as Dialect;
  it('picks by scheme and explains unknown ones without printing the password', () => {
    expect(dialectForUrl([fake], 'postgresql://x@y/z')).toBe(fake);
    expect(() => dialectForUrl([fake], 'oracle://u:pw@h/d')).toThrow(/no dialect handles "oracle:\/\/" URLs \(oracle:\/\/u:\*\*\*@h\/d\)/);
    expect(() => dialectForUrl([fake], 'localhost:5432')).toThrow(/is not a database URL/);
  });
});
