/**
 * How a statement is shown in a report: on one line, at most 200 characters.
 *
 * @example
 * ```ts
 * oneLine('ALTER TABLE users\n  ALTER COLUMN email SET NOT NULL'); // 'ALTER TABLE users ALTER COLUMN email SET NOT NULL'
 * ```
 */
export const STATEMENT_TEXT_LIMIT = 200;

export function oneLine(text: string, limit = STATEMENT_TEXT_LIMIT): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}…`;
}

/**
 * The statement with the passwords it gives left out, for a report or a message: PostgreSQL's
 * `[ENCRYPTED] PASSWORD 'x'`, MySQL's `IDENTIFIED [WITH plugin] BY [PASSWORD] 'x'` and `SET PASSWORD … = 'x'`.
 *
 * @example
 * ```ts
 * withoutPasswords("CREATE USER app LOGIN PASSWORD 'root'"); // "CREATE USER app LOGIN PASSWORD '…'"
 * ```
 */
export function withoutPasswords(text: string): string {
  return text
    .replace(/(\bpassword\s+)(['"])(?:(?!\2)[^\\]|\\.|\2\2)*\2/gi, "$1'…'")
    .replace(/(\bidentified\s+(?:with\s+\S+\s+)?(?:by|as)\s+(?:password\s+)?)(['"])(?:(?!\2)[^\\]|\\.|\2\2)*\2/gi, "$1'…'")
    .replace(/(^\s*set\s+password\b[^=;]*=\s*(?:password\s*\(\s*)?)(['"])(?:(?!\2)[^\\]|\\.|\2\2)*\2/gi, "$1'…'");
}

/**
 * Which transaction a statement written in a migration file opens or ends: `BEGIN [WORK |
 * TRANSACTION] [modes]`, `START TRANSACTION [modes]`, `COMMIT`/`END`, `ROLLBACK`/`ABORT`
 * (not `ROLLBACK TO SAVEPOINT`, nor `COMMIT PREPARED`). `undefined` for any other statement.
 *
 * @example
 * ```ts
 * transactionControl('BEGIN ISOLATION LEVEL SERIALIZABLE'); // 'begin'
 * transactionControl('ROLLBACK TO SAVEPOINT a'); // undefined
 * ```
 */
export function transactionControl(text: string): 'begin' | 'commit' | 'rollback' | undefined {
  const t = text.trim().replace(/;$/, '').trim();
  if (/^(?:begin(?:\s+(?:work|transaction))?|start\s+transaction)(?:\s+(?:isolation\s+level\b|read\s+(?:only|write)\b|(?:not\s+)?deferrable\b|with\s+consistent\s+snapshot\b)[\w\s,]*)?$/i.test(t))
    return 'begin';
  if (/^(?:commit|end)(?:\s+(?:work|transaction))?(?:\s+and\s+(?:no\s+)?chain)?$/i.test(t)) return 'commit';
  if (/^(?:rollback|abort)(?:\s+(?:work|transaction))?(?:\s+and\s+(?:no\s+)?chain)?$/i.test(t)) return 'rollback';
  return undefined;
}

/** Transaction modes as PostgreSQL and MySQL write them after BEGIN / START TRANSACTION / SET TRANSACTION. */
const MODE = String.raw`(?:isolation\s+level\s+(?:serializable|repeatable\s+read|read\s+committed|read\s+uncommitted)|read\s+(?:only|write)|(?:not\s+)?deferrable|with\s+consistent\s+snapshot)`;
const BEGIN_MODES = new RegExp(String.raw`^(?:begin(?:\s+(?:work|transaction))?|start\s+transaction)\s+(${MODE}(?:\s*,?\s*${MODE})*)$`, 'i');
const SET_TRANSACTION_MODES = new RegExp(String.raw`^set\s+transaction\s+(${MODE}(?:\s*,?\s*${MODE})*)$`, 'i');

/**
 * The modes a transaction is started with: those written after `BEGIN` / `START TRANSACTION`
 * (`begin`), or by a `SET TRANSACTION` (`set`), which PostgreSQL takes only before the
 * transaction's first query. Normalised to single spaces; `undefined` for any other statement.
 *
 * @example
 * ```ts
 * transactionModes('BEGIN ISOLATION LEVEL SERIALIZABLE'); // { from: 'begin', modes: 'ISOLATION LEVEL SERIALIZABLE' }
 * transactionModes('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;'); // { from: 'set', modes: 'ISOLATION LEVEL REPEATABLE READ' }
 * ```
 */
export function transactionModes(text: string): { readonly from: 'begin' | 'set'; readonly modes: string } | undefined {
  const t = text.trim().replace(/;$/, '').trim();
  const begin = BEGIN_MODES.exec(t);
  if (begin) return { from: 'begin', modes: begin[1]!.replace(/\s+/g, ' ') };
  const set = SET_TRANSACTION_MODES.exec(t);
  if (set) return { from: 'set', modes: set[1]!.replace(/\s+/g, ' ') };
  return undefined;
}

/** The first line of an error's message. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim();
}
