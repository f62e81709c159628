import { fileURLToPath } from 'node:url';
import { isUnderstudyError, UsageError } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { isDrizzleConfigPath, literalConfigFields } from './drizzle-config.js';
import { introspectDrizzle, resolveDrizzleSource } from './index.js';
import { expandSchemaPaths, globRegExp } from './schema-paths.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/drizzle/', import.meta.url));

async function usageError(run: () => Promise<unknown>): Promise<UsageError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isUnderstudyError(error)).toBe(true);
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('drizzle.config.ts', () => {
  it('is run as drizzle-kit runs it: schema, dialect and casing apply', async () => {
    const source = await resolveDrizzleSource('drizzle.casing.config.ts', FIXTURES);
    expect(source.config).toMatchObject({ readBy: 'import', schema: ['./pg-casing-schema.ts'], dialect: 'postgresql', casing: 'snake_case', url: 'postgres://localhost:5432/app' });
    const schema = await introspectDrizzle('drizzle.casing.config.ts', { cwd: FIXTURES });
    expect(schema.tables['public.posts']!.columns.map((c) => c.name)).toEqual(['id', 'author_id', 'editor_id', 'published_at']);
  });

  it('when it cannot run, its literal fields are read from its text', () => {
    const text = `import 'dotenv/config';
      import { appConfig } from './src/config';
      // schema: './not/this.ts',
      export default defineConfig({
        /* out: 'x' */ schema: ["./src/db/schema/*.ts", './src/db/views.ts'],
        dialect: "postgresql", casing: 'snake_case',
        dbCredentials: { url: appConfig().databaseUrl },
      });`;
    expect(literalConfigFields(text)).toEqual({ schema: ['./src/db/schema/*.ts', './src/db/views.ts'], dialect: 'postgresql', casing: 'snake_case' });
    expect(literalConfigFields(`export default { schema: './schema.ts', dbCredentials: { url: 'mysql://u@h/shop' } }`)).toEqual({ schema: ['./schema.ts'], url: 'mysql://u@h/shop' });
  });

  it('is told apart from a schema module by its name', () => {
    for (const yes of ['drizzle.config.ts', 'drizzle.config.old.ts', 'ops/drizzle.config.mjs', 'drizzle.prod.config.js', 'drizzle.config.json']) expect(isDrizzleConfigPath(yes), yes).toBe(true);
    for (const no of ['src/db/schema.ts', 'src/drizzle/schema.ts', 'config.ts']) expect(isDrizzleConfigPath(no), no).toBe(false);
  });

  it('a dialect that disagrees with the schema is named', async () => {
    const error = await usageError(() => introspectDrizzle('invalid/drizzle.wrong-dialect.config.ts', { cwd: FIXTURES }));
    expect(error.message).toMatch(/says dialect "mysql", but its schema declares PostgreSQL/);
  });

  it('its schema is read from the working folder when it is not beside the config (drizzle-kit --config db/drizzle.config.ts)', async () => {
    const app = `${FIXTURES}supabase-app`;
    const source = await resolveDrizzleSource('db/drizzle.config.ts', app);
    expect(source.config).toMatchObject({ readBy: 'text', schema: ['db/schema'], casing: 'snake_case' });
    expect(source.files.map((f) => f.slice(app.length + 1))).toEqual(['db/schema/messages.ts', 'db/schema/profiles.ts']);
    // From another folder it is in neither: both are named.
    const error = await usageError(() => resolveDrizzleSource('supabase-app/db/drizzle.config.ts', FIXTURES));
    expect(error.message).toMatch(/schema db\/schema is neither in the config's folder .*supabase-app\/db nor in the working folder/);
    expect(error.hint).toMatch(/drizzle-kit reads it from the folder it runs in/);
  });

  it('--drizzle with no path and no config in the folder says where it looked', async () => {
    const error = await usageError(() => resolveDrizzleSource(undefined, `${FIXTURES}invalid`));
    expect(error.message).toMatch(/looks for a drizzle config in .*invalid.*drizzle\.config\.ts/);
    expect(error.hint).toMatch(/--drizzle src\/db\/schema\.ts/);
  });
});

describe('schema paths: a file, a folder or a glob', () => {
  it('globs match within a folder (*), across folders (**), and alternatives ({a,b})', () => {
    expect(globRegExp('src/schema/*.ts').test('src/schema/users.ts')).toBe(true);
    expect(globRegExp('src/schema/*.ts').test('src/schema/sub/users.ts')).toBe(false);
    expect(globRegExp('src/**/*.sql.ts').test('src/schema/billing/plan.sql.ts')).toBe(true);
    expect(globRegExp('src/**/*.sql.ts').test('src/plan.sql.ts')).toBe(true);
    expect(globRegExp('src/{a,b}.ts').test('src/b.ts')).toBe(true);
  });

  it('expand to the modules, sorted, without declaration files and tests', async () => {
    const glob = await expandSchemaPaths(['./pg-*-schema.ts'], FIXTURES, '--drizzle');
    expect(glob.map((f) => f.slice(FIXTURES.length))).toEqual(['pg-casing-schema.ts', 'pg-details-schema.ts', 'pg-hints-schema.ts', 'pg-text-uuid-schema.ts', 'pg-vector-schema.ts']);
    const folder = await expandSchemaPaths(['v1'], FIXTURES, '--drizzle');
    expect(folder.map((f) => f.slice(FIXTURES.length))).toEqual(['v1/schema.ts']);
  });

  it('a path that does not exist, or a glob that matches nothing, is named', async () => {
    expect((await usageError(() => expandSchemaPaths(['src/db/nope.ts'], FIXTURES, '--drizzle'))).message).toMatch(/--drizzle src\/db\/nope\.ts does not exist/);
    expect((await usageError(() => expandSchemaPaths(['src/**/*.ts'], FIXTURES, 'drizzle.config.ts schema'))).message).toMatch(
      /drizzle\.config\.ts schema src\/\*\*\/\*\.ts matches no TypeScript or JavaScript module/,
    );
  });
});
