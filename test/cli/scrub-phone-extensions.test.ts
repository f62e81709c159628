/**
 * invoiceninja's `database/schema/mysql-schema.sql`, seeded on MariaDB and scrubbed as a new user
 * would (scan → scrub → audit, no edits; docs/corpus.md, 2026-12-07, last): the audit failed with one
 * leak, `users.phone id=103`, a fake `888-746-3175 x5403` whose extension `x5403` equalled the
 * extension of a source vendor's phone (`1-385-381-7129 x5403`). Four digits identify nobody (the
 * audit already ignores a phone's last group); with every extension taken in the source, as here,
 * each fake with one "leaked". Checked here in SQL: no target phone is a source phone, and a
 * phone kept on purpose still fails the audit.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';

const KEY = 'phone-extension-key-0123456789abcdef';
const scratch = scratchEngines('understudy_ext');
const postgres = scratch.engines.find((e) => e.name === 'postgres')!;
const SCHEMA = 'CREATE TABLE vendor_contacts (id serial PRIMARY KEY, first_name varchar(191), phone varchar(191))';

describe.skipIf(!postgres.enabled)('audit: phones whose extensions a fake can share (PostgreSQL)', () => {
  let source: { url: string; query: Query };
  let policy: string;

  beforeAll(async () => {
    source = await postgres.create();
    await source.query(SCHEMA);
    // Every 4-digit extension, each on its own number.
    await source.query(`INSERT INTO vendor_contacts (first_name, phone)
      SELECT (ARRAY['Ann', 'Bob', 'Cleo', 'Dev'])[1 + i % 4], (ARRAY['212', '415', '617', '312'])[1 + i % 4] || '-' || (201 + i % 600) || '-' || lpad((i * 7919 % 10000)::text, 4, '0') || ' x' || lpad(i::text, 4, '0')
      FROM generate_series(0, 9999) i`);
    policy = join(await mkdtemp(join(tmpdir(), 'understudy-ext-')), 'scrub.policy.json');
    const scan = await runCli(['scan', '--url', source.url, '--out', policy]);
    expect(scan.code, scan.stderr).toBe(0);
  }, 120_000);
  afterAll(scratch.dropAll);

  it('passes when the fakes share only extensions, and no source phone is in the target', async () => {
    const p = JSON.parse(await readFile(policy, 'utf8')) as { tables: Record<string, { columns: Record<string, { transform: string }> }> };
    expect(p.tables['public.vendor_contacts']!.columns['phone']!.transform).toBe('fake:phone');
    const target = await postgres.create();
    await target.query(SCHEMA);
    const scrub = await runCli(['scrub', '--source', source.url, '--url', target.url, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(scrub.code, scrub.stderr).toBe(0);
    // Independently: the fakes do carry extensions the source has, and no whole source phone.
    const sourcePhones = new Set((await source.query('SELECT phone FROM vendor_contacts')).map((r) => String(r['phone'])));
    const targetPhones = (await target.query('SELECT phone FROM vendor_contacts')).map((r) => String(r['phone']));
    expect(targetPhones).toHaveLength(10_000);
    expect(targetPhones.filter((t) => sourcePhones.has(t))).toEqual([]);
    expect(targetPhones.filter((t) => / x\d{4}$/.test(t)).length).toBeGreaterThan(0);
    const audit = await runCli(['audit', '--source', source.url, '--url', target.url, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/leaks: 0/);
  }, 180_000);

  it('still fails when a whole phone is kept', async () => {
    const target = await postgres.create();
    await target.query(SCHEMA);
    const scrub = await runCli(['scrub', '--source', source.url, '--url', target.url, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(scrub.code, scrub.stderr).toBe(0);
    const [row] = await source.query('SELECT phone FROM vendor_contacts WHERE id = 1');
    await target.query(`UPDATE vendor_contacts SET phone = '${String(row!['phone'])}' WHERE id = 2`);
    const audit = await runCli(['audit', '--source', source.url, '--url', target.url, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(audit.code).toBe(1);
    expect(audit.stdout).toMatch(/vendor_contacts\.phone {2}id=2/);
  }, 180_000);
});
