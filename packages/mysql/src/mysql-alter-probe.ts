/**
 * Measuring, not guessing, how MySQL/MariaDB runs an `ALTER TABLE` (or a `CREATE INDEX` /
 * `DROP INDEX`, which are ALTER TABLEs by another name): the statement
 * is sent with `, ALGORITHM=…, LOCK=…` appended, cheapest first (INSTANT, INPLACE
 * with LOCK=NONE / SHARED / EXCLUSIVE, COPY with LOCK=SHARED / EXCLUSIVE). A server
 * that cannot honour a clause refuses it at once, before touching a row, with
 * ER_ALTER_OPERATION_NOT_SUPPORTED (1845) or …_REASON (1846); the first attempt the
 * server accepts IS the real execution, and its clause is what production would get
 * at best (and what `ALGORITHM=DEFAULT` picks there).
 *
 * INSTANT is sent without a LOCK clause (MySQL 8 accepts only LOCK=DEFAULT with it)
 * and reported as LOCK=NONE: only a brief metadata lock is taken. A statement that
 * rejects the clause as syntax (`PARTITION BY …`, `REMOVE PARTITIONING`), or that
 * already names an ALGORITHM or LOCK, runs as written and reports what its text says
 * (`writtenAlter`): the named clause, or a copy for a repartitioning.
 *
 * @example
 * ```ts
 * const { result, alter } = await runProbedAlter('ALTER TABLE t ADD INDEX ix (name)', (s) => sql.raw(s).execute(db));
 * alter; // { algorithm: 'INPLACE', lock: 'NONE' }
 * ```
 */
import { performance } from 'node:perf_hooks';
import type { AlterProbe } from '@understudy/core';
import { asDriverError } from './mysql-errors.js';
import { isWord, tokenize, type Token } from './mysql-sql-file-rewrite.js';

/** One attempt: what is reported, and the clause appended to the statement. */
export interface AlterAttempt extends AlterProbe {
  readonly clause: string;
}

/** The attempts in order, cheapest first. */
export const ALTER_ATTEMPTS: readonly AlterAttempt[] = [
  { algorithm: 'INSTANT', lock: 'NONE', clause: 'ALGORITHM=INSTANT' },
  { algorithm: 'INPLACE', lock: 'NONE', clause: 'ALGORITHM=INPLACE, LOCK=NONE' },
  { algorithm: 'INPLACE', lock: 'SHARED', clause: 'ALGORITHM=INPLACE, LOCK=SHARED' },
  { algorithm: 'INPLACE', lock: 'EXCLUSIVE', clause: 'ALGORITHM=INPLACE, LOCK=EXCLUSIVE' },
  { algorithm: 'COPY', lock: 'SHARED', clause: 'ALGORITHM=COPY, LOCK=SHARED' },
  { algorithm: 'COPY', lock: 'EXCLUSIVE', clause: 'ALGORITHM=COPY, LOCK=EXCLUSIVE' },
];

/** Server errors that refuse an ALGORITHM/LOCK clause before any work is done. */
const REFUSALS = new Set([
  1845, // ER_ALTER_OPERATION_NOT_SUPPORTED
  1846, // ER_ALTER_OPERATION_NOT_SUPPORTED_REASON
  4080, // MySQL 8.0.29+ ER_INNODB_MAX_ROW_VERSION: no more instant ADD/DROP COLUMN on this table
]);
const SYNTAX_ERROR = 1064;

/** The statement's tokens without a trailing `;`. */
function codeTokens(statement: string): Token[] {
  const tokens = tokenize(statement);
  while (tokens.length > 0 && tokens[tokens.length - 1]!.kind === 'punct' && tokens[tokens.length - 1]!.value === ';') tokens.pop();
  return tokens;
}

/** Index of the token after `ALTER [ONLINE] [IGNORE] TABLE`, or -1 when the statement is no ALTER TABLE. */
function tableTokenIndex(tokens: readonly Token[]): number {
  if (!isWord(tokens[0], 'ALTER')) return -1;
  let i = 1;
  while (isWord(tokens[i], 'ONLINE', 'OFFLINE', 'IGNORE')) i++;
  return isWord(tokens[i], 'TABLE') ? i + 1 : -1;
}

/**
 * For `CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX … ON t` and `DROP INDEX … ON t` (an ALTER TABLE
 * in other words, taking the same ALGORITHM and LOCK options, without commas): the index of
 * the table token; else -1.
 */
function indexTableTokenIndex(tokens: readonly Token[]): number {
  let i = 0;
  if (isWord(tokens[0], 'CREATE')) {
    i = 1;
    if (isWord(tokens[i], 'OR') && isWord(tokens[i + 1], 'REPLACE')) i += 2;
    while (isWord(tokens[i], 'ONLINE', 'OFFLINE', 'UNIQUE', 'FULLTEXT', 'SPATIAL')) i++;
  } else if (isWord(tokens[0], 'DROP')) {
    i = 1;
    while (isWord(tokens[i], 'ONLINE', 'OFFLINE')) i++;
  } else return -1;
  if (!isWord(tokens[i], 'INDEX', 'KEY')) return -1;
  const on = tokens.findIndex((t, j) => j > i && isWord(t, 'ON'));
  return on < 0 ? -1 : on + 1;
}

/** Where the table is named, and how options are joined: `, ` after ALTER TABLE clauses, a space after CREATE/DROP INDEX. */
function probeShape(tokens: readonly Token[]): { at: number; separator: string } | undefined {
  const alter = tableTokenIndex(tokens);
  if (alter >= 0) return { at: alter, separator: ', ' };
  const index = indexTableTokenIndex(tokens);
  return index >= 0 ? { at: index, separator: ' ' } : undefined;
}

/**
 * True for the statements the probe handles: `ALTER [ONLINE] [IGNORE] TABLE …`, `CREATE … INDEX … ON`
 * and `DROP INDEX … ON`.
 * @example
 * ```ts
 * isAlterTable('alter table t add column c int'); // true
 * isAlterTable('CREATE INDEX ix ON t (c)');         // true
 * isAlterTable('ALTER VIEW v AS SELECT 1');        // false
 * ```
 */
export function isAlterTable(statement: string): boolean {
  return probeShape(codeTokens(statement)) !== undefined;
}

/**
 * The table a probed statement changes, as written (`{ database: 'shop', name: 'users' }` or without database).
 * @example
 * ```ts
 * alterTableName('ALTER TABLE `shop`.users ADD c int'); // { database: 'shop', name: 'users' }
 * ```
 */
export function alterTableName(statement: string): { database?: string; name: string } | undefined {
  const tokens = codeTokens(statement);
  const shape = probeShape(tokens);
  return shape ? qualifiedNameAt(tokens, shape.at) : undefined;
}

/** `name` or `db.name` starting at token `at`. */
export function qualifiedNameAt(tokens: readonly Token[], at: number): { database?: string; name: string } | undefined {
  const first = tokens[at];
  if (!first || (first.kind !== 'word' && first.kind !== 'quoted-id')) return undefined;
  const dot = tokens[at + 1];
  const second = tokens[at + 2];
  if (dot?.kind === 'punct' && dot.value === '.' && second && (second.kind === 'word' || second.kind === 'quoted-id')) {
    return { database: first.value, name: second.value };
  }
  return { name: first.value };
}

/**
 * The statement with the clause appended after its last token (before a trailing `;` or
 * comment): `, ALGORITHM=…, LOCK=…` after an ALTER TABLE, ` ALGORITHM=… LOCK=…` after a
 * CREATE/DROP INDEX; `undefined` when it already says ALGORITHM or LOCK, or is neither.
 * @example
 * ```ts
 * withAlterClause('ALTER TABLE t ADD c int; -- new', 'ALGORITHM=INSTANT'); // 'ALTER TABLE t ADD c int, ALGORITHM=INSTANT'
 * withAlterClause('CREATE INDEX i ON t (c)', 'ALGORITHM=INPLACE, LOCK=NONE'); // 'CREATE INDEX i ON t (c) ALGORITHM=INPLACE LOCK=NONE'
 * ```
 */
export function withAlterClause(statement: string, clause: string): string | undefined {
  const tokens = codeTokens(statement);
  const shape = probeShape(tokens);
  if (!shape) return undefined;
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (isWord(tokens[i], 'ALGORITHM', 'LOCK') && tokens[i + 1]!.kind === 'punct' && tokens[i + 1]!.value === '=') return undefined;
  }
  const last = tokens[tokens.length - 1]!;
  return `${statement.slice(0, last.end)}${shape.separator}${clause.split(', ').join(shape.separator)}`;
}

/**
 * Runs an ALTER TABLE through `run`, trying the attempts of {@link ALTER_ATTEMPTS} in order.
 * A refusal (1845/1846) moves on to the next; any other error is the statement's own
 * (a data error, a missing column) and is thrown unchanged. When every attempt is refused
 * or rejected as syntax, the statement runs as written and `alter` is absent. `durationMs` is the
 * time of the run that did the work (refused attempts take about a millisecond each and are not counted).
 * @example
 * ```ts
 * const { alter } = await runProbedAlter('ALTER TABLE t MODIFY qty bigint', run); // { algorithm: 'COPY', lock: 'SHARED' }
 * ```
 */
export async function runProbedAlter<T>(statement: string, run: (statement: string) => Promise<T>): Promise<{ result: T; alter?: AlterProbe; durationMs: number }> {
  if (withAlterClause(statement, ALTER_ATTEMPTS[0]!.clause) !== undefined) {
    for (const attempt of ALTER_ATTEMPTS) {
      const probed = withAlterClause(statement, attempt.clause)!;
      const started = performance.now();
      try {
        const result = await run(probed);
        return { result, alter: { algorithm: attempt.algorithm, lock: attempt.lock }, durationMs: performance.now() - started };
      } catch (error) {
        const errno = asDriverError(error).errno;
        if (errno === undefined || (!REFUSALS.has(errno) && errno !== SYNTAX_ERROR)) throw error;
      }
    }
  }
  const started = performance.now();
  const result = await run(statement);
  const written = writtenAlter(statement);
  return { result, ...(written ? { alter: written } : {}), durationMs: performance.now() - started };
}

/** `ALTER TABLE` clauses that always rebuild the table by copy (repartitioning). */
const REPARTITION = /\b(?:PARTITION\s+BY|REMOVE\s+PARTITIONING)\b/i;

/**
 * How a statement the probe does not try runs, where its text says so: the `ALGORITHM` and `LOCK`
 * it names (the server ran it so, or refused it), COPY at least blocking writes; a repartitioning
 * (`PARTITION BY`, `REMOVE PARTITIONING`) is a copy under a shared lock. Undefined when the text
 * leaves it to the server (`DEFAULT`, or neither named).
 * @example
 * ```ts
 * writtenAlter('ALTER TABLE t MODIFY c bigint, ALGORITHM=COPY'); // { algorithm: 'COPY', lock: 'SHARED' }
 * writtenAlter('ALTER TABLE t PARTITION BY HASH (id) PARTITIONS 4'); // { algorithm: 'COPY', lock: 'SHARED' }
 * ```
 */
export function writtenAlter(statement: string): AlterProbe | undefined {
  const tokens = codeTokens(statement);
  if (!probeShape(tokens)) return undefined;
  const option = (name: string): string | undefined => {
    for (let i = 0; i + 2 < tokens.length; i++) {
      if (isWord(tokens[i], name) && tokens[i + 1]!.kind === 'punct' && tokens[i + 1]!.value === '=') return tokens[i + 2]!.value.toUpperCase();
    }
    return undefined;
  };
  const written = option('ALGORITHM');
  const algorithm = written === 'NOCOPY' ? 'INPLACE' : written === 'INSTANT' || written === 'INPLACE' || written === 'COPY' ? written : undefined;
  const lockWord = option('LOCK');
  const lock = lockWord === 'NONE' || lockWord === 'SHARED' || lockWord === 'EXCLUSIVE' ? lockWord : undefined;
  if (REPARTITION.test(statement) && algorithm === undefined) return { algorithm: 'COPY', lock: lock ?? 'SHARED' };
  if (algorithm === undefined && lock === undefined) return undefined;
  if (algorithm === 'INSTANT') return { algorithm, lock: 'NONE' };
  return { algorithm: algorithm ?? 'INPLACE', lock: lock ?? (algorithm === 'COPY' ? 'SHARED' : 'NONE') };
}
