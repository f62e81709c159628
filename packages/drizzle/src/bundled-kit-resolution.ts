/**
 * The bundled drizzle-kit (0.31) `require`s `drizzle-orm` for its own helpers. It
 * gets the drizzle-orm 0.45 Understudy installs for it under another name
 * (`drizzle-orm-for-kit`), so that copy is never found by a user's schema: a
 * project without drizzle-orm is told to install it, and a schema always runs on
 * the project's own. drizzle-orm keeps its classes and symbols compatible across
 * copies (`entityKind`, `Symbol.for`), which is how drizzle-kit reads tables made by
 * another copy of drizzle-orm in the first place.
 *
 * @example
 * ```ts
 * routeBundledKitImports(dirname(require.resolve('drizzle-kit/api')));
 * require('drizzle-kit/api'); // its require('drizzle-orm/pg-core') → drizzle-orm-for-kit/pg-core
 * ```
 */
import Module, { createRequire } from 'node:module';

interface ResolveHook {
  _resolveFilename(request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]): string;
}

let installed = false;

/**
 * Sends `drizzle-orm` imports made from the bundled drizzle-kit's folder to `drizzle-orm-for-kit`.
 *
 * @example
 * ```ts
 * routeBundledKitImports('/usr/lib/node_modules/understudy/node_modules/drizzle-kit');
 * ```
 */
export function routeBundledKitImports(bundledKitDir: string): void {
  if (installed) return;
  installed = true;
  const ownRequire = createRequire(import.meta.url);
  const hook = Module as unknown as ResolveHook;
  const original = hook._resolveFilename.bind(Module);
  hook._resolveFilename = (request, parent, ...rest) => {
    const from = parent?.filename;
    if (from && from.startsWith(bundledKitDir) && /^drizzle-orm(\/|$)/.test(request)) {
      return ownRequire.resolve(request.replace(/^drizzle-orm/, 'drizzle-orm-for-kit'));
    }
    return original(request, parent, ...rest);
  };
}
