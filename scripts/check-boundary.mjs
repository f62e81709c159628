#!/usr/bin/env node
// The dialect boundary (DESIGN.md: "code outside a dialect package never branches on which
// engine it talks to"), checked: no engine-name literal in the source of a package that is
// not a dialect package. Run by `npm run lint` (and so by .ci/run).
//
// An engine-name literal is a string (or a template without substitutions) that is exactly a
// dialect's name, alias or URL scheme (any case), a key of an object literal (a lookup table
// by engine) or an enum member named so, or a
// regular expression that mentions one as a word. The names are read from the registry
// (packages/core/src/dialect-registry.ts), the one place outside the dialect packages that may
// spell them. Comments are not code and are not read.
//
//   node scripts/check-boundary.mjs [--root DIR]     exit 0: none found; 1: found (listed)
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Packages that own an engine: they may name it. */
const DIALECT_PACKAGES = ['postgres', 'mysql'];

const REGISTRY = 'packages/core/src/dialect-registry.ts';

/** Files outside the dialect packages that may name engines, and why. Keep it short. */
const ALLOWED = {
  [REGISTRY]: 'the registry: where names, aliases and URL schemes are spelled once',
  'packages/cli/src/dialects.ts': 'wires each registry entry to the package that implements it (a map typed by DialectName, so a dialect without a package does not compile)',
  'packages/rehearse/src/sources/popx-source.ts': "pop's own vocabulary of file suffixes (postgres, cockroach, mysql, mariadb, sqlite3, mssql), matched as pop matches them",
  'packages/rehearse/src/sources/liquibase-source.ts': "Liquibase's own dbms names (postgresql, mysql, mariadb), matched as Liquibase matches them",
};

/**
 * Whole packages left out, and why: `drizzle` reads drizzle's own per-engine modules
 * (pg-core, mysql-core) and drizzle-kit's `dialect: 'postgresql'`: drizzle's dialect split,
 * not Understudy's.
 */
const OTHER_PACKAGES = { drizzle: "drizzle's own per-engine modules (pg-core, mysql-core) and drizzle-kit's dialect names" };

/** Tests and their fixtures name the dialect they build. */
const isTestFile = (path) => /\.test\.ts$/.test(path) || /(^|\/)test-[^/]*\.ts$/.test(path) || /\/test-support\//.test(path) || /\/testing\.ts$/.test(path);

function parse(path, text) {
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** Names, aliases and URL schemes from the registry's object literals. */
export function registryNames(root) {
  const file = join(root, REGISTRY);
  const source = parse(file, readFileSync(file, 'utf8'));
  const names = new Set();
  const visit = (node) => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && ['name', 'aliases', 'urlSchemes'].includes(node.name.text)) {
      const add = (n) => (ts.isStringLiteral(n) ? names.add(n.text.toLowerCase()) : undefined);
      if (ts.isArrayLiteralExpression(node.initializer)) node.initializer.elements.forEach(add);
      else add(node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|mts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The engine-name literals of one file: `{ line, column, text }`. */
export function findLiterals(path, text, names) {
  const source = parse(path, text);
  const words = new RegExp(`(^|[^a-z0-9_])(${[...names].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})([^a-z0-9_]|$)`, 'i');
  const found = [];
  const report = (node, what) => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push({ line: line + 1, column: character + 1, text: what });
  };
  const visit = (node) => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && names.has(node.text.trim().toLowerCase())) {
      // An import of a dialect package ('@understudy/postgres') is not a name literal: only exact matches are.
      report(node, node.getText(source));
    } else if (
      node.kind === ts.SyntaxKind.RegularExpressionLiteral &&
      words.test(
        node
          .getText(source)
          .replace(/\/[a-z]*$/, '')
          .slice(1),
      )
    ) {
      report(node, node.getText(source));
    } else if ((ts.isPropertyAssignment(node) || ts.isEnumMember(node)) && ts.isIdentifier(node.name) && names.has(node.name.text.toLowerCase())) {
      report(node.name, `key ${node.name.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every engine-name literal outside the dialect packages, and what was left out. */
export function checkBoundary(root) {
  const names = registryNames(root);
  const packagesDir = join(root, 'packages');
  const packages = existsSync(packagesDir)
    ? readdirSync(packagesDir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : [];
  const findings = [];
  let checked = 0;
  for (const pkg of packages) {
    if (DIALECT_PACKAGES.includes(pkg) || pkg in OTHER_PACKAGES) continue;
    for (const file of sourceFiles(join(packagesDir, pkg, 'src'))) {
      const path = relative(root, file).split(sep).join('/');
      if (isTestFile(path) || path in ALLOWED) continue;
      checked++;
      for (const f of findLiterals(path, readFileSync(file, 'utf8'), names)) findings.push({ path, ...f });
    }
  }
  return { names, findings, checked };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--root');
  const root = at > 0 ? process.argv[at + 1] : join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const { findings, checked } = checkBoundary(root);
  for (const f of findings) {
    process.stderr.write(`${f.path}:${f.line}:${f.column}: engine-name literal ${f.text} outside a dialect package: ask the dialect or the registry (dialectInfo, dialectNameFor) instead\n`);
  }
  const summary = `dialect boundary: ${findings.length} engine-name literal${findings.length === 1 ? '' : 's'} outside dialect packages (${checked} files checked; ${Object.keys(ALLOWED).length} allowed with reasons in scripts/check-boundary.mjs)`;
  (findings.length > 0 ? process.stderr : process.stdout).write(`${summary}\n`);
  process.exitCode = findings.length > 0 ? 1 : 0;
}
