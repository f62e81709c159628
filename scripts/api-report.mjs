#!/usr/bin/env node
// The API report: every public package's exports (name and kind, per entry point
// of its package.json `exports`), read from the TypeScript sources with the
// compiler API, written to api/<package>.api.md. An export is listed as internal
// when its `export` statement, its declaration or its module's leading comment
// carries `@internal`.
//
//   node scripts/api-report.mjs          write api/*.api.md (npm run api-report)
//   node scripts/api-report.mjs --check  fail when a report differs (npm run lint)
//   --root DIR                           another repository tree (the script's test)
import ts from 'typescript';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootArg = process.argv.indexOf('--root');
const root = rootArg >= 0 ? resolve(process.argv[rootArg + 1] ?? '.') : join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

/** Public packages and their entry points: `{ dir, name, entries: [{ subpath, file }] }`. */
function publicPackages() {
  const packages = [];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const manifestPath = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.private) continue;
    const entries = Object.entries(manifest.exports ?? {})
      .filter(([, target]) => typeof target === 'object' && target.types)
      .map(([subpath, target]) => ({
        subpath,
        file: join(root, 'packages', dir, target.types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')),
      }));
    packages.push({ dir, name: manifest.name, entries });
  }
  return packages;
}

function kindOf(symbol) {
  const f = symbol.flags;
  const kinds = [];
  if (f & ts.SymbolFlags.Function) kinds.push('function');
  if (f & ts.SymbolFlags.Class) kinds.push('class');
  if (f & ts.SymbolFlags.Enum) kinds.push('enum');
  if (f & ts.SymbolFlags.Variable) {
    const declaration = symbol.valueDeclaration;
    const isConst = declaration && ts.isVariableDeclaration(declaration) && (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0;
    kinds.push(isConst ? 'const' : 'let');
  }
  if (f & ts.SymbolFlags.Interface) kinds.push('interface');
  if (f & ts.SymbolFlags.TypeAlias) kinds.push('type');
  if (f & ts.SymbolFlags.Module) kinds.push('namespace');
  return kinds.join(' + ') || 'unknown';
}

const hasInternalTag = (node) => ts.getJSDocTags(node).some((tag) => tag.tagName.text === 'internal');

function exportsOf(program, checker, file) {
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`api-report: ${relative(root, file)} is not a TypeScript source (an entry of package.json "exports" must map to src/*.ts)`);
  // Names whose `export { … }` statement in the entry carries @internal.
  const internalHere = new Set();
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause) && hasInternalTag(statement)) {
      for (const element of statement.exportClause.elements) internalHere.add(element.name.text);
    }
  }
  // A module whose leading comment says @internal is internal as a whole (the worker encoders).
  const wholeModuleInternal = (ts.getLeadingCommentRanges(source.getFullText(), 0) ?? []).some((r) => /@internal\b/.test(source.getFullText().slice(r.pos, r.end)));
  const rows = [];
  for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(source))) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const internal =
      wholeModuleInternal || internalHere.has(exported.name) || (symbol.declarations ?? []).some((d) => hasInternalTag(d) || (ts.isVariableDeclaration(d) && hasInternalTag(d.parent.parent)));
    rows.push({ name: exported.name, kind: kindOf(symbol), internal });
  }
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function table(rows) {
  return ['| export | kind |', '|---|---|', ...rows.map((r) => `| \`${r.name}\` | ${r.kind} |`)].join('\n');
}

function report(pkg, program, checker) {
  const lines = [`# ${pkg.name}: API report`, '', '<!-- Written by `npm run api-report` (scripts/api-report.mjs); `npm run lint` fails when it differs from the sources. -->', ''];
  for (const entry of pkg.entries) {
    const rows = exportsOf(program, checker, entry.file);
    const specifier = entry.subpath === '.' ? pkg.name : `${pkg.name}/${entry.subpath.replace(/^\.\//, '')}`;
    const publicRows = rows.filter((r) => !r.internal);
    const internalRows = rows.filter((r) => r.internal);
    lines.push(`## \`${specifier}\``, '', `${publicRows.length} public, ${internalRows.length} internal.`, '');
    if (publicRows.length > 0) lines.push(table(publicRows), '');
    if (internalRows.length > 0) {
      lines.push('### `@internal` (for the other Understudy packages and their tests; not a stable API)', '', table(internalRows), '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

const packages = publicPackages();
const program = ts.createProgram(
  packages.flatMap((p) => p.entries.map((e) => e.file)),
  {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  },
);
const checker = program.getTypeChecker();
const apiDir = join(root, 'api');
const stale = [];
for (const pkg of packages) {
  const file = join(apiDir, `${pkg.dir}.api.md`);
  const text = report(pkg, program, checker);
  if (check) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) stale.push(relative(root, file));
  } else {
    mkdirSync(apiDir, { recursive: true });
    writeFileSync(file, text);
  }
}
const expected = new Set(packages.map((p) => `${p.dir}.api.md`));
const extra = existsSync(apiDir) ? readdirSync(apiDir).filter((f) => f.endsWith('.api.md') && !expected.has(f)) : [];
if (check) {
  for (const f of extra) stale.push(`api/${f} (no such public package)`);
  if (stale.length > 0) {
    process.stderr.write(
      `api report: the public API changed; ${stale.join(', ')} ${stale.length === 1 ? 'differs' : 'differ'} from the sources.\nRun \`npm run api-report\` and commit the api/ changes (review them: a new public export is a promise to users).\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`api report: ${packages.length} ${packages.length === 1 ? 'package matches' : 'packages match'} api/*.api.md\n`);
} else {
  process.stdout.write(`api report: wrote ${packages.map((p) => `api/${p.dir}.api.md`).join(', ')}\n`);
}
