import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { drizzleCreateStatements, extensionsUsedBy } from './drizzle-ddl.js';
import { inlineParams, sqlLiteral } from './drizzle-index-params.js';

const APP = fileURLToPath(new URL('../../../fixtures/drizzle/supabase-app/', import.meta.url));

describe('partial index predicates drizzle-kit prints with $1, $2', () => {
  it('get their values back as literals, outside quoted strings and names', () => {
    expect(inlineParams(`("role" in ($1, $2)) and "x$1" = '$1' and n = $3`, ["it's", 'staff', 10])).toBe(`("role" in ('it''s', 'staff')) and "x$1" = '$1' and n = 10`);
    expect([sqlLiteral(null), sqlLiteral(true), sqlLiteral(2n), sqlLiteral(new Date(Date.UTC(2024, 0, 2)))]).toEqual(['NULL', 'true', '2', "'2024-01-02T00:00:00.000Z'"]);
  });

  it('in the DDL made from a module (helper: inArray and eq in .where()), with the tables its foreign keys reference', async () => {
    const ddl = await drizzleCreateStatements('db/schema', { cwd: APP, casing: 'snake_case' });
    const indexes = ddl.statements.filter((s) => s.startsWith('CREATE INDEX'));
    expect(indexes.join('\n')).not.toMatch(/\$\d/);
    expect(indexes.join('\n')).toContain(`"messages"."role" in ('user', 'staff')`);
    expect(ddl.referenced).toEqual(['auth.users']);
    // A text column in a GIN index (sim's user_table_rows): btree_gin.
    expect(ddl.extensions).toEqual(['btree_gin']);
    expect(ddl.statements[0]).toBe('CREATE SCHEMA IF NOT EXISTS "auth";');
    expect(ddl.statements.some((s) => s.startsWith('CREATE TABLE "auth"."users"'))).toBe(true);
  });
});

describe('extensions a GIN or GiST index over a scalar column needs', () => {
  it('btree_gin, btree_gist: not for jsonb, arrays, tsvector, ranges or an operator class', () => {
    const table = 'CREATE TABLE "s"."t" (\n\t"id" text PRIMARY KEY NOT NULL,\n\t"doc" jsonb,\n\t"tags" text[],\n\t"during" tstzrange,\n\t"n" integer\n);';
    expect(extensionsUsedBy([table, 'CREATE INDEX "a" ON "s"."t" USING gin ("doc","tags");', 'CREATE INDEX "b" ON "s"."t" USING gist ("during");'])).toEqual([]);
    expect(extensionsUsedBy([table, 'CREATE INDEX "a" ON "s"."t" USING gin ("id","doc" jsonb_path_ops);'])).toEqual(['btree_gin']);
    expect(extensionsUsedBy([table, 'CREATE INDEX "b" ON "s"."t" USING gist ("n","during");'])).toEqual(['btree_gist']);
  });
});
