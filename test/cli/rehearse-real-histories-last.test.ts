/**
 * Classes found rehearsing real histories as a new user (docs/corpus.md, "Real histories tried as
 * a new user (2026-12-07, last)"), each reduced to a small folder written for this project, rehearsed
 * through the built CLI on PGlite (the classes are engine-independent), the database kept so that
 * the test's own SQL checks the report:
 *
 * - defguard's ACL ranges: `CHECK ("start" < "end")` over two `inet` columns (and `host("start")::inet
 *   = "start"`, host addresses only). The ordering was generated for times and numbers only, so the
 *   seeded rows broke the CHECK and both range tables were left empty. An `inet` after another is now
 *   that address plus a small step.
 * - defguard's `multiple_peer_addresses`: `SET wireguard_ips = ARRAY[wireguard_ip]`, then the old
 *   column dropped. Each address is kept, as a one-element array, but the rehearsal called the
 *   column "dropped with 1000 non-NULL values": an array constructor now carries its elements, as a
 *   function such as `to_jsonb(c)` did.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RehearsalReportModel } from '@understudy/rehearse';
import { afterAll, describe, expect, it } from 'vitest';
import { historyFolders, queryKeptDatabase } from '../history-folders.js';
import { runCli } from '../run-cli.js';

const { work, folder, remove } = await historyFolders('understudy-real-histories-last-');
afterAll(remove);

describe('inet ranges ordered by a CHECK, and addresses wrapped into arrays before a drop (defguard)', () => {
  it('seeds the ranges in order and calls the wrapped column no loss', async () => {
    const dir = await folder('inet-ranges', {
      '001_acl.up.sql': `CREATE TABLE acl_rule (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE acl_rule_range (
    id BIGSERIAL PRIMARY KEY,
    rule_id BIGINT NOT NULL REFERENCES acl_rule (id) ON DELETE CASCADE,
    "start" inet NOT NULL,
    "end" inet NOT NULL,
    CONSTRAINT no_networks CHECK (host("start")::inet = "start" AND host("end")::inet = "end"),
    CONSTRAINT range_order CHECK ("start" < "end")
);
CREATE TABLE network_device (id BIGSERIAL PRIMARY KEY, wireguard_ip inet NOT NULL, preshared_key TEXT);
`,
      '002_multiple_peer_addresses.up.sql': `ALTER TABLE network_device
ADD COLUMN wireguard_ips inet[] NOT NULL DEFAULT '{}';

UPDATE network_device
SET wireguard_ips = ARRAY[wireguard_ip];

ALTER TABLE network_device
DROP COLUMN wireguard_ip;
`,
    });
    const json = join(work, 'inet-ranges.json');
    const kept = join(work, 'inet-ranges-db');
    const result = await runCli(['rehearse', dir, '--rows', '300', '--no-down', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => [m.id, m.status])).toEqual([['002', 'passed']]);
    expect(report.hazards).toEqual([]);
    expect(report.notes.filter((n) => /left empty/.test(n))).toEqual([]);
    expect(
      await queryKeptDatabase(
        kept,
        `SELECT (SELECT count(*) FROM acl_rule_range)::int AS ranges,
                (SELECT count(*) FROM acl_rule_range WHERE "start" < "end" AND host("start")::inet = "start" AND host("end")::inet = "end")::int AS ordered,
                (SELECT count(DISTINCT "end" - "start") FROM acl_rule_range)::int AS widths,
                (SELECT count(*) FROM network_device)::int AS devices,
                (SELECT count(*) FROM network_device WHERE cardinality(wireguard_ips) = 1 AND wireguard_ips[1] IS NOT NULL)::int AS wrapped,
                (SELECT count(*) FROM information_schema.columns WHERE table_name = 'network_device' AND column_name = 'wireguard_ip')::int AS old_column`,
      ),
    ).toEqual([{ ranges: 300, ordered: 300, widths: expect.any(Number), devices: 300, wrapped: 300, old_column: 0 }]);
    const [{ widths }] = (await queryKeptDatabase(kept, 'SELECT count(DISTINCT "end" - "start")::int AS widths FROM acl_rule_range')) as [{ widths: number }];
    // Ranges of several widths, not one step for every row.
    expect(widths).toBeGreaterThan(10);
  });
});
