/**
 * Rewriting the statements of a MySQL dump so that everything lands in throwaway
 * databases: `CREATE DATABASE x`, `USE x`, `DROP DATABASE x` and references `x.table`
 * are redirected to `understudy_tmp_…` databases, `DEFINER=…` clauses are removed (the
 * loader owns what it creates), and statements that change the server rather than a
 * database (users, grants, global variables, replication) are skipped.
 *
 * Statements are read as tokens: quoted strings, comments and backtick identifiers are
 * respected, and the contents of versioned comments (`/*!50001 … *\/`) are read as
 * code, because the server runs them.
 *
 * @example
 * ```ts
 * const plan = planStatement('CREATE TABLE sakila.actor (id int)');
 * rewriteReferences(plan, (db) => (db === 'sakila' ? 'understudy_tmp_1a2b' : undefined));
 * // 'CREATE TABLE `understudy_tmp_1a2b`.actor (id int)'
 * ```
 */

export interface Token {
  readonly kind: 'word' | 'quoted-id' | 'string' | 'number' | 'punct';
  /** The identifier or word without quotes; the string's raw text; the punctuation character. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** Splits one statement into tokens, skipping comments (but not versioned comments' contents). */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let inVersioned = false;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '#' || (ch === '-' && next === '-' && (i + 2 >= sql.length || /\s/.test(sql[i + 2]!)))) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
      continue;
    }
    if (ch === '/' && next === '*') {
      const versioned = /^\/\*M?!\d*/.exec(sql.slice(i, i + 12));
      if (versioned && !inVersioned) {
        inVersioned = true;
        i += versioned[0].length;
        continue;
      }
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
      continue;
    }
    if (inVersioned && ch === '*' && next === '/') {
      inVersioned = false;
      i += 2;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      let value = '';
      while (j < sql.length) {
        const c = sql[j]!;
        if (c === '\\' && ch !== '`') {
          value += sql.slice(j, j + 2);
          j += 2;
          continue;
        }
        if (c === ch) {
          if (sql[j + 1] === ch) {
            value += ch === '`' ? '`' : c + c;
            j += 2;
            continue;
          }
          break;
        }
        value += c;
        j++;
      }
      tokens.push({ kind: ch === '`' ? 'quoted-id' : 'string', value, start: i, end: Math.min(j + 1, sql.length) });
      i = j + 1;
      continue;
    }
    const number = /^(\d+\.?\d*|\.\d+)(e[-+]?\d+)?(?![A-Za-z0-9_$\u0080-\uffff])/i.exec(sql.slice(i, i + 256));
    if (number) {
      tokens.push({ kind: 'number', value: number[0], start: i, end: i + number[0].length });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z0-9_$\u0080-\uffff]+/.exec(sql.slice(i, i + 256));
    if (word) {
      tokens.push({ kind: 'word', value: word[0], start: i, end: i + word[0].length });
      i += word[0].length;
      continue;
    }
    tokens.push({ kind: 'punct', value: ch, start: i, end: i + 1 });
    i++;
  }
  return tokens;
}

/** A name: a bare word or a quoted identifier. */
export const isIdentifier = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'word' || t.kind === 'quoted-id');
/** A user or host name in `DEFINER = user@host`: an identifier or a string. */
const isName = (t: Token | undefined): boolean => t !== undefined && (t.kind === 'word' || t.kind === 'quoted-id' || t.kind === 'string');
/** A bare word that is one of `words` (upper case), in any case. */
export const isWord = (t: Token | undefined, ...words: string[]): boolean => t !== undefined && t.kind === 'word' && words.includes(t.value.toUpperCase());
export const isPunct = (t: Token | undefined, value: string): boolean => t !== undefined && t.kind === 'punct' && t.value === value;

/** Splits tokens at commas outside parentheses (the clauses of an ALTER TABLE, the columns of a key). */
export function splitTopLevel(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (isPunct(t, '(')) depth++;
    if (isPunct(t, ')')) depth--;
    if (depth === 0 && isPunct(t, ',')) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts.filter((p) => p.length > 0);
}

/** What a statement does to databases, and how to run it in the throwaway world. */
export type StatementPlan =
  | { readonly kind: 'create-database'; readonly sql: string; readonly tokens: Token[]; readonly name: Token }
  | { readonly kind: 'drop-database'; readonly sql: string; readonly tokens: Token[]; readonly name: Token }
  | { readonly kind: 'alter-database'; readonly sql: string; readonly tokens: Token[]; readonly name: Token }
  | { readonly kind: 'use'; readonly sql: string; readonly tokens: Token[]; readonly name: Token }
  | { readonly kind: 'skip'; readonly sql: string; readonly reason: string }
  | { readonly kind: 'other'; readonly sql: string; readonly tokens: Token[] };

const ALTER_DATABASE_OPTIONS = new Set(['DEFAULT', 'CHARACTER', 'CHARSET', 'COLLATE', 'ENCRYPTION', 'READ', 'COMMENT', 'UPGRADE']);

/** Statements that change the server, not a database: never run on the throwaway server. */
function serverLevelReason(tokens: readonly Token[]): string | undefined {
  const [a, b, c] = tokens;
  if (isWord(a, 'CREATE', 'DROP', 'ALTER', 'RENAME') && isWord(b, 'USER', 'ROLE')) return 'account management';
  if (isWord(a, 'CREATE', 'DROP') && isWord(b, 'SERVER', 'TABLESPACE', 'LOGFILE')) return 'server objects';
  if (isWord(a, 'GRANT', 'REVOKE')) return 'privileges';
  if (isWord(a, 'FLUSH', 'RESET', 'PURGE', 'KILL', 'SHUTDOWN', 'INSTALL', 'UNINSTALL')) return 'server administration';
  if (isWord(a, 'CHANGE') && isWord(b, 'MASTER', 'REPLICATION')) return 'replication';
  if (isWord(a, 'START', 'STOP') && isWord(b, 'SLAVE', 'REPLICA', 'ALL')) return 'replication';
  if (isWord(a, 'SET')) {
    if (isWord(b, 'PASSWORD', 'ROLE', 'DEFAULT') || isWord(b, 'GLOBAL', 'PERSIST', 'PERSIST_ONLY')) return 'server settings';
    if (isPunct(b, '@') && isPunct(c, '@')) {
      const name = tokens[3];
      if (isWord(name, 'GLOBAL', 'PERSIST', 'PERSIST_ONLY')) return 'server settings';
      if (isWord(name, 'SESSION') && isWord(tokens[5], 'SQL_LOG_BIN')) return 'binary log settings';
      if (isWord(name, 'SQL_LOG_BIN')) return 'binary log settings';
    }
    if (isWord(b, 'SQL_LOG_BIN') || (isWord(b, 'SESSION') && isWord(c, 'SQL_LOG_BIN'))) return 'binary log settings';
  }
  return undefined;
}

/** Reads what one statement does. */
export function planStatement(sql: string): StatementPlan {
  const tokens = tokenize(sql);
  const [a, b, c] = tokens;
  const reason = serverLevelReason(tokens);
  if (reason) return { kind: 'skip', sql, reason };
  if (isWord(a, 'USE') && isIdentifier(b)) return { kind: 'use', sql, tokens, name: b };
  if (isWord(a, 'CREATE', 'DROP', 'ALTER') && isWord(b, 'DATABASE', 'SCHEMA')) {
    let at = 2;
    if (isWord(a, 'CREATE') && isWord(c, 'IF') && isWord(tokens[3], 'NOT') && isWord(tokens[4], 'EXISTS')) at = 5;
    if (isWord(a, 'DROP') && isWord(c, 'IF') && isWord(tokens[3], 'EXISTS')) at = 4;
    const name = tokens[at];
    if (isWord(a, 'ALTER')) {
      if (isIdentifier(name) && !(name.kind === 'word' && ALTER_DATABASE_OPTIONS.has(name.value.toUpperCase()))) {
        return { kind: 'alter-database', sql, tokens, name };
      }
      return { kind: 'other', sql, tokens };
    }
    if (isIdentifier(name)) return { kind: isWord(a, 'CREATE') ? 'create-database' : 'drop-database', sql, tokens, name };
  }
  return { kind: 'other', sql, tokens };
}

const quoteId = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/** Replaces the spans of `edits` in `sql` (edits must not overlap). Newlines inside a removed span are kept. */
function applyEdits(sql: string, edits: { start: number; end: number; text: string }[]): string {
  let out = '';
  let at = 0;
  for (const edit of [...edits].sort((x, y) => x.start - y.start)) {
    out += sql.slice(at, edit.start) + edit.text + '\n'.repeat((sql.slice(edit.start, edit.end).match(/\n/g) ?? []).length);
    at = edit.end;
  }
  return out + sql.slice(at);
}

/** The statement with its database name token replaced (CREATE/DROP/ALTER DATABASE, USE). */
export function renameDatabaseToken(plan: { sql: string; name: Token }, to: string): string {
  return applyEdits(plan.sql, [{ start: plan.name.start, end: plan.name.end, text: quoteId(to) }]);
}

const WRITING_STATEMENTS = new Set(['CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'RENAME', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE', 'LOAD', 'LOCK']);
/** Where the head of a writing statement (the part that names what it writes) ends. */
const HEAD_END = new Set(['AS', 'SELECT', 'WITH', 'VALUES', 'VALUE', 'SET', 'WHERE', 'FOR', 'DO', 'BEGIN', 'RETURNS', 'ENGINE', 'PARTITION', 'JOIN', 'USING']);

/**
 * The database names that `plan` uses as qualifiers of objects it creates or writes
 * (`CREATE TABLE other.t`, `INSERT INTO other.t`, `DROP TABLE a.x, b.y`,
 * `REFERENCES other.t`), so that the caller can give each one a throwaway database
 * before the statement runs. Only the head of the statement is read (up to the first
 * parenthesis, `AS`, `SELECT`, `SET`, `WHERE`, …), where a qualified name is an object
 * name and not a `table.column` reference.
 */
export function writtenDatabases(plan: { tokens: Token[] }): string[] {
  const tokens = plan.tokens;
  const first = tokens[0];
  if (!first || first.kind !== 'word' || !WRITING_STATEMENTS.has(first.value.toUpperCase())) return [];
  const found: string[] = [];
  const add = (i: number): void => {
    const t = tokens[i];
    if (isIdentifier(t) && isPunct(tokens[i + 1], '.') && isIdentifier(tokens[i + 2]) && !found.includes(t.value)) {
      found.push(t.value);
    }
  };
  const indexOrTrigger = tokens.some((t, i) => i < 8 && isWord(t, 'INDEX', 'TRIGGER'));
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isPunct(t, '(') || (t.kind === 'word' && HEAD_END.has(t.value.toUpperCase()))) break;
    if (isWord(t, 'ON') && !indexOrTrigger) break;
    if (!isPunct(tokens[i - 1], '.')) add(i);
  }
  if (isWord(first, 'CREATE', 'ALTER')) {
    for (let i = 0; i < tokens.length; i++) if (isWord(tokens[i], 'REFERENCES')) add(i + 1);
  }
  return found;
}

/**
 * The statement with every `db.` qualifier whose `db` has a throwaway database
 * redirected to it, and every `DEFINER = user@host` clause removed.
 */
export function rewriteReferences(plan: { sql: string; tokens: Token[] }, target: (db: string) => string | undefined): string {
  const tokens = plan.tokens;
  const edits: { start: number; end: number; text: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isWord(t, 'DEFINER') && isPunct(tokens[i + 1], '=')) {
      let j = i + 2;
      const user = tokens[j];
      if (isWord(user, 'CURRENT_USER')) {
        j++;
        if (isPunct(tokens[j], '(') && isPunct(tokens[j + 1], ')')) j += 2;
      } else if (isName(user)) {
        j++;
        if (isPunct(tokens[j], '@') && isName(tokens[j + 1])) j += 2;
      } else continue;
      edits.push({ start: t.start, end: tokens[j - 1]!.end, text: '' });
      i = j - 1;
      continue;
    }
    if (!isIdentifier(t) || !isPunct(tokens[i + 1], '.') || isPunct(tokens[i - 1], '.')) continue;
    if (!isIdentifier(tokens[i + 2]) && !isPunct(tokens[i + 2], '*')) continue;
    const to = target(t.value);
    if (to !== undefined) edits.push({ start: t.start, end: t.end, text: quoteId(to) });
  }
  return edits.length === 0 ? plan.sql : applyEdits(plan.sql, edits);
}
