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

/** BEGIN / COMMIT written in a migration file: the rehearsal manages transactions itself. */
export function isTransactionControl(text: string): boolean {
  return /^\s*(begin|start\s+transaction|commit|end|rollback)\s*(transaction|work)?\s*;?\s*$/i.test(text);
}

/** The first line of an error's message. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim();
}
