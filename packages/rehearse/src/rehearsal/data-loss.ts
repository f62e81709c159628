/**
 * Data loss, judged per pending migration: from the data fingerprints taken before and
 * after each one (`RehearsalTarget.fingerprint`: rows, primary key, and per column its
 * type, non-NULL count, longest text and an additive content sum), what that migration
 * lost. Pure.
 *
 * A loss is blamed on the migration whose step shows it, so a table named by ten later
 * migrations is not blamed on the last of them. Content that left a place is looked for
 * elsewhere before it is called lost: a column's content sum is order-free and additive,
 * so a renamed column or table, and values copied into another table or column (the
 * increase of that column's sum equals what left), are moved, not lost.
 *
 * - a dropped table with rows: lost, unless every one of its columns that held values is
 *   found elsewhere (its primary key may be left behind when the rest is found: rekeyed),
 *   or it was a copy a pending migration made, and the original still holds its content; a
 *   table dropped and created again under its name (no column of the new one has the old one's
 *   table identity: gitness's `DROP TABLE IF EXISTS connectors; CREATE TABLE connectors …`) is
 *   judged as a dropped table, once, not as its rows deleted and each column dropped;
 * - a column gone by name but still there by identity (`ColumnFingerprint.identity`:
 *   PostgreSQL's attnum) was renamed: moved, and judged under its new name as any other
 *   column (values turned NULL, cut), so an UPDATE after the rename is a change, not a loss;
 * - a column whose name now belongs to another column (another identity: dropped and added
 *   again) with other values is a dropped column;
 * - a dropped column with values: lost, unless found elsewhere, or it was the primary key
 *   of a table that has a new one and kept its rows (rekeyed); "elsewhere" includes a column an
 *   earlier pending migration filled with the same content, unchanged since (expand, then
 *   contract: a column added and backfilled, the old one dropped later);
 * - rows gone from a table: lost, unless another table gained as many rows carrying what
 *   left (an archive table, a table renamed away and created again); a partition detached
 *   from its parent loses nothing (the fingerprint holds leaf tables only);
 * - values turned NULL (beyond the rows deleted): lost, unless found elsewhere;
 * - values cut or rounded: only by a type change of that column within one kind of type
 *   (text to shorter text, numeric to fewer digits, timestamp to date: its content changed
 *   and its longest value got shorter); an UPDATE that writes shorter values is a change the
 *   migration asked for, not a truncation, and so is a conversion to another kind
 *   (`text` → `integer USING length(status)`): its values' text says nothing of a cut.
 *
 * @example
 * ```ts
 * const { losses, moves } = findDataLoss([{ migration: '003', before: f2, after: f3 }]);
 * // losses: [{ migration: '003', table: 'public.users', message: 'column public.users.nickname was dropped with 540 non-NULL values' }]
 * // moves:  [{ migration: '003', from: 'public.users.theme', to: ['public.user_settings.theme'], what: 'column' }]
 * ```
 */
import type { ColumnFingerprint, DataFingerprint, TableFingerprint } from '@understudy/core';
import type { TableDataChange } from '../report/rehearsal-report.js';
import { keyType } from './key-type.js';

export interface FingerprintStep {
  /** The pending migration that ran between the two fingerprints. */
  readonly migration: string;
  readonly before: DataFingerprint;
  readonly after: DataFingerprint;
  /** Its UPDATE and INSERT … SELECT statements, with the rows each wrote: a column they convert into another is not lost. */
  readonly writes?: ReadonlyArray<{ readonly text: string; readonly file: string; readonly line: number; readonly rowsAffected: number | null }>;
  /**
   * Columns (`table.column`) an earlier pending migration wrote, with the content it left there,
   * still held at this step's start (`findDataLoss` fills it): the new place of an expand/contract
   * pair (a column added and backfilled in one migration, the old one dropped in a later one).
   */
  readonly filledEarlier?: ReadonlyMap<string, string>;
}

/** Functions that carry an argument's whole value into their result (a JSON object, a cast, a concatenation). */
const CARRYING = new Set([
  'jsonb_build_object',
  'json_build_object',
  'jsonb_build_array',
  'json_build_array',
  'to_jsonb',
  'to_json',
  'array',
  'concat',
  'concat_ws',
  'coalesce',
  'row',
  'cast',
  'json_object',
  'json_array',
]);
const NAME = String.raw`(?:"(?:[^"]|"")+"|\x60[^\x60]+\x60|[A-Za-z_][\w$]*)`;

function unquoted(name: string): string {
  const t = name.trim();
  return t.startsWith('"') || t.startsWith('`') ? t.slice(1, -1).replace(/""/g, '"') : t.toLowerCase();
}

/** Splits on `sep` outside parentheses, brackets and quotes. */
function splitOutside(text: string, sep: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (depth === 0) {
      const found = sep.exec(text.slice(i))?.[0];
      // A keyword starts a word; a comma anywhere.
      if (found === undefined || (/^\w/.test(found) && /\w/.test(text[i - 1] ?? ''))) continue;
      parts.push(text.slice(start, i));
      start = i + found.length;
      i = start - 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/**
 * Whether `expr` carries `column`'s whole value: the column itself (cast or not), or an argument
 * of a function that keeps it (`jsonb_build_object('address', "location")`, `CAST(c AS jsonb)`) or an
 * element of an array constructor (`ARRAY[c]`);
 * not a part of it (`c->>'plan'`, `length(c)`) nor a test on it (`c IS NOT NULL`).
 */
export function carriesWhole(expr: string, column: string): boolean {
  const ref = new RegExp(String.raw`(?:${NAME}\s*\.\s*)?(${NAME})`, 'g');
  const bare = expr.trim();
  for (const m of bare.matchAll(ref)) {
    if (unquoted(m[1]!) !== column) continue;
    const start = m.index!;
    const end = start + m[0].length;
    const before = bare.slice(0, start).trimEnd();
    const after = bare
      .slice(end)
      .trimStart()
      .replace(/^::\s*[\w" ]+(\([^)]*\))?(\[\])?/, '')
      .trimStart();
    if (before === '' && after === '') return true;
    if (!/[([,]$/.test(before) || !/^([\]),]|as\b)/i.test(after)) continue;
    // The innermost function whose parentheses hold it, or the array constructor whose brackets do
    // (defguard's `SET wireguard_ips = ARRAY[wireguard_ip]`; not a subscript, `labels[c]`).
    let depth = 0;
    for (let i = before.length - 1; i >= 0; i--) {
      const ch = before[i]!;
      if (ch === ')' || ch === ']') depth++;
      else if ((ch === '(' || ch === '[') && depth-- === 0) {
        const name = /([A-Za-z_]\w*)\s*$/.exec(before.slice(0, i))?.[1]?.toLowerCase();
        if (name !== undefined && (ch === '[' ? name === 'array' : CARRYING.has(name))) return true;
        break;
      }
    }
  }
  return false;
}

/** The table a statement names matches `table` (`schema.name`): by name, and by schema when it gives one. */
function namesTable(written: string, table: string): boolean {
  const parts = (written.match(new RegExp(NAME, 'g')) ?? []).map(unquoted);
  const [schema, name] = [table.slice(0, table.indexOf('.')), table.slice(table.indexOf('.') + 1)];
  return parts.length === 1 ? parts[0] === name : parts[0] === schema && parts[1] === name;
}

/**
 * Where a statement of the step wrote `column`'s values, converted, before it dropped the column:
 * `UPDATE table SET other = f(column)` or `INSERT INTO t (…, other, …) SELECT …, f(column), … FROM
 * table`, writing at least as many rows as the column had values (rallly's free-text `location`
 * rebuilt as `jsonb_build_object('provider', 'custom', 'address', "location")`).
 */
function convertedInto(step: FingerprintStep, table: string, column: string, values: number): string | undefined {
  const found = writtenInto(step, table, column, values);
  return found ? `${found.to} (converted by the ${found.by})` : undefined;
}

/**
 * Where a statement of the step wrote `column`'s values (as convertedInto), from at least `values` rows:
 * the column, the statement (`INSERT at file:line`) and how many rows it wrote.
 */
function writtenInto(step: FingerprintStep, table: string, column: string, values: number): { to: string; by: string; rows: number } | undefined {
  const QUALIFIED_NAME = String.raw`(${NAME}(?:\s*\.\s*${NAME})?)`;
  for (const w of step.writes ?? []) {
    if (w.rowsAffected === null || w.rowsAffected < values) continue;
    const found = (to: string, by: string): { to: string; by: string; rows: number } => ({ to, by: `${by} at ${w.file}:${w.line}`, rows: w.rowsAffected! });
    const text = w.text.replace(/--[^\n]*/g, ' ');
    const update = new RegExp(String.raw`^\s*update\s+(?:only\s+)?${QUALIFIED_NAME}\s+(?:(?:as\s+)?${NAME}\s+)?set\s+([\s\S]*)$`, 'i').exec(text);
    if (update && namesTable(update[1]!, table)) {
      const list = splitOutside(update[2]!, /^(where|from|returning)\b/i)[0]!;
      for (const assignment of splitOutside(list, /^,/)) {
        const parsed = new RegExp(String.raw`^(${NAME})\s*=\s*([\s\S]+)$`).exec(assignment);
        if (parsed && unquoted(parsed[1]!) !== column && carriesWhole(parsed[2]!, column)) return found(`${table}.${unquoted(parsed[1]!)}`, 'UPDATE');
      }
      continue;
    }
    const insert = new RegExp(String.raw`^\s*insert\s+into\s+${QUALIFIED_NAME}\s*\(([^)]*)\)\s*select\s+([\s\S]*)$`, 'i').exec(text);
    if (!insert) continue;
    const [items, rest] = splitOutside(insert[3]!, /^from\b/i) as [string, string | undefined];
    const source = rest === undefined ? undefined : new RegExp(String.raw`^${QUALIFIED_NAME}`).exec(rest.trim())?.[1];
    if (source === undefined || !namesTable(source, table)) continue;
    const columns = splitOutside(insert[2]!, /^,/).map(unquoted);
    const selected = splitOutside(items, /^,/);
    if (columns.length !== selected.length) continue;
    const at = selected.findIndex((v) => carriesWhole(v.replace(/\s+as\s+\S+$/i, ''), column));
    const into = (insert[1]!.match(new RegExp(NAME, 'g')) ?? []).map(unquoted);
    // An unqualified table is taken in the source table's schema.
    const intoTable = into.length === 1 ? `${table.slice(0, table.indexOf('.'))}.${into[0]}` : into.join('.');
    if (at >= 0) return found(`${intoTable}.${columns[at]}`, 'INSERT');
  }
  return undefined;
}

/**
 * A statement that copied the column from fewer rows than held values (hawkbit's `INSERT INTO
 * sp_auto_assignment (…, weight, …) SELECT …, auto_assign_weight, … FROM sp_target_filter_query
 * WHERE auto_assign_distribution_set IS NOT NULL`): said beside the loss, which is what it left out.
 */
function partCopy(step: FingerprintStep, table: string, column: string): string {
  const found = writtenInto(step, table, column, 1);
  return found ? ` (the ${found.by} copied it from ${plural(found.rows, 'row')} into ${found.to}; the values of the other rows are lost)` : '';
}

export interface DataLoss {
  readonly migration: string;
  readonly table: string;
  readonly message: string;
}

/** Data that left a place and was found in another: a rename, a copy then a drop, a detached partition. */
export interface DataMove {
  readonly migration: string;
  /** `public.users.nickname` (a column), `public.notes` (a table, or rows of it). */
  readonly from: string;
  /** Where its content is now: columns for a column, tables for a table or rows. */
  readonly to: string[];
  readonly what: 'column' | 'table' | 'rows';
}

const big = (text: string): bigint => {
  try {
    return BigInt(text);
  } catch {
    return 0n;
  }
};

/** A column of `after` that took `content` in this step (its sum grew by it, or became it), if any. */
function whereIs(content: bigint, step: FingerprintStep, except: { table: string; column: string }, copy = false): string | undefined {
  if (content === 0n) return undefined;
  for (const [table, t] of Object.entries(step.after.tables)) {
    for (const [column, c] of Object.entries(t.columns)) {
      if (table === except.table && column === except.column) continue;
      const now = big(c.content);
      const was = big(step.before.tables[table]?.columns[column]?.content ?? '0');
      // Grew by it (a new column or table, rows copied in), or was overwritten with it; a column
      // that held the same content all along (two all-false flags) proves nothing, unless what
      // left was itself a copy made by a pending migration (a backup table dropped again), or an
      // earlier pending migration wrote it there (expand, then contract: the copy came first).
      const earlier = now === content && step.filledEarlier?.get(`${table}.${column}`) === c.content;
      if (now - was === content || (now === content && (now !== was || copy)) || earlier) return `${table}.${column}`;
    }
  }
  return undefined;
}

/** The primary key's columns with their types: a key column dropped and added again under its old name is another key. */
const keyOf = (t: TableFingerprint): string => t.key.map((c) => `${c} ${keyType(t.columns[c]?.type ?? '')}`).join(', ');

/**
 * Whether every column of `table` whose content `removed` gives is found elsewhere; the key
 * columns may be missing when at least one other column was found (the rows were rekeyed).
 */
function allFound(table: string, t: TableFingerprint, removed: (name: string, c: ColumnFingerprint) => bigint, step: FingerprintStep, copy = false): string[] | undefined {
  const found = new Set<string>();
  let missingKey = false;
  let others = 0;
  for (const [name, c] of Object.entries(t.columns)) {
    const gone = removed(name, c);
    if (gone === 0n) continue;
    const where = whereIs(gone, step, { table, column: name }, copy);
    if (where) {
      found.add(where.slice(0, where.lastIndexOf('.')));
      if (!t.key.includes(name)) others++;
      continue;
    }
    if (!t.key.includes(name)) return undefined;
    missingKey = true;
  }
  return !missingKey || others > 0 ? [...found] : undefined;
}

/** The kind of a type, for truncation: text, number, time, binary, else the type's name without its modifiers. */
export function typeKind(type: string): string {
  const t = type.trim().toLowerCase();
  if (/^(character|char|varchar|nvarchar|nchar|bpchar|text|tinytext|mediumtext|longtext|citext|name)\b/.test(t)) return 'text';
  if (/^(smallint|integer|int|bigint|tinyint|mediumint|int[248]|numeric|decimal|real|double|float[48]?|money)\b/.test(t)) return 'number';
  if (/^(timestamp|datetime|date|time|interval)\b/.test(t)) return 'time';
  if (/^(bytea|binary|varbinary|blob|tinyblob|mediumblob|longblob|bit)\b/.test(t)) return 'binary';
  return t.replace(/\(.*$/, '').trim();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The identity of the table that holds the columns (PostgreSQL's oid, MySQL's name and generation); undefined when a column has none. */
function tableIdentities(t: TableFingerprint): Set<string> | undefined {
  const ids = Object.values(t.columns).map((c) => (c.identity === undefined ? undefined : c.identity.slice(0, c.identity.lastIndexOf(':'))));
  return ids.length === 0 || ids.some((id) => id === undefined) ? undefined : new Set(ids as string[]);
}

/**
 * The table under this name is another table, dropped and created again in the step, that holds
 * none of the old one's content under its names (a table rebuilt by copying its rows into a new
 * one, renamed to the old name, holds it: judged column by column as before).
 */
function recreated(a: TableFingerprint, b: TableFingerprint): boolean {
  const before = tableIdentities(a);
  const after = tableIdentities(b);
  if (before === undefined || after === undefined || [...after].some((id) => before.has(id))) return false;
  return !Object.entries(a.columns).some(([name, c]) => c.nonNull > 0 && b.columns[name]?.content === c.content);
}

/** The table of `step.after`, new in it, that holds columns of `a` by identity (a rename keeps them), if any. */
function renamedTable(a: TableFingerprint, step: FingerprintStep): string | undefined {
  const identities = new Set(Object.values(a.columns).flatMap((c) => (c.identity === undefined ? [] : [c.identity])));
  if (identities.size === 0) return undefined;
  for (const [name, t] of Object.entries(step.after.tables)) {
    if (name in step.before.tables) continue;
    if (Object.values(t.columns).some((c) => c.identity !== undefined && identities.has(c.identity))) return name;
  }
  return undefined;
}

/**
 * What one migration lost, and the data it moved (see the module comment). `created`: tables a
 * pending migration created (not there before the first): one dropped again while its content
 * is still in another table was a copy (a backup), not a loss.
 */
export function stepChanges(step: FingerprintStep, created: ReadonlySet<string> = new Set()): { losses: DataLoss[]; moves: DataMove[] } {
  const losses: DataLoss[] = [];
  const moves: DataMove[] = [];
  const lose = (table: string, message: string): void => void losses.push({ migration: step.migration, table, message });
  const move = (from: string, to: readonly string[], what: DataMove['what']): void => void moves.push({ migration: step.migration, from, to: [...to], what });
  for (const [table, a] of Object.entries(step.before.tables)) {
    let b = step.after.tables[table];
    // Gone by name but there by its columns' identities (a table renamed, `ALTER TABLE … RENAME TO`): moved, and judged under its new name.
    const renamedTo = b ? undefined : renamedTable(a, step);
    if (renamedTo) {
      move(table, [renamedTo], 'table');
      b = step.after.tables[renamedTo]!;
    }
    const again = b !== undefined && recreated(a, b);
    if (!b || again) {
      const moved = a.rows > 0 ? allFound(table, a, (_, c) => (c.nonNull > 0 ? big(c.content) : 0n), step, created.has(table)) : undefined;
      const how = again ? ` (and created again ${b!.rows > 0 ? `with ${plural(b!.rows, 'other row')}` : 'empty'} by the same migration)` : '';
      if (moved) move(table, moved, 'table');
      else if (a.rows > 0) lose(table, `table ${table} was dropped with its ${plural(a.rows, 'row')}${how}`);
      continue;
    }
    const deleted = Math.max(0, a.rows - b.rows);
    if (deleted > 0) {
      const moved = allFound(table, a, (name, c) => big(c.content) - big(b.columns[name]?.content ?? '0'), step);
      if (moved) move(table, moved, 'rows');
      else
        lose(
          table,
          a.rows > 0 && b.rows === 0 ? `${table} went from ${a.rows} rows to 0 (all ${plural(a.rows, 'row')} deleted)` : `${plural(deleted, 'row')} of ${table} were deleted (${a.rows} → ${b.rows})`,
        );
    }
    const rekeyed = b.key.length > 0 && keyOf(a) !== keyOf(b) && b.rows === a.rows;
    for (const [name, c] of Object.entries(a.columns)) {
      let now: ColumnFingerprint | undefined = b.columns[name];
      // Its name on another column (dropped and added again) whose values differ: this one is gone.
      if (now && c.identity !== undefined && now.identity !== undefined && now.identity !== c.identity && now.content !== c.content) now = undefined;
      const renamed = now === undefined && c.identity !== undefined ? Object.entries(b.columns).find(([other, x]) => x.identity === c.identity && !(other in a.columns)) : undefined;
      if (renamed) {
        move(`${table}.${name}`, [`${table}.${renamed[0]}`], 'column');
        now = renamed[1];
      }
      const shown = renamed ? `${table}.${renamed[0]} (renamed from ${name})` : `${table}.${name}`;
      if (!now) {
        if (c.nonNull === 0) continue;
        const where = whereIs(big(c.content), step, { table, column: name }) ?? convertedInto(step, table, name, c.nonNull);
        if (where) move(`${table}.${name}`, [where], 'column');
        else if (!(rekeyed && a.key.includes(name))) lose(table, `column ${table}.${name} was dropped with ${plural(c.nonNull, 'non-NULL value')}${partCopy(step, table, name)}`);
        continue;
      }
      const nulled = c.nonNull - now.nonNull - deleted;
      if (nulled > 0) {
        const where = whereIs(big(c.content) - big(now.content), step, { table, column: name });
        if (where) move(`${table}.${name}`, [where], 'column');
        else lose(table, `${plural(nulled, 'value')} of ${shown} became NULL`);
        continue;
      }
      const shorter = c.maxLength !== null && now.maxLength !== null && now.maxLength < c.maxLength;
      if (now.type !== c.type && typeKind(now.type) === typeKind(c.type) && shorter && now.content !== c.content && now.nonNull === c.nonNull) {
        lose(table, `values of ${shown} were truncated or rounded by its type change ${c.type} → ${now.type} (longest value ${c.maxLength} → ${now.maxLength} characters)`);
      }
    }
  }
  return { losses, moves };
}

/** `stepChanges` over every pending migration that ran, in order. */
export function findDataLoss(steps: readonly FingerprintStep[]): { losses: DataLoss[]; moves: DataMove[] } {
  const first = steps[0]?.before.tables ?? {};
  const created = new Set(steps.flatMap((s) => Object.keys(s.after.tables)).filter((t) => !(t in first)));
  // Columns a pending migration wrote, with what it left there; dropped once they change again.
  const filled = new Map<string, string>();
  const all = steps.map((s) => {
    const changes = stepChanges({ ...s, filledEarlier: new Map(filled) }, created);
    for (const [table, t] of Object.entries(s.after.tables)) {
      for (const [column, c] of Object.entries(t.columns)) {
        const key = `${table}.${column}`;
        const was = s.before.tables[table]?.columns[column]?.content;
        if (c.content !== was && c.nonNull > 0) filled.set(key, c.content);
        else if (c.content !== was) filled.delete(key);
      }
    }
    return changes;
  });
  return { losses: all.flatMap((c) => c.losses), moves: all.flatMap((c) => c.moves) };
}

/**
 * The A→B data changes with where moved data went (`movedTo`): a dropped table or column, or
 * rows gone from a table, whose content a pending migration put elsewhere.
 */
export function withMoves(changes: readonly TableDataChange[], moves: readonly DataMove[]): TableDataChange[] {
  const where = (from: string, what: DataMove['what']): string | undefined => {
    const found = moves.filter((m) => m.from === from && m.what === what);
    return found.length === 0 ? undefined : found.map((m) => `${m.to.join(', ')} (${m.migration})`).join('; ');
  };
  return changes.map((t) => {
    const moved = t.dropped ? where(t.table, 'table') : t.rowsAfter < t.rowsBefore ? where(t.table, 'rows') : undefined;
    const columns = t.columns.map((c) => {
      // Also a column renamed away whose name a new column took (authelia's attestation_type → attestation_format,
      // then a new attestation_type): its "changes" are the new column's values, its own are where they moved.
      const to = c.dropped || c.nullsAfter > c.nullsBefore || c.changedRows !== 0 ? where(`${t.table}.${c.column}`, 'column') : undefined;
      return to ? { ...c, movedTo: to } : c;
    });
    return { ...t, columns, ...(moved ? { movedTo: moved } : {}) };
  });
}
