/**
 * A compiled stand-in for faker's `helpers.fake(pattern)`, installed on the one
 * Faker a worker binds to its address randomizer.
 *
 * Most of faker's locale-shaped methods (`person.lastName`, `location.street`,
 * `location.streetAddress`, `company.name`, `location.city`, …) fill a
 * definitions pattern such as `{{location.buildingNumber}} {{location.street}}`
 * through `fake()`, which parses the pattern and resolves each expression by
 * walking the faker instance and the locale data on every call: 2–9 µs a value.
 * Here each pattern is parsed once and each expression resolved once, to a
 * faker method (called as before) or to a list of the locale's data (picked
 * from); a value then costs a few picks. The patterns, the locale data and
 * faker's methods are faker's own, so the values are the same kind of values,
 * with the same shares; only the order of random draws differs. Expressions
 * with arguments (`{{number.int(9)}}`) go to faker's own `fake()`.
 *
 * @example
 * ```ts
 * installCompiledFake(faker, (n) => rnd.index(n));
 * faker.location.streetAddress(); // '40277 Daniel Parkway', without re-parsing the pattern
 * ```
 */
import type { Faker } from '@faker-js/faker';

type Resolve = () => string;

const MAX_TEMPLATES = 10_000;
const PLAIN_EXPRESSION = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Replaces `faker.helpers.fake` with the compiled version (see the module comment).
 * `pickIndex(n)` draws an index in [0, n) from the current address's stream.
 */
export function installCompiledFake(faker: Faker, pickIndex: (length: number) => number): void {
  const helpers = faker.helpers as { fake: (pattern: string | readonly string[]) => string };
  const original = helpers.fake;
  const templates = new Map<string, Resolve>();
  const expressions = new Map<string, Resolve>();

  const fallback =
    (expression: string): Resolve =>
    () =>
      original(`{{${expression}}}`);

  function resolverOf(expression: string): Resolve {
    let resolve = expressions.get(expression);
    if (resolve) return resolve;
    resolve = compileExpression(expression);
    expressions.set(expression, resolve);
    return resolve;
  }

  function compileExpression(expression: string): Resolve {
    if (!PLAIN_EXPRESSION.test(expression)) return fallback(expression);
    const parts = expression.split('.');
    // faker's own entry point first: a method of a module (`location.buildingNumber`).
    let node: unknown = faker;
    for (let i = 0; i < parts.length - 1 && isRecord(node); i++) node = node[parts[i]!];
    const method = isRecord(node) ? node[parts[parts.length - 1]!] : undefined;
    if (typeof method === 'function') {
      const call = method as () => unknown;
      return () => String(call());
    }
    if (method !== undefined && method !== null) return fallback(expression);
    // Then the locale's data (`person.last_name.generic`): a list to pick from, or one value.
    let data: unknown = faker.rawDefinitions;
    for (const part of parts) data = isRecord(data) ? data[part] : undefined;
    if (Array.isArray(data) && data.length > 0 && data.every((x) => typeof x === 'string')) {
      const items = data as readonly string[];
      if (items.length === 1) return () => items[0]!;
      return () => items[pickIndex(items.length)]!;
    }
    if (typeof data === 'string') return () => data;
    return fallback(expression);
  }

  function compileTemplate(pattern: string): Resolve {
    const literals: string[] = [];
    const resolvers: Resolve[] = [];
    let at = 0;
    for (;;) {
      const open = pattern.slice(at).search(/{{[a-z]/);
      if (open < 0) break;
      const start = at + open;
      const end = pattern.indexOf('}}', start);
      if (end < 0) break;
      literals.push(pattern.slice(at, start));
      resolvers.push(resolverOf(pattern.slice(start + 2, end)));
      at = end + 2;
    }
    const tail = pattern.slice(at);
    if (resolvers.length === 0) return () => pattern;
    const expand = (value: string): string => (value.includes('{{') ? fake(value) : value);
    if (resolvers.length === 1) {
      const [head, only] = [literals[0]!, resolvers[0]!];
      return () => head + expand(only()) + tail;
    }
    return () => {
      let out = literals[0]! + expand(resolvers[0]!());
      for (let k = 1; k < resolvers.length; k++) out += literals[k]! + expand(resolvers[k]!());
      return out + tail;
    };
  }

  function fake(pattern: string | readonly string[]): string {
    if (typeof pattern !== 'string' && pattern.length === 0) return original(pattern); // faker's own error
    const text = typeof pattern === 'string' ? pattern : pattern[pickIndex(pattern.length)]!;
    let template = templates.get(text);
    if (!template) {
      template = compileTemplate(text);
      // Patterns come from the locale and from config: a few hundred. Past that (patterns built at run time), compile and forget.
      if (templates.size < MAX_TEMPLATES) templates.set(text, template);
    }
    return template();
  }

  helpers.fake = fake;
}
