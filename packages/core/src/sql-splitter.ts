/**
 * Splits a SQL script into statements, remembering the line each starts on, so an
 * error can name `schema.sql:412`. It understands what real dumps contain:
 * quoted strings and identifiers, `E'…'` escapes, dollar-quoted bodies
 * (`$$ … $$`, `$fn$ … $fn$`), nested block comments, psql meta-commands
 * (`\connect`, `\restrict`), `COPY … FROM stdin` data blocks, and for MySQL,
 * `DELIMITER` lines, backtick identifiers, `#` comments and `/*! … *\/`
 * versioned comments (kept: the server runs them).
 *
 * @example
 * ```ts
 * splitSql("CREATE TABLE a (x int);\nSELECT 1;", 'postgres');
 * // [{ kind: 'sql', text: 'CREATE TABLE a (x int)', line: 1 }, { kind: 'sql', text: 'SELECT 1', line: 2 }]
 * ```
 */
import { dialectInfo, type DialectName } from './dialect-registry.js';

/** The dialect whose syntax a script is split with. */
export type SqlFlavor = DialectName;

export interface SqlStatement {
  /** `sql`: a statement to run; `meta`: a psql backslash command; `copy-data`: rows of a COPY FROM stdin. */
  readonly kind: 'sql' | 'meta' | 'copy-data';
  /** The statement without its terminator and surrounding blank space. */
  readonly text: string;
  /** 1-based line where the statement starts. */
  readonly line: number;
}

function isIdentChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_]/.test(ch);
}

function countNewlines(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) === 10) n++;
  return n;
}

function firstOnLine(sql: string, pos: number): boolean {
  for (let k = pos - 1; k >= 0 && sql[k] !== '\n'; k--) if (sql[k] !== ' ' && sql[k] !== '\t') return false;
  return true;
}

function restOfLine(sql: string, pos: number): string {
  const nl = sql.indexOf('\n', pos);
  return sql.slice(pos, nl === -1 ? sql.length : nl);
}

/** Where the block comment opening at `i` (`/*`) ends: just after its `*\/` (or the end of the text). */
function blockCommentEnd(sql: string, i: number, nested: boolean): number {
  let depth = 1;
  let j = i + 2;
  while (j < sql.length && depth > 0) {
    if (sql[j] === '*' && sql[j + 1] === '/') {
      depth--;
      j += 2;
    } else if (nested && sql[j] === '/' && sql[j + 1] === '*') {
      depth++;
      j += 2;
    } else j++;
  }
  return j;
}

/** Where the string or quoted identifier opening at `i` ends: just after its closing quote (a doubled quote is inside it). */
function quotedEnd(sql: string, i: number, backslashEscapes: boolean): number {
  const quote = sql[i];
  let j = i + 1;
  while (j < sql.length) {
    if (backslashEscapes && sql[j] === '\\') {
      j += 2;
      continue;
    }
    if (sql[j] === quote) {
      if (sql[j + 1] === quote) {
        j += 2;
        continue;
      }
      break;
    }
    j++;
  }
  return Math.min(j + 1, sql.length);
}

/** The data lines of a `COPY … FROM stdin;` ending at `i`: from the next line up to `\.`; `end` is after the `\.` line. */
function copyDataBlock(sql: string, i: number): { dataStart: number; dataEnd: number; end: number } {
  const nl = sql.indexOf('\n', i);
  const dataStart = nl === -1 ? sql.length : nl + 1;
  const endMatch = /^\\\.\s*$/m.exec(sql.slice(dataStart));
  const dataEnd = endMatch ? dataStart + endMatch.index : sql.length;
  return { dataStart, dataEnd, end: endMatch ? dataEnd + endMatch[0].length : sql.length };
}

/** Splits `sql` into statements. Comments-only chunks are dropped. */
export function splitSql(sql: string, flavor: SqlFlavor): SqlStatement[] {
  const { syntax } = dialectInfo(flavor);
  const out: SqlStatement[] = [];
  let delimiter = ';';
  let line = 1;
  let i = 0;
  let startLine = 1;
  let hasCode = false;

  let codeStart = 0;
  let codeLine = 1;
  /** BEGIN/CASE … END nesting inside a stored routine's body (`compoundRoutines`): a delimiter there does not end it. */
  let blockDepth = 0;
  /** Marks the first code character of a statement: its text and line start there, after any leading comments. */
  const markCode = (): void => {
    if (hasCode) return;
    hasCode = true;
    codeStart = i;
    codeLine = line;
  };
  const push = (kind: SqlStatement['kind'], end: number): void => {
    if (kind === 'sql' && hasCode) {
      const text = sql.slice(codeStart, end).trim();
      if (text.length > 0) out.push({ kind, text, line: codeLine });
    }
    hasCode = false;
    blockDepth = 0;
  };
  const advanceTo = (pos: number): void => {
    line += countNewlines(sql.slice(i, pos));
    i = pos;
  };
  const begin = (): void => {
    startLine = line;
  };

  begin();
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];

    // Statement-level line commands: psql meta-commands and MySQL DELIMITER.
    if (!hasCode && (ch === '\\' || ch === 'D' || ch === 'd') && firstOnLine(sql, i)) {
      const lineText = restOfLine(sql, i);
      if (syntax.metaCommands && ch === '\\') {
        begin();
        advanceTo(i + lineText.length);
        out.push({ kind: 'meta', text: lineText.trim(), line: startLine });
        begin();
        continue;
      }
      const delim = syntax.delimiterCommand ? /^DELIMITER\s+(\S+)/i.exec(lineText) : null;
      if (delim) {
        delimiter = delim[1]!;
        advanceTo(i + lineText.length);
        begin();
        continue;
      }
    }

    if (/\s/.test(ch)) {
      if (ch === '\n') line++;
      i++;
      continue;
    }
    // Comments.
    if ((ch === '-' && next === '-') || (syntax.hashComments && ch === '#')) {
      const end = sql.indexOf('\n', i);
      advanceTo(end === -1 ? sql.length : end);
      continue;
    }
    if (ch === '/' && next === '*') {
      const versioned = syntax.versionedComments && sql[i + 2] === '!';
      const j = blockCommentEnd(sql, i, syntax.nestedBlockComments);
      if (versioned) {
        // A versioned comment is code; a delimiter inside it ends the statement, as the mysql client does.
        const body = sql.slice(i, j);
        const endsWithDelim = body.replace(/\*\/$/, '').trimEnd().endsWith(delimiter);
        markCode();
        advanceTo(j);
        if (endsWithDelim) {
          // Include a trailing delimiter we may have consumed; the statement is the whole comment.
          push('sql', i);
          begin();
        }
        continue;
      }
      advanceTo(j);
      continue;
    }
    // The delimiter ends a statement (outside a routine's BEGIN … END).
    if (sql.startsWith(delimiter, i) && blockDepth === 0) {
      push('sql', i);
      const statement = out[out.length - 1];
      advanceTo(i + delimiter.length);
      begin();
      // `COPY … FROM stdin;` is followed by data lines up to `\.`.
      if (syntax.copyFromStdin && statement?.kind === 'sql' && /^COPY\b[\s\S]*\bFROM\s+stdin\b/i.test(statement.text)) {
        const block = copyDataBlock(sql, i);
        advanceTo(block.dataStart);
        begin();
        out.push({ kind: 'copy-data', text: sql.slice(block.dataStart, block.dataEnd), line: startLine });
        advanceTo(block.end);
        begin();
      }
      continue;
    }
    markCode();
    // Quoted strings and identifiers.
    if (ch === "'" || ch === '"' || (syntax.backtickIdentifiers && ch === '`')) {
      const backslashEscapes = syntax.stringEscapes === 'backslash' ? ch !== '`' : ch === "'" && (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !isIdentChar(sql[i - 2]);
      advanceTo(quotedEnd(sql, i, backslashEscapes));
      continue;
    }
    if (syntax.dollarQuotes && ch === '$' && !isIdentChar(sql[i - 1])) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        advanceTo(close === -1 ? sql.length : close + tag[0].length);
        continue;
      }
    }
    if (syntax.compoundRoutines && /[A-Za-z]/.test(ch) && !isIdentChar(sql[i - 1])) {
      const word = routineWord(sql, i, codeStart);
      blockDepth = Math.max(0, blockDepth + word.delta);
      advanceTo(word.end);
      continue;
    }
    i++;
  }
  push('sql', sql.length);
  return out;
}

/** `CREATE [OR REPLACE] [DEFINER = …] PROCEDURE | FUNCTION | TRIGGER | EVENT`: a statement with a compound body. */
const ROUTINE_HEAD = /^CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*(?:`[^`]*`|'[^']*'|[^\s@]+)(?:@(?:`[^`]*`|'[^']*'|\S+))?\s+)?(?:AGGREGATE\s+)?(?:PROCEDURE|FUNCTION|TRIGGER|EVENT)\b/i;

/**
 * The word at `at` and how it changes the BEGIN … END nesting of a routine body: `BEGIN` and `CASE` open (a CASE
 * expression ends with `END`, a CASE statement with `END CASE`), `END` closes unless it ends an
 * `IF`, `LOOP`, `WHILE` or `REPEAT` (which open nothing). Only inside a routine's statement.
 */
function routineWord(sql: string, at: number, statementStart: number): { delta: number; end: number } {
  const word = /^[A-Za-z_]\w*/.exec(sql.slice(at, at + 64))![0];
  const w = word.toUpperCase();
  const after = at + word.length;
  if ((w !== 'BEGIN' && w !== 'CASE' && w !== 'END') || !ROUTINE_HEAD.test(sql.slice(statementStart, at))) return { delta: 0, end: after };
  if (w !== 'END') return { delta: 1, end: after };
  // `END IF` and its kin close what opened nothing; `END CASE` closes a CASE. The word after END is read with it.
  const follower = /^\s+(IF|LOOP|WHILE|REPEAT|CASE)\b/i.exec(sql.slice(after, after + 16));
  return { delta: follower && follower[1]!.toUpperCase() !== 'CASE' ? 0 : -1, end: after + (follower ? follower[0].length : 0) };
}
