/**
 * scan proposes only what scrub accepts, on the column types real schemas have (found on kanboard,
 * coder and danbooru, 2026-12-07). Before: `nb_failed_login integer` got fake:username (a name word
 * on a count), `hashed_secret bytea NOT NULL` got null, a unique `secret_prefix bytea` got a transform
 * no key of that type can take, `permitted_ip_addresses inet[]` got text, and `user_id uuid` (a
 * reference the schema does not declare) got hash: scrub refused each. Now each rule fits its type,
 * and hash on a uuid or integer is the keys' permutation, so the undeclared join still holds. A column
 * in a unique expression index (`lower(name)`) was faked, and the fakes collided in the load; it is a
 * key now, permuted. And audit reported as leaks the documents a json rule leaves as they are (temporal's
 * search_attributes) and a document of words any row may hold (danbooru's `{"tags": [], "active": true}`).
 * Bytes take `hash` now (keyed bytes), where NOT NULL or where a CHECK ties their NULLs to another
 * column's (coder's `one_time_passcode_set`, which `null` broke in the load). And a uuid named after a
 * permuted key with no foreign key declared (coder's `audit_logs.organization_id`) kept the original
 * ids: a broken join, and 748 audit leaks; it follows the key now, from another schema too (lago's
 * partman template). And an enum label in a column given generate was a leak (coder's workspace_apps.health).
 * Checked by SQL written here, on PostgreSQL.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';

const KEY = 'type-fit-key-0123456789abcdef0123';
const scratch = scratchEngines('understudy_typefit');
const postgres = scratch.engines.find((e) => e.name === 'postgres')!;

const SCHEMA = `CREATE TABLE users (
  id uuid PRIMARY KEY, username varchar(50) NOT NULL UNIQUE, email varchar(200) NOT NULL, nb_failed_login integer NOT NULL DEFAULT 0,
  hashed_secret bytea NOT NULL, secret_prefix bytea NOT NULL UNIQUE, api_token_hash bytea,
  hashed_one_time_passcode bytea, one_time_passcode_expires_at timestamptz,
  CONSTRAINT one_time_passcode_set CHECK ((hashed_one_time_passcode IS NULL AND one_time_passcode_expires_at IS NULL) OR (hashed_one_time_passcode IS NOT NULL AND one_time_passcode_expires_at IS NOT NULL)));
CREATE TABLE api_keys (id bigserial PRIMARY KEY, name text NOT NULL, permitted_ip_addresses inet[] NOT NULL,
  credential jsonb NOT NULL, details jsonb NOT NULL, settings jsonb NOT NULL);
CREATE TABLE organizations (id bigserial PRIMARY KEY, name text NOT NULL, deleted boolean NOT NULL DEFAULT false);
CREATE UNIQUE INDEX idx_organization_name_lower ON organizations (lower(name)) WHERE deleted = false;
CREATE TABLE teams (id uuid PRIMARY KEY, name text NOT NULL, contact_email text NOT NULL);
CREATE SCHEMA archive;
CREATE TABLE archive.team_events (id bigserial PRIMARY KEY, team_id uuid NOT NULL);
CREATE TYPE app_health AS ENUM ('healthy', 'unhealthy', 'initializing', 'disabled');
CREATE TABLE apps (id bigserial PRIMARY KEY, health app_health NOT NULL);
CREATE TABLE audit_logs (id bigserial PRIMARY KEY, user_id uuid NOT NULL, team_id uuid, action text NOT NULL)`;

describe.skipIf(!postgres.enabled)('scrub: rules that fit their column types, scan → scrub → audit with no edits (PostgreSQL)', () => {
  let source: { url: string; query: Query };
  let target: { url: string; query: Query };
  let policy: string;

  beforeAll(async () => {
    source = await postgres.create();
    target = await postgres.create();
    await source.query(SCHEMA);
    await target.query(SCHEMA);
    await source.query(`INSERT INTO users SELECT md5('u' || i)::uuid, 'user_' || i, 'person' || i || '@corp.com', i % 4,
        sha256(('s' || i)::bytea), substr(sha256(('p' || i)::bytea), 1, 8), CASE WHEN i % 2 = 0 THEN sha256(('t' || i)::bytea) END,
        CASE WHEN i % 3 = 0 THEN sha256(('o' || i)::bytea) END, CASE WHEN i % 3 = 0 THEN timestamptz '2025-01-01' + i * interval '1 minute' END
      FROM generate_series(1, 300) i`);
    // details: half the documents hold an e-mail at $.contact.email, the rest only words, as settings (kept) does
    await source.query(`INSERT INTO api_keys (name, permitted_ip_addresses, credential, details, settings)
      SELECT 'key ' || i, ARRAY[('10.1.' || (i % 250) || '.' || (1 + i % 200))::inet, ('172.16.' || (i % 200) || '.' || (2 + i % 100))::inet],
        '{"tags": [], "active": true}',
        CASE WHEN i % 2 = 0 THEN jsonb_build_object('contact', jsonb_build_object('email', 'person' || i || '@corp.com'), 'kind', 'export') ELSE '{"kind": "export", "active": true}' END,
        '{"kind": "export", "active": true}'
      FROM generate_series(1, 300) i`);
    // company names, unique case-insensitively by an expression index (coder's organizations)
    await source.query(`INSERT INTO organizations (name)
      SELECT (ARRAY['Koch','Rempel','Upton','Schultz','Hartmann','Okafor','Lindqvist','Moreau','Tanaka','Silva'])[1 + i % 10] || ' '
        || (ARRAY['Holdings','Logistics','Foods','Partners','Systems','Textiles'])[1 + (i / 10) % 6] || ' ' || (ARRAY['Inc','GmbH','LLC','Ltd','S.A.','AB','Oy','BV','SRL','AG'])[1 + i / 60]
      FROM generate_series(0, 599) i`);
    await source.query(`INSERT INTO teams SELECT md5('t' || i)::uuid, 'Team ' || i, 'team' || i || '@corp.com' FROM generate_series(1, 50) i`);
    await source.query(`INSERT INTO archive.team_events (team_id) SELECT md5('t' || (1 + i % 50))::uuid FROM generate_series(1, 100) i`);
    await source.query(`INSERT INTO apps (health) SELECT (enum_range(NULL::app_health))[1 + i % 4] FROM generate_series(1, 200) i`);
    await source.query(`INSERT INTO audit_logs (user_id, team_id, action) SELECT md5('u' || (1 + i % 300))::uuid, md5('t' || (1 + i % 50))::uuid, 'login' FROM generate_series(1, 600) i`);
    policy = join(await mkdtemp(join(tmpdir(), 'understudy-typefit-')), 'scrub.policy.json');
    const scan = await runCli(['scan', '--url', source.url, '--out', policy]);
    expect(scan.code, scan.stderr).toBe(0);
  }, 120_000);
  afterAll(scratch.dropAll);

  it('scan proposes a rule each column type takes', async () => {
    const p = JSON.parse(await readFile(policy, 'utf8')) as { tables: Record<string, { columns: Record<string, { transform: string }> }> };
    const t = (table: string, c: string): string => p.tables[`public.${table}`]!.columns[c]!.transform;
    expect(t('users', 'nb_failed_login')).toBe('keep');
    expect(t('users', 'secret_prefix')).toBe('keep'); // a bytea key: nothing permutes it
    expect(t('users', 'hashed_secret')).toBe('hash'); // NOT NULL: keyed bytes, not null
    expect(t('users', 'hashed_one_time_passcode')).toBe('hash'); // a CHECK ties its NULLs to another column's
    expect(t('api_keys', 'permitted_ip_addresses')).toBe('fake:ip-address');
    expect(t('audit_logs', 'user_id')).toBe('hash');
    expect(t('teams', 'id')).toBe('hash');
    expect(t('audit_logs', 'team_id')).toBe('hash');
    expect(p.tables['archive.team_events']!.columns['team_id']!.transform).toBe('hash'); // from another schema
    expect(t('apps', 'health')).toBe('generate'); // a sensitive name on an enum: the audit takes its labels for nobody's
    expect(t('api_keys', 'details')).toBe('json');
    expect(t('organizations', 'name')).not.toBe('keep');
  });

  it("scrubs and audits with the scan's policy as written; the undeclared join holds", async () => {
    const scrub = await runCli(['scrub', '--source', source.url, '--url', target.url, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(scrub.code, scrub.stderr).toBe(0);
    const audit = await runCli(['audit', '--source', source.url, '--url', target.url, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(audit.code, audit.stdout).toBe(0);
    expect(audit.stdout).toContain('leaks: 0');
    // audit_logs.user_id → users.id is declared nowhere: both are permuted by the same function, so every log still finds its user
    const joined = `SELECT count(*)::int AS n FROM audit_logs a JOIN users u ON u.id = a.user_id`;
    expect(await target.query(joined)).toEqual([{ n: 600 }]);
    expect(await target.query(`SELECT count(*)::int AS n FROM archive.team_events e JOIN teams t ON t.id = e.team_id`)).toEqual([{ n: 100 }]);
    // audit_logs.team_id is named after teams.id (permuted), and follows it
    expect(await target.query(`SELECT count(*)::int AS n FROM audit_logs a JOIN teams t ON t.id = a.team_id`)).toEqual([{ n: 600 }]);
    const [moved] = await target.query(`SELECT count(*)::int AS n FROM users WHERE id IN (SELECT md5('u' || i)::uuid FROM generate_series(1, 300) i)`);
    expect(moved).toEqual({ n: 0 });
    // every IP of every array is replaced, the arrays keep their length
    const sourceIps = new Set((await source.query(`SELECT host(unnest(permitted_ip_addresses)) AS ip FROM api_keys`)).map((r) => r['ip']));
    const targetIps = (await target.query(`SELECT host(unnest(permitted_ip_addresses)) AS ip FROM api_keys`)).map((r) => r['ip']);
    expect(targetIps).toHaveLength(600);
    expect(targetIps.filter((ip) => sourceIps.has(ip))).toEqual([]);
    // the kept counter keeps its values (ids are permuted, so compared as a distribution)
    // bytes: keyed bytes of 32, none the source's, NULLs where the source has them (the CHECK held in the load)
    const bytes = `SELECT count(*)::int AS n, count(*) FILTER (WHERE length(hashed_secret) = 32)::int AS b32, count(hashed_one_time_passcode)::int AS otp,
      count(*) FILTER (WHERE (hashed_one_time_passcode IS NULL) = (one_time_passcode_expires_at IS NULL))::int AS paired FROM users`;
    expect(await target.query(bytes)).toEqual(await source.query(bytes));
    const sourceSecrets = new Set((await source.query(`SELECT encode(hashed_secret, 'hex') AS h FROM users UNION ALL SELECT encode(hashed_one_time_passcode, 'hex') FROM users`)).map((r) => r['h']));
    const targetSecrets = await target.query(
      `SELECT encode(hashed_secret, 'hex') AS h FROM users UNION ALL SELECT encode(hashed_one_time_passcode, 'hex') FROM users WHERE hashed_one_time_passcode IS NOT NULL`,
    );
    expect(targetSecrets).toHaveLength(400);
    expect(targetSecrets.filter((r) => sourceSecrets.has(r['h']))).toEqual([]);
    // the names stay unique case-insensitively (the expression index held in the load), and none is the source's
    const [orgs] = await target.query(`SELECT count(*)::int AS n, count(DISTINCT lower(name))::int AS distinct_names FROM organizations`);
    expect(orgs).toEqual({ n: 600, distinct_names: 600 });
    const sourceOrgs = new Set((await source.query(`SELECT name FROM organizations`)).map((r) => r['name']));
    expect((await target.query(`SELECT name FROM organizations`)).filter((r) => sourceOrgs.has(r['name']))).toEqual([]);
    // no e-mail of details is left, and the documents without one are the source's (json rewrites its paths only)
    const [details] = await target.query(
      `SELECT count(*) FILTER (WHERE details::text LIKE '%@corp.com%')::int AS emails, count(*) FILTER (WHERE details = '{"kind": "export", "active": true}')::int AS plain FROM api_keys`,
    );
    expect(details).toEqual({ emails: 0, plain: 150 });
    const counts = `SELECT nb_failed_login AS v, count(*)::int AS n FROM users GROUP BY 1 ORDER BY 1`;
    expect(await target.query(counts)).toEqual(await source.query(counts));
  });
});

/**
 * Classes found scrubbing icingadb, sanbase2, zencart and friendica (2026-12-07, evening), each in a table written here:
 * a SHA-1 id of bytes named after what it points at (`last_comment_id`) got `null` for the word "comment", so the
 * undeclared join was lost; `twitter_handle` was kept; a hashed `text[]` and a kept one holding the same one-word
 * literal (`{cantaloupe}`) was a leak, and so was a word of an install's settings text (`paypal`, `reviews`) that a kept
 * column held too; `hash` was proposed for a `varchar(1)`, which scrub refuses; a tax amount was taken for a national id.
 */
const real = scratchEngines('understudy_realfit');
const realPg = real.engines.find((e) => e.name === 'postgres')!;
const realMaria = real.engines.find((e) => e.name === 'mariadb')!;
const WORDS = `(ARRAY['cantaloupe','hovercraft','lettuce','meadow','bicycle','hammock'])`;

describe.skipIf(!realPg.enabled)('scrub: byte ids, handles, arrays and settings texts, scan → scrub → audit with no edits (PostgreSQL)', () => {
  const SCHEMA = `CREATE TABLE comment (id bytea PRIMARY KEY, author text NOT NULL, body text NOT NULL);
    CREATE TABLE host_state (id bytea PRIMARY KEY, last_comment_id bytea, acknowledgement_comment_id bytea);
    CREATE TABLE accounts (id bigint PRIMARY KEY, username text NOT NULL UNIQUE, twitter_handle text, telegram_handle text, password_hints text[]);
    CREATE TABLE watchlists (id bigint PRIMARY KEY, slugs text[] NOT NULL);
    CREATE TABLE configuration (id bigint PRIMARY KEY, description text NOT NULL);
    CREATE TABLE admin_pages (page_key varchar(32) PRIMARY KEY, menu_key varchar(32) NOT NULL);
    CREATE TABLE "Tenant" (id uuid PRIMARY KEY, name text NOT NULL);
    CREATE TABLE "Event" (id uuid PRIMARY KEY, "tenantId" uuid NOT NULL, "ownerTenantId" uuid)`;
  let source: { url: string; query: Query };
  let target: { url: string; query: Query };
  let policy: string;

  beforeAll(async () => {
    source = await realPg.create();
    target = await realPg.create();
    await source.query(SCHEMA);
    await target.query(SCHEMA);
    const people = `(ARRAY['Heloise Quigley','Dashawn Kemmer','Amira Zulauf','Broderick Gleichner','Margarete Jast'])`;
    await source.query(
      `INSERT INTO comment SELECT decode(md5('c' || i), 'hex'), ${people}[1 + i % 5] || ' ' || i, 'Disk full on db' || i || ', ask ' || ${people}[1 + i % 5] FROM generate_series(1, 300) i`,
    );
    await source.query(`INSERT INTO host_state SELECT decode(md5('h' || i), 'hex'), decode(md5('c' || (1 + i % 300)), 'hex'),
      CASE WHEN i % 3 = 0 THEN decode(md5('c' || (1 + (i * 7) % 300)), 'hex') END FROM generate_series(1, 300) i`);
    await source.query(`INSERT INTO accounts SELECT i, 'member_' || i, 'tw_' || lower(split_part(${people}[1 + i % 5], ' ', 2)) || i, 'tg' || i || '_' || lower(split_part(${people}[1 + i % 5], ' ', 1)),
      CASE WHEN i % 10 = 0 THEN ARRAY[${WORDS}[1 + i % 6]] ELSE ARRAY['first pet ' || left(md5('p' || i), 6)] END FROM generate_series(1, 300) i`);
    await source.query(`INSERT INTO watchlists SELECT i, ARRAY[${WORDS}[1 + i % 6]] FROM generate_series(1, 300) i`);
    // an install's settings: a few mention paypal or reviews, one an e-mail, as zencart's configuration does
    await source.query(`INSERT INTO configuration SELECT i, CASE WHEN i % 60 = 0 THEN 'Turn the paypal module on for reviews' WHEN i = 7 THEN 'Orders go to shop@example.org'
      ELSE 'Sort order of display ' || (i % 40) END FROM generate_series(1, 300) i`);
    // a Prisma app's references the schema does not declare, camelCase, one after a role (hatchet's `QueueItem.desiredWorkerId`)
    await source.query(`INSERT INTO "Tenant" SELECT md5('t' || i)::uuid, 'Tenant ' || i FROM generate_series(1, 100) i`);
    await source.query(`INSERT INTO "Event" SELECT md5('e' || i)::uuid, md5('t' || (1 + i % 100))::uuid, CASE WHEN i % 2 = 0 THEN md5('t' || (1 + i % 50))::uuid END FROM generate_series(1, 300) i`);
    await source.query(`INSERT INTO admin_pages VALUES ('paypal', 'modules'), ('reviews', 'catalog'), ('shipping', 'modules'), ('customers', 'customers')`);
    policy = join(await mkdtemp(join(tmpdir(), 'understudy-realfit-')), 'scrub.policy.json');
    const scan = await runCli(['scan', '--url', source.url, '--out', policy]);
    expect(scan.code, scan.stderr).toBe(0);
  }, 120_000);
  afterAll(real.dropAll);

  it('scan keeps the byte references and transforms the handles', async () => {
    const p = JSON.parse(await readFile(policy, 'utf8')) as { tables: Record<string, { columns: Record<string, { transform: string }> }> };
    const t = (table: string, c: string): string => p.tables[`public.${table}`]!.columns[c]!.transform;
    expect(t('host_state', 'last_comment_id')).toBe('keep');
    expect(t('host_state', 'acknowledgement_comment_id')).toBe('keep');
    expect(t('accounts', 'twitter_handle')).not.toBe('keep');
    expect(t('accounts', 'telegram_handle')).not.toBe('keep');
    expect(t('accounts', 'password_hints')).toBe('hash');
    expect(t('watchlists', 'slugs')).toBe('keep');
    expect(t('configuration', 'description')).toBe('text');
    expect(t('Tenant', 'id')).toBe('hash');
    expect(t('Event', 'tenantId')).toBe('hash');
    expect(t('Event', 'ownerTenantId')).toBe('hash');
  });

  it('scrubs and audits: 0 leaks, the byte joins hold, no handle is the source’s', async () => {
    const env = { env: { UNDERSTUDY_SCRUB_KEY: KEY } };
    const scrub = await runCli(['scrub', '--source', source.url, '--url', target.url, '--policy', policy], env);
    expect(scrub.code, scrub.stderr).toBe(0);
    const audit = await runCli(['audit', '--source', source.url, '--url', target.url, '--policy', policy], env);
    expect(audit.code, audit.stdout).toBe(0);
    expect(audit.stdout).toContain('leaks: 0');
    const joins = `SELECT (SELECT count(*)::int FROM host_state h JOIN comment c ON c.id = h.last_comment_id) AS last,
      (SELECT count(*)::int FROM host_state h JOIN comment c ON c.id = h.acknowledgement_comment_id) AS ack`;
    expect(await target.query(joins)).toEqual([{ last: 300, ack: 100 }]);
    expect(await source.query(joins)).toEqual([{ last: 300, ack: 100 }]);
    // the tenants are permuted, and both undeclared references follow them
    const tenants = `SELECT (SELECT count(*)::int FROM "Event" e JOIN "Tenant" t ON t.id = e."tenantId") AS tenant,
      (SELECT count(*)::int FROM "Event" e JOIN "Tenant" t ON t.id = e."ownerTenantId") AS owner`;
    expect(await target.query(tenants)).toEqual([{ tenant: 300, owner: 150 }]);
    expect(await source.query(tenants)).toEqual([{ tenant: 300, owner: 150 }]);
    expect(await target.query(`SELECT count(*)::int AS n FROM "Tenant" WHERE id IN (SELECT md5('t' || i)::uuid FROM generate_series(1, 100) i)`)).toEqual([{ n: 0 }]);
    const handles = `SELECT twitter_handle AS h FROM accounts UNION ALL SELECT telegram_handle FROM accounts`;
    const before = new Set((await source.query(handles)).map((r) => r['h']));
    const after = (await target.query(handles)).map((r) => r['h']);
    expect(after).toHaveLength(600);
    expect(after.filter((h) => before.has(h))).toEqual([]);
    // the hashed arrays hold no source word; the kept arrays and pages are the source's
    expect(await target.query(`SELECT count(*)::int AS n FROM accounts WHERE password_hints && ${WORDS}`)).toEqual([{ n: 0 }]);
    const kept = `SELECT (SELECT string_agg(slugs::text, ',' ORDER BY id) FROM watchlists) AS slugs, (SELECT string_agg(page_key, ',' ORDER BY page_key) FROM admin_pages) AS pages`;
    expect(await target.query(kept)).toEqual(await source.query(kept));
    expect(await target.query(`SELECT count(*)::int AS n FROM configuration WHERE description LIKE '%shop@example.org%'`)).toEqual([{ n: 0 }]);
  });
});

describe.skipIf(!realMaria.enabled)('scrub: a one-character key, nicks and tax amounts, scan → scrub → audit with no edits (MariaDB)', () => {
  let source: { url: string; query: Query };
  let target: { url: string; query: Query };

  it("scrubs with the scan's policy as written (friendica, zencart)", async () => {
    source = await realMaria.create();
    target = await realMaria.create();
    for (const db of [source, target]) {
      await db.query('CREATE TABLE channel (id int PRIMARY KEY, `access-key` varchar(1), description text)');
      await db.query('CREATE TABLE contact (id int PRIMARY KEY, nick varchar(255) NOT NULL, email varchar(255) NOT NULL)');
      await db.query('CREATE TABLE orders (id int PRIMARY KEY, order_tax decimal(15,4) NOT NULL, shipping_tax_rate decimal(15,4), customers_name varchar(64) NOT NULL)');
    }
    await source.query(`INSERT INTO channel SELECT seq, CHAR(97 + seq % 26), CONCAT('Channel ', seq) FROM seq_1_to_200`);
    await source.query(`INSERT INTO contact SELECT seq, CONCAT(ELT(1 + seq % 5, 'quigleyk', 'schadenj', 'heloise', 'dashawn', 'zulaufa'), seq), CONCAT('c', seq, '@corp.com') FROM seq_1_to_200`);
    await source.query(
      `INSERT INTO orders SELECT seq, (seq % 7) * 1.25, IF(seq % 2 = 0, 7.5, NULL), ELT(1 + seq % 5, 'Heloise Quigley', 'Dashawn Kemmer', 'Amira Zulauf', 'Broderick Gleichner', 'Margarete Jast') FROM seq_1_to_200`,
    );
    const policy = join(await mkdtemp(join(tmpdir(), 'understudy-realfit-')), 'scrub.policy.json');
    const env = { env: { UNDERSTUDY_SCRUB_KEY: KEY } };
    const scan = await runCli(['scan', '--url', source.url, '--out', policy]);
    expect(scan.code, scan.stderr).toBe(0);
    const scrub = await runCli(['scrub', '--source', source.url, '--url', target.url, '--policy', policy], env);
    expect(scrub.code, scrub.stderr).toBe(0);
    const audit = await runCli(['audit', '--source', source.url, '--url', target.url, '--policy', policy], env);
    expect(audit.code, audit.stdout).toBe(0);
    // the amounts are the source's; no nick, key or name is
    const amounts = 'SELECT id, order_tax, shipping_tax_rate FROM orders ORDER BY id';
    expect(await target.query(amounts)).toEqual(await source.query(amounts));
    const [same] = await target.query(`SELECT (SELECT count(*) FROM contact t WHERE t.nick IN (SELECT nick FROM ${new URL(source.url).pathname.slice(1)}.contact)) AS nicks,
      (SELECT count(*) FROM channel WHERE \`access-key\` IS NOT NULL) AS keys_left`);
    expect(Number(same!['nicks'])).toBe(0);
    expect(Number(same!['keys_left'])).toBe(0);
    await real.dropAll();
  }, 120_000);
});
