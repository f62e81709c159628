/**
 * The difference between two Schemas, object by object: tables, columns (type,
 * nullability, default), primary keys, unique keys, foreign keys, checks,
 * indexes, enums, sequences and views, each added, removed or changed. Column
 * order is ignored. Pure.
 *
 * @example
 * ```ts
 * diffSchemas(before, after);
 * // [{ change: 'changed', object: 'column', name: 'public.users.email', detail: 'nullable → NOT NULL' }]
 * ```
 */
import type { Column, Schema, Table } from '@understudy/core';
import type { SchemaChange } from '../report/rehearsal-report.js';

type Named<T> = ReadonlyMap<string, T>;

function byName<T>(items: readonly T[], name: (item: T) => string): Named<T> {
  return new Map(items.map((item) => [name(item), item]));
}

function compare<T>(changes: SchemaChange[], object: SchemaChange['object'], prefix: string, before: Named<T>, after: Named<T>, describe: (a: T, b: T) => string | undefined): void {
  for (const [name, a] of before) {
    const b = after.get(name);
    if (b === undefined) changes.push({ change: 'removed', object, name: `${prefix}${name}` });
    else {
      const detail = describe(a, b);
      if (detail !== undefined) changes.push({ change: 'changed', object, name: `${prefix}${name}`, detail });
    }
  }
  for (const name of after.keys()) if (!before.has(name)) changes.push({ change: 'added', object, name: `${prefix}${name}` });
}

function defaultText(column: Column): string {
  const d = column.default;
  if (!d) return 'none';
  switch (d.kind) {
    case 'literal':
      // An empty string default (MySQL prints it bare) is shown as SQL writes it.
      return d.value === '' ? "''" : d.value;
    case 'identity':
      return `identity (${d.generation})`;
    default:
      return d.expression;
  }
}

function describeColumn(a: Column, b: Column): string | undefined {
  const parts: string[] = [];
  if (a.rawType !== b.rawType) parts.push(`type ${a.rawType} → ${b.rawType}`);
  if (a.nullable !== b.nullable) parts.push(a.nullable ? 'nullable → NOT NULL' : 'NOT NULL → nullable');
  if (defaultText(a) !== defaultText(b)) parts.push(`default ${defaultText(a)} → ${defaultText(b)}`);
  if (JSON.stringify(a.generated ?? null) !== JSON.stringify(b.generated ?? null)) parts.push('generated expression changed');
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** Compares the parts of two values named in `keys`, as JSON; says which differ. */
function describeFields<T extends object>(keys: readonly (keyof T & string)[]): (a: T, b: T) => string | undefined {
  return (a, b) => {
    const differing = keys.filter((k) => JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null));
    return differing.length > 0 ? differing.map((k) => `${k} ${JSON.stringify(a[k] ?? null)} → ${JSON.stringify(b[k] ?? null)}`).join(', ') : undefined;
  };
}

function diffTable(changes: SchemaChange[], key: string, a: Table, b: Table): void {
  const prefix = `${key}.`;
  compare(
    changes,
    'column',
    prefix,
    byName(a.columns, (c) => c.name),
    byName(b.columns, (c) => c.name),
    describeColumn,
  );
  const pk = (t: Table): Named<Table['primaryKey']> => (t.primaryKey ? new Map([[t.primaryKey.name ?? 'primary key', t.primaryKey]]) : new Map());
  compare(changes, 'primary key', prefix, pk(a), pk(b), (x, y) =>
    JSON.stringify(x?.columns) === JSON.stringify(y?.columns) ? undefined : `columns (${x?.columns.join(', ')}) → (${y?.columns.join(', ')})`,
  );
  compare(
    changes,
    'unique',
    prefix,
    byName(a.uniques, (u) => u.name),
    byName(b.uniques, (u) => u.name),
    describeFields(['columns', 'expressions', 'where', 'nullsNotDistinct']),
  );
  compare(
    changes,
    'foreign key',
    prefix,
    byName(a.foreignKeys, (f) => f.name),
    byName(b.foreignKeys, (f) => f.name),
    describeFields(['columns', 'references', 'onDelete', 'onUpdate', 'deferrable']),
  );
  compare(
    changes,
    'check',
    prefix,
    byName(a.checks, (c) => c.name),
    byName(b.checks, (c) => c.name),
    describeFields(['expression']),
  );
  // Indexes that back a primary key or a unique key are reported as those.
  const plain = (t: Table): Named<Table['indexes'][number]> => {
    const uniques = new Set(t.uniques.map((u) => u.name));
    return byName(
      t.indexes.filter((i) => !i.primary && !uniques.has(i.name)),
      (i) => i.name,
    );
  };
  compare(changes, 'index', prefix, plain(a), plain(b), describeFields(['columns', 'expressions', 'unique', 'method', 'where']));
}

/** See the module comment. */
export function diffSchemas(before: Schema, after: Schema): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const tablesBefore = new Map(Object.entries(before.tables));
  const tablesAfter = new Map(Object.entries(after.tables));
  compare(changes, 'table', '', tablesBefore, tablesAfter, () => undefined);
  for (const [key, a] of tablesBefore) {
    const b = tablesAfter.get(key);
    if (b) diffTable(changes, key, a, b);
  }
  compare(changes, 'enum', '', new Map(Object.entries(before.enums)), new Map(Object.entries(after.enums)), (a, b) =>
    JSON.stringify(a.values) === JSON.stringify(b.values) ? undefined : `values ${a.values.join(', ')} → ${b.values.join(', ')}`,
  );
  compare(changes, 'sequence', '', new Map(Object.entries(before.sequences)), new Map(Object.entries(after.sequences)), describeFields(['dataType', 'increment', 'min', 'max', 'cycle']));
  compare(changes, 'view', '', new Map(Object.entries(before.views)), new Map(Object.entries(after.views)), describeFields(['definition', 'materialized']));
  return changes;
}
