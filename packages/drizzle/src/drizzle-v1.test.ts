/**
 * drizzle-orm 1.x (fixtures/drizzle/v1/schema.ts, with drizzle-orm and drizzle-kit
 * 1.0 rc linked in): read with the project's own drizzle-kit 1.x, and with the
 * bundled drizzle-kit 0.31 when the project has none. Both give the model of the
 * database the project's drizzle-kit creates: arrays, unnamed uniques named as
 * PostgreSQL names them, partial indexes without the table in their predicate.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialect, Schema } from '@understudy/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableSchema, drizzleCreateStatements, readDrizzleSource, type DrizzleSourceRead } from './index.js';
import { copyDrizzleProject, type ProjectCopy } from './test-support/project-copy.js';

async function postgresDialect(): Promise<Dialect> {
  const mod = (await import(/* @vite-ignore */ '@understudy/postgres')) as { postgresDialect: Dialect };
  return mod.postgresDialect;
}

const column = (schema: Schema, table: string, name: string) => schema.tables[table]!.columns.find((c) => c.name === name)!;

describe('a drizzle-orm 1.x schema', () => {
  let withKit: ProjectCopy;
  let withoutKit: ProjectCopy;
  let own: DrizzleSourceRead;
  let bundled: DrizzleSourceRead;
  beforeAll(async () => {
    withKit = await copyDrizzleProject('drizzle/v1', { drizzle: '1.x' });
    withoutKit = await copyDrizzleProject('drizzle/v1', { drizzle: '1.x', kit: false });
    own = await readDrizzleSource('schema.ts', { cwd: withKit.dir });
    bundled = await readDrizzleSource('schema.ts', { cwd: withoutKit.dir });
  });
  afterAll(async () => {
    await withKit?.remove();
    await withoutKit?.remove();
  });

  it("is read with the project's drizzle-kit 1.x when installed, the bundled one otherwise", () => {
    expect(own.kit).toEqual({ origin: 'project', version: '1.0.0-rc.5' });
    expect(bundled.kit.origin).toBe('bundled');
    expect(bundled.kit.version).toMatch(/^0\.31\./);
  });

  it('keeps .array() columns as arrays', () => {
    for (const read of [own, bundled]) {
      expect(column(read.schema, 'public.accounts', 'tags')).toMatchObject({ rawType: 'text[]', kind: 'text', arrayDimensions: 1, default: { kind: 'literal', value: "'{}'::text[]" } });
      expect(column(read.schema, 'public.accounts', 'scores')).toMatchObject({ rawType: 'integer[]', arrayDimensions: 1 });
      expect(column(read.schema, 'public.accounts', 'roles')).toMatchObject({ rawType: 'public.role[]', kind: 'enum', enum: 'public.role', arrayDimensions: 1 });
    }
  });

  it('names unnamed .unique() columns as PostgreSQL does, one or several in a table, without a false "duplicated" refusal', () => {
    for (const read of [own, bundled]) {
      expect(read.schema.tables['public.accounts']!.uniques.filter((u) => u.origin === 'constraint').map((u) => u.name)).toEqual(['accounts_email_key', 'accounts_handle_key']);
      expect(read.schema.tables['public.billing']!.uniques.map((u) => u.name)).toEqual(['billing_account_id_key']);
    }
  });

  it('spells partial-index predicates without the table', () => {
    for (const read of [own, bundled]) {
      const indexes = read.schema.tables['public.accounts']!.indexes;
      expect(indexes.find((i) => i.name === 'accounts_live_email_idx')).toMatchObject({ where: 'deleted_at is null' });
      expect(read.schema.tables['public.accounts']!.uniques.find((u) => u.name === 'accounts_live_handle_key')).toMatchObject({ where: 'deleted_at is null and handle is not null' });
    }
  });

  it('orients a defineRelations link declared from the parent side onto the table that holds the key', () => {
    for (const read of [own, bundled]) {
      expect(read.schema.tables['public.billing']!.foreignKeys).toEqual([
        expect.objectContaining({ columns: ['account_id'], references: { table: 'public.accounts', columns: ['id'] }, virtual: true }),
      ]);
      expect(read.schema.tables['public.accounts']!.foreignKeys).toEqual([]);
    }
  });

  it("both readings equal the PGlite database the project's drizzle-kit creates, but for keyword case and virtual keys", async () => {
    expect(comparableSchema(bundled.schema)).toEqual(comparableSchema(own.schema));
    const { statements } = await drizzleCreateStatements(own.module);
    const dir = await mkdtemp(join(tmpdir(), 'understudy-drizzle-v1-'));
    try {
      const file = join(dir, 'schema.sql');
      await writeFile(file, statements.map((s) => (s.endsWith(';') ? s : `${s};`)).join('\n\n'));
      const live = await (await postgresDialect()).introspectSqlFile(file);
      const strip = (s: Schema): Schema => ({ ...comparableSchema(s), namespaces: [] });
      expect(strip(own.schema)).toEqual({ ...strip(live), source: '' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
