/**
 * Keys and constraints of MySQL/MariaDB tables from information_schema rows:
 * primary key, unique keys, indexes (STATISTICS), foreign keys (KEY_COLUMN_USAGE +
 * REFERENTIAL_CONSTRAINTS) and CHECK constraints. Pure functions over rows.
 *
 * In MySQL a UNIQUE constraint is a unique index; each one that TABLE_CONSTRAINTS lists
 * as UNIQUE gets `origin: 'constraint'`, any other unique index (a MySQL 8 functional
 * one) `origin: 'index'`. A unique key on a column prefix (`UNIQUE (name(10))`) is unique
 * on the prefix only, so it is modelled as the expression `left(`name`, 10)`.
 *
 * @example
 * ```ts
 * const indexes = buildIndexes(statisticsRowsOfOneTable, 'shop.orders');
 * ```
 */
import type { CheckConstraint, ForeignKey, Index, PrimaryKey, ReferentialAction, UniqueKey } from '@understudy/core';
import { num, text, type CheckRow, type ForeignKeyColumnRow, type IndexColumnRow } from './mysql-introspect-queries.js';

const quoteId = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

interface IndexPart {
  readonly column: string | null;
  readonly expression: string | null;
  readonly subPart: number | null;
  readonly descending: boolean;
}

interface GroupedIndex {
  readonly name: string;
  readonly unique: boolean;
  readonly type: string;
  readonly parts: IndexPart[];
}

function groupIndexes(rows: readonly IndexColumnRow[]): GroupedIndex[] {
  const byName = new Map<string, GroupedIndex>();
  const ordered = [...rows].sort((a, b) => (num(a.seq_in_index) ?? 0) - (num(b.seq_in_index) ?? 0));
  for (const row of ordered) {
    const name = text(row.index_name) ?? '';
    let index = byName.get(name);
    if (!index) {
      index = {
        name,
        unique: String(text(row.non_unique)) === '0',
        type: (text(row.index_type) ?? 'BTREE').toLowerCase(),
        parts: [],
      };
      byName.set(name, index);
    }
    const expression = text(row.expression);
    index.parts.push({
      column: text(row.column_name),
      expression: expression && !text(row.column_name) ? expression : null,
      subPart: num(row.sub_part),
      descending: text(row.collation) === 'D',
    });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function partDefinition(part: IndexPart): string {
  const base = part.column !== null ? quoteId(part.column) : `(${part.expression ?? ''})`;
  return `${base}${part.subPart !== null ? `(${part.subPart})` : ''}${part.descending ? ' DESC' : ''}`;
}

/** All indexes of one table (including PRIMARY), sorted by name. */
export function buildIndexes(rows: readonly IndexColumnRow[], tableName: string): Index[] {
  return groupIndexes(rows).map((g) => {
    const primary = g.name === 'PRIMARY';
    const expressions = g.parts.filter((p) => p.column === null).map((p) => p.expression ?? '');
    const kind = primary ? 'PRIMARY KEY' : g.type === 'fulltext' ? 'FULLTEXT INDEX' : g.type === 'spatial' ? 'SPATIAL INDEX' : g.unique ? 'UNIQUE INDEX' : 'INDEX';
    const using = g.type === 'btree' || g.type === 'hash' ? ` USING ${g.type.toUpperCase()}` : '';
    const definition = primary
      ? `ALTER TABLE ${quoteId(tableName)} ADD PRIMARY KEY (${g.parts.map(partDefinition).join(', ')})${using}`
      : `CREATE ${kind} ${quoteId(g.name)} ON ${quoteId(tableName)} (${g.parts.map(partDefinition).join(', ')})${using}`;
    const index: Index = {
      name: g.name,
      columns: g.parts.map((p) => p.column),
      unique: g.unique,
      primary,
      method: g.type,
      definition,
    };
    if (expressions.length > 0) index.expressions = expressions;
    return index;
  });
}

export function buildPrimaryKey(rows: readonly IndexColumnRow[]): PrimaryKey | undefined {
  const primary = groupIndexes(rows).find((g) => g.name === 'PRIMARY');
  if (!primary) return undefined;
  return { name: 'PRIMARY', columns: primary.parts.map((p) => p.column ?? '') };
}

/**
 * Unique keys other than PRIMARY. `constraintNames` are the table's UNIQUE entries in
 * TABLE_CONSTRAINTS. Prefix parts become `left(col, n)` expressions.
 */
export function buildUniques(rows: readonly IndexColumnRow[], constraintNames: ReadonlySet<string>): UniqueKey[] {
  return groupIndexes(rows)
    .filter((g) => g.unique && g.name !== 'PRIMARY')
    .map((g) => {
      const expressions: string[] = [];
      const columns = g.parts.map((p) => {
        if (p.column !== null && p.subPart === null) return p.column;
        expressions.push(p.column !== null ? `left(${quoteId(p.column)}, ${p.subPart})` : (p.expression ?? ''));
        return null;
      });
      const unique: UniqueKey = { name: g.name, columns, origin: constraintNames.has(g.name) ? 'constraint' : 'index' };
      if (expressions.length > 0) unique.expressions = expressions;
      return unique;
    });
}

function referentialAction(rule: string | null): ReferentialAction {
  const action = (rule ?? 'NO ACTION').toLowerCase();
  return action === 'restrict' || action === 'cascade' || action === 'set null' || action === 'set default' ? action : 'no action';
}

/** Foreign keys of one table, columns in ordinal order, sorted by name. */
export function buildForeignKeys(rows: readonly ForeignKeyColumnRow[]): ForeignKey[] {
  const byName = new Map<string, { first: ForeignKeyColumnRow; parts: ForeignKeyColumnRow[] }>();
  for (const row of rows) {
    const name = text(row.constraint_name) ?? '';
    const entry = byName.get(name) ?? { first: row, parts: [] };
    entry.parts.push(row);
    byName.set(name, entry);
  }
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, { first, parts }]) => {
      parts.sort((a, b) => (num(a.ordinal_position) ?? 0) - (num(b.ordinal_position) ?? 0));
      return {
        name,
        columns: parts.map((p) => text(p.column_name) ?? ''),
        references: {
          table: `${text(first.referenced_table_schema) ?? ''}.${text(first.referenced_table_name) ?? ''}`,
          columns: parts.map((p) => text(p.referenced_column_name) ?? ''),
        },
        onDelete: referentialAction(text(first.delete_rule)),
        onUpdate: referentialAction(text(first.update_rule)),
        deferrable: false,
        initiallyDeferred: false,
      };
    });
}

/** `(`a` > 0)` → `` `a` > 0 ``: removes parentheses that wrap the whole expression. */
export function stripOuterParens(expression: string): string {
  let e = expression.trim();
  while (e.startsWith('(') && e.endsWith(')')) {
    let depth = 0;
    let wraps = true;
    let quote: string | null = null;
    for (let i = 0; i < e.length; i++) {
      const ch = e[i]!;
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = null;
        continue;
      }
      if (ch === "'" || ch === '"' || ch === '`') quote = ch;
      else if (ch === '(') depth++;
      else if (ch === ')') {
        depth--;
        if (depth === 0 && i < e.length - 1) {
          wraps = false;
          break;
        }
      }
    }
    if (!wraps) break;
    e = e.slice(1, -1).trim();
  }
  return e;
}

/** Backtick-quoted names in an expression that are columns of the table, in order of appearance. */
export function referencedColumns(expression: string, columnNames: readonly string[]): string[] {
  const found: string[] = [];
  for (const match of expression.matchAll(/`((?:[^`]|``)+)`/g)) {
    const name = match[1]!.replace(/``/g, '`');
    if (columnNames.includes(name) && !found.includes(name)) found.push(name);
  }
  return found;
}

/** True for MariaDB's automatic `json_valid(`col`)` check of a JSON column. */
export function jsonValidColumn(row: CheckRow): string | null {
  const clause = stripOuterParens(text(row.check_clause) ?? '');
  const match = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(clause);
  return match ? match[1]!.replace(/``/g, '`') : null;
}

/**
 * CHECK constraints of one table, sorted by name. MySQL 8 checks declared
 * `NOT ENFORCED` are left out (the server does not check them); their names are returned
 * in `notEnforced` so the caller can note them.
 */
export function buildChecks(rows: readonly CheckRow[], columnNames: readonly string[]): { checks: CheckConstraint[]; notEnforced: string[] } {
  const checks: CheckConstraint[] = [];
  const notEnforced: string[] = [];
  for (const row of rows) {
    const name = text(row.constraint_name) ?? '';
    if (text(row.enforced)?.toUpperCase() === 'NO') {
      notEnforced.push(name);
      continue;
    }
    const expression = stripOuterParens(text(row.check_clause) ?? '');
    const level = text(row.level);
    const columns = level === 'Column' && columnNames.includes(name) ? [name] : referencedColumns(expression, columnNames);
    const check: CheckConstraint = { name, expression };
    if (columns.length > 0) check.columns = columns;
    checks.push(check);
  }
  checks.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { checks, notEnforced: notEnforced.sort() };
}
