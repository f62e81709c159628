/**
 * Reading and writing saved Schema files. Writing sorts every keyed record so
 * two introspections of one database give byte-identical JSON; reading checks
 * the `version` and upgrades older files or refuses with a clear message.
 *
 * @example
 * ```ts
 * await writeFile('schema.json', serializeSchema(schema));
 * const again = parseSchema(await readFile('schema.json', 'utf8'), 'schema.json');
 * ```
 */
import { UsageError } from './errors.js';
import { SCHEMA_VERSION, SchemaModel, type Schema } from './schema-model.js';

/** Upgrade steps: `upgrades[n]` turns a version-n document into version n+1. None yet. */
const upgrades: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

function sortKeysDeep(value: unknown, sortRecords: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => sortKeysDeep(v, false));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (sortRecords) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeysDeep(v, RECORD_FIELDS.has(k))]));
  }
  return value;
}

/** The fields of the model whose values are records keyed by qualified name. */
const RECORD_FIELDS = new Set(['tables', 'enums', 'domains', 'sequences', 'views']);

/** Validates a Schema and returns it with its records in key order (stable across runs). */
export function normalizeSchema(schema: Schema): Schema {
  return SchemaModel.parse(sortKeysDeep(SchemaModel.parse(schema), false));
}

/** JSON text of a Schema: records sorted by key, two-space indent, trailing newline. */
export function serializeSchema(schema: Schema): string {
  return `${JSON.stringify(sortKeysDeep(schema, false), null, 2)}\n`;
}

/**
 * Parses a saved Schema, upgrading an older `version`.
 * @param origin the file name, for messages.
 * @throws UsageError for invalid JSON, a newer or unknown version, or a document that does not fit the model.
 */
export function parseSchema(text: string, origin = 'schema'): Schema {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${origin} is not valid JSON: ${(error as Error).message}`, {
      hint: 'Make a Schema file with `understudy introspect --out schema.json`.',
    });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UsageError(`${origin} is not a Schema (expected a JSON object with "version" and "tables")`);
  }
  let record = doc as Record<string, unknown>;
  const version = record['version'];
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new UsageError(`${origin} has no numeric "version": it is not a Schema file Understudy wrote`, {
      hint: 'Make one with `understudy introspect --out schema.json`.',
    });
  }
  if (version > SCHEMA_VERSION) {
    throw new UsageError(`${origin} is Schema version ${version}, newer than this Understudy understands (${SCHEMA_VERSION})`, { hint: 'Upgrade Understudy, or introspect again with this version.' });
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const step = upgrades[v];
    if (!step) {
      throw new UsageError(`${origin} is Schema version ${version}, which can no longer be upgraded`, {
        hint: 'Introspect the database again to write a current Schema file.',
      });
    }
    record = step(record);
  }
  const parsed = SchemaModel.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${origin} does not fit the Schema model at ${issue.path.join('.') || '(root)'}: ${issue.message}`, {
      hint: 'If you edited it by hand, compare with a fresh `understudy introspect` output.',
    });
  }
  return parsed.data;
}
