/**
 * Search vectors hold the words of the text they index, as lexemes: scrubbing the text and
 * keeping the vector kept the original names and e-mails in the copy (pagila's `film.fulltext`,
 * Rails apps' `search_vector`). On PostgreSQL, checked by SQL written here:
 * - a vector a `tsvector_update_trigger` sets is recomputed by the target from the scrubbed text
 *   (scan proposes `keep` and says why; the trigger stays on while the rows go in);
 * - a generated vector is computed by the target (scan proposes `keep`);
 * - a vector nothing recomputes is `generate`d (NOT NULL) or `null`ed (scan proposes it);
 * - `text` on a vector is refused with a hint naming what applies.
 * Also: `<thing>_id` integer keys are not taken for the thing (`address_id` is no address).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';

const KEY = 'search-vectors-key-0123456789abcdef';
const scratch = scratchEngines('understudy_tsv');
const postgres = scratch.engines.find((e) => e.name === 'postgres')!;

const SCHEMA = `
CREATE TABLE addresses (address_id integer PRIMARY KEY, street text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, address_id integer REFERENCES addresses, body text NOT NULL, search tsvector,
  touched timestamptz NOT NULL DEFAULT '2001-02-03 04:05:06+00');
CREATE TRIGGER notes_search BEFORE INSERT OR UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(search, 'pg_catalog.english', body);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN NEW.touched := now(); RETURN NEW; END';
CREATE TRIGGER notes_touch BEFORE UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE memos (id integer PRIMARY KEY, body text NOT NULL, search tsvector);
CREATE TRIGGER memos_search BEFORE INSERT ON memos FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(search, 'pg_catalog.english', body);
CREATE TABLE posts (id integer PRIMARY KEY, body text NOT NULL, search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED);
CREATE TABLE docs (id integer PRIMARY KEY, body text NOT NULL, search tsvector NOT NULL);
CREATE TABLE drafts (id integer PRIMARY KEY, body text, search tsvector);`;

// Surnames no dictionary holds, so the text transform must replace them, and e-mails to_tsvector keeps whole.
const SURNAMES = ['quackenbush', 'zwirblowski', 'pettigrove', 'vanderkloot'];
const text = (i: string): string => `'Called Zebulon ' || initcap((ARRAY['${SURNAMES.join("','")}'])[1 + ${i} % 4]) || ' at zeb.q' || ${i} || '@example.com about invoice ' || ${i}`;

describe.skipIf(!postgres.enabled)('scrub: search vectors (tsvector) do not keep the words of scrubbed text (PostgreSQL)', () => {
  let source: { url: string; query: Query };
  let target: { url: string; query: Query };
  let policy: string;
  let scanOut: string;

  beforeAll(async () => {
    source = await postgres.create();
    target = await postgres.create();
    await source.query(SCHEMA);
    await target.query(SCHEMA);
    await source.query(`
      INSERT INTO addresses SELECT i, i || ' Main Street' FROM generate_series(1, 50) i;
      INSERT INTO notes (id, address_id, body) SELECT i, 1 + i % 50, ${text('i')} FROM generate_series(1, 300) i;
      -- text with nothing personal, its vector made another way (as a restore would bring it): the copy keeps it as it is
      ALTER TABLE notes DISABLE TRIGGER notes_search;
      INSERT INTO notes (id, address_id, body, search) SELECT i, 1, 'The order was shipped on time', to_tsvector('simple', 'The order was shipped on time') FROM generate_series(301, 400) i;
      ALTER TABLE notes ENABLE TRIGGER notes_search;
      INSERT INTO memos (id, body) SELECT i, ${text('i')} FROM generate_series(1, 300) i;
      INSERT INTO posts (id, body) SELECT i, ${text('i')} FROM generate_series(1, 300) i;
      INSERT INTO docs (id, body, search) SELECT i, b, to_tsvector('english', b) FROM (SELECT i, ${text('i')} AS b FROM generate_series(1, 300) i) x;
      INSERT INTO drafts (id, body, search) SELECT i, b, to_tsvector('english', b) FROM (SELECT i, ${text('i')} AS b FROM generate_series(1, 300) i) x;`);
    policy = join(await mkdtemp(join(tmpdir(), 'understudy-tsv-')), 'scrub.policy.json');
    const scan = await runCli(['scan', '--url', source.url, '--out', policy]);
    expect(scan.code, scan.stderr).toBe(0);
    scanOut = scan.stdout;
  }, 120_000);
  afterAll(scratch.dropAll);

  it('scan keeps what the target recomputes, and generates or nulls what nothing recomputes', async () => {
    const p = JSON.parse(await readFile(policy, 'utf8')) as { tables: Record<string, { columns: Record<string, { transform: string }> }> };
    const t = (table: string, column: string): string | undefined => p.tables[`public.${table}`]?.columns[column]?.transform;
    expect(t('notes', 'body')).toBe('text');
    expect(t('notes', 'search')).toBe('keep');
    expect(t('memos', 'search')).toBe('keep');
    expect(t('posts', 'search')).toBe('keep');
    expect(t('docs', 'search')).toBe('generate');
    expect(t('drafts', 'search')).toBe('null');
    expect(scanOut).toMatch(/search +keep .*set by trigger notes_search \(tsvector_update_trigger\): the target recomputes it/);
    expect(scanOut).toMatch(/search +keep .*generated column: the target computes it/);
    // a key named after what it points at is a key
    expect(t('notes', 'address_id')).toBe('keep');
    expect(t('addresses', 'address_id')).toBe('keep');
  });

  it('scrub leaves no original word in any search vector; the target recomputes the kept ones from the scrubbed text', async () => {
    const scrub = await runCli(['scrub', '--source', source.url, '--url', target.url, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(scrub.code, scrub.stderr).toBe(0);
    const surnames = SURNAMES.map((s) => `search::text LIKE '%${s}%'`).join(' OR ');
    for (const table of ['notes', 'memos', 'posts', 'docs', 'drafts']) {
      const [row] = await target.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE ${surnames} OR search::text LIKE '%zeb.q%' OR search::text LIKE '%zebulon%')::int AS leaked FROM ${table}`);
      expect(row, table).toEqual({ n: table === 'notes' ? 400 : 300, leaked: 0 });
    }
    // recomputed from the copy's own text, row by row, where the text changed (by an UPDATE on notes, whose trigger also fires on UPDATE)
    for (const table of ['notes', 'memos', 'posts']) {
      const [row] = await target.query(`SELECT count(*) FILTER (WHERE search IS DISTINCT FROM to_tsvector('english', body))::int AS stale FROM ${table} WHERE id <= 300`);
      expect(row!['stale'], table).toBe(0);
    }
    // a row whose text came through unchanged keeps its vector, as a restore would; no other trigger fired (touched is the source's)
    const [kept] = await target.query(
      `SELECT count(*) FILTER (WHERE search = to_tsvector('simple', body) AND body = 'The order was shipped on time')::int AS kept,
         count(*) FILTER (WHERE touched <> '2001-02-03 04:05:06+00')::int AS touched FROM notes WHERE id > 300 OR touched <> '2001-02-03 04:05:06+00'`,
    );
    expect(kept).toEqual({ kept: 100, touched: 0 });
    const [bodies] = await target.query(`SELECT count(*) FILTER (WHERE body LIKE '%Zebulon%')::int AS n FROM notes`);
    expect(bodies!['n']).toBe(0);
    const [drafts] = await target.query(`SELECT count(search)::int AS n FROM drafts`);
    expect(drafts!['n']).toBe(0);
    // and a dump of the copy holds none of the surnames, anywhere
    const dump = execFileSync('pg_dump', ['--data-only', target.url], { encoding: 'utf8' }).toLowerCase();
    for (const s of SURNAMES) expect(dump.includes(s), s).toBe(false);
  });

  it('refuses a target without the trigger that remakes a vector (it would keep an empty one), the target unchanged', async () => {
    const other = await postgres.create();
    await other.query(SCHEMA.replace(/CREATE TRIGGER notes_search[^;]*;/, ''));
    const run = await runCli(['scrub', '--source', source.url, '--url', other.url, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the target lacks trigger notes_search on public.notes (it sets search)');
    expect((await other.query('SELECT count(*)::int AS n FROM notes'))[0]!['n']).toBe(0);
  });

  it("writes an empty vector into files, never the source's words", async () => {
    const out = await mkdtemp(join(tmpdir(), 'understudy-tsv-out-'));
    const run = await runCli(['scrub', '--source', source.url, '--out', out, '--format', 'csv', '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(run.code, run.stderr).toBe(0);
    const csv = (await readFile(join(out, 'public.notes.csv'), 'utf8')).toLowerCase();
    expect(csv.split('\n').filter((l) => l.length > 0)).toHaveLength(401);
    for (const s of [...SURNAMES, 'zeb.q', 'zebulon']) expect(csv.includes(s), s).toBe(false);
  });

  it('refuses text on a search vector, naming what applies', async () => {
    const p = JSON.parse(await readFile(policy, 'utf8')) as { tables: Record<string, { columns: Record<string, { transform: string }> }> };
    p.tables['public.docs']!.columns['search']!.transform = 'text';
    const bad = policy.replace(/\.json$/, '.bad.json');
    await writeFile(bad, JSON.stringify(p));
    const run = await runCli(['scrub', '--source', source.url, '--url', target.url, '--policy', bad], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('public.docs.search: transform "text" does not apply to a tsvector column');
    expect(run.stderr).toContain('A search vector takes keep where a tsvector_update_trigger or a generated expression recomputes it in the target, else null or generate.');
  });
});
