import { describe, expect, it } from 'vitest';
import type { Schema } from '@understudy/core';
import type { Migration } from '../migration-model.js';
import { jsonReadColumns } from './json-read-columns.js';

const column = (name: string, kind: string, length?: number) => ({ name, kind, rawType: kind, nullable: true, arrayDimensions: 0, ...(length !== undefined ? { length } : {}) });
const schema = {
  dialect: 'postgres',
  tables: {
    'public.retention_policy': { schema: 'public', name: 'retention_policy', columns: [column('id', 'integer'), column('data', 'text'), column('code', 'varchar', 20)] },
    'public.schedule': { schema: 'public', name: 'schedule', columns: [column('id', 'integer'), column('data', 'text')] },
  },
} as unknown as Schema;
const pending = (...texts: string[]): Migration[] => [
  { id: '0040', name: 'x', repeatable: false, up: { file: '0040.up.sql', statements: texts.map((text, i) => ({ text, line: 10 * (i + 1), kind: 'dml' })), transaction: 'implicit' } } as never,
];

describe('jsonReadColumns', () => {
  it("finds harbor's text column read as json, only in the tables the statement names", () => {
    const sql = `UPDATE schedule SET cron = retention.cron FROM (SELECT id, data::json->'trigger'->'references'->>'job_id' AS schedule_id FROM retention_policy) AS retention WHERE schedule.id = retention.schedule_id::int`;
    expect(jsonReadColumns(pending('SELECT 1', sql), schema)).toEqual([
      { table: 'public.retention_policy', column: 'data', at: '0040.up.sql:20' },
      { table: 'public.schedule', column: 'data', at: '0040.up.sql:20' },
    ]);
    expect(jsonReadColumns(pending('SELECT CAST(r.data AS jsonb) FROM retention_policy r'), schema).map((c) => c.table)).toEqual(['public.retention_policy']);
  });

  it('ignores short varchars, other casts and the word json inside strings', () => {
    expect(jsonReadColumns(pending('SELECT code::json FROM retention_policy', "UPDATE retention_policy SET data = 'x::json'", 'SELECT data::int FROM retention_policy'), schema)).toEqual([]);
  });
});
