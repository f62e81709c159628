/**
 * What every migration-folder reader is given besides the folder.
 */
import type { MigrationDialect } from '../migration-model.js';
import type { PlaceholderSyntax, Templates } from '../placeholders.js';
import type { StatementTemplate } from '../statement-builder.js';

export interface SourceOptions {
  /** The SQL flavour the user asked for; readers fall back to the tool's metadata, a guess, then PostgreSQL. */
  readonly dialect?: MigrationDialect | undefined;
  /** Fills template placeholders with `--define` values; `readMigrations` checks what stayed unfilled. */
  readonly templates?: Templates | undefined;
}

/** Placeholder syntaxes any file may hold whatever its tool: `%TABLE_PREFIX%`-style markers, River's comment markers. */
export const COMMON_PLACEHOLDERS: readonly PlaceholderSyntax[] = ['percent', 'comment-marker'];

/**
 * The template filling for a reader's files: the common syntaxes plus the tool's own.
 *
 * @example
 * ```ts
 * buildStatements(text, { file, flavor, firstLine: 1, problems, template: templateFor(options, ['dollar-brace']) });
 * ```
 */
export function templateFor(options: SourceOptions, toolSyntaxes: readonly PlaceholderSyntax[] = []): StatementTemplate | undefined {
  return options.templates ? { templates: options.templates, syntaxes: [...toolSyntaxes, ...COMMON_PLACEHOLDERS] } : undefined;
}
