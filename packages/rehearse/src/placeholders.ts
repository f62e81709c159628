/**
 * Template placeholders that a migration tool (or a project's own runner) fills in
 * before it sends a file: pop/popx's Go templates (`{{ index .Options "Namespace" }}`),
 * Flyway's, Liquibase's and goose ENVSUB's `${name}`, `%TABLE_PREFIX%`-style
 * markers, and River's comment markers (`CREATE TABLE /` + `* TEMPLATE: schema *` + `/river_job`),
 * which River fills with the schema and a dot, or with nothing when no schema is configured (so
 * does Understudy without a `--define`, with a note). `--define NAME=VALUE` gives their values; a placeholder without one is a
 * `UsageError` naming the file, the line and the `--define` to pass, because running
 * the file with the marker left in would fail for a reason production never sees.
 *
 * Which syntaxes a file can hold depends on its tool (a golang-migrate file's
 * `'Hi {{.UserName}}'` is a string, not a template), so readers say which apply.
 *
 * @example
 * ```ts
 * const templates = new Templates({ Namespace: 'auth' });
 * templates.fill('CREATE TABLE {{ index .Options "Namespace" }}.users ();', { file: '00_init.up.sql', firstLine: 1, syntaxes: ['go-template'] });
 * // 'CREATE TABLE auth.users ();'
 * templates.check('migrations'); // throws a UsageError naming migrations/file:line if a placeholder had no value
 * ```
 */
import { join } from 'node:path';
import { UsageError } from '@understudy/core';

/**
 * `go-template`: `{{ … }}` anywhere (pop and popx render every SQL file as a Go template);
 * `dollar-brace`: `${name}` anywhere (Flyway, Liquibase, goose `ENVSUB ON`);
 * `percent`: `%NAME%` outside strings and comments (hand-rolled runners: osTicket's `%TABLE_PREFIX%`);
 * `comment-marker`: a comment `TEMPLATE: name` anywhere, strings included (River's migrations).
 */
export type PlaceholderSyntax = 'go-template' | 'dollar-brace' | 'percent' | 'comment-marker';

export interface FillSource {
  readonly file: string;
  /** The file line `text` starts on. */
  readonly firstLine: number;
  readonly syntaxes: readonly PlaceholderSyntax[];
}

interface Unfilled {
  readonly name: string;
  /** As written in the file. */
  readonly raw: string;
  readonly file: string;
  readonly line: number;
  /** A Go template action Understudy does not evaluate (`{{ if … }}`): no --define helps. */
  readonly unsupported?: boolean;
}

/** The name a Go template action reads: `index .Options "X"`, `.X`, `.Options.X`, `.Parameters.X`; `undefined` for logic. */
function goTemplateName(action: string): string | undefined {
  const body = action.replace(/^\{\{-?\s*/, '').replace(/\s*-?\}\}$/, '');
  const indexed = /^index\s+\.(?:\w+(?:\.\w+)*)?\s+"([^"]+)"$/.exec(body);
  if (indexed) return indexed[1];
  const field = /^\.(?:\w+\.)*(\w+)$/.exec(body);
  return field?.[1];
}

/** `%NAME%` outside quoted strings, comments and dollar-quoted bodies (identifiers in "…" or `…` count). */
const PERCENT_SCAN = /'(?:[^'\\]|\\.|'')*'|--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/|\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$|%([A-Za-z_]\w*)%/g;
const DOLLAR_BRACE = /\$\{([A-Za-z_][\w.:-]*)\}/g;
const GO_ACTION = /\{\{[\s\S]*?\}\}/g;
const COMMENT_MARKER = /\/\*\s*TEMPLATE:\s*([A-Za-z_]\w*)\s*\*\//g;

function lineAt(text: string, index: number, firstLine: number): number {
  let line = firstLine;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Substitutes placeholders with `--define` values and remembers those that had none. */
export class Templates {
  readonly #defines: ReadonlyMap<string, string>;
  readonly #used = new Set<string>();
  readonly #unfilled: Unfilled[] = [];
  /** Comment markers filled with nothing (no `--define`), by name: the first file:line. */
  readonly #emptied = new Map<string, string>();

  constructor(defines: Readonly<Record<string, string>> = {}) {
    this.#defines = new Map(Object.entries(defines));
  }

  /** `text` with every placeholder of `source.syntaxes` that has a value substituted. */
  fill(text: string, source: FillSource): string {
    let out = text;
    for (const syntax of source.syntaxes) out = this.#fillSyntax(out, syntax, source);
    return out;
  }

  #value(name: string, raw: string, at: number, text: string, source: FillSource, unsupported = false): string {
    const value = unsupported ? undefined : this.#defines.get(name);
    if (value !== undefined) {
      this.#used.add(name);
      return value;
    }
    this.#unfilled.push({ name, raw, file: source.file, line: lineAt(text, at, source.firstLine), ...(unsupported ? { unsupported } : {}) });
    return raw;
  }

  #fillSyntax(text: string, syntax: PlaceholderSyntax, source: FillSource): string {
    switch (syntax) {
      case 'go-template':
        return text.replace(GO_ACTION, (raw: string, at: number) => {
          const name = goTemplateName(raw);
          return this.#value(name ?? raw, raw, at, text, source, name === undefined);
        });
      case 'dollar-brace':
        return text.replace(DOLLAR_BRACE, (raw: string, name: string, at: number) => this.#value(name, raw, at, text, source));
      case 'percent':
        return text.replace(PERCENT_SCAN, (raw: string, _tag: string | undefined, name: string | undefined, at: number) => (name === undefined ? raw : this.#value(name, raw, at, text, source)));
      case 'comment-marker':
        return text.replace(COMMENT_MARKER, (_raw: string, name: string, at: number) => {
          const value = this.#defines.get(name);
          if (value !== undefined) {
            this.#used.add(name);
            return value;
          }
          if (!this.#emptied.has(name)) this.#emptied.set(name, `${source.file}:${lineAt(text, at, source.firstLine)}`);
          return '';
        });
    }
  }

  /** Notes for the comment markers filled with nothing, as River fills them when no schema is configured. */
  emptied(): string[] {
    return [...this.#emptied].map(
      ([name, at]) =>
        `/* TEMPLATE: ${name} */ (first at ${at}) filled with nothing, as River's migrator fills it when no ${name} is configured; --define ${name}=VALUE fills it with VALUE (River's ${name} marker takes the name and a dot: --define ${name}=NAME.)`,
    );
  }

  /** `--define` names no file used, for a note. */
  unused(): string[] {
    return [...this.#defines.keys()].filter((name) => !this.#used.has(name));
  }

  /**
   * @param dir the migration folder, to name files by a path a user can open (`db/migrations/001_a.sql:3`).
   * @throws UsageError listing each placeholder without a value (its first file:line) and the
   * `--define` flags to pass, or the Go template logic Understudy does not evaluate.
   */
  check(dir?: string): void {
    const path = (file: string): string => (dir === undefined ? file : join(dir, file));
    const logic = this.#unfilled.find((u) => u.unsupported);
    if (logic) {
      throw new UsageError(`${path(logic.file)}:${logic.line} uses the template action ${logic.raw}, which Understudy does not evaluate`, {
        hint: 'Only value placeholders ({{ index .Options "Name" }}, {{ .Name }}) can be given with --define. Render the templates first, or rehearse with --command running your tool.',
      });
    }
    if (this.#unfilled.length === 0) return;
    const first = new Map<string, Unfilled>();
    for (const u of this.#unfilled) if (!first.has(u.name)) first.set(u.name, u);
    const names = [...first.values()];
    const where = names.map((u) => `${u.raw} at ${path(u.file)}:${u.line}`).join(', ');
    throw new UsageError(`${names.length === 1 ? 'a template placeholder has' : `${names.length} template placeholders have`} no value: ${where}`, {
      hint: `Pass ${names.map((u) => `--define ${u.name}=VALUE`).join(' ')} (the value your migration tool fills in).`,
    });
  }
}
