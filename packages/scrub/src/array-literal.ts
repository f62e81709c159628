/**
 * PostgreSQL array literals (`{a,"b c",NULL,{1,2}}`, with an optional `[1:2]=` bound
 * prefix) read into elements and written back, so a transform applies to each element of an
 * array column rather than to the literal's text.
 *
 * @example
 * ```ts
 * mapArrayLiteral('{ann@example.org,NULL,"b c"}', (v) => v.toUpperCase()); // '{ANN@EXAMPLE.ORG,NULL,"B C"}'
 * ```
 */
import { UsageError } from '@understudy/core';

type Element = string | null | Element[];

/** The literal's elements (nested arrays as arrays), and the bound prefix it had. */
export function parseArrayLiteral(text: string): { prefix: string; elements: Element[] } {
  let i = 0;
  const fail = (): never => {
    throw new UsageError(`an array value is not a PostgreSQL array literal (at character ${i + 1})`);
  };
  let prefix = '';
  if (text.startsWith('[')) {
    const eq = text.indexOf('=');
    if (eq < 0) fail();
    prefix = text.slice(0, eq + 1);
    i = eq + 1;
  }
  const skipSpace = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const parseArray = (): Element[] => {
    skipSpace();
    if (text[i] !== '{') fail();
    i++;
    const out: Element[] = [];
    skipSpace();
    if (text[i] === '}') return (i++, out);
    for (;;) {
      skipSpace();
      out.push(parseElement());
      skipSpace();
      if (text[i] === ',') i++;
      else if (text[i] === '}') return (i++, out);
      else fail();
    }
  };
  const parseElement = (): Element => {
    if (text[i] === '{') return parseArray();
    if (text[i] === '"') {
      i++;
      let s = '';
      while (i < text.length && text[i] !== '"') ((s += text[i] === '\\' ? text[++i]! : text[i]!), i++);
      if (text[i] !== '"') fail();
      i++;
      return s;
    }
    let s = '';
    let escaped = false;
    while (i < text.length && text[i] !== ',' && text[i] !== '}') {
      if (text[i] === '\\') ((escaped = true), i++);
      s += text[i]!;
      i++;
    }
    const trimmed = s.trim();
    return !escaped && trimmed.toUpperCase() === 'NULL' ? null : trimmed;
  };
  const elements = parseArray();
  skipSpace();
  if (i !== text.length) fail();
  return { prefix, elements };
}

function quoted(s: string): string {
  return s === '' || /[{}",\\\s]/.test(s) || s.toUpperCase() === 'NULL' ? `"${s.replace(/["\\]/g, '\\$&')}"` : s;
}

function write(elements: readonly Element[]): string {
  return `{${elements.map((e) => (e === null ? 'NULL' : Array.isArray(e) ? write(e) : quoted(e))).join(',')}}`;
}

/** The literal with `f` applied to each non-NULL element (a NULL result is written as NULL). */
export function mapArrayLiteral(text: string, f: (element: string) => string | null): string {
  const { prefix, elements } = parseArrayLiteral(text);
  const map = (list: readonly Element[]): Element[] => list.map((e) => (e === null ? null : Array.isArray(e) ? map(e) : f(e)));
  return prefix + write(map(elements));
}
