/**
 * `understudy generate` through the built CLI: determinism (1 worker vs 2,
 * shards vs one run, adding a column), the file formats, and bad input.
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

let work: string;
let schemaFile: string;

async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const name of (await readdir(dir)).sort()) out.set(name, await readFile(join(dir, name)));
  return out;
}

async function generate(args: readonly string[]): Promise<string> {
  const out = await mkdtemp(join(work, 'out-'));
  const result = await runCli(['generate', '--schema', schemaFile, '--seed', '7', '--out', out, ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return out;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-generate-'));
  schemaFile = join(work, 'pagila.json');
  const result = await runCli(['introspect', '--from', 'fixtures/schemas/pagila/schema.sql', '--out', schemaFile]);
  expect(result.code).toBe(0);
});

describe('understudy generate: determinism', () => {
  for (const format of ['csv', 'jsonl']) {
    it(`gives byte-identical ${format} files in this thread, with 1 worker and with 2 (many chunks, reordered)`, async () => {
      const here = await filesOf(await generate(['--rows', '3000', '--format', format, '--workers', '0', '--chunk-rows', '700']));
      expect(here.size).toBeGreaterThanOrEqual(8);
      for (const workers of ['1', '2']) {
        const other = await filesOf(await generate(['--rows', '3000', '--format', format, '--workers', workers, '--chunk-rows', '700']));
        expect([...other.keys()]).toEqual([...here.keys()]);
        for (const [name, bytes] of here) expect(other.get(name)!.equals(bytes), `${name}, ${workers} workers`).toBe(true);
      }
    });
  }

  it('makes the same rows in shards 1/3 + 2/3 + 3/3 as in one run', async () => {
    const whole = await filesOf(await generate(['--rows', '2000', '--format', 'csv', '--chunk-rows', '300']));
    const shards = await Promise.all([1, 2, 3].map(async (i) => filesOf(await generate(['--rows', '2000', '--format', 'csv', '--chunk-rows', '300', '--shard', `${i}/3`]))));
    for (const [name, bytes] of whole) {
      if (name.includes('.updates.')) continue;
      const base = name.replace(/\.csv$/, '');
      const parts = shards.map((files, i) => {
        const part = files.get(`${base}.shard-${i + 1}-of-3.csv`);
        expect(part, `${base} shard ${i + 1}`).toBeDefined();
        const text = part!.toString('utf8');
        return i === 0 ? text : text.slice(text.indexOf('\r\n') + 2); // every shard file has the header
      });
      expect(parts.join(''), name).toBe(bytes.toString('utf8'));
    }
  });

  it('leaves the other columns unchanged when a column is added to a table', async () => {
    const before = await generate(['--rows', '1500', '--format', 'jsonl']);
    const schema = JSON.parse(await readFile(schemaFile, 'utf8'));
    const actor = schema.tables['public.actor'];
    actor.columns.splice(2, 0, { name: 'nickname', rawType: 'character varying(30)', kind: 'varchar', length: 30, arrayDimensions: 0, nullable: true });
    const widened = join(work, 'pagila-widened.json');
    await writeFile(widened, JSON.stringify(schema));
    const out = await mkdtemp(join(work, 'out-'));
    const result = await runCli(['generate', '--schema', widened, '--seed', '7', '--out', out, '--rows', '1500', '--format', 'jsonl']);
    expect(result.code).toBe(0);
    const a = await filesOf(before);
    const b = await filesOf(out);
    for (const [name, bytes] of a) {
      const oldRows = bytes
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const newRows = b
        .get(name)!
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(newRows.length, name).toBe(oldRows.length);
      for (const column of Object.keys(oldRows[0]!)) {
        // column-wise: the whole column, as JSON text, is the same
        expect(JSON.stringify(newRows.map((r) => r[column])), `${name}.${column}`).toBe(JSON.stringify(oldRows.map((r) => r[column])));
      }
      if (name === 'public.actor.jsonl') expect(newRows.some((r) => typeof r['nickname'] === 'string')).toBe(true);
    }
  });
});

describe('understudy generate: files', () => {
  it('writes RFC 4180 CSV with a header, NULL as an empty field and jsonl objects, one file per table', async () => {
    const csv = await filesOf(await generate(['--rows', '200', '--format', 'csv']));
    expect([...csv.keys()]).toContain('public.film.csv');
    const film = csv.get('public.film.csv')!.toString('utf8');
    // fulltext is left out: film_fulltext_trigger sets it on insert.
    expect(film.split('\r\n')[0]).toBe(
      'film_id,title,description,release_year,language_id,original_language_id,rental_duration,rental_rate,length,replacement_cost,rating,last_update,special_features',
    );
    expect(film.split('\r\n').length).toBe(202); // header + 200 rows + the empty string after the last CRLF
    const jsonl = await filesOf(await generate(['--rows', '200', '--format', 'jsonl']));
    const first = JSON.parse(jsonl.get('public.film.jsonl')!.toString('utf8').split('\n')[0]!);
    expect(first).toMatchObject({ film_id: 1 });
    expect(typeof first.title).toBe('string');
  });

  it('leaves no file behind when generation fails, naming the bad config field', async () => {
    const out = await mkdtemp(join(work, 'fail-'));
    const config = join(work, 'bad-faker.config.json');
    await writeFile(config, JSON.stringify({ tables: { payment: { columns: { amount: { generator: 'faker', method: 'no.such' } } } } }));
    const result = await runCli(['generate', '--schema', schemaFile, '--out', out, '--format', 'csv', '--rows', '10', '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('public.payment.amount: faker has no method "no.such"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(out)).toEqual([]);
    const missing = await runCli(['generate', '--schema', schemaFile, '--out', out, '--rows', '10', '--config', join(work, 'missing.config.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});

describe('understudy generate and plan: bad input', () => {
  it('names the file and the field of a malformed config', async () => {
    const config = join(work, 'bad.config.json');
    await writeFile(config, JSON.stringify({ seed: 1, tables: { film: { rows: -5 } } }));
    const result = await runCli(['plan', '--schema', schemaFile, '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(config);
    expect(result.stderr).toContain('tables.film.rows');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('loads a TypeScript config written with defineConfig', async () => {
    const result = await runCli(['plan', '--schema', schemaFile, '--config', 'fixtures/configs/pagila.config.ts']);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.seed).toBe('42');
    expect(plan.tables['public.film'].rows).toBe(500);
    expect(plan.tables['public.customer'].rows).toBe(2000);
  });

  it('rejects --shard 4/3, --rows -1 and --format xml with exit code 2', async () => {
    const shard = await runCli(['generate', '--schema', schemaFile, '--out', work, '--shard', '4/3']);
    expect(shard.code).toBe(2);
    expect(shard.stderr).toContain('--shard 4/3 is not valid');
    const rows = await runCli(['plan', '--schema', schemaFile, '--rows', '-1']);
    expect(rows.code).toBe(2);
    expect(rows.stderr).toContain('--rows must be a non-negative integer, got "-1"');
    const format = await runCli(['generate', '--schema', schemaFile, '--out', work, '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format xml is not supported');
  });

  it('caps a blanket row count a unique key cannot hold, and explains one asked for the table (100,000 rows of a unique smallint)', async () => {
    const sql = join(work, 'tiny.sql');
    await writeFile(sql, 'CREATE TABLE tiny (id integer PRIMARY KEY, code smallint UNIQUE NOT NULL);\n');
    const capped = await runCli(['plan', '--from', sql, '--rows', '100000', '--summary']);
    expect(capped.code, capped.stderr).toBe(0);
    expect(capped.stdout).toContain('public.tiny  65,536 rows');
    expect(capped.stdout).toMatch(/note: rows capped at 65,536 \(asked 100,000\): .*code/);
    const config = join(work, 'tiny.config.json');
    await writeFile(config, JSON.stringify({ tables: { tiny: { rows: 100000 } } }));
    const result = await runCli(['plan', '--from', sql, '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot plan the data');
    expect(result.stderr).toContain('public.tiny');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints a readable plan summary listing generators, NULL rates and reasons', async () => {
    const result = await runCli(['plan', '--schema', schemaFile, '--rows', '10', '--summary']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('public.film  10 rows');
    expect(result.stdout).toMatch(/email\s+\S+.*column name: email/);
  });
});
