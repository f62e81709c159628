/**
 * The drizzle-kit that reads a schema: the project's own when it is installed
 * (resolved from the schema's folder, as `npx drizzle-kit` would find it), the one
 * Understudy bundles (0.31, for drizzle-orm up to 0.45) otherwise.
 *
 * - drizzle-kit 1.x (for drizzle-orm 1.x) has a PostgreSQL API (`drizzle-kit/api-postgres`)
 *   whose snapshot is a flat DDL list; it is turned into the 0.x shape the readers take.
 *   It has no MySQL API yet, so MySQL schemas go to the bundled drizzle-kit.
 * - drizzle-kit 0.x (`drizzle-kit/api`) gives the version-7 snapshot directly.
 *
 * The bundled drizzle-kit's own `drizzle-orm` imports go to the copy Understudy
 * installs for it (see bundled-kit-resolution.ts), never to the user's schema.
 *
 * @example
 * ```ts
 * const kit = await drizzleKitFor(mod);
 * const snapshot = await kit.pgSnapshot(mod);
 * kit.origin; // 'project'
 * ```
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DrizzleCasing } from './drizzle-config.js';
import type { DrizzleModule } from './drizzle-module-loader.js';
import { pgSnapshotFromDdl, type PgDdlEntity } from './drizzle-pg-ddl-v9.js';
import { completeMySqlSnapshot, completePgSnapshot, guardDrizzleKit, type DrizzleKitLabel, type MySqlSnapshot, type PgSnapshot } from './drizzle-snapshot.js';
import { routeBundledKitImports } from './bundled-kit-resolution.js';
import { nameUnnamedUniques, withArrayDimensions } from './drizzle-v1-compat.js';
import { withInlinedIndexParams } from './drizzle-index-params.js';

type Api = Record<string, (...args: unknown[]) => unknown>;

/** A drizzle-kit, ready to read one module. */
export interface DrizzleKit extends DrizzleKitLabel {
  pgSnapshot(mod: DrizzleModule, casing?: DrizzleCasing): Promise<PgSnapshot>;
  mysqlSnapshot(mod: DrizzleModule, casing?: DrizzleCasing): Promise<MySqlSnapshot>;
  /** The statements that create every object of the module in an empty database. */
  createStatements(mod: DrizzleModule, casing?: DrizzleCasing): Promise<string[]>;
}

/**
 * The drizzle-kit for a module.
 *
 * @example
 * ```ts
 * (await drizzleKitFor(mod)).version; // '1.0.0-rc.5'
 * ```
 */
export async function drizzleKitFor(mod: DrizzleModule): Promise<DrizzleKit> {
  const project = projectKit(mod.file);
  if (project && project.major >= 1 && mod.dialect === 'postgres') {
    const api = (await import(project.require.resolve('drizzle-kit/api-postgres'))) as Api;
    return v1PostgresKit(api, { origin: 'project', version: project.version });
  }
  if (project && project.major < 1) {
    const api = (await import(project.require.resolve('drizzle-kit/api'))) as Api;
    return v0Kit(api, { origin: 'project', version: project.version });
  }
  const bundledRequire = createRequire(import.meta.url);
  const kitDir = dirname(bundledRequire.resolve('drizzle-kit/api'));
  routeBundledKitImports(kitDir);
  const version = (JSON.parse(readFileSync(join(kitDir, 'package.json'), 'utf8')) as { version: string }).version;
  return v0Kit(bundledRequire('drizzle-kit/api') as Api, { origin: 'bundled', version });
}

interface ProjectKit {
  readonly version: string;
  readonly major: number;
  readonly require: NodeJS.Require;
}

function projectKit(fromFile: string): ProjectKit | undefined {
  const require = createRequire(fromFile);
  let entry: string;
  try {
    entry = require.resolve('drizzle-kit');
  } catch {
    return undefined;
  }
  const dir = entry.slice(0, entry.replace(/\\/g, '/').lastIndexOf('/drizzle-kit/') + '/drizzle-kit'.length);
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  return { version, major: Number(version.split('.')[0]), require };
}

function v0Kit(api: Api, label: DrizzleKitLabel): DrizzleKit {
  // The snapshots as this drizzle-kit makes them (its own migration generator validates their exact shape),
  // with a drizzle-orm 1.x schema's uniques named and arrays put back when the kit is an older line.
  const rawPg = async (mod: DrizzleModule, casing?: DrizzleCasing): Promise<PgSnapshot> => {
    nameUnnamedUniques(mod);
    const snapshot = await guardDrizzleKit(mod, () => api['generateDrizzleJson']!({ ...mod.exports }, undefined, undefined, casing) as PgSnapshot, label);
    return withInlinedIndexParams(mod, withArrayDimensions(mod, snapshot), casing);
  };
  const rawMySql = (mod: DrizzleModule, casing?: DrizzleCasing): Promise<MySqlSnapshot> => {
    nameUnnamedUniques(mod);
    return guardDrizzleKit(mod, () => api['generateMySQLDrizzleJson']!({ ...mod.exports }, undefined, casing) as Promise<MySqlSnapshot>, label);
  };
  return {
    ...label,
    pgSnapshot: async (mod, casing) => completePgSnapshot(await rawPg(mod, casing)),
    mysqlSnapshot: async (mod, casing) => completeMySqlSnapshot(await rawMySql(mod, casing)),
    async createStatements(mod, casing) {
      if (mod.dialect === 'postgres') {
        const current = await rawPg(mod, casing);
        const empty = api['generateDrizzleJson']!({});
        return guardDrizzleKit(mod, () => api['generateMigration']!(empty, current) as Promise<string[]>, label);
      }
      const current = await rawMySql(mod, casing);
      const empty = await api['generateMySQLDrizzleJson']!({});
      return guardDrizzleKit(mod, () => api['generateMySQLMigration']!(empty, current) as Promise<string[]>, label);
    },
  };
}

function v1PostgresKit(api: Api, label: DrizzleKitLabel): DrizzleKit {
  const state = (mod: DrizzleModule): Promise<{ ddl: PgDdlEntity[] }> => guardDrizzleKit(mod, () => api['generateDrizzleJson']!({ ...mod.exports }) as Promise<{ ddl: PgDdlEntity[] }>, label);
  return {
    ...label,
    async pgSnapshot(mod) {
      return pgSnapshotFromDdl(await state(mod));
    },
    mysqlSnapshot() {
      throw new Error('drizzle-kit 1.x has no MySQL API: drizzleKitFor uses the bundled drizzle-kit for MySQL');
    },
    async createStatements(mod) {
      const current = await state(mod);
      const empty = await api['generateDrizzleJson']!({});
      return guardDrizzleKit(mod, () => api['generateMigration']!(empty, current) as Promise<string[]>, label);
    },
  };
}
