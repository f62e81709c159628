/**
 * Data loss judged per migration from fingerprints (data-loss.ts), on fabricated
 * fingerprints: a loss is blamed on the step that shows it; renames, moves into other
 * tables, rekeys and detached partitions are not losses; an UPDATE writing shorter values
 * is not a truncation, a narrowing type change is. Also the A→B data diff (data-diff.ts)
 * with schemas: a changed key rekeys rows, a partitioned parent loses nothing to a detach,
 * truncation needs a type change.
 */
import type { ColumnFingerprint, DataFingerprint, DataSnapshot, TableFingerprint } from '@understudy/core';
import { col, schemaOf, tableOf } from '@understudy/test-helpers';
import { describe, expect, it } from 'vitest';
import { diffData } from './data-diff.js';
import { findDataLoss, stepChanges, withMoves, type FingerprintStep } from './data-loss.js';
import { findHazards } from './hazards.js';

/** A column fingerprint from its values (`null`: NULL), hashed as small integers so sums are easy to follow. */
function column(values: ReadonlyArray<number | null>, type = 'text', maxLength?: number): ColumnFingerprint {
  const present = values.filter((v): v is number => v !== null);
  return {
    type,
    nonNull: present.length,
    content: String(present.reduce((a, b) => a + b, 0)),
    maxLength: maxLength ?? (present.length > 0 ? Math.max(...present.map((v) => String(v).length)) : null),
  };
}

function table(columns: Record<string, ColumnFingerprint>, rows: number, key: string[] = ['id']): TableFingerprint {
  return { rows, key, columns };
}

const ids = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => from + i);
const values = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => 1_000_003 * (i + 1) + seed * 7919);

function step(migration: string, before: DataFingerprint['tables'], after: DataFingerprint['tables']): FingerprintStep {
  return { migration, before: { tables: before }, after: { tables: after } };
}

const users = (extra: Record<string, ColumnFingerprint> = {}): TableFingerprint => table({ id: column(ids(10)), email: column(values(10, 1)), ...extra }, 10);

describe('a column converted into another before its drop', () => {
  const events = (extra: Record<string, ColumnFingerprint>): DataFingerprint['tables'] => ({ 'public.scheduled_events': users(extra) });
  const before = events({ location: { ...column([...values(9, 4), null]), identity: '16500:3' } });
  // After: location_json holds new content (a JSON object around each value), renamed to location.
  const after = events({ location: { ...column([...values(9, 5), null], 'jsonb'), identity: '16500:9' } });
  const write = (text: string, rowsAffected: number) => ({ text, file: '20260525130443_structured_location/migration.sql', line: 10, rowsAffected });
  const judged = (text: string, rowsAffected = 9) => stepChanges({ ...step('20260525130443', before, after), writes: [write(text, rowsAffected)] });

  it("is not lost when an UPDATE wrote the column's whole value into the other, for every value (rallly's location → jsonb_build_object)", () => {
    const { losses, moves } = judged(
      '-- Backfill\nUPDATE "scheduled_events"\nSET "location_json" = jsonb_build_object(\'provider\', \'custom\', \'address\', "location")\nWHERE "location" IS NOT NULL AND "location" <> \'\'',
    );
    expect(losses).toEqual([]);
    expect(moves).toEqual([
      {
        migration: '20260525130443',
        from: 'public.scheduled_events.location',
        to: ['public.scheduled_events.location_json (converted by the UPDATE at 20260525130443_structured_location/migration.sql:10)'],
        what: 'column',
      },
    ]);
    expect(judged('UPDATE scheduled_events SET location_json = location::jsonb').losses).toEqual([]);
    expect(judged('UPDATE public.scheduled_events e SET location_json = CAST(e.location AS jsonb)').losses).toEqual([]);
    // defguard's multiple_peer_addresses: each address kept as a one-element array (`inet` → `inet[]`).
    expect(judged('UPDATE scheduled_events\nSET location_json = ARRAY[location]').losses).toEqual([]);
    expect(judged('UPDATE scheduled_events SET location_json = array [ \'custom\', "location"::text ]').losses).toEqual([]);
    expect(judged('INSERT INTO "Place" ("eventId", "address") SELECT "id", "location" FROM "scheduled_events" WHERE "location" IS NOT NULL').moves[0]!.to).toEqual([
      'public.Place.address (converted by the INSERT at 20260525130443_structured_location/migration.sql:10)',
    ]);
  });

  it('is lost when only a part of it, a test on it or fewer rows were written', () => {
    const lost = [{ migration: '20260525130443', table: 'public.scheduled_events', message: 'column public.scheduled_events.location was dropped with 9 non-NULL values' }];
    // formbricks' billing: two fields of a JSON document kept, the rest dropped.
    expect(judged("UPDATE scheduled_events SET location_json = jsonb_build_object('plan', \"location\"->>'plan')").losses).toEqual(lost);
    expect(judged('UPDATE scheduled_events SET has_location = ("location" IS NOT NULL)').losses).toEqual(lost);
    expect(judged('UPDATE scheduled_events SET location_length = length(location)').losses).toEqual(lost);
    // A subscript by the column is no copy of it, nor is an element of an array that is itself a part of it.
    expect(judged('UPDATE scheduled_events SET location_json = labels[location]').losses).toEqual(lost);
    expect(judged('UPDATE scheduled_events SET location_json = ARRAY[length(location)]').losses).toEqual(lost);
    // Fewer rows: lost, and the loss says what the statement did copy (hawkbit's INSERT … SELECT … WHERE auto_assign_distribution_set IS NOT NULL).
    const partly = (by: string, into: string): typeof lost => [
      { ...lost[0]!, message: `${lost[0]!.message} (the ${by} at 20260525130443_structured_location/migration.sql:10 copied it from 4 rows into ${into}; the values of the other rows are lost)` },
    ];
    expect(judged("UPDATE scheduled_events SET location_json = to_jsonb(location) WHERE location LIKE 'http%'", 4).losses).toEqual(partly('UPDATE', 'public.scheduled_events.location_json'));
    expect(judged('INSERT INTO places (event_id, address) SELECT id, location FROM scheduled_events WHERE kind IS NOT NULL', 4).losses).toEqual(partly('INSERT', 'public.places.address'));
    // Another table's UPDATE says nothing of this one.
    expect(judged('UPDATE other_events SET location_json = to_jsonb(location)').losses).toEqual(lost);
  });
});

describe('a table renamed, then its columns renamed and updated', () => {
  // inbox-zero: BookingWindow renamed to AvailabilityWindow, bookingLinkId renamed to availabilityScheduleId and rewritten by an UPDATE.
  const windows = (ids_: Record<string, ColumnFingerprint>): TableFingerprint => table({ id: { ...column(ids(10)), identity: '16600:1' }, ...ids_ }, 10);
  const link = { ...column(values(10, 3)), identity: '16600:2' };
  const day = { ...column(values(10, 4)), identity: '16600:3' };

  it('is a move to its new name, not a dropped table; its columns are judged there', () => {
    const renamed = stepChanges(
      step(
        '20260621140000',
        { 'public.BookingWindow': windows({ bookingLinkId: link, dayOfWeek: day }) },
        { 'public.AvailabilityWindow': windows({ availabilityScheduleId: { ...column(values(10, 8)), identity: '16600:2' }, dayOfWeek: day }) },
      ),
    );
    expect(renamed.losses).toEqual([]);
    expect(renamed.moves).toContainEqual({ migration: '20260621140000', from: 'public.BookingWindow', to: ['public.AvailabilityWindow'], what: 'table' });
    // A column dropped from the renamed table is still lost.
    const dropped = stepChanges(
      step('20260621140000', { 'public.BookingWindow': windows({ bookingLinkId: link, dayOfWeek: day }) }, { 'public.AvailabilityWindow': windows({ bookingLinkId: link }) }),
    );
    expect(dropped.losses.map((l) => l.message)).toEqual(['column public.BookingWindow.dayOfWeek was dropped with 10 non-NULL values']);
    // Without identities (an engine that has none) a renamed table whose content changed is found nowhere: lost, as before.
    const plain = (t: TableFingerprint): TableFingerprint => ({
      ...t,
      columns: Object.fromEntries(Object.entries(t.columns).map(([k, c]) => [k, { type: c.type, nonNull: c.nonNull, content: c.content, maxLength: c.maxLength }])),
    });
    expect(
      stepChanges(step('x', { 'public.BookingWindow': plain(windows({ bookingLinkId: link })) }, { 'public.AvailabilityWindow': plain(windows({ availabilityScheduleId: column(values(10, 8)) })) }))
        .losses,
    ).toHaveLength(1);
  });
});

describe('a table dropped and created again under its name', () => {
  // gitness's 0074: `DROP TABLE IF EXISTS connectors; CREATE TABLE connectors (…)`, other columns, some of the same names.
  const old = table({ id: { ...column(ids(10)), identity: '16700:1' }, uid: { ...column(values(10, 1)), identity: '16700:2' }, space: { ...column(values(10, 2)), identity: '16700:3' } }, 10);

  it('is one dropped table, not its rows deleted and each column dropped', () => {
    const again = table({ id: { ...column([]), identity: '16800:1' }, identifier: { ...column([]), identity: '16800:2' }, space: { ...column([]), identity: '16800:3' } }, 0);
    expect(stepChanges(step('0074', { 'public.connectors': old }, { 'public.connectors': again })).losses.map((l) => l.message)).toEqual([
      'table public.connectors was dropped with its 10 rows (and created again empty by the same migration)',
    ]);
    // MySQL's identities (the table's name and generation): the same.
    const mysql = (t: TableFingerprint, id: string): TableFingerprint => ({ ...t, columns: Object.fromEntries(Object.entries(t.columns).map(([k, c]) => [k, { ...c, identity: `${id}:${k}` }])) });
    expect(stepChanges(step('0074', { 'test.connectors': mysql(old, 'connectors') }, { 'test.connectors': mysql(again, 'connectors#1') })).losses).toHaveLength(1);
  });

  it('rebuilt with its rows copied in (a new table renamed to the old name) is judged column by column: no loss', () => {
    const rebuilt = table({ id: { ...column(ids(10)), identity: '16900:1' }, uid: { ...column(values(10, 1)), identity: '16900:2' }, space: { ...column(values(10, 2)), identity: '16900:3' } }, 10);
    expect(stepChanges(step('0075', { 'public.connectors': old }, { 'public.connectors': rebuilt })).losses).toEqual([]);
  });
});

describe('findDataLoss', () => {
  it('blames a dropped column on the migration that dropped it, not on a later one naming the table', () => {
    const legacy = column([...values(8, 2), null, null]);
    const f0 = { 'public.users': users({ legacy }) };
    const f1 = { 'public.users': users() };
    const f2 = { 'public.users': users({ note: column(Array(10).fill(null)) }) };
    const { losses } = findDataLoss([step('003', f0, f1), step('007', f1, f2)]);
    expect(losses).toEqual([{ migration: '003', table: 'public.users', message: 'column public.users.legacy was dropped with 8 non-NULL values' }]);
  });

  it("a column renamed and then updated in the same migration (harbor's artifact.kind → type) is the same column by identity: no loss; NULLs written into it still are one", () => {
    const kind = { ...column(values(10, 6)), identity: '16400:3' };
    const updated = { ...column([...values(6, 6), ...values(4, 9)]), identity: '16400:3' };
    const before = { 'public.artifact': users({ kind }) };
    const { losses, moves } = stepChanges(step('0030', before, { 'public.artifact': users({ type: updated }) }));
    expect(losses).toEqual([]);
    expect(moves).toEqual([{ migration: '0030', from: 'public.artifact.kind', to: ['public.artifact.type'], what: 'column' }]);
    // Without an identity (an engine that has none) the changed content is found nowhere: a loss, as before.
    expect(
      stepChanges(step('0030', { 'public.artifact': users({ kind: column(values(10, 6)) }) }, { 'public.artifact': users({ type: column([...values(6, 6), ...values(4, 9)]) }) })).losses,
    ).toHaveLength(1);
    // Renamed, then half its values set to NULL: those are lost, under the new name.
    const nulled = { ...column([...values(5, 6), null, null, null, null, null]), identity: '16400:3' };
    expect(stepChanges(step('0030', before, { 'public.artifact': users({ type: nulled }) })).losses).toEqual([
      { migration: '0030', table: 'public.artifact', message: '5 values of public.artifact.type (renamed from kind) became NULL' },
    ]);
  });

  it('a conversion to another kind of type (text → integer USING length(status)) is no truncation; numeric to fewer digits is', () => {
    const before = { 'public.orders': users({ status: column(values(10, 8), 'text'), total: column(values(10, 9), 'numeric(10,2)', 10) }) };
    const after = { 'public.orders': users({ status: column(ids(10), 'integer'), total: column(values(10, 10), 'numeric(10,0)', 7) }) };
    expect(stepChanges(step('002', before, after)).losses).toEqual([
      {
        migration: '002',
        table: 'public.orders',
        message: 'values of public.orders.total were truncated or rounded by its type change numeric(10,2) → numeric(10,0) (longest value 10 → 7 characters)',
      },
    ]);
  });

  it('calls a renamed column, a renamed table and a column copied into a new table then dropped moves, not losses', () => {
    const nickname = column([...values(7, 3), null, null, null]);
    const theme = column([...values(6, 4), null, null, null, null]);
    const notes = table({ id: column(ids(5)), body: column(values(5, 5)) }, 5);
    const before = { 'public.users': users({ nickname, theme }), 'public.notes': notes };
    const after = {
      'public.users': users({ display_name: nickname }),
      'public.memos': notes,
      'public.user_settings': table({ user_id: column(ids(6)), theme: column(values(6, 4)) }, 6, ['user_id']),
    };
    const { losses, moves } = stepChanges(step('002', before, after));
    expect(losses).toEqual([]);
    expect(moves).toEqual(
      expect.arrayContaining([
        { migration: '002', from: 'public.notes', to: ['public.memos'], what: 'table' },
        { migration: '002', from: 'public.users.nickname', to: ['public.users.display_name'], what: 'column' },
        { migration: '002', from: 'public.users.theme', to: ['public.user_settings.theme'], what: 'column' },
      ]),
    );
  });

  it('does not take a column that held the same content all along for a move', () => {
    const flag = column(Array(10).fill(5));
    const before = { 'public.users': users({ active: flag, admin: flag }) };
    const after = { 'public.users': users({ active: flag }) };
    expect(stepChanges(step('004', before, after)).losses.map((l) => l.message)).toEqual(['column public.users.admin was dropped with 10 non-NULL values']);
  });

  it('calls a backup table made by a pending migration and dropped by a later one no loss, while the original holds its content', () => {
    const orders = table({ id: column(ids(10)), total: column(values(10, 7)) }, 10);
    const f0 = { 'public.orders': orders };
    const f1 = { 'public.orders': orders, 'public.orders_backup': orders };
    const { losses } = findDataLoss([step('010', f0, f1), step('011', f1, f0)]);
    expect(losses).toEqual([]);
    // A table that was there before the pending migrations is no copy of theirs: dropping it loses its rows, even if another table holds the same.
    expect(findDataLoss([step('012', f1, f0)]).losses.map((l) => l.message)).toEqual(['table public.orders_backup was dropped with its 10 rows']);
  });

  it('calls a column copied by one pending migration and dropped by a later one (expand, then contract) a move; a copy changed since, or content held all along, is no proof', () => {
    const nickname = column([...values(7, 3), null, null, null]);
    const f0 = { 'public.users': users({ nickname }) };
    const f1 = { 'public.users': users({ nickname, display_name: nickname }) };
    const f2 = { 'public.users': users({ display_name: nickname }) };
    const expandContract = findDataLoss([step('020', f0, f1), step('021', f1, f2)]);
    expect(expandContract.losses).toEqual([]);
    expect(expandContract.moves).toEqual([{ migration: '021', from: 'public.users.nickname', to: ['public.users.display_name'], what: 'column' }]);
    // The copy was rewritten before the drop: what the drop took is nowhere.
    const f1b = { 'public.users': users({ nickname, display_name: column([...values(7, 9), null, null, null]) }) };
    const f2b = { 'public.users': users({ display_name: column([...values(7, 9), null, null, null]) }) };
    expect(findDataLoss([step('020', f0, f1), step('022', f1, f1b), step('023', f1b, f2b)]).losses.map((l) => l.message)).toEqual(['column public.users.nickname was dropped with 7 non-NULL values']);
    // Two columns equal before the pending migrations (no migration wrote either): dropping one loses it.
    expect(findDataLoss([step('024', f1, f2)]).losses.map((l) => l.message)).toEqual(['column public.users.nickname was dropped with 7 non-NULL values']);
  });

  it('calls a primary key swapped for a new one rekeyed rows, not lost ones', () => {
    const tokens = table({ id: column(ids(10), 'integer'), value: column(values(10, 6)) }, 10);
    const rekeyed = table({ value: column(values(10, 6)), id: column(values(10, 99), 'uuid', 36) }, 10);
    expect(stepChanges(step('005', { 'public.tokens': tokens }, { 'public.tokens': rekeyed })).losses).toEqual([]);
    // The same key columns and rows, but rows deleted: a loss.
    const fewer = table({ id: column(ids(6), 'integer'), value: column(values(6, 6)) }, 6);
    expect(stepChanges(step('006', { 'public.tokens': tokens }, { 'public.tokens': fewer })).losses.map((l) => l.message)).toEqual(['4 rows of public.tokens were deleted (10 → 6)']);
  });

  it('calls rows archived into another table moved, and a detached partition (a leaf table unchanged) nothing', () => {
    const all = values(10, 7);
    const orders = table({ id: column(ids(10)), total: column(all) }, 10);
    const kept = table({ id: column(ids(6)), total: column(all.slice(0, 6)) }, 6);
    const archive = table({ id: column(ids(4, 100)), total: column(all.slice(6)) }, 4);
    expect(stepChanges(step('008', { 'public.orders': orders }, { 'public.orders': kept, 'public.orders_archive': archive })).losses).toEqual([]);
    const partition = table({ taken: column(values(5, 8), 'date'), reading: column(values(5, 9), 'integer') }, 5, []);
    expect(stepChanges(step('006', { 'public.m_old': partition }, { 'public.m_old': partition })).losses).toEqual([]);
    // The partition dropped afterwards: its rows are lost.
    expect(stepChanges(step('009', { 'public.m_old': partition }, {})).losses.map((l) => l.message)).toEqual(['table public.m_old was dropped with its 5 rows']);
  });

  it('is not fooled by rows deleted while others are added elsewhere with different content', () => {
    const orders = table({ id: column(ids(10)), total: column(values(10, 7)) }, 10);
    const kept = table({ id: column(ids(6)), total: column(values(6, 7)) }, 6);
    const other = table({ id: column(ids(4, 100)), total: column(values(4, 50)) }, 4);
    expect(stepChanges(step('008', { 'public.orders': orders }, { 'public.orders': kept, 'public.other': other })).losses.map((l) => l.message)).toEqual([
      '4 rows of public.orders were deleted (10 → 6)',
    ]);
  });

  it('calls an UPDATE that writes shorter values a change, and a narrowing type change that cuts them a truncation', () => {
    const long = column(values(10, 10), 'text', 120);
    const rewritten = column(values(10, 11), 'text', 35);
    expect(stepChanges(step('316', { 'public.templates': users({ body: long }) }, { 'public.templates': users({ body: rewritten }) })).losses).toEqual([]);
    const cut = column(values(10, 12), 'character varying(10)', 10);
    expect(stepChanges(step('002', { 'public.orders': users({ note: long }) }, { 'public.orders': users({ note: cut }) })).losses.map((l) => l.message)).toEqual([
      'values of public.orders.note were truncated or rounded by its type change text → character varying(10) (longest value 120 → 10 characters)',
    ]);
  });

  it('calls values set to NULL lost unless they went elsewhere', () => {
    const code = column(values(10, 13));
    const nulled = column([...values(4, 13), ...Array(6).fill(null)]);
    const lost = stepChanges(step('010', { 'public.users': users({ code }) }, { 'public.users': users({ code: nulled }) }));
    expect(lost.losses.map((l) => l.message)).toEqual(['6 values of public.users.code became NULL']);
    const elsewhere = stepChanges(
      step('010', { 'public.users': users({ code }) }, { 'public.users': users({ code: nulled }), 'public.codes': table({ code: column(values(10, 13).slice(4)) }, 6, []) }),
    );
    expect(elsewhere.losses).toEqual([]);
  });

  it('feeds the hazards, with the migration, and a check expecting the change acknowledges it', () => {
    const f0 = { 'public.users': users({ legacy: column(values(10, 2)) }) };
    const { losses } = findDataLoss([step('003', f0, { 'public.users': users() })]);
    const base = { migrations: [], pending: [], dataChanges: [], checks: [], tableRows: {}, lockThresholdRows: 10_000 };
    expect(findHazards({ ...base, dataLoss: losses })).toEqual([{ kind: 'data-lost', migration: '003', message: 'column public.users.legacy was dropped with 10 non-NULL values' }]);
    const check = { name: 'legacy goes', query: 'select * from users', before: [], after: [], changed: true, expectChange: true, status: 'passed' as const };
    expect(findHazards({ ...base, dataLoss: losses, checks: [check] })).toEqual([]);
  });
});

describe('diffData with the schemas', () => {
  const snap = (tables: DataSnapshot['tables']): DataSnapshot => ({ tables });
  const keyed = (keys: string[], column: string, hashes: string[]) => ({
    rows: keys.length,
    columns: { [column]: { nulls: 0, distinct: keys.length, min: null, max: null, maxLength: 40 } },
    rowChecksums: Object.fromEntries(keys.map((k, i) => [k, hashes[i]!])),
    columnValueHashes: { [column]: Object.fromEntries(keys.map((k, i) => [k, hashes[i]!])) },
  });

  it('does not count rows lost when the primary key was swapped for another', () => {
    const a = schemaOf({ 'public.tokens': tableOf('public', 'tokens', [col('id', 'integer'), col('value', 'text')], { primaryKey: ['id'] }) });
    const b = schemaOf({ 'public.tokens': tableOf('public', 'tokens', [col('value', 'text'), col('id', 'uuid')], { primaryKey: ['id'] }) });
    const before = snap({ 'public.tokens': keyed(['1', '2', '3'], 'value', ['a', 'b', 'c']) });
    const after = snap({ 'public.tokens': keyed(['u1', 'u2', 'u3'], 'value', ['a', 'b', 'c']) });
    expect(diffData(before, after)[0]).toMatchObject({ rowsLost: 3, rowsAdded: 3 });
    expect(diffData(before, after, { before: a, after: b })[0]).toMatchObject({ rowsLost: null, rowsAdded: null, rekeyed: true });
  });

  it('says a partitioned parent lost its detached partition rows to that partition, and truncation needs a type change', () => {
    const parent = tableOf('public', 'm', [col('v', 'text')], { kind: 'partitioned' });
    const old = tableOf('public', 'm_old', [col('v', 'text')], { kind: 'partition', partitionOf: 'public.m' });
    const a = schemaOf({ 'public.m': parent, 'public.m_old': old });
    const { partitionOf: _, ...detached } = old;
    const b = schemaOf({ 'public.m': parent, 'public.m_old': { ...detached, kind: 'table' } });
    const before = snap({ 'public.m': { rows: 10, columns: { v: { nulls: 0, distinct: 10, min: null, max: null, maxLength: 40 } } } });
    const after = snap({ 'public.m': { rows: 4, columns: { v: { nulls: 0, distinct: 4, min: null, max: null, maxLength: 12 } } } });
    const [change] = diffData(before, after, { before: a, after: b });
    expect(change).toMatchObject({ rowsLost: null, partitioned: true, movedTo: 'public.m_old (detached)' });
    expect(change!.columns[0]!.truncated).toBe(false);
    expect(findHazards({ migrations: [], pending: [], dataChanges: [change!], dataLoss: [], checks: [], tableRows: {}, lockThresholdRows: 10_000 })).toEqual([]);
    // Without fingerprints (a target that cannot take them), the losses read from the diff skip it too.
    expect(findHazards({ migrations: [], pending: [], dataChanges: [change!], checks: [], tableRows: {}, lockThresholdRows: 10_000 })).toEqual([]);
  });

  it('withMoves names where a dropped column went', () => {
    const changes = [
      {
        table: 'public.users',
        rowsBefore: 10,
        rowsAfter: 10,
        rowsLost: 0,
        rowsAdded: 0,
        dropped: false,
        columns: [{ column: 'nickname', changedRows: null, nullsBefore: 3, nullsAfter: 10, distinctBefore: 7, distinctAfter: 0, truncated: false, dropped: true }],
      },
    ];
    const [t] = withMoves(changes, [{ migration: '002', from: 'public.users.nickname', to: ['public.users.display_name'], what: 'column' }]);
    expect(t!.columns[0]!.movedTo).toBe('public.users.display_name (002)');
  });
});
