/**
 * The real projects of fixtures/drizzle-projects, read as their owners lay them
 * out, each from a copy installed the way `npm install` would (see
 * test-support/project-copy.ts). What the database side says about each is in
 * test/cli/drizzle-projects.test.ts; here, what the reading itself gets right.
 */
import { isUnderstudyError, type Schema, type Table } from '@understudy/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drizzleCreateStatements, readDrizzleSource, type DrizzleSourceRead } from './index.js';
import { copyDrizzleProject, type CopyOptions, type ProjectCopy } from './test-support/project-copy.js';

function table(schema: Schema, key: string): Table {
  const t = schema.tables[key];
  if (!t) throw new Error(`no table ${key} in ${Object.keys(schema.tables).join(', ')}`);
  return t;
}

const virtualLinks = (schema: Schema): string[] =>
  Object.values(schema.tables)
    .flatMap((t) => t.foreignKeys.filter((fk) => fk.virtual).map((fk) => `${t.name}(${fk.columns.join(',')}) → ${fk.references.table}(${fk.references.columns.join(',')})`))
    .sort();

/** A project copy for a describe block, removed afterwards. */
function project(fixture: string, options: CopyOptions): () => ProjectCopy {
  let copy: ProjectCopy | undefined;
  beforeAll(async () => {
    copy = await copyDrizzleProject(`drizzle-projects/${fixture}`, options);
  });
  afterAll(async () => {
    await copy?.remove();
  });
  return () => copy!;
}

describe('unkey: MySQL, a CommonJS package whose schema/index.ts re-exports one module per table', () => {
  const copy = project('unkey', { drizzle: '0.x', packages: ['base-x'], workspaces: { '@unkey/id': 'internal/id' } });
  let read: DrizzleSourceRead;
  beforeAll(async () => {
    process.env['DRIZZLE_DATABASE_URL'] = 'mysql://root@localhost:3306/unkey_app';
    try {
      read = await readDrizzleSource('drizzle.config.ts', { cwd: copy().path('internal/db') });
    } finally {
      delete process.env['DRIZZLE_DATABASE_URL'];
    }
  });

  it('reads every table through the re-exporting index, keyed under the database of dbCredentials.url', () => {
    expect(read.schema.dialect).toBe('mysql');
    expect(Object.keys(read.schema.tables)).toHaveLength(28);
    expect(read.schema.namespaces).toEqual(['unkey_app']);
    expect(Object.keys(read.schema.tables).every((k) => k.startsWith('unkey_app.'))).toBe(true);
  });

  it('orients relations from the side that holds the foreign columns, whichever side declared them', () => {
    const links = virtualLinks(read.schema);
    // key_auth declares `api: one(apis, { fields: [keyAuth.id], references: [apis.keyAuthId] })`: the key is apis.key_auth_id.
    expect(links).toContain('apis(key_auth_id) → unkey_app.key_auth(id)');
    expect(links.some((l) => l.startsWith('key_auth(id)'))).toBe(false);
    // apis also declares the same link from its own side: one key, not two.
    expect(links.filter((l) => l.startsWith('apis(key_auth_id)'))).toHaveLength(1);
    // Every virtual key references a primary or unique key of its parent.
    for (const t of Object.values(read.schema.tables)) {
      for (const fk of t.foreignKeys.filter((f) => f.virtual)) {
        const parent = table(read.schema, fk.references.table);
        const keys = [parent.primaryKey?.columns ?? [], ...parent.uniques.map((u) => u.columns)];
        expect(
          keys.some((k) => k.length === fk.references.columns.length && fk.references.columns.every((c) => k.includes(c))),
          `${t.name}.${fk.name}`,
        ).toBe(true);
      }
    }
    expect(links).toHaveLength(41);
  });

  it('turns $defaultFn ids and Date.now() into generator hints', () => {
    expect(read.hints['unkey_app.audit_log']?.['id']).toMatchObject({ generator: 'letters', params: { prefix: 'log_' } });
    expect(read.hints['unkey_app.permissions']?.['created_at_m']).toMatchObject({ generator: 'integer', params: { min: Date.UTC(2020, 0, 1) } });
    expect(read.hints['unkey_app.permissions']?.['updated_at_m']?.reason).toMatch(/\$onUpdateFn\(Date\.now\(\)\): epoch milliseconds/);
  });

  it("is read with the project's own drizzle-kit", () => {
    expect(read.kit.origin).toBe('project');
  });
});

describe('dittofeed: a CommonJS package, the schema and its relations() in two modules named by a glob', () => {
  const copy = project('dittofeed', { drizzle: '0.x' });

  it('reads both modules as one schema; relations that mirror database keys (declared from either side) add nothing', async () => {
    const { schema, module } = await readDrizzleSource('src/db/*.ts', { cwd: copy().dir });
    expect(module.files.map((f) => f.replace(copy().dir, ''))).toEqual(['/src/db/relations.ts', '/src/db/schema.ts']);
    expect(module.relations.length).toBeGreaterThan(20);
    expect(Object.keys(schema.tables)).toHaveLength(31);
    expect(virtualLinks(schema)).toEqual([]);
    expect(schema.notes).toEqual([]);
  });
});

describe('kan: an ES module package whose drizzle.config.ts gives a folder', () => {
  const copy = project('kan', { drizzle: '0.x' });

  it('--drizzle with no path reads the drizzle.config.ts of the working directory; its folder is every module in it', async () => {
    const fromDefault = await readDrizzleSource(undefined, { cwd: copy().dir });
    const fromConfig = await readDrizzleSource('drizzle.config.ts', { cwd: copy().dir });
    expect(fromDefault.module.displayPath).toBe('drizzle.config.ts');
    expect(fromDefault.module.config?.readBy).toBe('import');
    expect(fromDefault.module.files).toHaveLength(17);
    expect(Object.keys(fromDefault.schema.tables)).toHaveLength(31);
    expect(fromConfig.schema).toEqual(fromDefault.schema);
  });
});

describe('ai-chatbot: a Next.js app whose drizzle.config.ts cannot run here (it imports dotenv)', () => {
  const copy = project('ai-chatbot', { drizzle: '0.x' });

  it('reads the literal fields of the config instead, and the TypeScript-only enums as hints', async () => {
    const read = await readDrizzleSource(undefined, { cwd: copy().dir });
    expect(read.module.config).toMatchObject({ readBy: 'text', schema: ['./lib/db/schema.ts'], dialect: 'postgresql' });
    expect(read.module.config?.importError).toMatch(/dotenv/);
    expect(Object.keys(read.schema.tables)).toHaveLength(9);
    expect(read.hints['public.Chat']?.['visibility']).toEqual({ values: ['public', 'private'], reason: 'drizzle: { enum } (TypeScript only)' });
    expect(read.hints['public.Document']?.['text']?.values).toEqual(['text', 'code', 'image', 'sheet']);
  });

  it('with the versions it declares installed (drizzle-orm 0.34, drizzle-kit 0.25), reads it with those, to the same model', async () => {
    const declared = await copyDrizzleProject('drizzle-projects/ai-chatbot', { drizzle: '0.34' });
    try {
      const read = await readDrizzleSource(undefined, { cwd: declared.dir });
      expect(read.module.orm.version).toBe('0.34.1');
      expect(read.kit).toEqual({ origin: 'project', version: '0.25.0' });
      // The same project on drizzle-orm 0.45 and drizzle-kit 0.31.
      const latest = await readDrizzleSource(undefined, { cwd: copy().dir });
      expect(latest.kit.version).toMatch(/^0\.31\./);
      expect({ ...read.schema, source: '' }).toEqual({ ...latest.schema, source: '' });
      const { statements } = await drizzleCreateStatements(read.module);
      expect(statements.filter((s) => s.startsWith('CREATE TABLE'))).toHaveLength(9);
    } finally {
      await declared.remove();
    }
  });

  it("with drizzle-orm 1.x and its drizzle-kit installed, reads it with the project's drizzle-kit 1.x", async () => {
    const v1 = await copyDrizzleProject('drizzle-projects/ai-chatbot', { drizzle: '1.x' });
    try {
      const read = await readDrizzleSource('lib/db/schema.ts', { cwd: v1.dir });
      expect(read.kit).toEqual({ origin: 'project', version: '1.0.0-rc.5' });
      expect(read.module.orm.version).toBe('1.0.0-rc.5');
      // drizzle-kit 1.x names keys as PostgreSQL does.
      expect(table(read.schema, 'public.Chat').foreignKeys.map((f) => f.name)).toEqual(['Chat_userId_User_id_fkey']);
    } finally {
      await v1.remove();
    }
  });
});

describe('evorto: drizzle-orm 1.0 rc, defineRelations, a config whose schema is a glob and which throws without its environment', () => {
  const copy = project('evorto', { drizzle: '1.x' });

  it("reads the glob of the config as one schema, with the project's drizzle-kit, and drops default operator classes", async () => {
    const read = await readDrizzleSource('drizzle.config.old.ts', { cwd: copy().dir });
    expect(read.module.config).toMatchObject({ readBy: 'text', schema: ['./old/drizzle/*.ts'] });
    expect(read.module.config?.importError).toMatch(/LEGACY_DATABASE_URL must be configured/);
    expect(read.module.files).toHaveLength(3);
    expect(read.module.relationsV2).toHaveLength(1);
    expect(read.kit.origin).toBe('project');
    expect(Object.keys(read.schema.tables)).toHaveLength(26);
    const definitions = Object.values(read.schema.tables).flatMap((t) => t.indexes.map((i) => i.definition ?? ''));
    expect(definitions.filter((d) => /_ops\b/.test(d))).toEqual([]);
    expect(table(read.schema, 'public.Product').columns.find((c) => c.name === 'availability')).toMatchObject({ kind: 'enum', arrayDimensions: 1 });
  });
});

describe('a project without drizzle-orm installed', () => {
  const copy = project('ai-chatbot', { drizzle: 'none' });

  it('says what to install, naming the folder', async () => {
    const error = await readDrizzleSource('lib/db/schema.ts', { cwd: copy().dir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUnderstudyError(error)).toBe(true);
    expect((error as Error).message).toMatch(/drizzle-orm is not installed for .*lib\/db\/schema\.ts/);
    expect((error as { hint?: string }).hint).toMatch(/npm install drizzle-orm in .*lib\/db/);
  });
});
