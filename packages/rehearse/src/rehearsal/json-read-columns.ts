/**
 * Text columns the pending migrations read as JSON (`data::json -> 'trigger'`,
 * `CAST(payload AS jsonb)`): the seed fills them with JSON documents, as the
 * application that wrote them did, so that the migration meets the data it
 * expects and not "invalid input syntax for type json" on random words
 * (harbor's `retention_policy.data text`, read by 0040 as `data::json`).
 * Only columns of a table the statement names, of an unbounded text type or
 * a varchar of at least 100 characters.
 *
 * @example
 * ```ts
 * jsonReadColumns(pending, schema); // [{ table: 'public.retention_policy', column: 'data', at: '0040_2.1.0_schema.up.sql:79' }]
 * ```
 */
import type { Schema } from '@understudy/core';
import { isMigrationScript, type Migration } from '../migration-model.js';

export interface JsonReadColumn {
  readonly table: string;
  readonly column: string;
  /** `file:line` of the first statement that reads it as JSON. */
  readonly at: string;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|\x60(?:[^\x60]|\x60\x60)+\x60|[A-Za-z_][A-Za-z0-9_$]*)`;
const TEXT_KINDS = new Set(['text', 'varchar', 'citext']);

function bare(name: string): string {
  return /^["\x60]/.test(name) ? name.slice(1, -1) : name;
}

function stripStrings(sql: string): string {
  return sql
    .replace(/\$([A-Za-z_]*)\$/g, ' ')
    .replace(/[eE]'(?:[^'\\]|\\.|'')*'/g, "''")
    .replace(/'(?:[^']|'')*'/g, "''");
}

/** See the module comment. */
export function jsonReadColumns(pending: readonly Migration[], schema: Schema): JsonReadColumn[] {
  const found = new Map<string, JsonReadColumn>();
  const casts = [new RegExp(String.raw`(?:${IDENT}\s*\.\s*)?(${IDENT})\s*::\s*jsonb?\b`, 'gi'), new RegExp(String.raw`\bcast\s*\(\s*(?:${IDENT}\s*\.\s*)?(${IDENT})\s+as\s+jsonb?\s*\)`, 'gi')];
  for (const m of pending) {
    if (!isMigrationScript(m.up)) continue;
    for (const statement of m.up.statements) {
      if (!/json/i.test(statement.text)) continue;
      const text = stripStrings(statement.text);
      const names = new Set<string>();
      for (const pattern of casts) for (const c of text.matchAll(pattern)) names.add(bare(c[1]!));
      if (names.size === 0) continue;
      for (const [key, table] of Object.entries(schema.tables)) {
        if (!new RegExp(`(^|[^\\w$])"?${table.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?([^\\w$]|$)`, 'i').test(text)) continue;
        for (const column of table.columns) {
          if (!names.has(column.name) || column.generated || !TEXT_KINDS.has(column.kind)) continue;
          if (column.kind === 'varchar' && column.length !== undefined && column.length < 100) continue;
          const id = `${key}.${column.name}`;
          if (!found.has(id)) found.set(id, { table: key, column: column.name, at: `${m.up.file}:${statement.line}` });
        }
      }
    }
  }
  return [...found.values()];
}
