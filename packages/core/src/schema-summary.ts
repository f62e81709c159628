/**
 * Counts and a readable summary of a Schema: what `understudy introspect --summary`
 * prints, and what tests assert against the DDL.
 *
 * @example
 * ```ts
 * const counts = countSchema(schema); // { tables: 15, partitions: 7, columns: 102, foreignKeys: 36, … }
 * console.log(formatSchemaSummary(schema));
 * ```
 */
import { buildFkGraph } from './fk-graph.js';
import type { Schema, Table } from './schema-model.js';

export interface SchemaCounts {
  /** Plain tables and partitioned parents (what a user calls "tables"). */
  readonly tables: number;
  readonly partitions: number;
  /** Columns of `tables` (partitions repeat their parent's columns and are not counted). */
  readonly columns: number;
  // Keys, constraints and indexes are counted wherever they are declared, partitions included:
  // introspection leaves out the copies a partition inherits from its parent, so each counts once.
  readonly primaryKeys: number;
  readonly foreignKeys: number;
  /** UNIQUE constraints and unique indexes other than primary keys. */
  readonly uniques: number;
  readonly checks: number;
  readonly indexes: number;
  readonly enums: number;
  readonly enumValues: number;
  readonly domains: number;
  readonly sequences: number;
  readonly views: number;
  readonly extensions: number;
}

export function countSchema(schema: Schema): SchemaCounts {
  const all = Object.values(schema.tables);
  const tables = all.filter((t) => t.kind !== 'partition');
  const sum = (f: (t: Table) => number): number => all.reduce((n, t) => n + f(t), 0);
  const enums = Object.values(schema.enums);
  return {
    tables: tables.length,
    partitions: all.length - tables.length,
    columns: tables.reduce((n, t) => n + t.columns.length, 0),
    primaryKeys: sum((t) => (t.primaryKey ? 1 : 0)),
    foreignKeys: sum((t) => t.foreignKeys.length),
    uniques: sum((t) => t.uniques.length),
    checks: sum((t) => t.checks.length),
    indexes: sum((t) => t.indexes.length),
    enums: enums.length,
    enumValues: enums.reduce((n, e) => n + e.values.length, 0),
    domains: Object.keys(schema.domains).length,
    sequences: Object.keys(schema.sequences).length,
    views: Object.keys(schema.views).length,
    extensions: schema.extensions.length,
  };
}

function formatCount(n: number | null): string {
  if (n === null) return '?';
  return n.toLocaleString('en-US');
}

/** A plain-text, human-readable summary (tables, estimated rows, FKs, cycles, checks, anything unsupported). */
export function formatSchemaSummary(schema: Schema): string {
  const counts = countSchema(schema);
  const graph = buildFkGraph(schema);
  const lines: string[] = [];
  const source = schema.source ? ` from ${schema.source}` : '';
  lines.push(`${schema.serverVersion ?? schema.dialect}${source}`);
  lines.push(`namespaces: ${schema.namespaces.join(', ') || '(none)'}`);
  lines.push(
    `${counts.tables} tables (${counts.partitions} partitions), ${counts.columns} columns, ` +
      `${counts.primaryKeys} primary keys, ${counts.foreignKeys} foreign keys, ${counts.uniques} unique keys, ` +
      `${counts.checks} checks, ${counts.indexes} indexes`,
  );
  lines.push(
    `${counts.enums} enums, ${counts.domains} domains, ${counts.sequences} sequences, ${counts.views} views` +
      (schema.extensions.length > 0 ? `, extensions: ${schema.extensions.map((e) => e.name).join(', ')}` : ''),
  );
  lines.push('');

  const rows = graph.loadOrder.map((key) => {
    const t = schema.tables[key]!;
    const children = Object.values(schema.tables).filter((p) => p.partitionOf === key);
    const partitions = children.length;
    // PostgreSQL keeps rows (and estimates) in partition tables; MySQL partitions are not tables.
    const estimate = partitions > 0 ? children.reduce<number | null>((n, p) => (p.rowEstimate === null || n === null ? null : n + p.rowEstimate), 0) : t.rowEstimate;
    // A partitioned parent shows what its partitions declare too: those rows are loaded through it.
    const declared = [t, ...children];
    const count = (f: (x: Table) => number): number => declared.reduce((n, x) => n + f(x), 0);
    const notes = [
      count((x) => x.foreignKeys.length) ? `${count((x) => x.foreignKeys.length)} FK` : '',
      count((x) => x.uniques.length) ? `${count((x) => x.uniques.length)} unique` : '',
      count((x) => x.checks.length) ? `${count((x) => x.checks.length)} check` : '',
      partitions ? `${partitions} partitions` : '',
    ].filter(Boolean);
    return [key, formatCount(estimate), String(t.columns.length), notes.join(', ')] as const;
  });
  const header = ['table (load order)', 'est. rows', 'cols', 'constraints'] as const;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: readonly string[]): string =>
    r
      .map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  lines.push(fmt(header));
  for (const r of rows) lines.push(fmt(r));
  if (rows.length === 0) lines.push('(no tables)');
  if (rows.some((r) => r[1] === '?')) lines.push('(est. rows "?": no estimate: the table was never analysed, or the source is a file)');

  lines.push('');
  if (graph.cycles.length === 0) lines.push('FK cycles: none');
  for (const cycle of graph.cycles) {
    if (cycle.unbreakable) {
      lines.push(`FK cycle ${cycle.tables.join(' ↔ ')}: cannot be broken (every FK is NOT NULL and not deferrable: ` + `${cycle.unbreakable.map((e) => `${e.from}.${e.foreignKey}`).join(', ')})`);
    } else {
      lines.push(`FK cycle ${cycle.tables.join(' ↔ ')}: broken at ${cycle.broken.map((e) => `${e.from}.${e.foreignKey} (${e.how})`).join(', ')}`);
    }
  }
  for (const e of graph.selfReferences) lines.push(`self-reference: ${e.from}.${e.foreignKey} (${e.columns.join(', ')})`);
  for (const e of graph.external) lines.push(`FK to a table outside the introspected schemas: ${e.from}.${e.foreignKey} → ${e.to}`);

  const checks = Object.entries(schema.tables).flatMap(([key, t]) => (t.kind === 'partition' ? [] : t.checks.map((c) => `${key}.${c.name}: ${c.expression}`)));
  if (checks.length > 0) {
    lines.push('', `checks (${checks.length}):`);
    for (const c of checks) lines.push(`  ${c}`);
  }
  const unsupported = Object.entries(schema.tables).flatMap(([key, t]) => t.columns.filter((c) => c.unsupported).map((c) => `${key}.${c.name} (${c.rawType}): ${c.unsupported}`));
  const special = Object.entries(schema.tables).flatMap(([key, t]) =>
    t.uniques.filter((u) => u.where || u.expressions).map((u) => `${key}.${u.name}: ${u.where ? `partial unique (WHERE ${u.where})` : 'expression unique'}`),
  );
  if (unsupported.length + special.length + schema.notes.length > 0) {
    lines.push('', 'needs attention:');
    for (const u of [...unsupported, ...special, ...schema.notes]) lines.push(`  ${u}`);
  }
  return `${lines.join('\n')}\n`;
}
