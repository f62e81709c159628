/**
 * Which tables a trigger body inserts into, read from its SQL text
 * (`INSERT [IGNORE] INTO [schema.]table`), resolved against the tables a
 * Schema knows. Used to avoid generating rows for a table a trigger fills
 * (sakila's `film_text`, filled by `ins_film` on `film`).
 *
 * @example
 * ```ts
 * triggerInserts('BEGIN INSERT INTO film_text (film_id) VALUES (new.film_id); END', 'sakila', new Set(['sakila.film_text']));
 * // ['sakila.film_text']
 * ```
 */
export function triggerInserts(body: string, defaultSchema: string, knownTables: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  const ident = String.raw`(?:"(?:[^"]|"")+"|\x60(?:[^\x60]|\x60\x60)+\x60|[A-Za-z_][A-Za-z0-9_$]*)`;
  const pattern = new RegExp(String.raw`\binsert\s+(?:(?:ignore|low_priority|delayed|high_priority)\s+)*into\s+(${ident})(?:\s*\.\s*(${ident}))?`, 'gi');
  const bare = (name: string): string => (/^["\x60]/.test(name) ? name.slice(1, -1).replace(/""|\x60\x60/g, (m) => m[0]!) : name);
  for (const m of body.matchAll(pattern)) {
    const first = bare(m[1]!);
    const key = m[2] !== undefined ? `${first}.${bare(m[2])}` : `${defaultSchema}.${first}`;
    const match = knownTables.has(key) ? key : [...knownTables].find((k) => k.toLowerCase() === key.toLowerCase());
    if (match !== undefined) found.add(match);
  }
  return [...found].sort();
}

/** A column of the trigger's row that its body copies as is into another table's column (`NEW.id` into `keys.id`). */
export interface TriggerCopy {
  /** The column of the trigger's table (`NEW.<column>`). */
  readonly column: string;
  /** The table written (a key as in `Schema.tables`). */
  readonly table: string;
  readonly targetColumn: string;
}

/** Splits a comma list at depth 0 of parentheses, outside quotes. */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"' || c === '\x60') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  return parts.map((p) => p.trim());
}

/** The text up to the parenthesis that closes the one opened just before `from`. */
function untilClose(text: string, from: number): string | undefined {
  let depth = 1;
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"' || c === '\x60') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return text.slice(from, i);
  }
  return undefined;
}

/** A type name as a cast writes it: `varchar`, `character varying(36)`, `public.status`, `"Kind"`, `text[]`. */
const CAST_TYPE = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))?(?:\s+(?:varying|precision|without\s+time\s+zone|with\s+time\s+zone))?(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?:\s*\[\s*\])*`;

/**
 * An expression without the casts around it: `NEW.kind::varchar::v1_kind` and `CAST(NEW.kind AS text)`
 * are `NEW.kind` (a value cast through text to the target's type is the same value, which must be
 * valid there: one of its enum labels, within its length).
 */
function withoutCasts(expression: string): string {
  let e = expression.trim();
  for (;;) {
    const cast = new RegExp(String.raw`^cast\s*\(\s*([\s\S]+?)\s+as\s+${CAST_TYPE}\s*\)$`, 'i').exec(e);
    const postfix = new RegExp(String.raw`^([\s\S]+?)\s*::\s*${CAST_TYPE}$`).exec(e);
    const next = cast?.[1] ?? postfix?.[1];
    if (next === undefined) return e;
    e = next.trim();
  }
}

/**
 * The columns a trigger body copies unchanged into another table: `INSERT INTO keys (id, …)
 * VALUES (NEW.id, …)` or `… SELECT NEW.id, …`, cast or not (`NEW.kind::varchar::v1_kind`). A value generated for `clients.id` must then
 * also fit `keys.id` (chef's `clients.id varchar(36)` is copied into `keys.id char(32)`).
 *
 * @example
 * ```ts
 * triggerCopies('BEGIN INSERT INTO keys (id, key_name) VALUES (NEW.id, 1); END', 'public', new Set(['public.keys']));
 * // [{ column: 'id', table: 'public.keys', targetColumn: 'id' }]
 * ```
 */
export function triggerCopies(body: string, defaultSchema: string, knownTables: ReadonlySet<string>): TriggerCopy[] {
  const found: TriggerCopy[] = [];
  const ident = String.raw`(?:"(?:[^"]|"")+"|\x60(?:[^\x60]|\x60\x60)+\x60|[A-Za-z_][A-Za-z0-9_$]*)`;
  const pattern = new RegExp(String.raw`\binsert\s+(?:(?:ignore|low_priority|delayed|high_priority)\s+)*into\s+(${ident})(?:\s*\.\s*(${ident}))?\s*\(`, 'gi');
  const bare = (name: string): string => (/^["\x60]/.test(name) ? name.slice(1, -1).replace(/""|\x60\x60/g, (m) => m[0]!) : name);
  for (const m of body.matchAll(pattern)) {
    const first = bare(m[1]!);
    const key = m[2] !== undefined ? `${first}.${bare(m[2])}` : `${defaultSchema}.${first}`;
    const table = knownTables.has(key) ? key : [...knownTables].find((k) => k.toLowerCase() === key.toLowerCase());
    if (table === undefined) continue;
    const open = m.index! + m[0].length;
    const columnList = untilClose(body, open);
    if (columnList === undefined) continue;
    const columns = splitTopLevel(columnList).map(bare);
    const after = body.slice(open + columnList.length + 1);
    const values = /^\s*values\s*\(/i.exec(after);
    const select = /^\s*\(?\s*select\s+/i.exec(after);
    let exprs: string[] | undefined;
    if (values) {
      const list = untilClose(after, values[0].length);
      if (list !== undefined) exprs = splitTopLevel(list);
    } else if (select) {
      const rest = after.slice(select[0].length);
      const end = /\b(from|where|on\s+conflict|returning)\b|;/i.exec(rest);
      exprs = splitTopLevel(end ? rest.slice(0, end.index) : rest);
    }
    if (!exprs || exprs.length !== columns.length) continue;
    exprs.forEach((e, i) => {
      const copied = new RegExp(String.raw`^new\s*\.\s*(${ident})$`, 'i').exec(withoutCasts(e));
      if (copied) found.push({ column: bare(copied[1]!), table, targetColumn: columns[i]! });
    });
  }
  return found;
}
