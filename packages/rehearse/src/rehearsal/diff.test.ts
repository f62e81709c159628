/**
 * The pure parts of a rehearsal: schema diff (column order ignored, every object
 * kind), data diff (lost keys, changed values per column, truncation, drops) and
 * the hazard rules (acknowledged loss, one long-lock per table, incomplete downs).
 */
import type { DataSnapshot, TableSnapshot } from '@understudy/core';
import { col, fk, schemaOf, tableOf } from '@understudy/test-helpers';
import { describe, expect, it } from 'vitest';
import type { MigrationReport, StatementReport, UserCheckReport } from '../report/rehearsal-report.js';
import { diffData } from './data-diff.js';
import { findHazards } from './hazards.js';
import { diffSchemas } from './schema-diff.js';
import { postgresLock } from '@understudy/postgres';

const users = (columns = [col('id', 'integer'), col('email', 'varchar', { rawType: 'character varying(100)', nullable: true })]) =>
  tableOf('public', 'users', columns, { primaryKey: ['id'], indexes: [{ name: 'users_pkey', columns: ['id'], unique: true, primary: true, method: 'btree' }] });

describe('diffSchemas', () => {
  it('finds nothing between a schema and itself with its columns reordered', () => {
    const a = schemaOf({ 'public.users': users() });
    const b = schemaOf({ 'public.users': users([...users().columns].reverse()) });
    expect(diffSchemas(a, b)).toEqual([]);
  });

  it('names each added, removed and changed object', () => {
    const orders = tableOf('public', 'orders', [col('id', 'integer'), col('user_id', 'integer')], { primaryKey: ['id'] });
    const a = schemaOf({ 'public.users': users(), 'public.orders': orders });
    const b = schemaOf({
      'public.users': {
        ...users([col('id', 'integer'), col('email', 'varchar', { rawType: 'character varying(50)', default: { kind: 'literal', value: "''" } }), col('age', 'integer')]),
        checks: [{ name: 'users_age_check', expression: 'age > 0' }],
        indexes: [...users().indexes, { name: 'users_email_idx', columns: ['email'], unique: false, primary: false, method: 'btree' }],
      },
      'public.orders': { ...orders, foreignKeys: [fk('orders_user_id_fkey', ['user_id'], 'public.users', ['id'])] },
      'public.audit': tableOf('public', 'audit', [col('at', 'timestamptz')]),
    });
    expect(diffSchemas(a, b)).toEqual([
      { change: 'added', object: 'table', name: 'public.audit' },
      { change: 'changed', object: 'column', name: 'public.users.email', detail: "type character varying(100) → character varying(50), nullable → NOT NULL, default none → ''" },
      { change: 'added', object: 'column', name: 'public.users.age' },
      { change: 'added', object: 'check', name: 'public.users.users_age_check' },
      { change: 'added', object: 'index', name: 'public.users.users_email_idx' },
      { change: 'added', object: 'foreign key', name: 'public.orders.orders_user_id_fkey' },
    ]);
    expect(
      diffSchemas(b, a)
        .filter((c) => c.change === 'removed')
        .map((c) => c.name),
    ).toEqual(['public.audit', 'public.users.age', 'public.users.users_age_check', 'public.users.users_email_idx', 'public.orders.orders_user_id_fkey']);
  });

  it("shows an empty string default as '' (MySQL reads it bare), not as nothing", () => {
    const before = schemaOf({ 't.a': tableOf('t', 'a', [col('kind', 'varchar')]) });
    const after = schemaOf({ 't.a': tableOf('t', 'a', [col('kind', 'varchar', { default: { kind: 'literal', value: '' } })]) });
    expect(diffSchemas(before, after)).toEqual([{ change: 'changed', object: 'column', name: 't.a.kind', detail: "default none → ''" }]);
  });
});

function table(rows: Record<string, Record<string, string>>, stats: Record<string, Partial<TableSnapshot['columns'][string]>> = {}): TableSnapshot {
  const keys = Object.keys(rows);
  const columns = Object.keys(Object.values(rows)[0] ?? {});
  return {
    rows: keys.length,
    columns: Object.fromEntries(
      columns.map((c) => [c, { nulls: keys.filter((k) => rows[k]![c] === '-').length, distinct: new Set(keys.map((k) => rows[k]![c])).size, min: null, max: null, ...stats[c] }]),
    ),
    rowChecksums: Object.fromEntries(keys.map((k) => [k, columns.map((c) => rows[k]![c]).join()])),
    columnValueHashes: Object.fromEntries(columns.map((c) => [c, Object.fromEntries(keys.map((k) => [k, rows[k]![c]!]))])),
  };
}

describe('diffData', () => {
  it('counts lost and added keys, changed values per column, drops and truncation', () => {
    const before: DataSnapshot = {
      tables: {
        'public.users': table({ '1': { id: 'a', note: 'x', legacy: 'l1' }, '2': { id: 'b', note: 'y', legacy: '-' }, '3': { id: 'c', note: 'z', legacy: 'l3' } }, { note: { maxLength: 40 } }),
        'public.gone': table({ '1': { id: 'a' } }),
        'public.same': table({ '1': { id: 'a' } }),
      },
    };
    const after: DataSnapshot = {
      tables: {
        'public.users': table({ '1': { id: 'a', note: 'x2' }, '2': { id: 'b', note: 'y' }, '4': { id: 'd', note: 'w' } }, { note: { maxLength: 10 } }),
        'public.same': table({ '1': { id: 'a' } }),
      },
    };
    const changes = diffData(before, after);
    expect(changes.map((c) => c.table)).toEqual(['public.users', 'public.gone']);
    const users = changes[0]!;
    expect(users).toMatchObject({ rowsBefore: 3, rowsAfter: 3, rowsLost: 1, rowsAdded: 1, dropped: false });
    expect(users.columns.find((c) => c.column === 'note')).toMatchObject({ changedRows: 1, truncated: true, dropped: false });
    expect(users.columns.find((c) => c.column === 'legacy')).toMatchObject({ dropped: true, nullsBefore: 1 });
    expect(users.columns.some((c) => c.column === 'id')).toBe(false);
    expect(changes[1]).toMatchObject({ table: 'public.gone', dropped: true, rowsLost: 1 });
  });
});

const statement = (line: number, locks: StatementReport['locks'], rewrites: StatementReport['rewrites'] = []): StatementReport => ({
  file: '002_x.up.sql',
  line,
  sql: 'alter …',
  durationMs: 1,
  rowsAffected: null,
  locks,
  rewrites,
});
const migration = (statements: StatementReport[]): MigrationReport => ({ id: '002', name: 'x', status: 'passed', durationMs: 2, statements, hazards: [] });

describe('findHazards', () => {
  const base = { pending: [], dataChanges: [], checks: [], tableRows: { 'public.big': 50_000, 'public.small': 10 }, lockThresholdRows: 10_000 };

  it('reports one long lock per big table and migration, saying which statement rewrote it', () => {
    const big = postgresLock('public.big', 'AccessExclusiveLock');
    const hazards = findHazards({
      ...base,
      migrations: [migration([statement(1, [big]), statement(2, [big, postgresLock('public.small', 'AccessExclusiveLock')], [{ relation: 'public.big', kind: 'table' }])])],
    });
    expect(hazards).toEqual([
      { kind: 'long-lock', migration: '002', message: expect.stringMatching(/^002_x\.up\.sql:1 takes ACCESS EXCLUSIVE on public\.big \(50000 rows, more than 10000\), rewritten by 002_x\.up\.sql:2/) },
    ]);
    expect(findHazards({ ...base, migrations: [migration([statement(1, [postgresLock('public.big', 'ShareLock')])])] })).toEqual([]);
  });

  it('lets a passing check with expectChange acknowledge data lost in the table its query names', () => {
    const dataChanges = [
      {
        table: 'public.users',
        rowsBefore: 5,
        rowsAfter: 5,
        rowsLost: 0,
        rowsAdded: 0,
        dropped: false,
        columns: [{ column: 'legacy', changedRows: null, nullsBefore: 1, nullsAfter: 5, distinctBefore: 4, distinctAfter: 0, truncated: false, dropped: true }],
      },
    ];
    const check = (status: 'passed' | 'failed', query: string): UserCheckReport => ({ name: 'c', query, before: [], after: [], changed: status === 'passed', expectChange: true, status });
    expect(findHazards({ ...base, migrations: [], dataChanges }).map((h) => h.message)).toEqual(['column public.users.legacy was dropped with 4 non-NULL values']);
    expect(findHazards({ ...base, migrations: [], dataChanges, checks: [check('passed', 'select * from users')] })).toEqual([]);
    expect(findHazards({ ...base, migrations: [], dataChanges, checks: [check('passed', 'select * from users_archive')] })).toHaveLength(1);
    expect(
      findHazards({ ...base, migrations: [], dataChanges, checks: [check('failed', 'select * from users')] })
        .map((h) => h.kind)
        .sort(),
    ).toEqual(['check-failed', 'data-lost']);
  });

  it('calls values that became NULL lost, but not NULLs in added rows', () => {
    const change = (nullsAfter: number, rowsAdded: number) => [
      {
        table: 'public.t',
        rowsBefore: 10,
        rowsAfter: 10 + rowsAdded,
        rowsLost: 0,
        rowsAdded,
        dropped: false,
        columns: [{ column: 'c', changedRows: null, nullsBefore: 1, nullsAfter, distinctBefore: 9, distinctAfter: 5, truncated: false, dropped: false }],
      },
    ];
    expect(findHazards({ ...base, migrations: [], dataChanges: change(5, 0) }).map((h) => h.message)).toEqual(['4 values of public.t.c became NULL']);
    expect(findHazards({ ...base, migrations: [], dataChanges: change(5, 4) })).toEqual([]);
  });

  it('does not call an incomplete down check a mismatch', () => {
    const down = { steps: [{ id: '002', name: 'x', status: 'missing' as const, durationMs: 0 }], restored: false, differences: [] };
    expect(findHazards({ ...base, migrations: [], down })).toEqual([]);
  });
});
