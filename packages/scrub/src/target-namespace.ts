/**
 * Where an engine's namespace is the database itself (MySQL, MariaDB), a copy of
 * `shop_prod` made in `shop_staging` has the same tables under other keys
 * (`shop_staging.customers`, not `shop_prod.customers`): the policy, the plan and the
 * audit name the source's. This presents the target's schema keyed as the source's,
 * each table still addressed where it is (its `schema` field stays the target's
 * database), so that the scrub and the audit match tables by their source keys.
 *
 * @example
 * ```ts
 * const keyed = targetKeyedAsSource(sourceSchema, targetSchema);
 * keyed.tables['shop_prod.customers']?.schema; // 'shop_staging'
 * ```
 */
import { dialectInfo, type LoadTarget, type Schema, type Sink } from '@understudy/core';

/**
 * `target` with its tables keyed in `source`'s database, when both are one database of an engine
 * without namespaces inside a database and the databases differ; otherwise `target` as it is.
 */
export function targetKeyedAsSource(source: Schema, target: Schema): Schema {
  const [from, ...moreTargets] = target.namespaces;
  const [to, ...moreSources] = source.namespaces;
  if (source.dialect !== target.dialect || dialectInfo(target.dialect).capabilities.namespaces) return target;
  if (from === undefined || to === undefined || moreTargets.length > 0 || moreSources.length > 0 || from === to) return target;
  const moved = new Map(Object.keys(target.tables).map((key) => [key, key.startsWith(`${from}.`) ? `${to}${key.slice(from.length)}` : key]));
  // Every string and property name that is a table key (tables, FK references, partitions' parents).
  const rename = (value: unknown): unknown => {
    if (typeof value === 'string') return moved.get(value) ?? value;
    if (Array.isArray(value)) return value.map(rename);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [moved.get(k) ?? k, rename(v)]));
    return value;
  };
  return { ...target, tables: rename(target.tables) as Schema['tables'] };
}

/**
 * The target table a source key names: its key in `target` (as introspected), when
 * `targetKeyedAsSource` moved it; the key itself otherwise.
 */
export function targetKeyOf(source: Schema, target: Schema): (sourceKey: string) => string {
  const keyed = targetKeyedAsSource(source, target);
  if (keyed === target) return (key) => key;
  const back = new Map<string, string>();
  for (const [key, table] of Object.entries(keyed.tables)) back.set(key, `${table.schema}.${table.name}`);
  return (key) => back.get(key) ?? key;
}

/**
 * `sink` (opened on the target's own schema) taking load targets named by source keys.
 * @example
 * ```ts
 * const sink = sinkKeyedAsSource(await dialect.openSink(url, { schema: target }), targetKeyOf(source, target));
 * ```
 */
export function sinkKeyedAsSource(sink: Sink, targetKey: (sourceKey: string) => string): Sink {
  const moved = <T extends { readonly table: string }>(t: T): T => ({ ...t, table: targetKey(t.table) });
  return new Proxy(sink, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property); // the sink itself as the receiver: its getters read private fields
      if (typeof value !== 'function') return value;
      if (property === 'prepare') return (targets: readonly LoadTarget[]) => sink.prepare!(targets.map(moved));
      if (property === 'beginTable') return (t: LoadTarget) => sink.beginTable(moved(t));
      if (property === 'beginUpdates') return (t: Parameters<Sink['beginUpdates']>[0]) => sink.beginUpdates(moved(t));
      if (property === 'encodingFor') return (t: LoadTarget) => sink.encodingFor!(moved(t));
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
  });
}
