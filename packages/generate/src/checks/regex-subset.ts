/**
 * A subset of regular expressions that Understudy can generate matching strings
 * for: literals, `.`, character classes (`[A-Z0-9_-]`, `[^…]`, `[[:alpha:]]`,
 * `\d \w \s`), groups with alternation, and quantifiers `? * + {n} {n,} {n,m}`,
 * with `^`/`$` only at the ends. An alternative holding a look-around is left out
 * (`(?:[a-z0-9]|-(?=[a-z0-9]))*`, a slug or user name with no trailing or doubled
 * dash, generates `[a-z0-9]*`): what the rest matches, the whole pattern matches
 * too. A look-around no alternative can leave out, back-references and anchors in
 * the middle are refused (the CHECK is then reported as uninterpreted).
 *
 * A generated string matches the whole pattern, so it also satisfies an
 * unanchored search (`x ~ 'abc'`).
 *
 * @example
 * ```ts
 * const re = parseRegex('^[A-Z]{3}-\\d{2,4}$');
 * generateFromRegex(re, rnd, { maxLength: 8 }); // 'QZK-0417'
 * ```
 */
import type { AddressRandom } from '../random/address-random.js';

export type RegexNode =
  | { readonly type: 'chars'; readonly chars: string }
  | { readonly type: 'group'; readonly alternatives: readonly RegexNode[][] }
  | { readonly type: 'repeat'; readonly node: RegexNode; readonly min: number; readonly max: number };

export interface ParsedRegex {
  readonly source: string;
  readonly nodes: readonly RegexNode[];
}

/**
 * Thrown by `parseRegex` for a pattern outside the supported subset.
 *
 * @example
 * ```ts
 * try { parseRegex('(?=x)'); } catch (e) { e instanceof RegexSubsetError; // true }
 * ```
 */
export class RegexSubsetError extends Error {}

function range(from: number, to: number): string {
  let s = '';
  for (let c = from; c <= to; c++) s += String.fromCharCode(c);
  return s;
}

const UPPER = range(65, 90);
const LOWER = range(97, 122);
const DIGITS = range(48, 57);
const PRINTABLE = range(32, 126);
const WORD = `${UPPER}${LOWER}${DIGITS}_`;
/** What `.` generates: any character would do; letters and digits read better. */
const DOT = `${UPPER}${LOWER}${DIGITS}`;

const POSIX: Record<string, string> = {
  alpha: UPPER + LOWER,
  digit: DIGITS,
  alnum: UPPER + LOWER + DIGITS,
  upper: UPPER,
  lower: LOWER,
  space: ' ',
  blank: ' ',
  punct: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  xdigit: `${DIGITS}ABCDEFabcdef`,
  word: WORD,
  print: PRINTABLE,
  graph: range(33, 126),
};

function complement(chars: string): string {
  let s = '';
  for (const c of PRINTABLE) if (!chars.includes(c)) s += c;
  return s;
}

function unique(chars: string): string {
  return [...new Set(chars)].join('');
}

/** A recursive-descent parser of the regex subset: the position in the source, one method per construct. */
class RegexParser {
  i = 0;
  constructor(readonly src: string) {}

  escape(inClass: boolean): string {
    const c = this.src[this.i++];
    if (c === undefined) throw new RegexSubsetError('pattern ends with a backslash');
    switch (c) {
      case 'd':
        return DIGITS;
      case 'D':
        return complement(DIGITS);
      case 'w':
        return WORD;
      case 'W':
        return complement(WORD);
      case 's':
        return ' ';
      case 'S':
        return complement(' \t');
      case 't':
        return '\t';
      case 'n':
        return '\n';
      default:
        if (/[0-9]/.test(c) && !inClass) throw new RegexSubsetError(`back-reference \\${c} is not supported`);
        if (/[A-Za-z]/.test(c)) throw new RegexSubsetError(`escape \\${c} is not supported`);
        return c;
    }
  }

  parseClass(): string {
    // at char after '['
    let negate = false;
    if (this.src[this.i] === '^') {
      negate = true;
      this.i++;
    }
    let chars = '';
    let first = true;
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) throw new RegexSubsetError('unterminated character class');
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === '[' && this.src[this.i + 1] === ':') {
        const end = this.src.indexOf(':]', this.i + 2);
        if (end < 0) throw new RegexSubsetError('unterminated POSIX class');
        const name = this.src.slice(this.i + 2, end);
        const set = POSIX[name];
        if (set === undefined) throw new RegexSubsetError(`POSIX class [:${name}:] is not supported`);
        chars += set;
        this.i = end + 2;
        continue;
      }
      let from: string;
      if (c === '\\') {
        this.i++;
        const e = this.escape(true);
        if (e.length > 1) {
          chars += e;
          continue;
        }
        from = e;
      } else {
        from = c;
        this.i++;
      }
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== undefined && this.src[this.i + 1] !== ']') {
        this.i++;
        let to = this.src[this.i++]!;
        if (to === '\\') to = this.escape(true);
        if (to.length !== 1 || to.charCodeAt(0) < from.charCodeAt(0)) throw new RegexSubsetError(`bad range ${from}-${to}`);
        chars += range(from.charCodeAt(0), to.charCodeAt(0));
      } else {
        chars += from;
      }
    }
    const set = unique(chars);
    const result = negate ? complement(set) : set;
    if (result.length === 0) throw new RegexSubsetError('empty character class');
    return result;
  }

  parseQuantifier(node: RegexNode): RegexNode {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*') {
      min = 0;
      max = Infinity;
      this.i++;
    } else if (c === '+') {
      min = 1;
      max = Infinity;
      this.i++;
    } else if (c === '?') {
      min = 0;
      max = 1;
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return node;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) throw new RegexSubsetError(`bad quantifier ${m[0]}`);
      this.i += m[0].length;
    } else {
      return node;
    }
    if (this.src[this.i] === '?' || this.src[this.i] === '+') this.i++; // lazy / possessive: same language
    return this.parseQuantifier({ type: 'repeat', node, min, max });
  }

  /**
   * The alternatives of a sequence, without those that hold a look-around (or a group every
   * alternative of which does): each kept one matches only strings the whole pattern matches.
   */
  parseSequence(depth: number): RegexNode[][] {
    const alternatives: RegexNode[][] = [[]];
    const dropped = new Set<number>();
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) break;
      if (c === ')') {
        if (depth === 0) throw new RegexSubsetError('unbalanced )');
        break;
      }
      if (c === '|') {
        this.i++;
        alternatives.push([]);
        continue;
      }
      let node: RegexNode;
      if (c === '^') {
        if (this.i !== 0) throw new RegexSubsetError('^ is only supported at the start');
        this.i++;
        continue;
      } else if (c === '$') {
        if (this.i !== this.src.length - 1) throw new RegexSubsetError('$ is only supported at the end');
        this.i++;
        continue;
      } else if (c === '(') {
        this.i++;
        const around = /^\?<?[=!]/.exec(this.src.slice(this.i));
        if (around) this.i += around[0].length;
        else if (this.src[this.i] === '?') {
          if (this.src[this.i + 1] === ':') this.i += 2;
          else throw new RegexSubsetError('group flags are not supported');
        }
        const inner = this.parseSequence(depth + 1);
        if (this.src[this.i] !== ')') throw new RegexSubsetError('unbalanced (');
        this.i++;
        if (around || inner.length === 0) {
          // A look-around, or a group whose every alternative held one: what follows may repeat it zero times.
          const repeated = this.parseQuantifier({ type: 'chars', chars: 'x' });
          if (repeated.type !== 'repeat' || nodeMin(repeated) > 0 || around) dropped.add(alternatives.length - 1);
          continue;
        }
        node = { type: 'group', alternatives: inner };
      } else if (c === '[') {
        this.i++;
        node = { type: 'chars', chars: this.parseClass() };
      } else if (c === '\\') {
        this.i++;
        node = { type: 'chars', chars: this.escape(false) };
      } else if (c === '.') {
        this.i++;
        node = { type: 'chars', chars: DOT };
      } else if ('*+?{'.includes(c) && !(c === '{' && !/^\{\d/.test(this.src.slice(this.i)))) {
        throw new RegexSubsetError(`quantifier ${c} has nothing to repeat`);
      } else {
        this.i++;
        node = { type: 'chars', chars: c };
      }
      alternatives[alternatives.length - 1]!.push(this.parseQuantifier(node));
    }
    return alternatives.filter((_, i) => !dropped.has(i));
  }
}

/**
 * Parses `source`; throws RegexSubsetError naming what is outside the subset.
 *
 * @example
 * ```ts
 * regexLengthBounds(parseRegex('^[A-Z]{2,3}$')); // { min: 2, max: 3 }
 * ```
 */
export function parseRegex(source: string): ParsedRegex {
  const parser = new RegexParser(source);
  const top = parser.parseSequence(0);
  if (parser.i < source.length) throw new RegexSubsetError(`unexpected ${source[parser.i]}`);
  if (top.length === 0) throw new RegexSubsetError('look-arounds are not supported where no alternative can leave them out');
  const nodes: RegexNode[] = top.length === 1 ? top[0]! : [{ type: 'group', alternatives: top }];
  return { source, nodes };
}

function nodeMin(node: RegexNode): number {
  if (node.type === 'chars') return 1;
  if (node.type === 'repeat') return node.min * nodeMin(node.node);
  return Math.min(...node.alternatives.map(seqMin));
}

function nodeMax(node: RegexNode): number {
  if (node.type === 'chars') return 1;
  if (node.type === 'repeat') return node.max === 0 ? 0 : node.max * nodeMax(node.node);
  return Math.max(...node.alternatives.map(seqMax));
}

function seqMin(nodes: readonly RegexNode[]): number {
  return nodes.reduce((n, node) => n + nodeMin(node), 0);
}

function seqMax(nodes: readonly RegexNode[]): number {
  return nodes.reduce((n, node) => n + nodeMax(node), 0);
}

/** The shortest and longest strings the pattern matches (longest may be Infinity). */
export function regexLengthBounds(regex: ParsedRegex): { min: number; max: number } {
  return { min: seqMin(regex.nodes), max: seqMax(regex.nodes) };
}

/** How many extra repetitions an unbounded quantifier takes at most. */
const OPEN_EXTRA = 6;

function generateNodes(nodes: readonly RegexNode[], rnd: AddressRandom, minimal: boolean): string {
  let out = '';
  for (const node of nodes) out += generateNode(node, rnd, minimal);
  return out;
}

function generateNode(node: RegexNode, rnd: AddressRandom, minimal: boolean): string {
  if (node.type === 'chars') return node.chars.length === 1 ? node.chars : node.chars[rnd.index(node.chars.length)]!;
  if (node.type === 'group') {
    if (minimal) {
      let best = node.alternatives[0]!;
      for (const alt of node.alternatives) if (seqMin(alt) < seqMin(best)) best = alt;
      return generateNodes(best, rnd, true);
    }
    return generateNodes(node.alternatives[rnd.index(node.alternatives.length)]!, rnd, false);
  }
  const max = node.max === Infinity ? node.min + OPEN_EXTRA : node.max;
  const count = minimal ? node.min : rnd.int(node.min, max);
  let out = '';
  for (let k = 0; k < count; k++) out += generateNode(node.node, rnd, minimal);
  return out;
}

/**
 * A string matching `regex` whose length lies in [minLength, maxLength] when
 * possible (a few draws, then the shortest match; padding by repeating the last
 * open quantifier is not attempted).
 *
 * @example
 * ```ts
 * generateFromRegex(parseRegex('^\\d{3}$'), rnd.at(0)); // '417'
 * ```
 */
export function generateFromRegex(regex: ParsedRegex, rnd: AddressRandom, bounds: { minLength?: number; maxLength?: number } = {}): string {
  const min = bounds.minLength ?? 0;
  const max = bounds.maxLength ?? Infinity;
  let last = '';
  for (let attempt = 0; attempt < 8; attempt++) {
    last = generateNodes(regex.nodes, rnd, false);
    if (last.length >= min && last.length <= max) return last;
  }
  const shortest = generateNodes(regex.nodes, rnd, true);
  return shortest.length <= max ? shortest : last;
}

/** The shortest alternative of a group (the first of the shortest). */
function shortestAlternative(alternatives: readonly RegexNode[][]): RegexNode[] {
  let best = alternatives[0]!;
  for (const alt of alternatives) if (seqMin(alt) < seqMin(best)) best = alt;
  return best;
}

/**
 * A node of one width, `nodeMin(node)`, matching only strings the node matches: a repeat at its
 * fewest repetitions, a group of one-character alternatives as one set, another group as its
 * shortest alternative; undefined when that width is 0 (`[_]?` in `([_]?[a-z0-9])+`).
 */
function fixedWidth(node: RegexNode): RegexNode | undefined {
  if (node.type === 'chars') return node;
  if (node.type === 'repeat') {
    const inner = node.min === 0 ? undefined : fixedWidth(node.node);
    return inner ? { type: 'repeat', node: inner, min: node.min, max: node.min } : undefined;
  }
  if (node.alternatives.every((alt) => alt.length === 1 && alt[0]!.type === 'chars')) {
    const chars = [...new Set(node.alternatives.map((alt) => (alt[0] as { chars: string }).chars).join(''))].join('');
    return { type: 'chars', chars };
  }
  const alt = shortestAlternative(node.alternatives)
    .map(fixedWidth)
    .filter((n): n is RegexNode => n !== undefined);
  return alt.length === 0 ? undefined : { type: 'group', alternatives: [alt] };
}

/**
 * The fixed layout used to enumerate distinct matches (for UNIQUE columns): a
 * list of character sets, one per position. Open quantifiers are expanded to
 * fill `maxLength` (or min + 6 when there is none). A part of several shapes
 * is enumerated in one of them, every string still a match: alternatives of
 * one character as one set, other alternatives as the shortest, a repeated
 * part of several widths at its shortest (a user name `^[a-zA-Z]([_]?[a-zA-Z0-9])+$`
 * enumerates `[a-zA-Z][a-zA-Z0-9]…`, without the optional underscore).
 */
export function enumerationLayout(regex: ParsedRegex, maxLength?: number): string[] | undefined {
  const sets: string[] = [];
  const fixed = seqMin(regex.nodes);
  let spare = maxLength === undefined ? OPEN_EXTRA : Math.max(0, maxLength - fixed);
  const walk = (nodes: readonly RegexNode[]): boolean => {
    for (const node of nodes) {
      if (node.type === 'chars') sets.push(node.chars);
      else if (node.type === 'group') {
        const one = node.alternatives.length === 1 ? node : fixedWidth(node);
        if (one === undefined) continue;
        if (one.type !== 'group') sets.push((one as { chars: string }).chars);
        else if (!walk(one.alternatives[0]!)) return false;
      } else {
        const part = nodeMin(node.node) === nodeMax(node.node) ? node.node : fixedWidth(node.node);
        if (part === undefined) continue;
        const unit = nodeMin(part);
        if (unit === 0) continue;
        let count = node.min;
        const room = Math.min(node.max - node.min, Math.floor(spare / unit));
        count += room;
        spare -= room * unit;
        for (let k = 0; k < count; k++) if (!walk([part])) return false;
      }
    }
    return true;
  };
  // Distinct under case-insensitive collations too: keep one case of each letter a set offers in both.
  return walk(regex.nodes) ? sets.map(foldCase) : undefined;
}

function foldCase(set: string): string {
  let out = '';
  for (const c of set) {
    const lower = c.toLowerCase();
    if (c !== lower && set.includes(lower)) continue;
    out += c;
  }
  return out;
}

/** The number of distinct strings of a layout (capped at 2^52). */
export function layoutCapacity(layout: readonly string[]): number {
  let n = 1;
  for (const set of layout) {
    n *= set.length;
    if (n > 2 ** 52) return 2 ** 52;
  }
  return n;
}

/** The `index`-th string of a layout (mixed radix, last position fastest). */
export function stringAtIndex(layout: readonly string[], index: number): string {
  const chars: string[] = new Array<string>(layout.length);
  let x = index;
  for (let p = layout.length - 1; p >= 0; p--) {
    const set = layout[p]!;
    const digit = x % set.length;
    x = Math.floor(x / set.length);
    chars[p] = set[digit]!;
  }
  return chars.join('');
}

function nodesSource(nodes: readonly RegexNode[]): string {
  return nodes.map(nodeSource).join('');
}

function nodeSource(node: RegexNode): string {
  if (node.type === 'chars') return `[${[...node.chars].map((c) => `\\u{${c.codePointAt(0)!.toString(16)}}`).join('')}]`;
  if (node.type === 'group') return `(?:${node.alternatives.map(nodesSource).join('|')})`;
  return `(?:${nodeSource(node.node)}){${node.min},${node.max === Infinity ? '' : node.max}}`;
}

/**
 * A test of whether a string matches the pattern as its CHECK reads it: the whole string when the
 * pattern is anchored at both ends, else a search (`x ~ '[^@]+@[^@]+'`). It matches the parsed subset
 * (each `.` and negated class as the characters the subset generates), so it never accepts a string
 * the CHECK refuses; it may refuse a few the CHECK takes.
 *
 * @example
 * ```ts
 * regexMatcher(parseRegex('^https?://[^/]+'))('https://example.com/a'); // true
 * ```
 */
export function regexMatcher(regex: ParsedRegex, caseInsensitive = false): (value: string) => boolean {
  const start = regex.source.startsWith('^') ? '^' : '';
  const end = /(^|[^\\])(\\\\)*\$$/.test(regex.source) ? '$' : '';
  const re = new RegExp(`${start}${nodesSource(regex.nodes)}${end}`, caseInsensitive ? 'iu' : 'u');
  return (value) => re.test(value);
}
