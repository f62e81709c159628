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
