/**
 * Reads the objects around the tables: sequences (with the column that owns
 * them), views and materialized views, extensions, and notes about objects the
 * model does not describe (functions, triggers, composite types, …).
 *
 * @example
 * ```ts
 * const { sequences, identitySequences } = await readSequences(ctx);
 * const views = await readViews(ctx);
 * const extensions = await readExtensions(ctx);
 * ```
 */
import { triggerCopies, triggerInserts, type Extension, type Sequence, type Trigger, type View } from '@understudy/core';
import { sql } from 'kysely';
import { byName, catalogQuery, inNamespaces, keyOf, notExtensionMember, type CatalogContext } from './postgres-catalog.js';

export interface SequencesResult {
  readonly sequences: Record<string, Sequence>;
  /** `table oid:attnum` → qualified sequence, for identity columns. */
  readonly identitySequences: Map<string, string>;
}

export async function readSequences(ctx: CatalogContext): Promise<SequencesResult> {
  const rows = await catalogQuery<{
    schema: string;
    name: string;
    data_type: string;
    start: string;
    increment: string;
    min: string;
    max: string;
    cycle: boolean;
    owner_oid: string | null;
    owner_attnum: number | null;
    owner_schema: string | null;
    owner_table: string | null;
    owner_column: string | null;
    deptype: string | null;
  }>(
    ctx,
    sql`
      select n.nspname as schema, c.relname as name, pg_catalog.format_type(s.seqtypid, null) as data_type,
        s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min, s.seqmax::text as max,
        s.seqcycle as cycle, own.owner_oid, own.owner_attnum, own.owner_schema, own.owner_table, own.owner_column,
        own.deptype
      from pg_catalog.pg_sequence s
      join pg_catalog.pg_class c on c.oid = s.seqrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      left join lateral (
        select dep.refobjid::text as owner_oid, dep.refobjsubid::int as owner_attnum, tn.nspname as owner_schema,
          tc.relname as owner_table, a.attname as owner_column, dep.deptype::text as deptype
        from pg_catalog.pg_depend dep
        join pg_catalog.pg_class tc on tc.oid = dep.refobjid
        join pg_catalog.pg_namespace tn on tn.oid = tc.relnamespace
        join pg_catalog.pg_attribute a on a.attrelid = dep.refobjid and a.attnum = dep.refobjsubid
        where dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass and dep.objid = c.oid
          and dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass and dep.refobjsubid > 0
          and dep.deptype in ('a', 'i')
        limit 1) own on true
      where ${inNamespaces(ctx, 'n')} and ${notExtensionMember('pg_class', 'c.oid')}`,
  );
  const sequences: Record<string, Sequence> = {};
  const identitySequences = new Map<string, string>();
  for (const r of rows.sort(byName((x) => keyOf(x.schema, x.name)))) {
    const key = keyOf(r.schema, r.name);
    sequences[key] = {
      schema: r.schema,
      name: r.name,
      dataType: r.data_type,
      start: r.start,
      increment: r.increment,
      min: r.min,
      max: r.max,
      cycle: r.cycle,
      ...(r.owner_schema !== null && r.owner_table !== null && r.owner_column !== null ? { ownedBy: { table: keyOf(r.owner_schema, r.owner_table), column: r.owner_column } } : {}),
    };
    if (r.deptype === 'i' && r.owner_oid !== null) identitySequences.set(`${r.owner_oid}:${r.owner_attnum}`, key);
  }
  return { sequences, identitySequences };
}

export async function readViews(ctx: CatalogContext): Promise<Record<string, View>> {
  const rows = await catalogQuery<{ schema: string; name: string; materialized: boolean; definition: string | null }>(
    ctx,
    sql`
      select n.nspname as schema, c.relname as name, c.relkind = 'm' as materialized,
        pg_catalog.pg_get_viewdef(c.oid, true) as definition
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('v', 'm') and ${inNamespaces(ctx, 'n')} and ${notExtensionMember('pg_class', 'c.oid')}`,
  );
  const views: Record<string, View> = {};
  for (const r of rows.sort(byName((x) => keyOf(x.schema, x.name)))) {
    views[keyOf(r.schema, r.name)] = {
      schema: r.schema,
      name: r.name,
      materialized: r.materialized,
      ...(r.definition !== null ? { definition: r.definition.trim() } : {}),
    };
  }
  return views;
}

/** Installed extensions except plpgsql (always there). */
export async function readExtensions(ctx: CatalogContext): Promise<Extension[]> {
  const rows = await catalogQuery<{ name: string; version: string; schema: string }>(
    ctx,
    sql`
      select e.extname as name, e.extversion as version, n.nspname as schema
      from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
      where e.extname <> 'plpgsql'`,
  );
  return rows.sort(byName((x) => x.name)).map((r) => ({ name: r.name, version: r.version, schema: r.schema }));
}

/**
 * One line per kind of object the model does not describe, so a summary can say
 * what was left out: functions, triggers, rules, policies, composite types,
 * foreign tables, exclusion constraints.
 */
export async function readNotes(ctx: CatalogContext): Promise<string[]> {
  // Triggers cloned onto partitions point at their parent's trigger (PostgreSQL 13+); count them once.
  const ownTrigger = ctx.versionNum >= 130000 ? sql`tg.tgparentid = 0` : sql`true`;
  const rows = await catalogQuery<{ kind: string; name: string }>(
    ctx,
    sql`
      select 'function' as kind, n.nspname || '.' || p.proname as name
      from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      where ${inNamespaces(ctx, 'n')} and ${notExtensionMember('pg_proc', 'p.oid')}
      union all
      select 'trigger', n.nspname || '.' || c.relname || '.' || tg.tgname
      from pg_catalog.pg_trigger tg
      join pg_catalog.pg_class c on c.oid = tg.tgrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where not tg.tgisinternal and ${ownTrigger} and ${inNamespaces(ctx, 'n')}
      union all
      select 'rule', n.nspname || '.' || r.tablename || '.' || r.rulename
      from pg_catalog.pg_rules r join pg_catalog.pg_namespace n on n.nspname = r.schemaname
      where ${inNamespaces(ctx, 'n')}
      union all
      select 'policy', n.nspname || '.' || c.relname || '.' || pol.polname
      from pg_catalog.pg_policy pol
      join pg_catalog.pg_class c on c.oid = pol.polrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where ${inNamespaces(ctx, 'n')}
      union all
      select 'composite type', n.nspname || '.' || c.relname
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'c' and ${inNamespaces(ctx, 'n')} and ${notExtensionMember('pg_class', 'c.oid')}
      union all
      select 'foreign table', n.nspname || '.' || c.relname
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'f' and ${inNamespaces(ctx, 'n')} and ${notExtensionMember('pg_class', 'c.oid')}
      union all
      select 'exclusion constraint', n.nspname || '.' || c.relname || '.' || con.conname
      from pg_catalog.pg_constraint con
      join pg_catalog.pg_class c on c.oid = con.conrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where con.contype = 'x' and con.conparentid = 0 and ${inNamespaces(ctx, 'n')}`,
  );
  const byKind = new Map<string, string[]>();
  for (const r of rows) {
    const list = byKind.get(r.kind) ?? [];
    list.push(r.name);
    byKind.set(r.kind, list);
  }
  const plural: Record<string, string> = { policy: 'policies' };
  return [...byKind.keys()].sort().map((kind) => {
    const names = [...new Set(byKind.get(kind)!)].sort();
    const label = names.length === 1 ? kind : (plural[kind] ?? `${kind}s`);
    return `${names.length} ${label} not modelled: ${names.join(', ')}`;
  });
}

/**
 * Built-in trigger functions that always overwrite a column of the row on INSERT: the column
 * is their first argument (`tsvector_update_trigger(tsv_column, config, text_column, …)`).
 */
const SETS_FIRST_ARGUMENT = new Set(['tsvector_update_trigger', 'tsvector_update_trigger_column']);

/** A trigger's arguments, as `pg_trigger.tgargs` holds them: each ends with a NUL byte. */
function triggerArguments(args: Uint8Array | string | null): string[] {
  if (args === null) return [];
  const text = typeof args === 'string' ? args : new TextDecoder().decode(args);
  return text.split('\u0000').slice(0, -1);
}

/**
 * Triggers per table key (row and statement ones): when they fire, which tables of the schema their function
 * inserts into (read from the function's source; a table named without its schema is taken
 * to be in the trigger's table's schema), and the columns an enabled BEFORE INSERT trigger
 * of a known function always sets.
 */
export async function readTriggers(ctx: CatalogContext, tableKeys: ReadonlySet<string>): Promise<Map<string, Trigger[]>> {
  const ownTrigger = ctx.versionNum >= 130000 ? sql`tg.tgparentid = 0` : sql`true`;
  const rows = await catalogQuery<{
    schema: string;
    table: string;
    name: string;
    type: number;
    source: string | null;
    function: string;
    builtin: boolean;
    enabled: boolean;
    args: Uint8Array | string | null;
  }>(
    ctx,
    sql`
      select n.nspname as schema, c.relname as table, tg.tgname as name, tg.tgtype::int as type, p.prosrc as source,
        p.proname as function, p.pronamespace = 'pg_catalog'::regnamespace as builtin, tg.tgenabled <> 'D' as enabled, tg.tgargs as args
      from pg_catalog.pg_trigger tg
      join pg_catalog.pg_class c on c.oid = tg.tgrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_proc p on p.oid = tg.tgfoid
      where not tg.tgisinternal and ${ownTrigger} and ${inNamespaces(ctx, 'n')}`,
  );
  const byTable = new Map<string, Trigger[]>();
  for (const r of rows.sort(byName((x) => `${keyOf(x.schema, x.table)}.${x.name}`))) {
    // tgtype bits: 1 row, 2 before, 4 insert, 8 delete, 16 update, 32 truncate, 64 instead of.
    const events = (
      [
        [4, 'insert'],
        [16, 'update'],
        [8, 'delete'],
        [32, 'truncate'],
      ] as const
    )
      .filter(([bit]) => (r.type & bit) !== 0)
      .map(([, e]) => e);
    const timing = (r.type & 64) !== 0 ? 'instead of' : (r.type & 2) !== 0 ? 'before' : 'after';
    const row = (r.type & 1) !== 0;
    const known = row && timing === 'before' && events.includes('insert') && r.enabled && r.builtin && SETS_FIRST_ARGUMENT.has(r.function);
    const args = known ? triggerArguments(r.args) : [];
    const trigger: Trigger = {
      name: r.name,
      timing,
      events,
      ...(row ? {} : { forEach: 'statement' as const }),
      inserts: triggerInserts(r.source ?? '', r.schema, tableKeys),
      // (vector, configuration, text…): the `_column` variant names a column holding the configuration
      ...(args.length > 0 ? { sets: args.slice(0, 1), reads: [...(r.function === 'tsvector_update_trigger_column' ? args.slice(1, 2) : []), ...args.slice(2)] } : {}),
    };
    const copies = row && events.includes('insert') && r.enabled ? triggerCopies(r.source ?? '', r.schema, tableKeys) : [];
    if (copies.length > 0) trigger.copies = copies;
    const key = keyOf(r.schema, r.table);
    byTable.set(key, [...(byTable.get(key) ?? []), trigger]);
  }
  return byTable;
}
