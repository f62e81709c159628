import { describe, expect, it } from 'vitest';
import type { Schema } from '@understudy/core';
import type { Migration } from '../migration-model.js';
import { jsonReadColumns, jsonReadKeys } from './json-read-columns.js';

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

const keysSchema = {
  dialect: 'postgres',
  tables: {
    ...schema.tables,
    'public.oidc_clients': { schema: 'public', name: 'oidc_clients', columns: [column('id', 'text')], primaryKey: { columns: ['id'] } },
    'public.oauth2_sessions': { schema: 'public', name: 'oauth2_sessions', columns: [column('id', 'uuid'), column('request_data', 'jsonb')] },
    'public.accounts': { schema: 'public', name: 'accounts', columns: [column('id', 'uuid')] },
    'public.events': { schema: 'public', name: 'events', columns: [column('id', 'bigint'), column('payload', 'json'), column('tags', 'jsonb')] },
    'public.blocks': { schema: 'public', name: 'blocks', columns: [column('id', 'bigint'), column('doc', 'jsonb')], checks: [{ name: 'doc_array', expression: "jsonb_typeof(doc) = 'array'::text" }] },
  },
} as unknown as Schema;

const mysqlSchema = {
  dialect: 'mysql',
  tables: {
    'app.clients': { schema: 'app', name: 'clients', columns: [column('id', 'varchar', 36)], primaryKey: { columns: ['id'] } },
    'app.sessions': {
      schema: 'app',
      name: 'sessions',
      columns: [column('id', 'bigint'), column('request_data', 'json')],
      checks: [{ name: 'request_data', expression: 'json_valid(`request_data`)' }],
    },
    'app.grants': { schema: 'app', name: 'grants', columns: [column('id', 'bigint'), column('doc', 'text')] },
  },
} as unknown as Schema;

describe('MySQL JSON paths', () => {
  it("reads JSON_EXTRACT, JSON_VALUE, JSON_UNQUOTE(…) and ->> paths, with the column they are matched with (MariaDB's json_valid CHECK shapes nothing)", () => {
    const keys = jsonReadKeys(
      pending(
        "UPDATE sessions SET client_id = JSON_UNQUOTE(JSON_EXTRACT(request_data, '$.client_id'))",
        'ALTER TABLE sessions MODIFY client_id VARCHAR(36) NOT NULL, ADD CONSTRAINT sessions_client_fk FOREIGN KEY (client_id) REFERENCES clients (id)',
        "DELETE FROM grants WHERE JSON_VALUE(doc, '$.grant.client') NOT IN (SELECT c.id FROM clients c)",
        "SELECT CAST(s.request_data->>'$.\"max age\"' AS UNSIGNED), `request_data` -> '$.session.subject' FROM sessions s",
      ),
      mysqlSchema,
    );
    expect(keys.map((k) => [k.table, k.column, k.path.join('|'), k.type, k.from ? `${k.from.table}.${k.from.column}` : undefined])).toEqual([
      ['app.sessions', 'request_data', 'client_id', undefined, 'app.clients.id'],
      ['app.grants', 'doc', 'grant|client', undefined, 'app.clients.id'],
      ['app.sessions', 'request_data', 'max age', 'integer', undefined],
      ['app.sessions', 'request_data', 'session|subject', undefined, undefined],
    ]);
    // The text column read by JSON_VALUE holds JSON documents.
    expect(jsonReadColumns(pending("DELETE FROM grants WHERE JSON_VALUE(doc, '$.grant.client') IS NULL"), mysqlSchema)).toEqual([{ table: 'app.grants', column: 'doc', at: '0040.up.sql:10' }]);
  });
});

describe('jsonReadKeys', () => {
  it("finds pocket-id's key, copied into a new column that is then matched with oidc_clients.id", () => {
    const keys = jsonReadKeys(
      pending(
        'ALTER TABLE oauth2_sessions ADD COLUMN client_id TEXT',
        "UPDATE oauth2_sessions SET client_id = request_data ->> 'client_id'",
        'DELETE FROM oauth2_sessions WHERE client_id IS NULL OR NOT EXISTS (SELECT 1 FROM oidc_clients WHERE oidc_clients.id = oauth2_sessions.client_id)',
        "CREATE INDEX i ON oauth2_sessions (client_id, (request_data #>> '{session,subject}'))",
      ),
      keysSchema,
    );
    expect(keys).toEqual([
      { table: 'public.oauth2_sessions', column: 'request_data', path: ['client_id'], from: { table: 'public.oidc_clients', column: 'id' }, at: '0040.up.sql:20' },
      { table: 'public.oauth2_sessions', column: 'request_data', path: ['session', 'subject'], at: '0040.up.sql:40' },
    ]);
    // The same through a foreign key the migration adds on the new column.
    expect(
      jsonReadKeys(
        pending("UPDATE oauth2_sessions SET client_id = request_data ->> 'client_id'", 'ALTER TABLE oauth2_sessions ADD CONSTRAINT fk FOREIGN KEY (client_id) REFERENCES oidc_clients (id)'),
        keysSchema,
      )[0]!.from,
    ).toEqual({ table: 'public.oidc_clients', column: 'id' });
  });

  it("leaves out a key given to a function that says nothing of its type (temporal's convert_ts), and keeps one cast or read as text", () => {
    const keys = jsonReadKeys(
      pending(
        "ALTER TABLE events ADD COLUMN at timestamp GENERATED ALWAYS AS (convert_ts(payload ->> 'at')) STORED",
        "SELECT jsonb_array_elements(payload -> 'items') FROM events",
        "SELECT (payload ->> 'level')::integer, lower(payload ->> 'name') FROM events",
      ),
      keysSchema,
    );
    expect(keys.map((k) => [k.path.join('.'), k.type])).toEqual([
      ['level', 'integer'],
      ['name', undefined],
    ]);
  });

  it('matches through casts, parentheses, aliases, IN (SELECT …) and a subquery output read where it is used', () => {
    const keys = jsonReadKeys(
      pending(
        "UPDATE events AS e SET tags = '[]' FROM accounts a WHERE a.id = (e.payload #>> '{actor,account}')::uuid",
        "DELETE FROM events ev WHERE CAST(jsonb_extract_path_text(ev.tags, 'owner') AS uuid) NOT IN (SELECT x.id FROM accounts x)",
        "UPDATE schedule SET cron = r.cron FROM (SELECT id, data::json->'trigger'->'references'->>'job_id' AS schedule_id FROM retention_policy) AS r WHERE schedule.id=r.schedule_id::int",
        `SELECT count(*) FROM events WHERE (payload ->> 'level')::integer > 3 AND payload -> 'kind' = '"x"'`,
      ),
      keysSchema,
    );
    expect(keys.map((k) => [k.table, k.column, k.path.join('.'), k.type, k.from ? `${k.from.table}.${k.from.column}` : undefined])).toEqual([
      ['public.events', 'payload', 'actor.account', 'uuid', 'public.accounts.id'],
      ['public.events', 'tags', 'owner', 'uuid', 'public.accounts.id'],
      ['public.retention_policy', 'data', 'trigger.references.job_id', 'integer', 'public.schedule.id'],
      ['public.events', 'payload', 'level', 'integer', undefined],
      ['public.events', 'payload', 'kind', undefined, undefined],
    ]);
  });

  it('leaves text columns not read as JSON, JSON columns a CHECK shapes, and keys inside strings', () => {
    expect(jsonReadKeys(pending("SELECT doc ->> 'kind' FROM blocks"), keysSchema)).toEqual([]);
    // A MySQL path with an array index or a wildcard is not read.
    expect(jsonReadKeys(pending("SELECT payload->>'$.actors[0].account', JSON_EXTRACT(payload, '$.*') FROM events"), keysSchema)).toEqual([]);
    expect(jsonReadKeys(pending("SELECT data ->> 'x' FROM schedule", `UPDATE events SET payload = '{"a": 1}' WHERE id = 1`, "SELECT 'payload ->> ''k''' FROM events"), keysSchema)).toEqual([]);
  });
});
