/**
 * Parses CHECK expression text as engines print it (PostgreSQL's
 * `pg_get_constraintdef`, MySQL's and MariaDB's information_schema) into a small
 * expression tree: columns (`x`, `"x"`, `` `x` ``), literals with casts
 * (`'a'::text`, `0::numeric`, `_utf8mb4'a'`), `ARRAY[…]`, function calls,
 * comparison / LIKE / regex operators, `AND OR NOT`, `IS [NOT] NULL`,
 * `IS [NOT] DISTINCT FROM` (and MySQL's `<=>`), `[NOT] BETWEEN`, `[NOT] IN (…)`,
 * `op ANY|ALL (…)`, `CASE WHEN … THEN … ELSE … END` (and MySQL's `IF(c, a, b)`), arithmetic and `||`.
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

const OPERATORS = [
  '!~~*',
  '~~*',
  '<=>',
  '!~~',
  '!~*',
  '->>',
  '#>>',
  '::',
  '->',
  '#>',
  '?|',
  '?&',
  '@>',
  '<@',
  '<>',
  '!=',
  '<=',
  '>=',
  '~~',
  '~*',
  '!~',
  '||',
  '&&',
  '=',
  '<',
  '>',
  '~',
  '+',
  '-',
  '*',
  '/',
  '%',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  '?',
];

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
    // `OPERATOR(public.~)`: an operator named with its schema, as pg_dump prints an extension's
    // operator (citext's `~`, `=`) when the search path is empty. It is the operator itself.
    const named = /^OPERATOR\s*\(\s*(?:(?:[A-Za-z_][A-Za-z0-9_$]*|"[^"]+")\s*\.\s*)?([^\sA-Za-z0-9_()"]+)\s*\)/i.exec(text.slice(i));
    if (named && OPERATORS.includes(named[1]!)) {
      tokens.push({ kind: 'op', text: named[1]! });
      i += named[0].length;
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

const COMPARISON = ['=', '<>', '!=', '<=>', '<', '<=', '>', '>=', '~~', '!~~', '~~*', '!~~*', '~', '~*', '!~', '!~*'];

const isWord = (t: Token, ...words: string[]): boolean => t.kind === 'ident' && !t.quoted && words.includes(t.text.toLowerCase());
const isOp = (t: Token, ...ops: string[]): boolean => t.kind === 'op' && ops.includes(t.text);

/** A recursive-descent parser over the tokens: one method per grammar level, lowest precedence (OR) first to call. */
class CheckParser {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private expectOp(op: string): void {
    const t = this.next();
    if (!isOp(t, op)) throw new CheckParseError(`expected ${op}`);
  }

  private parseTypeName(): string {
    const t = this.next();
    if (t.kind !== 'ident') throw new CheckParseError('expected a type name');
    let name = t.text;
    while (isOp(this.peek(), '.')) {
      this.next();
      const part = this.next();
      if (part.kind !== 'ident') throw new CheckParseError('expected a type name after .');
      name = part.text;
    }
    while (this.peek().kind === 'ident' && TYPE_WORDS.has((this.peek() as { text: string }).text.toLowerCase())) name += ` ${(this.next() as { text: string }).text}`;
    if (isOp(this.peek(), '(')) {
      this.next();
      const args: string[] = [];
      while (!isOp(this.peek(), ')')) {
        const a = this.next();
        if (a.kind === 'end') throw new CheckParseError('unterminated type arguments');
        if (a.kind !== 'op') args.push(a.text);
      }
      this.next();
      name += `(${args.join(',')})`;
    }
    while (isOp(this.peek(), '[')) {
      this.next();
      this.expectOp(']');
      name += '[]';
    }
    return name.toLowerCase();
  }

  private parseList(): CheckNode[] {
    const items: CheckNode[] = [];
    if (isOp(this.peek(), ')') || isOp(this.peek(), ']')) return items;
    items.push(this.parseOr());
    while (isOp(this.peek(), ',')) {
      this.next();
      items.push(this.parseOr());
    }
    return items;
  }

  private parseCase(): CheckNode {
    const operand = isWord(this.peek(), 'when') ? undefined : this.parseOr();
    const whens: Array<{ when: CheckNode; then: CheckNode }> = [];
    while (isWord(this.peek(), 'when')) {
      this.next();
      const when = this.parseOr();
      if (!isWord(this.next(), 'then')) throw new CheckParseError('expected THEN in CASE');
      whens.push({ when, then: this.parseOr() });
    }
    if (whens.length === 0) throw new CheckParseError('expected WHEN in CASE');
    let otherwise: CheckNode | undefined;
    if (isWord(this.peek(), 'else')) {
      this.next();
      otherwise = this.parseOr();
    }
    if (!isWord(this.next(), 'end')) throw new CheckParseError('expected END in CASE');
    return { type: 'case', ...(operand ? { operand } : {}), whens, ...(otherwise ? { else: otherwise } : {}) };
  }

  private parsePrimary(): CheckNode {
    const t = this.next();
    if (t.kind === 'number') return { type: 'literal', value: Number(t.text) };
    if (t.kind === 'string') return { type: 'literal', value: t.text };
    if (isOp(t, '(')) {
      const items = this.parseList();
      this.expectOp(')');
      if (items.length === 1) return items[0]!;
      return { type: 'array', items };
    }
    if (t.kind === 'ident') {
      const word = t.text.toLowerCase();
      if (!t.quoted) {
        if (word === 'null') return { type: 'literal', value: null };
        if (word === 'true') return { type: 'literal', value: true };
        if (word === 'false') return { type: 'literal', value: false };
        if (word === 'array' && isOp(this.peek(), '[')) {
          this.next();
          const items = this.parseList();
          this.expectOp(']');
          return { type: 'array', items };
        }
        if (word === 'case') return this.parseCase();
        if (word === 'cast' && isOp(this.peek(), '(')) {
          this.next();
          const arg = this.parseOr();
          if (!isWord(this.next(), 'as')) throw new CheckParseError('expected AS in CAST');
          const to = this.parseTypeName();
          this.expectOp(')');
          return { type: 'cast', arg, to };
        }
        if (['current_date', 'current_timestamp', 'localtimestamp', 'current_time', 'localtime'].includes(word) && !isOp(this.peek(), '(')) {
          return { type: 'call', name: word, args: [] };
        }
        if (['interval', 'date', 'timestamp', 'time'].includes(word) && this.peek().kind === 'string') {
          const s = this.next() as { text: string };
          return { type: 'literal', value: s.text, cast: word };
        }
      }
      if (isOp(this.peek(), '(') && !t.quoted) {
        this.next();
        const args = this.parseList();
        this.expectOp(')');
        // MySQL's IF(c, a, b) is CASE WHEN c THEN a ELSE b END.
        if (word === 'if' && args.length === 3) return { type: 'case', whens: [{ when: args[0]!, then: args[1]! }], else: args[2]! };
        return { type: 'call', name: word, args };
      }
      let name = t.text;
      // A qualified column (`t.x`) keeps its last part.
      while (isOp(this.peek(), '.')) {
        this.next();
        const part = this.next();
        if (part.kind !== 'ident') throw new CheckParseError('expected a name after .');
        name = part.text;
      }
      return { type: 'column', name };
    }
    throw new CheckParseError(`unexpected ${t.kind === 'end' ? 'end of expression' : (t as { text: string }).text}`);
  }

  private parsePostfix(): CheckNode {
    let node = this.parsePrimary();
    for (;;) {
      if (isOp(this.peek(), '::')) {
        this.next();
        const to = this.parseTypeName();
        node = node.type === 'literal' && node.cast === undefined ? { ...node, cast: to } : { type: 'cast', arg: node, to };
      } else if (isWord(this.peek(), 'collate')) {
        this.next();
        this.next();
      } else if (isOp(this.peek(), '[')) {
        throw new CheckParseError('array subscripts are not supported');
      } else {
        return node;
      }
    }
  }

  private parseUnary(): CheckNode {
    if (isOp(this.peek(), '-')) {
      this.next();
      const arg = this.parseUnary();
      if (arg.type === 'literal' && typeof arg.value === 'number') return { ...arg, value: -arg.value };
      return { type: 'negate', arg };
    }
    if (isOp(this.peek(), '+')) {
      this.next();
      return this.parseUnary();
    }
    return this.parsePostfix();
  }

  /** A left-associative level of binary operators over `inner`. */
  private binaryLevel(ops: string[], inner: () => CheckNode): CheckNode {
    let left = inner();
    while (this.peek().kind === 'op' && ops.includes((this.peek() as { text: string }).text)) {
      const op = (this.next() as { text: string }).text;
      left = { type: 'binary', op, left, right: inner() };
    }
    return left;
  }
  private parseMul(): CheckNode {
    return this.binaryLevel(['*', '/', '%'], () => this.parseUnary());
  }
  private parseAdd(): CheckNode {
    return this.binaryLevel(['+', '-'], () => this.parseMul());
  }
  private parseConcat(): CheckNode {
    // PostgreSQL's other operators bind as `||` does: JSON's `->>`, `->`, `#>>`, `#>`, `?`, `?|`, `?&`, `@>`, `<@`.
    return this.binaryLevel(['||', '->>', '->', '#>>', '#>', '?', '?|', '?&', '@>', '<@'], () => this.parseAdd());
  }

  /** One comparison or IS test on `left`, or undefined when none follows. */
  private parseComparisonStep(left: CheckNode): CheckNode | undefined {
    const t = this.peek();
    if (t.kind === 'op' && COMPARISON.includes(t.text)) {
      this.next();
      // `<=>` is MySQL's NULL-safe equality: IS NOT DISTINCT FROM.
      const op = t.text === '!=' ? '<>' : t.text === '<=>' ? 'is not distinct from' : t.text;
      if (isWord(this.peek(), 'any', 'some', 'all')) {
        const q = (this.next() as { text: string }).text.toLowerCase();
        this.expectOp('(');
        const right = this.parseOr();
        this.expectOp(')');
        return { type: 'quantified', op, quantifier: q === 'all' ? 'all' : 'any', left, right };
      }
      return { type: 'binary', op, left, right: this.parseConcat() };
    }
    if (isWord(t, 'is')) {
      this.next();
      const negated = isWord(this.peek(), 'not');
      if (negated) this.next();
      const what = this.next();
      if (isWord(what, 'null')) return { type: 'isnull', arg: left, negated };
      if (isWord(what, 'true')) return negated ? { type: 'not', arg: left } : left;
      if (isWord(what, 'false')) return negated ? left : { type: 'not', arg: left };
      if (isWord(what, 'distinct') && isWord(this.peek(), 'from')) {
        this.next();
        return { type: 'binary', op: negated ? 'is not distinct from' : 'is distinct from', left, right: this.parseConcat() };
      }
      throw new CheckParseError('expected NULL, TRUE, FALSE or DISTINCT FROM after IS');
    }
    return undefined;
  }

  private parseComparison(): CheckNode {
    const left = this.parseConcat();
    const first = this.parseComparisonStep(left);
    if (first !== undefined) {
      // MariaDB prints `a IS NOT NULL <> (b IS NOT NULL)`: comparisons chain left to right.
      let node = first;
      for (let step = this.parseComparisonStep(node); step !== undefined; step = this.parseComparisonStep(node)) node = step;
      return node;
    }
    const t = this.peek();
    let negated = false;
    if (isWord(t, 'not') && isWord(this.tokens[this.pos + 1]!, 'between', 'in', 'like', 'ilike', 'regexp', 'rlike')) {
      this.next();
      negated = true;
    }
    const u = this.peek();
    if (isWord(u, 'between')) {
      this.next();
      if (isWord(this.peek(), 'symmetric')) throw new CheckParseError('BETWEEN SYMMETRIC is not supported');
      const low = this.parseConcat();
      if (!isWord(this.next(), 'and')) throw new CheckParseError('expected AND in BETWEEN');
      const high = this.parseConcat();
      return { type: 'between', arg: left, low, high, negated };
    }
    if (isWord(u, 'in')) {
      this.next();
      this.expectOp('(');
      const items = this.parseList();
      this.expectOp(')');
      return { type: 'in', arg: left, items, negated };
    }
    if (isWord(u, 'like', 'ilike')) {
      this.next();
      const ci = (u as { text: string }).text.toLowerCase() === 'ilike';
      const right = this.parseConcat();
      if (isWord(this.peek(), 'escape')) throw new CheckParseError('LIKE … ESCAPE is not supported');
      return { type: 'binary', op: `${negated ? '!' : ''}${ci ? '~~*' : '~~'}`, left, right };
    }
    if (isWord(u, 'regexp', 'rlike')) {
      this.next();
      return { type: 'binary', op: negated ? '!~' : '~', left, right: this.parseConcat() };
    }
    if (negated) throw new CheckParseError('unexpected NOT');
    return left;
  }

  private parseNot(): CheckNode {
    if (isWord(this.peek(), 'not')) {
      this.next();
      return { type: 'not', arg: this.parseNot() };
    }
    return this.parseComparison();
  }
  private parseAnd(): CheckNode {
    let left = this.parseNot();
    while (isWord(this.peek(), 'and') || isOp(this.peek(), '&&')) {
      this.next();
      left = { type: 'binary', op: 'and', left, right: this.parseNot() };
    }
    return left;
  }
  parseOr(): CheckNode {
    let left = this.parseAnd();
    while (isWord(this.peek(), 'or') || isOp(this.peek(), '||')) {
      if (isOp(this.peek(), '||')) break;
      this.next();
      left = { type: 'binary', op: 'or', left, right: this.parseAnd() };
    }
    return left;
  }
}

/**
 * Parses a CHECK expression. Throws CheckParseError on text outside the grammar.
 *
 * @example
 * ```ts
 * parseCheck('`rating` >= 0 and `rating` <= 5', { backslashEscapes: true });
 * ```
 */
export function parseCheck(text: string, options: CheckParseOptions = {}): CheckNode {
  const parser = new CheckParser(tokenize(text, options));
  const root = parser.parseOr();
  if (parser.peek().kind !== 'end') throw new CheckParseError(`unexpected ${(parser.peek() as { text?: string }).text ?? 'token'} after the expression`);
  return root;
}
