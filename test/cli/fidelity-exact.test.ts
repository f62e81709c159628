/**
 * Honest fidelity on real data (issue 19): the OurAirports data set
 * (fixtures/data/ourairports, public domain: countries, regions and 6,000 navaids)
 * is loaded into PostgreSQL and MariaDB, profiled, and an empty copy is seeded from
 * the profile. The scores `understudy fidelity` reports are then checked against
 * exact distances computed here from every row of both sides: for every column
 * scored by `ks` or `tvd`, the reported score is within 0.05 of 1 − the exact
 * KS / TVD. Every non-key column has a value metric or says why not, and none
 * without one carries a score.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FidelityReport } from '@understudy/core';
import { repoRoot, runCli } from '../run-cli.js';
import { exactKs, exactTvd, parseCsv } from './exact-distances.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];

/** `code`: a short code or category, declared varchar(16) (MariaDB keeps no statistics for TEXT columns). */
type Type = 'int' | 'double' | 'text' | 'code';
/** The tables as the corpus loader types them (integers, doubles, text), short codes and categories as varchar(16). */
const TABLES: Array<{ name: string; file: string; columns: Array<[string, Type]> }> = [
  {
    name: 'countries',
    file: 'countries.csv',
    columns: [
      ['id', 'int'],
      ['code', 'code'],
      ['name', 'text'],
      ['continent', 'code'],
      ['wikipedia_link', 'text'],
      ['keywords', 'text'],
    ],
  },
  {
    name: 'regions',
    file: 'regions.csv',
    columns: [
      ['id', 'int'],
      ['code', 'code'],
      ['local_code', 'code'],
      ['name', 'text'],
      ['continent', 'code'],
      ['iso_country', 'code'],
      ['wikipedia_link', 'text'],
      ['keywords', 'text'],
    ],
  },
  {
    name: 'navaids',
    file: 'navaids.csv',
    columns: [
      ['id', 'int'],
      ['filename', 'text'],
      ['ident', 'code'],
      ['name', 'text'],
      ['type', 'code'],
      ['frequency_khz', 'int'],
      ['latitude_deg', 'double'],
      ['longitude_deg', 'double'],
      ['elevation_ft', 'int'],
      ['iso_country', 'code'],
      ['dme_frequency_khz', 'int'],
      ['dme_channel', 'code'],
      ['dme_latitude_deg', 'double'],
      ['dme_longitude_deg', 'double'],
      ['dme_elevation_ft', 'int'],
      ['slaved_variation_deg', 'double'],
      ['magnetic_variation_deg', 'double'],
      ['usageType', 'code'],
      ['power', 'code'],
      ['associated_airport', 'text'],
    ],
  },
];

interface Server {
  create(name: string): Promise<string>;
  ddl(): string[];
  insert(url: string, table: string, columns: string[], rows: unknown[][]): Promise<void>;
  values(url: string, table: string, column: string): Promise<unknown[]>;
  drop(name: string): Promise<void>;
}

function urlFor(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

const BATCH = 500;

const postgres = (base: string): Server => {
  const q = (id: string): string => `"${id}"`;
  const withClient = async <T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return await f(c);
    } finally {
      await c.end();
    }
  };
  return {
    async create(name) {
      await withClient(base, (c) => c.query(`CREATE DATABASE ${name}`));
      return urlFor(base, name);
    },
    ddl: () =>
      TABLES.map(
        (t) =>
          `create table ${t.name} (${t.columns.map(([c, type]) => `${q(c)} ${type === 'int' ? 'integer' : type === 'double' ? 'double precision' : type === 'code' ? 'varchar(16)' : 'text'}`).join(', ')}, primary key (id))`,
      ),
    insert: (url, table, columns, rows) =>
      withClient(url, async (c) => {
        for (let i = 0; i < rows.length; i += BATCH) {
          const chunk = rows.slice(i, i + BATCH);
          const params = chunk.flat();
          const tuples = chunk.map((r, k) => `(${r.map((_, j) => `$${k * r.length + j + 1}`).join(', ')})`);
          await c.query(`insert into ${table} (${columns.map(q).join(', ')}) values ${tuples.join(', ')}`, params);
        }
      }),
    values: (url, table, column) => withClient(url, async (c) => (await c.query(`select ${q(column)} as v from ${table} where ${q(column)} is not null`)).rows.map((r) => r.v)),
    async drop(name) {
      await withClient(base, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
};

const mariadb = (base: string): Server => {
  const q = (id: string): string => `\`${id}\``;
  const withClient = async <T>(url: string, f: (c: mysql.Connection) => Promise<T>): Promise<T> => {
    const c = await mysql.createConnection({ uri: url });
    try {
      return await f(c);
    } finally {
      await c.end();
    }
  };
  return {
    async create(name) {
      await withClient(base, (c) => c.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`));
      return urlFor(base, name);
    },
    ddl: () =>
      TABLES.map(
        (t) =>
          `create table ${t.name} (${t.columns.map(([c, type]) => `${q(c)} ${type === 'int' ? 'int' : type === 'double' ? 'double' : type === 'code' ? 'varchar(16)' : 'text'}`).join(', ')}, primary key (id))`,
      ),
    insert: (url, table, columns, rows) =>
      withClient(url, async (c) => {
        for (let i = 0; i < rows.length; i += BATCH) {
          await c.query(`insert into ${table} (${columns.map(q).join(', ')}) values ?`, [rows.slice(i, i + BATCH)]);
        }
      }),
    values: (url, table, column) =>
      withClient(url, async (c) => ((await c.query(`select ${q(column)} as v from ${table} where ${q(column)} is not null`))[0] as Array<{ v: unknown }>).map((r) => r.v)),
    async drop(name) {
      await withClient(base, (c) => c.query(`DROP DATABASE IF EXISTS ${name}`));
    },
  };
};

function typed(value: string | null, type: Type): unknown {
  if (value === null) return null;
  return type === 'text' || type === 'code' ? value : Number(value);
}

const servers: Array<[string, string | undefined, (base: string) => Server]> = [
  ['PostgreSQL', pgUrl, postgres],
  ['MariaDB', mysqlUrl, mariadb],
];

for (const [serverName, base, make] of servers) {
  describe.skipIf(!base)(`fidelity scores agree with exact KS/TVD on real data (OurAirports) on ${serverName}`, () => {
    const server = make(base ?? 'postgres://unused');
    const prefix = `understudy_fex_${process.pid}_${Date.now() % 1_000_000}`;
    const made: string[] = [];
    let dir: string;
    let source: string;
    let target: string;
    let report: FidelityReport;

    async function database(suffix: string): Promise<string> {
      const name = `${prefix}_${suffix}`;
      made.push(name);
      const url = await server.create(name);
      const ddl = server.ddl();
      await runDdl(url, ddl);
      return url;
    }

    async function runDdl(url: string, statements: string[]): Promise<void> {
      if (url.startsWith('postgres')) {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        for (const s of statements) await c.query(s);
        await c.end();
      } else {
        const c = await mysql.createConnection({ uri: url });
        for (const s of statements) await c.query(s);
        await c.end();
      }
    }

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'understudy-fidelity-exact-'));
      source = await database('src');
      for (const t of TABLES) {
        const [header, ...rows] = parseCsv(await readFile(join(repoRoot, 'fixtures/data/ourairports', t.file), 'utf8'));
        const index = t.columns.map(([c]) => header!.indexOf(c));
        expect(
          index.every((i) => i >= 0),
          `${t.file} header ${header!.join(',')}`,
        ).toBe(true);
        await server.insert(
          source,
          t.name,
          t.columns.map(([c]) => c),
          rows.filter((r) => r.length > 1).map((r) => index.map((i, k) => typed(r[i] ?? null, t.columns[k]![1]))),
        );
      }
      const profileFile = join(dir, 'profile.json');
      const profiled = await runCli(['profile', '--analyze', '--url', source, '--out', profileFile]);
      expect(profiled.code, profiled.stderr).toBe(0);
      target = await database('copy');
      const seeded = await runCli(['seed', '--url', target, '--profile', profileFile, '--json']);
      expect(seeded.code, seeded.stderr).toBe(0);
      const scored = await runCli(['fidelity', '--profile', profileFile, '--url', target, '--json']);
      expect(scored.stdout, scored.stderr).toMatch(/^\{/);
      report = JSON.parse(scored.stdout) as FidelityReport;
    }, 600_000);

    afterAll(async () => {
      for (const name of made) await server.drop(name).catch(() => undefined);
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('reports per-column ks/tvd within 0.05 of the exact distances on the rows of both sides', async () => {
      const checked: string[] = [];
      const off: string[] = [];
      for (const [key, table] of Object.entries(report.tables)) {
        const name = key.slice(key.lastIndexOf('.') + 1);
        for (const [column, scored] of Object.entries(table.columns)) {
          const metric = scored.metrics.find((m) => m.metric === 'ks' || m.metric === 'tvd');
          if (!metric) continue;
          const a = await server.values(source, name, column);
          const b = await server.values(target, name, column);
          const exact = metric.metric === 'ks' ? exactKs(a.map(Number), b.map(Number)) : exactTvd(a.map(String), b.map(String));
          const line = `${name}.${column} ${metric.metric}: reported ${metric.score.toFixed(3)}, exact ${(1 - exact).toFixed(3)}`;
          checked.push(line);
          if (Math.abs(metric.score - (1 - exact)) > 0.05) off.push(line);
        }
      }
      console.log(`[${serverName}] ${report.coverage ? `value coverage ${report.coverage.measured}/${report.coverage.columns}` : ''}\n  ${checked.join('\n  ')}`);
      expect(checked.length).toBeGreaterThanOrEqual(8);
      expect(off).toEqual([]);
    });

    it('gives every non-key column a value metric or a reason, and no score without one', () => {
      expect(report.coverage).toBeDefined();
      let nonKey = 0;
      for (const table of Object.values(report.tables)) {
        for (const column of Object.values(table.columns)) {
          if (column.key) continue;
          nonKey++;
          const valued = column.metrics.some((m) => m.metric === 'ks' || m.metric === 'tvd');
          if (!valued) {
            expect(column.notMeasured).toBeTruthy();
            expect(column.score).toBeNull();
          } else expect(column.notMeasured).toBeUndefined();
        }
      }
      expect(report.coverage!.columns).toBe(nonKey);
    });
  });
}
