/**
 * A plan saved with `understudy plan --out plan.json` (and maybe edited) and
 * fed back with `seed --plan` / `generate --plan`: the same plan gives the same
 * data only with the same generator version, and loads only into a schema with
 * the tables and columns it names.
 *
 * @example
 * ```ts
 * const plan = parseSavedPlan(JSON.parse(text), 'plan.json');
 * const { warnings } = checkPlanAgainstSchema(plan, schema, 'plan.json');
 * ```
 */
import { dialectInfo, UsageError, type Schema } from '@understudy/core';
import { FAKER_VERSION, GENERATOR_VERSION } from '../version.js';
import { loadColumns, PLAN_VERSION, PlanModel, type Plan } from './plan-model.js';

const REMAKE = 'Make it again from the current schema: understudy plan … --out plan.json';

/**
 * A saved plan, validated.
 * @throws UsageError naming the file and the place: an unknown plan version, a generator version
 * other than this build's (the values would differ), or a value the plan model does not allow.
 */
export function parseSavedPlan(json: unknown, file: string): Plan {
  const head = (json ?? {}) as { version?: unknown; generatorVersion?: unknown };
  if (head.version !== PLAN_VERSION) {
    throw new UsageError(`--plan ${file}: plan version ${JSON.stringify(head.version ?? null)} is not one this understudy reads (it reads version ${PLAN_VERSION})`, { hint: REMAKE });
  }
  if (head.generatorVersion !== GENERATOR_VERSION) {
    throw new UsageError(
      `--plan ${file} was made for generator version ${JSON.stringify(head.generatorVersion ?? null)}; this understudy generates version ${GENERATOR_VERSION}, so the same plan would not give the same values`,
      { hint: `${REMAKE} (or set "generatorVersion": "${GENERATOR_VERSION}" in the file to accept new values).` },
    );
  }
  const parsed = PlanModel.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--plan ${file} is not a valid plan at ${issue.path.join('.') || '(root)'}: ${issue.message}`, { hint: REMAKE });
  }
  checkRowCounts(parsed.data, file);
  checkLoadOrder(parsed.data, file);
  return parsed.data;
}

/** Each foreign key a table's rows point along: its name and parent table (from the picks and the tuple columns). */
function parentEdges(table: Plan['tables'][string]): Array<{ foreignKey: string; parent: string }> {
  const edges: Array<{ foreignKey: string; parent: string }> = [];
  for (const [id, pick] of Object.entries(table.picks)) {
    if (pick.kind === 'skewed' || pick.kind === 'fanout' || pick.kind === 'permutation') edges.push({ foreignKey: id.replace(/^fk:/, ''), parent: pick.table });
    if (pick.kind === 'agreeing') pick.tables.forEach((parent, i) => edges.push({ foreignKey: pick.foreignKeys[i]!, parent }));
  }
  for (const column of table.columns) {
    const params = column.generator?.name === 'tuple' ? (column.generator.params as { pick?: string; component?: number; valueType?: string; table?: string }) : undefined;
    const pick = params?.pick !== undefined ? table.picks[params.pick] : undefined;
    if (params?.valueType !== 'parent' || params.table === undefined || pick?.kind !== 'tuple') continue;
    const fk = pick.foreignKeys[params.component ?? 0];
    if (fk) edges.push({ foreignKey: fk.replace(/^fk:/, ''), parent: params.table });
  }
  return edges;
}

/**
 * Parents come before their children in `loadOrder` (a hand-edited order can break it), except along a
 * foreign key the plan checks at commit (deferrable), sets after the load (a broken cycle) or loads unchecked.
 */
function checkLoadOrder(plan: Plan, file: string): void {
  const position = new Map(plan.loadOrder.map((key, i) => [key, i]));
  const late = new Set([...plan.deferredConstraints, ...plan.uncheckedForeignKeys].map((d) => `${d.table}\0${d.foreignKey}`));
  for (const [i, key] of plan.loadOrder.entries()) {
    const table = plan.tables[key];
    if (!table) throw new UsageError(`--plan ${file}: loadOrder[${i}] names ${key}, which the plan's tables do not have`, { hint: REMAKE });
    for (const u of table.deferredUpdates) late.add(`${key}\0${u.foreignKey}`);
    for (const { foreignKey, parent } of parentEdges(table)) {
      const at = position.get(parent);
      if (parent === key || at === undefined || at < i || late.has(`${key}\0${foreignKey}`)) continue;
      throw new UsageError(
        `--plan ${file}: loadOrder puts ${key} (loadOrder[${i}]) before its parent ${parent} (loadOrder[${at}], foreign key ${foreignKey}): its rows would point at rows not loaded yet`,
        { hint: 'Put parents first (the order `understudy plan` wrote), or make the plan again.' },
      );
    }
  }
}

const RECOUNT = 'Change the row counts together, or plan them again with per-table rows in the config (tables: { name: { rows: N } }).';

/**
 * The row counts a plan's picks were made for still hold (a hand-edited `rows` can break them):
 * a child never picks past its parent's rows, a 1:1 child has no more rows than its parent, and
 * a distinct tuple has room for every row.
 */
function checkRowCounts(plan: Plan, file: string): void {
  const rowsOf = (table: string): number | undefined => plan.tables[table]?.rows;
  for (const key of plan.loadOrder) {
    const table = plan.tables[key]!;
    for (const [id, pick] of Object.entries(table.picks)) {
      if (pick.kind === 'skewed' || pick.kind === 'fanout' || pick.kind === 'permutation') {
        const parentRows = rowsOf(pick.table);
        if (parentRows !== undefined && pick.rows > parentRows) {
          throw new UsageError(
            `--plan ${file}: ${key} picks parents among ${pick.rows} rows of ${pick.table} (${id}), but the plan gives ${pick.table} ${parentRows} rows: its children would point at rows that are not there`,
            { hint: RECOUNT },
          );
        }
        if (pick.kind === 'permutation' && table.rows > pick.rows) {
          throw new UsageError(`--plan ${file}: ${key} has ${table.rows} rows but a one-to-one key to ${pick.table} (${id}) with ${pick.rows}: rows would share a parent`, { hint: RECOUNT });
        }
      } else if (pick.kind === 'agreeing') {
        pick.tables.forEach((parent, i) => {
          const parentRows = rowsOf(parent);
          if (parentRows !== undefined && pick.rows[i]! > parentRows) {
            throw new UsageError(
              `--plan ${file}: ${key} picks parents among ${pick.rows[i]} rows of ${parent} (${id}), but the plan gives ${parent} ${parentRows} rows: its children would point at rows that are not there`,
              { hint: RECOUNT },
            );
          }
        });
      } else if (pick.kind === 'tuple') {
        const room = pick.sizes.reduce((a, b) => a * b, 1);
        if (table.rows > room) throw new UsageError(`--plan ${file}: ${key} has ${table.rows} rows but its distinct key ${id} has room for ${room}`, { hint: RECOUNT });
      }
    }
    // A component of a distinct tuple that is a parent's key (film_actor's actor_id) draws among that many parent rows.
    for (const column of table.columns) {
      const params = column.generator?.name === 'tuple' ? (column.generator.params as { pick?: string; component?: number; valueType?: string; table?: string }) : undefined;
      const pick = params?.pick !== undefined ? table.picks[params.pick] : undefined;
      if (!params || params.valueType !== 'parent' || params.table === undefined || pick?.kind !== 'tuple') continue;
      const size = pick.sizes[params.component ?? 0];
      const parentRows = rowsOf(params.table);
      if (size !== undefined && parentRows !== undefined && size > parentRows) {
        throw new UsageError(
          `--plan ${file}: ${key}.${column.name} draws among ${size} rows of ${params.table}, but the plan gives ${params.table} ${parentRows} rows: its values would point at rows that are not there`,
          { hint: RECOUNT },
        );
      }
    }
  }
}

/**
 * No loaded column of a NOT NULL column of `schema` (or of a NOT NULL domain) can be NULL in the plan:
 * a hand-edited `nullRate`, a foreign key's pick `nullRate`, a column with no generator or set after the load.
 */
function checkNotNullColumns(plan: Plan, schema: Schema, file: string): void {
  for (const key of plan.loadOrder) {
    const planTable = plan.tables[key]!;
    const table = schema.tables[key]!;
    for (const [i, column] of planTable.columns.entries()) {
      const actual = table.columns.find((c) => c.name === column.name);
      if (!column.load || !actual || (actual.nullable && !(actual.domain && schema.domains[actual.domain]?.notNull))) continue;
      const place = `tables["${key}"].columns[${i}] (${column.name})`;
      const pickId = column.generator?.name === 'reference' ? String(column.generator.params['pick']) : undefined;
      const pick = pickId !== undefined ? planTable.picks[pickId] : undefined;
      const pickNullRate = pick && 'nullRate' in pick ? pick.nullRate : 0;
      const why =
        column.nullRate > 0
          ? `has nullRate ${column.nullRate}`
          : pickNullRate > 0
            ? `picks its parent through picks["${pickId}"] with nullRate ${pickNullRate}`
            : column.generator === null
              ? 'has no generator (every value NULL)'
              : column.deferred
                ? 'is inserted NULL and set after the load (deferred)'
                : undefined;
      if (why === undefined) continue;
      throw new UsageError(`--plan ${file}: ${place} ${why}, but ${key}.${column.name} is NOT NULL: its rows would be refused`, {
        hint: 'Set it back to 0 (or give the column a generator), or make the plan again.',
      });
    }
  }
}

/**
 * `plan` moved to `schema`'s database when it was made in another database of a MySQL server
 * (`shop_dev` → `shop_ci_17`): MySQL's "schema" is the database, so the same tables there
 * have other keys. Every table key in the plan is renamed; the values stay the same, since they
 * are addressed by bare table names (a table planned before addresses keeps its old key as its
 * address). Any other plan is returned as it is.
 * @returns the plan to use, and the database it was made in when it was moved.
 * @example
 * ```ts
 * const { plan, from } = planInDatabaseOf(saved, schema); // from: 'shop_dev'
 * ```
 */
export function planInDatabaseOf(plan: Plan, schema: Schema): { readonly plan: Plan; readonly from?: string } {
  const [home, ...others] = schema.namespaces;
  if (plan.dialect !== schema.dialect || dialectInfo(schema.dialect).capabilities.namespaces || home === undefined || others.length > 0) return { plan };
  const keys = [...Object.keys(plan.tables), ...plan.skipped.map((t) => t.table)];
  const databases = new Set(keys.map((key) => key.slice(0, key.indexOf('.'))));
  const [from] = databases;
  if (databases.size !== 1 || from === undefined || from === home || keys.some((key) => !key.includes('.'))) return { plan };
  const moved = new Map(keys.map((key) => [key, `${home}${key.slice(from.length)}`]));
  // Every string and property name that is a table key, wherever it stands (tables, load order, picks, references, skipped).
  const rename = (value: unknown): unknown => {
    if (typeof value === 'string') return moved.get(value) ?? value;
    if (Array.isArray(value)) return value.map(rename);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [moved.get(k) ?? k, rename(v)]));
    return value;
  };
  const renamed = rename(plan) as Plan;
  // A table planned before addresses was addressed by its old key: it keeps it, and so its values.
  for (const [key, table] of Object.entries(plan.tables)) renamed.tables[moved.get(key)!]!.address = table.address ?? key;
  return { plan: renamed, from };
}

/**
 * Checks that `plan` fits `schema`: same engine, every planned table and loaded column present
 * with the same type, and every loadable table of the schema planned (or skipped by the plan).
 * @returns warnings that do not stop a load (a different faker release).
 * @throws UsageError naming the first table or column that does not fit.
 */
export function checkPlanAgainstSchema(plan: Plan, schema: Schema, file: string): { readonly warnings: readonly string[] } {
  if (plan.dialect !== schema.dialect) {
    throw new UsageError(`--plan ${file} was made for a ${plan.dialect} schema, but the target is ${schema.dialect}`, { hint: REMAKE });
  }
  for (const key of plan.loadOrder) {
    const table = schema.tables[key];
    if (!table || table.kind === 'partition') throw new UsageError(`--plan ${file} fills table ${key}, which ${schema.source ?? 'the target'} does not have`, { hint: REMAKE });
    for (const column of loadColumns(plan.tables[key]!)) {
      const actual = table.columns.find((c) => c.name === column.name);
      if (!actual) throw new UsageError(`--plan ${file} fills ${key}.${column.name}, which the target's ${key} does not have`, { hint: REMAKE });
      if (actual.generated) throw new UsageError(`--plan ${file} fills ${key}.${column.name}, which the target computes (a generated column)`, { hint: REMAKE });
      if (actual.kind !== column.kind) {
        throw new UsageError(`--plan ${file} plans ${key}.${column.name} as ${column.rawType}, but the target's column is ${actual.rawType}`, { hint: REMAKE });
      }
    }
  }
  checkNotNullColumns(plan, schema, file);
  const covered = new Set([...plan.loadOrder, ...plan.skipped.map((s) => s.table)]);
  const missing = Object.entries(schema.tables)
    .filter(([key, t]) => t.kind !== 'partition' && !covered.has(key))
    .map(([key]) => key);
  if (missing.length > 0) {
    throw new UsageError(`--plan ${file} does not plan ${missing.join(', ')}, which the target has (a table added since the plan was made?)`, { hint: REMAKE });
  }
  const warnings =
    plan.fakerVersion === FAKER_VERSION ? [] : [`--plan ${file} was made with faker ${plan.fakerVersion}; this install has faker ${FAKER_VERSION}: values drawn from faker's data may differ`];
  return { warnings };
}
