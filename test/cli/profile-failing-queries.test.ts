/**
 * A profile's scan queries meet real data that makes one of them fail on the server: here the
 * pair-trend query over `double` readings near 1e300, whose sums of squares overflow
 * (PostgreSQL: "value out of range: overflow"; MariaDB: "DOUBLE value is out of range").
 * That used to stop `understudy profile` with an internal error (exit 3) and no profile. What
 * the failed query measures is now left out, with a note naming the table, the part and the
 * server's reason, and the rest of the table is profiled (checked against SQL written here).
 * A statement's own failure is told from the connection's by the drivers' real errors.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStatementError } from '@understudy/core';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines } from '../scratch-databases.js';

const scratch = scratchEngines('understudy_profile_fail');
afterAll(scratch.dropAll);

/** 400 readings of 8 sensors: two doubles near 1e300, two low-cardinality labels. */
const DDL = {
  postgres: [
    'CREATE TABLE sensors (id integer PRIMARY KEY, site text NOT NULL)',
    'CREATE TABLE readings (id integer PRIMARY KEY, sensor_id integer NOT NULL REFERENCES sensors (id), a double precision, b double precision, unit text, band text)',
    "INSERT INTO sensors SELECT g, 'site' || (g % 3) FROM generate_series(1, 8) g",
    "INSERT INTO readings SELECT g, 1 + g % 8, (g % 97) * 1e298, (g % 89) * -1e298, CASE WHEN g % 2 = 0 THEN 'kPa' ELSE 'bar' END, 'band' || (g % 3) FROM generate_series(1, 400) g",
    'ANALYZE',
  ],
  mariadb: [
    'CREATE TABLE sensors (id integer PRIMARY KEY, site varchar(20) NOT NULL)',
    'CREATE TABLE readings (id integer PRIMARY KEY, sensor_id integer NOT NULL, a double, b double, unit varchar(5), band varchar(10), FOREIGN KEY (sensor_id) REFERENCES sensors (id))',
    "INSERT INTO sensors SELECT seq, concat('site', seq % 3) FROM seq_1_to_8",
    "INSERT INTO readings SELECT seq, 1 + seq % 8, (seq % 97) * 1e298, (seq % 89) * -1e298, IF(seq % 2 = 0, 'kPa', 'bar'), concat('band', seq % 3) FROM seq_1_to_400",
    'ANALYZE TABLE sensors, readings PERSISTENT FOR ALL',
  ],
};

interface ProfileJson {
  notes: string[];
  tables: Record<string, { foreignKeys: Record<string, { fanout?: unknown[] }>; trends?: { correlations?: unknown[]; contingencies?: Array<{ columns: string[]; cells: Array<{ rows: number }> }> } }>;
}

describe('a scan query the server refuses leaves out what it measures, and the profile goes on', () => {
  for (const engine of scratch.engines) {
    it.skipIf(!engine.enabled)(`on ${engine.name}`, async () => {
      const db = await engine.create();
      for (const statement of DDL[engine.name]) await db.query(statement);
      const out = join(await mkdtemp(join(tmpdir(), 'understudy-profile-fail-')), 'profile.json');
      const result = await runCli(['profile', '--url', db.url, '--out', out]);
      expect(result.code, result.stderr).toBe(0);
      const profile = JSON.parse(await readFile(out, 'utf8')) as ProfileJson;
      const key = Object.keys(profile.tables).find((k) => k.endsWith('.readings'))!;
      // The note: the table, the part, the server's reason; shown on stderr too.
      const note = profile.notes.find((n) => n.startsWith(`${key}: `));
      expect(note).toMatch(/pair trends: .*out of range.*\(22003\)/);
      expect(result.stderr).toContain(note);
      // The rest is there: the fan-out along the FK, as SQL counts it.
      const readings = profile.tables[key]!;
      const perSensor = await db.query('SELECT count(*) AS c FROM readings GROUP BY sensor_id');
      const fanout = Object.values(readings.foreignKeys)[0]!.fanout as Array<{ parents: number }>;
      expect(fanout.reduce((s, b) => s + b.parents, 0)).toBe(perSensor.length);
      expect(readings.trends?.correlations ?? []).toEqual([]);
      if (engine.name === 'postgres') {
        // and the labels' pairs, read by the next query of the same part (on MariaDB a pair needs both columns' frequent
        // values, which its default histograms lack: `profile --analyze` builds JSON_HB ones).
        const pair = readings.trends?.contingencies?.find((c) => c.columns.join() === 'unit,band');
        const cells = await db.query('SELECT count(*) AS c FROM readings WHERE unit IS NOT NULL AND band IS NOT NULL GROUP BY unit, band');
        expect(pair?.cells.map((c) => c.rows).sort()).toEqual(cells.map((r) => Number(r['c'])).sort());
      }
    });
  }
});

describe("the drivers' errors: a statement's own failure, or the connection's", () => {
  it.skipIf(!process.env['UNDERSTUDY_TEST_PG_URL'])('PostgreSQL (pg)', async () => {
    const client = new pg.Client({ connectionString: process.env['UNDERSTUDY_TEST_PG_URL'] });
    client.on('error', () => undefined);
    await client.connect();
    const divide = await client.query('SELECT 1 / 0').catch((e: unknown) => e);
    expect(isStatementError(divide)).toBe(true);
    const killed = await client.query('SELECT pg_terminate_backend(pg_backend_pid())').catch((e: unknown) => e);
    expect(killed).toBeInstanceOf(Error);
    expect(isStatementError(killed)).toBe(false);
    await client.end().catch(() => undefined);
    const refused = await new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:1/postgres' }).connect().catch((e: unknown) => e);
    expect(isStatementError(refused)).toBe(false);
  });

  it.skipIf(!process.env['UNDERSTUDY_TEST_MYSQL_URL'])('MariaDB (mysql2)', async () => {
    const conn = await mysql.createConnection({ uri: process.env['UNDERSTUDY_TEST_MYSQL_URL']! });
    conn.on('error', () => undefined);
    const overflow = await conn.query('SELECT 1e308 * 10').catch((e: unknown) => e);
    expect(isStatementError(overflow)).toBe(true);
    // "Connection was killed" (SQLSTATE 70100, as a statement timeout's), then the closed connection's own error.
    const killed = await conn.query('KILL CONNECTION_ID()').catch((e: unknown) => e);
    expect(killed).toBeInstanceOf(Error);
    expect(isStatementError(killed)).toBe(false);
    const after = await conn.query('SELECT 1').catch((e: unknown) => e);
    expect(after).toBeInstanceOf(Error);
    expect(isStatementError(after)).toBe(false);
    conn.destroy();
  });
});
