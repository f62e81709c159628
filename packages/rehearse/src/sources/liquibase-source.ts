/**
 * Reads Liquibase formatted SQL: files starting `--liquibase formatted sql`, each holding
 * changesets (`--changeset author:id attributes`) with their `--rollback` lines. Every
 * changeset is a migration (`author:id`); its rollback is its down (`--rollback not
 * required` / `empty`: an empty down). As Liquibase runs them:
 *
 * - each changeset in a transaction; statement by statement with `runInTransaction:false`;
 * - statements split on `;` (and dollar quotes), on `endDelimiter:REGEX`, or not at all
 *   with `splitStatements:false`;
 * - `dbms:postgresql` / `dbms:mysql,mariadb` / `dbms:!h2` keep a changeset to those databases;
 * - `${name}` changelog parameters are filled from `--define name=VALUE`.
 *
 * Files are read in path order (what `includeAll` does), or in the order of the
 * `include`/`includeAll` entries of the folder's master changelog (`*.xml`, `*.yaml`)
 * when it has one. A `.sql` file without the header is one changeset, as `includeAll` makes it.
 *
 * @example
 * ```ts
 * const set = await readLiquibaseFolder(await openMigrationFolder('db/changelog'), { dialect: 'postgres' });
 * ```
 */
import type { Migration, MigrationDialect, MigrationScript, MigrationSet, MigrationStatement } from '../migration-model.js';
import { MIGRATION_SET_VERSION } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { chooseDialect } from '../migration-dialect.js';
import { buildStatements, buildWholeStatement, type StatementSource } from '../statement-builder.js';
import { compareText } from '../version-order.js';
import type { SourceOptions } from './source-options.js';
import { templateFor } from './source-options.js';

export const LIQUIBASE_HEADER = /^\s*--\s*liquibase\s+formatted\s+sql\b/i;
const CHANGESET = /^\s*--\s*changeset\s+("[^"]+"|[^:\s]+):\s*("[^"]+"|\S+)(.*)$/i;
const ROLLBACK = /^\s*--\s*rollback\b ?(.*)$/i;
const MASTER_CHANGELOG = /\.(xml|ya?ml|json)$/i;

/** Liquibase's names for a rehearsal dialect (`dbms:`). */
const DBMS_NAMES: Readonly<Record<MigrationDialect, readonly string[]>> = { postgres: ['postgresql'], mysql: ['mysql', 'mariadb'] };

export interface LiquibaseChangeset {
  readonly author: string;
  readonly id: string;
  readonly line: number;
  readonly attributes: Readonly<Record<string, string>>;
  /** The SQL lines, and the file line the body starts on. */
  readonly body: string;
  readonly bodyLine: number;
  /** `--rollback` text; `undefined` when the changeset has none. */
  readonly rollback: string | undefined;
  readonly rollbackLine: number;
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** `key:value` pairs after `author:id` (values run to the next space; `endDelimiter:\n/` kept raw). */
function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+):("[^"]*"|\S*)/g)) attributes[m[1]!] = unquote(m[2]!);
  return attributes;
}

/** Splits a formatted-SQL file into its changesets; `raw` files (no header) are one changeset. */
export function parseLiquibaseFile(text: string): LiquibaseChangeset[] {
  const lines = text.split('\n');
  if (!LIQUIBASE_HEADER.test(lines[0] ?? '')) {
    return [{ author: 'includeAll', id: 'raw', line: 1, attributes: {}, body: text, bodyLine: 1, rollback: undefined, rollbackLine: 1 }];
  }
  const changesets: LiquibaseChangeset[] = [];
  let current: { author: string; id: string; line: number; attributes: Record<string, string>; body: string[]; rollback: string[] | undefined; rollbackLine: number } | undefined;
  const close = (): void => {
    if (!current) return;
    changesets.push({ ...current, body: current.body.join('\n'), bodyLine: current.line + 1, rollback: current.rollback?.join('\n') });
  };
  for (const [index, line] of lines.entries()) {
    const changeset = CHANGESET.exec(line);
    if (changeset) {
      close();
      current = {
        author: unquote(changeset[1]!),
        id: unquote(changeset[2]!),
        line: index + 1,
        attributes: parseAttributes(changeset[3] ?? ''),
        body: [],
        rollback: undefined,
        rollbackLine: index + 1,
      };
      continue;
    }
    if (!current) continue;
    const rollback = ROLLBACK.exec(line);
    if (rollback) {
      if (current.rollback === undefined) current.rollbackLine = index + 1;
      (current.rollback ??= []).push(rollback[1]!);
      // Keep line numbers: a rollback line is a blank line of the body.
      current.body.push('');
      continue;
    }
    current.body.push(line);
  }
  close();
  return changesets;
}

/** Whether a changeset's `dbms:` lets it run on `dialect`. */
function runsOn(attributes: Readonly<Record<string, string>>, dialect: MigrationDialect): boolean {
  const dbms = attributes['dbms'];
  if (dbms === undefined || dbms === '') return true;
  const names = dbms.split(',').map((d) => d.trim().toLowerCase());
  if (names.includes('none')) return false;
  const ours = DBMS_NAMES[dialect];
  if (names.some((n) => n.startsWith('!') && ours.includes(n.slice(1)))) return false;
  const positive = names.filter((n) => !n.startsWith('!'));
  return positive.length === 0 || positive.includes('all') || positive.some((n) => ours.includes(n));
}

/** Statements of a changeset body (or rollback) as Liquibase splits them. */
function splitBody(body: string, attributes: Readonly<Record<string, string>>, source: StatementSource, split: 'splitStatements' | 'rollbackSplitStatements'): MigrationStatement[] {
  if (attributes[split]?.toLowerCase() === 'false') {
    const whole = buildWholeStatement(body, source);
    return whole ? [whole] : [];
  }
  const delimiter = attributes['endDelimiter'];
  if (delimiter === undefined || delimiter === ';') return buildStatements(body, source);
  const pattern = new RegExp(delimiter.replaceAll('\\n', '\n'), 'g');
  const out: MigrationStatement[] = [];
  let start = 0;
  const piece = (end: number): void => {
    const firstLine = source.firstLine + (body.slice(0, start).match(/\n/g)?.length ?? 0);
    const statement = buildWholeStatement(body.slice(start, end), { ...source, firstLine });
    if (statement) out.push(statement);
  };
  for (const m of body.matchAll(pattern)) {
    if (m[0].length === 0) break;
    piece(m.index);
    start = m.index + m[0].length;
  }
  piece(body.length);
  return out;
}

async function listSqlFiles(folder: MigrationFolder, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of dir === '' ? folder.entries : await folder.list(dir)) {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory) out.push(...(await listSqlFiles(folder, `${path}/`)));
    else if (entry.name.endsWith('.sql')) out.push(path);
  }
  return out;
}

/** The file order a master changelog's `include file` and `includeAll path` entries give. */
function includedOrder(master: string, files: readonly string[]): string[] {
  const order: string[] = [];
  const entries = /<include(All)?\s[^>]*?(?:file|path)\s*=\s*"([^"]+)"|-\s*include(All)?\s*:\s*\n\s*(?:file|path)\s*:\s*['"]?([^'"\s]+)/g;
  for (const m of master.matchAll(entries)) {
    const all = (m[1] ?? m[3]) !== undefined;
    const path = (m[2] ?? m[4]!).replace(/^\.\//, '');
    const matching = all ? files.filter((f) => f.startsWith(path.endsWith('/') ? path : `${path}/`)) : files.filter((f) => f === path);
    for (const f of matching) if (!order.includes(f)) order.push(f);
  }
  return order;
}

export async function readLiquibaseFolder(folder: MigrationFolder, options: SourceOptions): Promise<MigrationSet> {
  const problems: string[] = [];
  let files = (await listSqlFiles(folder, '')).sort(compareText);
  const masters = folder.entries.filter((e) => !e.isDirectory && MASTER_CHANGELOG.test(e.name));
  const withIncludes: Array<{ name: string; order: string[] }> = [];
  for (const m of masters) {
    const text = await folder.readText(m.name);
    if (/databaseChangeLog/.test(text)) withIncludes.push({ name: m.name, order: includedOrder(text, files) });
  }
  if (withIncludes.length === 1 && withIncludes[0]!.order.length > 0) {
    const { name, order } = withIncludes[0]!;
    for (const f of files) if (!order.includes(f)) problems.push(`${f} is not included by ${name}; Liquibase never runs it`);
    files = order;
  } else if (withIncludes.length > 1) {
    problems.push(`${withIncludes.map((m) => m.name).join(' and ')} are both master changelogs: the files are read in path order (as includeAll reads them)`);
  }

  const texts = new Map<string, string>();
  for (const f of files) texts.set(f, await folder.readText(f));
  const flavor = chooseDialect({ requested: options.dialect, texts: [...texts.values()] });
  const template = templateFor(options, ['dollar-brace']);

  const migrations: Migration[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    for (const c of parseLiquibaseFile(texts.get(file) ?? '')) {
      const id = `${c.author}:${c.id}`;
      if (!runsOn(c.attributes, flavor)) continue;
      if (seen.has(id)) problems.push(`duplicate changeset ${id}: ${seen.get(id)} and ${file}:${c.line}; Liquibase refuses the changelog`);
      seen.set(id, `${file}:${c.line}`);
      const transaction =
        c.attributes['runInTransaction']?.toLowerCase() === 'false'
          ? { transaction: 'none' as const }
          : { transaction: 'file' as const, transactionHint: `Liquibase runs each changeset in a transaction: add runInTransaction:false to the --changeset line at ${file}:${c.line}` };
      const up: MigrationScript = { file, statements: splitBody(c.body, c.attributes, { file, flavor, firstLine: c.bodyLine, problems, template }, 'splitStatements'), ...transaction };
      const rollback = c.rollback?.trim();
      const down: MigrationScript | undefined =
        rollback === undefined
          ? undefined
          : {
              file,
              statements: /^(not required|empty)$/i.test(rollback)
                ? []
                : splitBody(c.rollback!, c.attributes, { file, flavor, firstLine: c.rollbackLine, problems, template }, 'rollbackSplitStatements'),
              ...transaction,
            };
      migrations.push({ id, name: id, format: 'liquibase', repeatable: false, up, ...(down ? { down } : {}) });
    }
  }
  return { version: MIGRATION_SET_VERSION, format: 'liquibase', dir: folder.dir, dialect: flavor, migrations, problems };
}
