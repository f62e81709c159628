/**
 * Parses CHECK expression text as engines print it (PostgreSQL's
 * `pg_get_constraintdef`, MySQL's and MariaDB's information_schema) into a small
 * expression tree: columns (`x`, `"x"`, `` `x` ``), literals with casts
 * (`'a'::text`, `0::numeric`, `_utf8mb4'a'`), `ARRAY[…]`, function calls,
 * comparison / LIKE / regex operators, `AND OR NOT`, `IS [NOT] NULL`,
 * `IS [NOT] DISTINCT FROM` (and MySQL's `<=>`), `[NOT] BETWEEN`, `[NOT] IN (…)`,
 * `op ANY|ALL (…)`, `CASE WHEN … THEN … ELSE … END`, arithmetic and `||`.
 * Comparisons chain left to right, as MariaDB prints them
 * (`` `a` is not null <> (`b` is not null) ``).
 *
 * @example
 * ```ts
 * parseCheck("((rating >= 0) AND (rating <= 5))");
 * // { type: 'binary', op: 'and', left: { type: 'binary', op: '>=', … }, … }
 * ```
 */

export type CheckNode =
  | { readonly type: 'column'; readonly name: string }
  | { readonly type: 'literal'; readonly value: string | number | boolean | null; readonly cast?: string }
  | { readonly type: 'array'; readonly items: readonly CheckNode[] }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly CheckNode[] }
  | { readonly type: 'cast'; readonly arg: CheckNode; readonly to: string }
  | { readonly type: 'binary'; readonly op: string; readonly left: CheckNode; readonly right: CheckNode }
  | { readonly type: 'not'; readonly arg: CheckNode }
  | { readonly type: 'negate'; readonly arg: CheckNode }
  | { readonly type: 'isnull'; readonly arg: CheckNode; readonly negated: boolean }
  | { readonly type: 'between'; readonly arg: CheckNode; readonly low: CheckNode; readonly high: CheckNode; readonly negated: boolean }
  | { readonly type: 'in'; readonly arg: CheckNode; readonly items: readonly CheckNode[]; readonly negated: boolean }
  | { readonly type: 'quantified'; readonly op: string; readonly quantifier: 'any' | 'all'; readonly left: CheckNode; readonly right: CheckNode }
  /** `CASE [operand] WHEN … THEN … [ELSE …] END`; without ELSE the result is NULL. */
  | { readonly type: 'case'; readonly operand?: CheckNode; readonly whens: ReadonlyArray<{ readonly when: CheckNode; readonly then: CheckNode }>; readonly else?: CheckNode };

/**
 * Thrown by `parseCheck` for text outside its grammar; `interpretCheck` turns it into an `uninterpreted` result.
 *
 * @example
 * ```ts
 * try { parseCheck('((('); } catch (e) { e instanceof CheckParseError; // true }
 * ```
 */
export class CheckParseError extends Error {}

export interface CheckParseOptions {
  /** Backslash escapes inside '…' strings (MySQL/MariaDB); PostgreSQL keeps backslashes literally except in E'…'. */
  readonly backslashEscapes?: boolean;
}

type Token = { kind: 'ident'; text: string; quoted: boolean } | { kind: 'string'; text: string } | { kind: 'number'; text: string } | { kind: 'op'; text: string } | { kind: 'end' };

const OPERATORS = ['!~~*', '~~*', '<=>', '!~~', '!~*', '::', '<>', '!=', '<=', '>=', '~~', '~*', '!~', '||', '&&', '=', '<', '>', '~', '+', '-', '*', '/', '%', '(', ')', '[', ']', ',', '.'];

function tokenize(text: string, options: CheckParseOptions): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const readQuoted = (quote: string, backslash: boolean): string => {
    let out = '';
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new CheckParseError(`unterminated ${quote} quote`);
      if (backslash && c === '\\' && i + 1 < text.length) {
        const n = text[i + 1]!;
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n === '0' ? '\0' : n;
        i += 2;
        continue;
      }
      if (c === quote) {
        if (text[i + 1] === quote) {
          out += quote;
          i += 2;
          continue;
        }
        i++;
        return out;
      }
      out += c;
      i++;
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      tokens.push({ kind: 'string', text: readQuoted("'", options.backslashEscapes ?? false) });
      continue;
    }
    if ((c === 'E' || c === 'e') && text[i + 1] === "'") {
      i++;
      tokens.push({ kind: 'string', text: readQuoted("'", true) });
      continue;
    }
    if (c === '"' || c === '`') {
      tokens.push({ kind: 'ident', text: readQuoted(c, false), quoted: true });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(text.slice(i))!;
      tokens.push({ kind: 'number', text: m[0] });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i))!;
      i += m[0].length;
      // A charset introducer (MySQL `_utf8mb4'a'`) just labels the string that follows.
      if (m[0].startsWith('_') && text[i] === "'") continue;
      tokens.push({ kind: 'ident', text: m[0], quoted: false });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new CheckParseError(`unexpected character ${c}`);
    tokens.push({ kind: 'op', text: op });
    i += op.length;
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

/** Words that continue a multi-word type name after `::` or `AS`. */
const TYPE_WORDS = new Set(['varying', 'precision', 'without', 'with', 'time', 'zone', 'unsigned', 'signed']);

/**
 * Parses a CHECK expression. Throws CheckParseError on text outside the grammar.
 *
 * @example
 * ```ts
 * parseCheck('`rating` >= 0 and `rating` <= 5', { backslashEscapes: true });
 * ```
 */
export function parseCheck(text: string, options: CheckParseOptions = {}): CheckNode {
  const tokens = tokenize(text, options);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const isWord = (t: Token, ...words: string[]): boolean => t.kind === 'ident' && !t.quoted && words.includes(t.text.toLowerCase());
  const isOp = (t: Token, ...ops: string[]): boolean => t.kind === 'op' && ops.includes(t.text);
  const expectOp = (op: string): void => {
    const t = next();
    if (!isOp(t, op)) throw new CheckParseError(`expected ${op}`);
  };

  const parseTypeName = (): string => {
    const t = next();
    if (t.kind !== 'ident') throw new CheckParseError('expected a type name');
    let name = t.text;
    while (isOp(peek(), '.')) {
      next();
      const part = next();
      if (part.kind !== 'ident') throw new CheckParseError('expected a type name after .');
      name = part.text;
    }
    while (peek().kind === 'ident' && TYPE_WORDS.has((peek() as { text: string }).text.toLowerCase())) name += ` ${(next() as { text: string }).text}`;
    if (isOp(peek(), '(')) {
      next();
      const args: string[] = [];
      while (!isOp(peek(), ')')) {
        const a = next();
        if (a.kind === 'end') throw new CheckParseError('unterminated type arguments');
        if (a.kind !== 'op') args.push(a.text);
      }
      next();
      name += `(${args.join(',')})`;
    }
    while (isOp(peek(), '[')) {
      next();
      expectOp(']');
      name += '[]';
    }
    return name.toLowerCase();
  };

  const parseList = (): CheckNode[] => {
    const items: CheckNode[] = [];
    if (isOp(peek(), ')') || isOp(peek(), ']')) return items;
    items.push(parseOr());
    while (isOp(peek(), ',')) {
      next();
      items.push(parseOr());
    }
    return items;
  };

  const parseCase = (): CheckNode => {
    const operand = isWord(peek(), 'when') ? undefined : parseOr();
    const whens: Array<{ when: CheckNode; then: CheckNode }> = [];
    while (isWord(peek(), 'when')) {
      next();
      const when = parseOr();
      if (!isWord(next(), 'then')) throw new CheckParseError('expected THEN in CASE');
      whens.push({ when, then: parseOr() });
    }
    if (whens.length === 0) throw new CheckParseError('expected WHEN in CASE');
    let otherwise: CheckNode | undefined;
    if (isWord(peek(), 'else')) {
      next();
      otherwise = parseOr();
    }
    if (!isWord(next(), 'end')) throw new CheckParseError('expected END in CASE');
    return { type: 'case', ...(operand ? { operand } : {}), whens, ...(otherwise ? { else: otherwise } : {}) };
  };

  const parsePrimary = (): CheckNode => {
    const t = next();
    if (t.kind === 'number') return { type: 'literal', value: Number(t.text) };
    if (t.kind === 'string') return { type: 'literal', value: t.text };
    if (isOp(t, '(')) {
      const items = parseList();
      expectOp(')');
      if (items.length === 1) return items[0]!;
      return { type: 'array', items };
    }
    if (t.kind === 'ident') {
      const word = t.text.toLowerCase();
      if (!t.quoted) {
        if (word === 'null') return { type: 'literal', value: null };
        if (word === 'true') return { type: 'literal', value: true };
        if (word === 'false') return { type: 'literal', value: false };
        if (word === 'array' && isOp(peek(), '[')) {
          next();
          const items = parseList();
          expectOp(']');
          return { type: 'array', items };
        }
        if (word === 'case') return parseCase();
        if (word === 'cast' && isOp(peek(), '(')) {
          next();
          const arg = parseOr();
          if (!isWord(next(), 'as')) throw new CheckParseError('expected AS in CAST');
          const to = parseTypeName();
          expectOp(')');
          return { type: 'cast', arg, to };
        }
        if (['current_date', 'current_timestamp', 'localtimestamp', 'current_time', 'localtime'].includes(word) && !isOp(peek(), '(')) {
          return { type: 'call', name: word, args: [] };
        }
        if (['interval', 'date', 'timestamp', 'time'].includes(word) && peek().kind === 'string') {
          const s = next() as { text: string };
          return { type: 'literal', value: s.text, cast: word };
        }
      }
      if (isOp(peek(), '(') && !t.quoted) {
        next();
        const args = parseList();
        expectOp(')');
        return { type: 'call', name: word, args };
      }
      let name = t.text;
      // A qualified column (`t.x`) keeps its last part.
      while (isOp(peek(), '.')) {
        next();
        const part = next();
        if (part.kind !== 'ident') throw new CheckParseError('expected a name after .');
        name = part.text;
      }
      return { type: 'column', name };
    }
    throw new CheckParseError(`unexpected ${t.kind === 'end' ? 'end of expression' : (t as { text: string }).text}`);
  };

  const parsePostfix = (): CheckNode => {
    let node = parsePrimary();
    for (;;) {
      if (isOp(peek(), '::')) {
        next();
        const to = parseTypeName();
        node = node.type === 'literal' && node.cast === undefined ? { ...node, cast: to } : { type: 'cast', arg: node, to };
      } else if (isWord(peek(), 'collate')) {
        next();
        next();
      } else if (isOp(peek(), '[')) {
        throw new CheckParseError('array subscripts are not supported');
      } else {
        return node;
      }
    }
  };

  const parseUnary = (): CheckNode => {
    if (isOp(peek(), '-')) {
      next();
      const arg = parseUnary();
      if (arg.type === 'literal' && typeof arg.value === 'number') return { ...arg, value: -arg.value };
      return { type: 'negate', arg };
    }
    if (isOp(peek(), '+')) {
      next();
      return parseUnary();
    }
    return parsePostfix();
  };

  const parseBinaryLevel = (ops: string[], inner: () => CheckNode): (() => CheckNode) => {
    return () => {
      let left = inner();
      while (peek().kind === 'op' && ops.includes((peek() as { text: string }).text)) {
        const op = (next() as { text: string }).text;
        left = { type: 'binary', op, left, right: inner() };
      }
      return left;
    };
  };
  const parseMul = parseBinaryLevel(['*', '/', '%'], parseUnary);
  const parseAdd = parseBinaryLevel(['+', '-'], parseMul);
  const parseConcat = parseBinaryLevel(['||'], parseAdd);

  const COMPARISON = ['=', '<>', '!=', '<=>', '<', '<=', '>', '>=', '~~', '!~~', '~~*', '!~~*', '~', '~*', '!~', '!~*'];

  /** One comparison or IS test on `left`, or undefined when none follows. */
  const parseComparisonStep = (left: CheckNode): CheckNode | undefined => {
    const t = peek();
    if (t.kind === 'op' && COMPARISON.includes(t.text)) {
      next();
      // `<=>` is MySQL's NULL-safe equality: IS NOT DISTINCT FROM.
      const op = t.text === '!=' ? '<>' : t.text === '<=>' ? 'is not distinct from' : t.text;
      if (isWord(peek(), 'any', 'some', 'all')) {
        const q = (next() as { text: string }).text.toLowerCase();
        expectOp('(');
        const right = parseOr();
        expectOp(')');
        return { type: 'quantified', op, quantifier: q === 'all' ? 'all' : 'any', left, right };
      }
      return { type: 'binary', op, left, right: parseConcat() };
    }
    if (isWord(t, 'is')) {
      next();
      const negated = isWord(peek(), 'not');
      if (negated) next();
      const what = next();
      if (isWord(what, 'null')) return { type: 'isnull', arg: left, negated };
      if (isWord(what, 'true')) return negated ? { type: 'not', arg: left } : left;
      if (isWord(what, 'false')) return negated ? left : { type: 'not', arg: left };
      if (isWord(what, 'distinct') && isWord(peek(), 'from')) {
        next();
        return { type: 'binary', op: negated ? 'is not distinct from' : 'is distinct from', left, right: parseConcat() };
      }
      throw new CheckParseError('expected NULL, TRUE, FALSE or DISTINCT FROM after IS');
    }
    return undefined;
  };

  const parseComparison = (): CheckNode => {
    const left = parseConcat();
    const first = parseComparisonStep(left);
    if (first !== undefined) {
      // MariaDB prints `a IS NOT NULL <> (b IS NOT NULL)`: comparisons chain left to right.
      let node = first;
      for (let step = parseComparisonStep(node); step !== undefined; step = parseComparisonStep(node)) node = step;
      return node;
    }
    const t = peek();
    let negated = false;
    if (isWord(t, 'not') && isWord(tokens[pos + 1]!, 'between', 'in', 'like', 'ilike', 'regexp', 'rlike')) {
      next();
      negated = true;
    }
    const u = peek();
    if (isWord(u, 'between')) {
      next();
      if (isWord(peek(), 'symmetric')) throw new CheckParseError('BETWEEN SYMMETRIC is not supported');
      const low = parseConcat();
      if (!isWord(next(), 'and')) throw new CheckParseError('expected AND in BETWEEN');
      const high = parseConcat();
      return { type: 'between', arg: left, low, high, negated };
    }
    if (isWord(u, 'in')) {
      next();
      expectOp('(');
      const items = parseList();
      expectOp(')');
      return { type: 'in', arg: left, items, negated };
    }
    if (isWord(u, 'like', 'ilike')) {
      next();
      const ci = (u as { text: string }).text.toLowerCase() === 'ilike';
      const right = parseConcat();
      if (isWord(peek(), 'escape')) throw new CheckParseError('LIKE … ESCAPE is not supported');
      return { type: 'binary', op: `${negated ? '!' : ''}${ci ? '~~*' : '~~'}`, left, right };
    }
    if (isWord(u, 'regexp', 'rlike')) {
      next();
      return { type: 'binary', op: negated ? '!~' : '~', left, right: parseConcat() };
    }
    if (negated) throw new CheckParseError('unexpected NOT');
    return left;
  };

  const parseNot = (): CheckNode => {
    if (isWord(peek(), 'not')) {
      next();
      return { type: 'not', arg: parseNot() };
    }
    return parseComparison();
  };
  const parseAnd = (): CheckNode => {
    let left = parseNot();
    while (isWord(peek(), 'and') || isOp(peek(), '&&')) {
      next();
      left = { type: 'binary', op: 'and', left, right: parseNot() };
    }
    return left;
  };
  function parseOr(): CheckNode {
    let left = parseAnd();
    while (isWord(peek(), 'or') || isOp(peek(), '||')) {
      if (isOp(peek(), '||')) break;
      next();
      left = { type: 'binary', op: 'or', left, right: parseAnd() };
    }
    return left;
  }

  const root = parseOr();
  if (peek().kind !== 'end') throw new CheckParseError(`unexpected ${(peek() as { text?: string }).text ?? 'token'} after the expression`);
  return root;
}
