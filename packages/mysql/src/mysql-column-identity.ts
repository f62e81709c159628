/**
 * What a rehearsal on MySQL/MariaDB knows a column by through renames
 * (`ColumnFingerprint.identity`). PostgreSQL keeps a column's attnum through a rename;
 * MySQL keeps nothing the catalog shows, so the rehearsal target follows the renames in
 * the statements it runs: `CHANGE [COLUMN] old new …`, `RENAME COLUMN old TO new`,
 * `RENAME [TO] t2` and `RENAME TABLE a TO b`. A dropped column or table gives the next one
 * of that name a new identity. A column renamed and then updated in the same migration
 * (roundcube's `CHANGE changed expires_at …` then `UPDATE … expires_at + 10 minutes`) is
 * then judged as the same column whose values changed, not as a column lost.
 *
 * Renames done by a `--command` (statements the target does not run) are not seen; those
 * columns are still matched by their content, as before.
 *
 * @example
 * ```ts
 * const ids = new ColumnIdentities();
 * const before = ids.of('session', 'changed');                  // 'session:changed'
 * ids.observe('ALTER TABLE `session` CHANGE COLUMN `changed` `expires_at` datetime NOT NULL');
 * ids.of('session', 'expires_at') === before;                   // true
 * ```
 */
import { qualifiedNameAt } from './mysql-alter-probe.js';
import { isIdentifier, isPunct, isWord, splitTopLevel, tokenize, type Token } from './mysql-sql-file-rewrite.js';

/** What dropping a column's clause looks like after `DROP`: not an index, key, constraint or partition. */
const NOT_A_COLUMN = ['INDEX', 'KEY', 'PRIMARY', 'FOREIGN', 'CONSTRAINT', 'CHECK', 'PARTITION', 'UNIQUE', 'FULLTEXT', 'SPATIAL', 'SYSTEM'];

/** The changes of names one statement makes, in order. */
type NameChange =
  | { readonly kind: 'rename-column'; readonly table: string; readonly from: string; readonly to: string }
  | { readonly kind: 'drop-column'; readonly table: string; readonly column: string }
  | { readonly kind: 'rename-table'; readonly from: string; readonly to: string }
  | { readonly kind: 'drop-table'; readonly table: string };

function alterChanges(table: string, tokens: readonly Token[]): NameChange[] {
  const out: NameChange[] = [];
  for (const clause of splitTopLevel(tokens)) {
    let i = 1;
    if (isWord(clause[0], 'CHANGE')) {
      if (isWord(clause[i], 'COLUMN')) i++;
      if (isWord(clause[i], 'IF') && isWord(clause[i + 1], 'EXISTS')) i += 2;
      const [from, to] = [clause[i], clause[i + 1]];
      if (isIdentifier(from) && isIdentifier(to) && from.value.toLowerCase() !== to.value.toLowerCase()) out.push({ kind: 'rename-column', table, from: from.value, to: to.value });
    } else if (isWord(clause[0], 'RENAME')) {
      if (isWord(clause[1], 'COLUMN') && isIdentifier(clause[2]) && isWord(clause[3], 'TO') && isIdentifier(clause[4])) {
        out.push({ kind: 'rename-column', table, from: clause[2].value, to: clause[4].value });
      } else if (!isWord(clause[1], 'INDEX', 'KEY')) {
        const at = isWord(clause[1], 'TO', 'AS') ? 2 : 1;
        const name = qualifiedNameAt(clause, at);
        if (name) out.push({ kind: 'rename-table', from: table, to: name.name });
      }
    } else if (isWord(clause[0], 'DROP') && !isWord(clause[1], ...NOT_A_COLUMN)) {
      if (isWord(clause[i], 'COLUMN')) i++;
      if (isWord(clause[i], 'IF') && isWord(clause[i + 1], 'EXISTS')) i += 2;
      if (isIdentifier(clause[i])) out.push({ kind: 'drop-column', table, column: clause[i]!.value });
    }
  }
  return out;
}

/** `RENAME TABLE a TO b, c TO d` and `DROP TABLE [IF EXISTS] a, b`. */
function tableChanges(tokens: readonly Token[]): NameChange[] {
  const out: NameChange[] = [];
  if (isWord(tokens[0], 'RENAME') && isWord(tokens[1], 'TABLE')) {
    for (const pair of splitTopLevel(tokens.slice(2))) {
      const to = pair.findIndex((t) => isWord(t, 'TO'));
      const from = qualifiedNameAt(pair, 0);
      const into = to > 0 ? qualifiedNameAt(pair, to + 1) : undefined;
      if (from && into) out.push({ kind: 'rename-table', from: from.name, to: into.name });
    }
  } else if (isWord(tokens[0], 'DROP') && (isWord(tokens[1], 'TABLE') || (isWord(tokens[1], 'TEMPORARY') && isWord(tokens[2], 'TABLE')))) {
    let i = isWord(tokens[1], 'TABLE') ? 2 : 3;
    if (isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'EXISTS')) i += 2;
    for (const name of splitTopLevel(tokens.slice(i))) {
      const table = qualifiedNameAt(name, 0);
      if (table) out.push({ kind: 'drop-table', table: table.name });
    }
  }
  return out;
}

/**
 * The renames and drops of columns and tables a statement makes (an `ALTER TABLE`, `RENAME
 * TABLE` or `DROP TABLE`; nothing for any other statement).
 */
function nameChanges(statement: string): NameChange[] {
  const tokens = tokenize(statement).filter((t) => !isPunct(t, ';'));
  if (isWord(tokens[0], 'ALTER')) {
    let i = 1;
    while (isWord(tokens[i], 'ONLINE', 'OFFLINE', 'IGNORE')) i++;
    if (!isWord(tokens[i], 'TABLE')) return [];
    const table = qualifiedNameAt(tokens, i + 1);
    if (!table) return [];
    const after = i + 2 + (table.database === undefined ? 0 : 2);
    return alterChanges(table.name, tokens.slice(after));
  }
  return tableChanges(tokens);
}

/** Follows column and table identities through the statements a rehearsal runs (see the module comment). */
export class ColumnIdentities {
  /** Current table name → its identity (absent: the name itself). */
  readonly #tables = new Map<string, string>();
  /** `table identity \0 lower-case column name` → the column's identity (absent: the name). */
  readonly #columns = new Map<string, string>();
  #generation = 0;

  #table(name: string): string {
    return this.#tables.get(name) ?? name;
  }

  /** The identity of `table.column` now. */
  of(table: string, column: string): string {
    const t = this.#table(table);
    return `${t}:${this.#columns.get(`${t}\0${column.toLowerCase()}`) ?? column.toLowerCase()}`;
  }

  /** Takes note of what a statement that ran without error renamed or dropped. */
  observe(statement: string): void {
    for (const change of nameChanges(statement)) {
      if (change.kind === 'rename-column') {
        const t = this.#table(change.table);
        const from = `${t}\0${change.from.toLowerCase()}`;
        this.#columns.set(`${t}\0${change.to.toLowerCase()}`, this.#columns.get(from) ?? change.from.toLowerCase());
        this.#columns.set(from, `${change.from.toLowerCase()}#${++this.#generation}`);
      } else if (change.kind === 'drop-column') {
        this.#columns.set(`${this.#table(change.table)}\0${change.column.toLowerCase()}`, `${change.column.toLowerCase()}#${++this.#generation}`);
      } else if (change.kind === 'rename-table') {
        this.#tables.set(change.to, this.#table(change.from));
        this.#tables.set(change.from, `${change.from}#${++this.#generation}`);
      } else {
        this.#tables.set(change.table, `${change.table}#${++this.#generation}`);
      }
    }
  }
}
