/**
 * Classifies one SQL statement: what it changes (`ddl`, `dml`, `other`) and
 * whether it may run inside a transaction block. The rules are the dialect's
 * (the registry's `syntax.nonTransactional`), so nothing here asks "which database is this?".
 *
 * @example
 * ```ts
 * classifyStatement('CREATE INDEX CONCURRENTLY i ON t (x)', 'postgres');
 * // { kind: 'ddl', transactional: false }
 * ```
 */
import { dialectInfo, type SqlFlavor } from '@understudy/core';
import type { StatementKind } from './migration-model.js';

const DDL = /^(?:CREATE|ALTER|DROP|COMMENT|GRANT|REVOKE|RENAME|REINDEX|CLUSTER|SECURITY\s+LABEL|IMPORT\s+FOREIGN\s+SCHEMA)\b/i;
const DML = /^(?:INSERT|UPDATE|DELETE|MERGE|COPY|TRUNCATE|REPLACE|LOAD\s+DATA)\b/i;
const WRITING_WITH = /\b(?:INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|MERGE\s+INTO)\b/i;

/** Leading comments and opening parentheses do not change what a statement is. */
function head(text: string): string {
  return text.replace(/^(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/|\()*/, '');
}

export interface StatementClass {
  readonly kind: StatementKind;
  readonly transactional: boolean;
}

/**
 * The kind of `text` and whether it may run inside a transaction block under `flavor`.
 *
 * @example
 * ```ts
 * classifyStatement('VACUUM FULL orders', 'postgres'); // { kind: 'other', transactional: false }
 * ```
 */
export function classifyStatement(text: string, flavor: SqlFlavor): StatementClass {
  const start = head(text);
  let kind: StatementKind = 'other';
  if (DDL.test(start)) kind = 'ddl';
  else if (DML.test(start)) kind = 'dml';
  else if (/^WITH\b/i.test(start) && WRITING_WITH.test(start)) kind = 'dml';
  const transactional = !dialectInfo(flavor).syntax.nonTransactional.some((rule) => rule.test(start));
  return { kind, transactional };
}
