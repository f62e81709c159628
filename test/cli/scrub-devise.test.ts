/**
 * The users table every Rails app with Devise has (and its kin): scan → scrub → audit must work out
 * of the box. Before: scan proposed `hash` for `reset_password_sent_at timestamp` (a name word,
 * "password", on a time), which scrub refuses; `avatar_file_name` was a person's name; and a
 * transformed `text[]` (`otp_backup_codes`) was hashed as one literal, which PostgreSQL refused.
 * Checked by SQL written here, on PostgreSQL.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';

const KEY = 'devise-users-key-0123456789abcdef';
const scratch = scratchEngines('understudy_devise');
const postgres = scratch.engines.find((e) => e.name === 'postgres')!;

const SCHEMA = `CREATE TABLE users (
  id bigserial PRIMARY KEY, email varchar DEFAULT '' NOT NULL, encrypted_password varchar DEFAULT '' NOT NULL,
  reset_password_token varchar UNIQUE, reset_password_sent_at timestamp, remember_created_at timestamp,
  sign_in_count integer DEFAULT 0 NOT NULL, current_sign_in_at timestamp, last_sign_in_at timestamp,
  current_sign_in_ip inet, last_sign_in_ip varchar, confirmation_token varchar UNIQUE, confirmed_at timestamp,
  confirmation_sent_at timestamp, unconfirmed_email varchar, email_verified boolean, otp_backup_codes text[],
  avatar_file_name varchar, github_uid varchar, plan_code varchar, created_at timestamp NOT NULL, updated_at timestamp NOT NULL)`;

describe.skipIf(!postgres.enabled)('scrub: a Devise users table, scan → scrub → audit with no edits (PostgreSQL)', () => {
  let source: { url: string; query: Query };
  let target: { url: string; query: Query };
  let policy: string;

  beforeAll(async () => {
    source = await postgres.create();
    target = await postgres.create();
    await source.query(SCHEMA);
    await target.query(SCHEMA);
    await source.query(`INSERT INTO users (email, encrypted_password, reset_password_token, reset_password_sent_at, current_sign_in_ip, last_sign_in_ip,
        confirmation_token, confirmed_at, confirmation_sent_at, unconfirmed_email, email_verified, otp_backup_codes, avatar_file_name, github_uid, plan_code,
        created_at, updated_at)
      SELECT 'person' || i || '@corp' || (i % 7) || '.com', '$2a$12$' || substr(translate(encode(sha256(i::text::bytea), 'base64'), '+=', './'), 1, 53),
        CASE WHEN i % 3 = 0 THEN encode(sha256(('r' || i)::bytea), 'hex') END, CASE WHEN i % 3 = 0 THEN timestamp '2024-01-01' + i * interval '1 hour' END,
        ('10.0.' || (i % 250) || '.' || (1 + i % 200))::inet, '192.168.' || (i % 250) || '.' || (1 + i % 100), encode(sha256(('c' || i)::bytea), 'hex'),
        timestamp '2024-02-01' + i * interval '1 hour', timestamp '2024-01-31' + i * interval '1 hour', CASE WHEN i % 5 = 0 THEN 'new' || i || '@mail.org' END,
        i % 2 = 0, ARRAY[substr(md5('a' || i), 1, 10), substr(md5('b' || i), 1, 10), NULL], 'avatar_' || i || '.png', 'gh' || (48211 + i * 37),
        (ARRAY['free', 'pro', 'team'])[1 + i % 3], timestamp '2023-06-01' + i * interval '1 day', now()
      FROM generate_series(1, 400) i`);
    policy = join(await mkdtemp(join(tmpdir(), 'understudy-devise-')), 'scrub.policy.json');
    const scan = await runCli(['scan', '--url', source.url, '--out', policy]);
    expect(scan.code, scan.stderr).toBe(0);
  }, 120_000);
  afterAll(scratch.dropAll);

  it('scan proposes transforms that fit each column: times and flags named after secrets are kept, a file name is no person, an external account id is hashed', async () => {
    const p = JSON.parse(await readFile(policy, 'utf8')) as { tables: Record<string, { columns: Record<string, { transform: string }> }> };
    const t = (c: string): string => p.tables['public.users']!.columns[c]!.transform;
    for (const c of ['reset_password_sent_at', 'confirmation_sent_at', 'confirmed_at', 'email_verified', 'avatar_file_name', 'plan_code', 'created_at']) expect(t(c), c).toBe('keep');
    // a code each person has their own of is their account elsewhere
    expect(t('github_uid')).toBe('hash');
    expect(t('email')).toBe('fake:email');
    expect(t('unconfirmed_email')).toBe('fake:email');
    expect(t('current_sign_in_ip')).toBe('fake:ip-address');
    expect(t('encrypted_password')).toBe('hash');
    expect(t('otp_backup_codes')).not.toBe('keep');
  });

  it("scrubs and audits with the scan's policy as written; arrays transformed element by element", async () => {
    const scrub = await runCli(['scrub', '--source', source.url, '--url', target.url, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(scrub.code, scrub.stderr).toBe(0);
    const audit = await runCli(['audit', '--source', source.url, '--url', target.url, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(audit.code, audit.stdout).toBe(0);
    expect(audit.stdout).toContain('leaks: 0');
    // every array keeps its length and its NULL, and none of its source elements
    const [arrays] = await target.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE cardinality(otp_backup_codes) = 3 AND otp_backup_codes[3] IS NULL AND otp_backup_codes[1] IS NOT NULL)::int AS shaped FROM users`,
    );
    expect(arrays).toEqual({ n: 400, shaped: 400 });
    const sourceCodes = (await source.query(`SELECT unnest(otp_backup_codes) AS c FROM users`)).map((r) => r['c']).filter((c) => c !== null);
    const targetCodes = new Set((await target.query(`SELECT unnest(otp_backup_codes) AS c FROM users`)).map((r) => r['c']));
    expect(sourceCodes.filter((c) => targetCodes.has(c))).toEqual([]);
    // kept times are the source's, row for row (ids are kept)
    const times = `SELECT id, reset_password_sent_at::text AS r, confirmation_sent_at::text AS c FROM users ORDER BY id`;
    expect(await target.query(times)).toEqual(await source.query(times));
    const [emails] = await target.query(`SELECT count(*) FILTER (WHERE email LIKE 'person%@corp%')::int AS original FROM users`);
    expect(emails!['original']).toBe(0);
  });
});
