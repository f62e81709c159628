/**
 * What every migration-folder reader is given besides the folder.
 */
import type { MigrationDialect } from '../migration-model.js';

export interface SourceOptions {
  /** The SQL flavour the user asked for; readers fall back to the tool's metadata, a guess, then PostgreSQL. */
  readonly dialect?: MigrationDialect | undefined;
}
