// Bundles the CLI's entry into dist/bundle/ (run by `npm run build`, after tsc): one file to load instead
// of some 600 modules (kysely's alone are 262), which took about a third of a second of every command's
// start. Dynamic imports stay separate chunks, loaded only by the commands that need them. The library
// (`exports`) stays the unbundled dist.
//
// A bundled module that reads `import.meta.url` (a worker's entry, a data file, a package.json beside it)
// is given the URL it has in its package's dist, found through the package's own entry.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Packages left to Node: native or WebAssembly parts, files read beside their modules, the user's own toolchains. */
const EXTERNAL = ['@electric-sql/*', '@faker-js/*', 'pg', 'pg-copy-streams', 'pg-native', 'mysql2', 'tsx', 'drizzle-orm', 'drizzle-kit', 'testcontainers', '@testcontainers/*', 'piscina'];

const ownUrls = {
  name: 'own-module-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]dist[\\/].*\.js$/ }, (args) => {
      const contents = readFileSync(args.path, 'utf8');
      if (!contents.includes('import.meta.url')) return undefined;
      const packageRoot = args.path.slice(0, args.path.indexOf(`${sep}dist${sep}`));
      const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
      const main = join(packageRoot, pkg.exports['.'].import);
      const url = `new URL(${JSON.stringify(relative(dirname(main), args.path).split(sep).join('/'))}, import.meta.resolve(${JSON.stringify(pkg.name)})).href`;
      return { contents: contents.replaceAll('import.meta.url', url), loader: 'js' };
    });
  },
};

await build({
  entryPoints: [join(root, 'dist', 'main.js')],
  outdir: join(root, 'dist', 'bundle'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  plugins: [ownUrls],
  // CommonJS dependencies call `require` for Node's own modules
  banner: { js: "import { createRequire as __understudyRequire } from 'node:module'; const require = __understudyRequire(import.meta.url);" },
  logLevel: 'warning',
});
