/**
 * pagila's tables as drizzle pg-core tables, built from the introspected
 * Schema (`/tmp`-free: reads the fixture through @understudy/postgres), for
 * the drizzle-seed comparison in seed.mjs. Partitions are left out (rows go
 * through the parent); types drizzle-seed cannot generate are declared with
 * customType so the table shape matches.
 */
import * as pgCore from 'drizzle-orm/pg-core';

const { pgTable, pgEnum, integer, smallint, bigint, numeric, boolean, text, varchar, char, date, timestamp, customType } = pgCore;

/** The tables drizzle-seed can fill: composite primary keys (film_actor, film_category, payment) are drawn at random and collide. */
export function drizzleSeedableTables(schema) {
  return Object.keys(schema.tables).filter((k) => schema.tables[k].kind !== 'partition' && !(schema.tables[k].primaryKey?.columns.length > 1));
}

export async function drizzlePagilaFrom(schema) {
  const enums = new Map();
  for (const [key, e] of Object.entries(schema.enums ?? {})) enums.set(key, pgEnum(e.name, e.values));
  const tables = {};
  const columnsOf = {};
  // drizzle-seed draws composite primary keys (film_actor, film_category) at random and collides: leave those out.
  const order = drizzleSeedableTables(schema);
  for (const key of order) {
    const t = schema.tables[key];
    const fks = [...t.foreignKeys];
    for (const p of Object.values(schema.tables)) if (p.kind === 'partition' && p.partitionOf === key) fks.push(...p.foreignKeys);
    const cols = {};
    for (const c of t.columns) {
      if (c.generated) continue;
      let b;
      switch (c.kind) {
        case 'smallint':
          b = smallint(c.name);
          break;
        case 'integer':
          b = integer(c.name);
          break;
        case 'bigint':
          b = bigint(c.name, { mode: 'number' });
          break;
        case 'decimal':
        case 'money':
          b = numeric(c.name, { precision: c.precision ?? 10, scale: c.scale ?? 2 });
          break;
        case 'boolean':
          b = boolean(c.name);
          break;
        case 'varchar':
          b = varchar(c.name, { length: c.length ?? 255 });
          break;
        case 'char':
          b = char(c.name, { length: c.length ?? 1 });
          break;
        case 'text':
        case 'citext':
          b = text(c.name);
          break;
        case 'date':
          b = date(c.name);
          break;
        case 'timestamp':
          b = timestamp(c.name);
          break;
        case 'timestamptz':
          b = timestamp(c.name, { withTimezone: true });
          break;
        case 'enum':
          b = enums.get(c.enum)?.(c.name) ?? text(c.name);
          break;
        default:
          b = customType({ dataType: () => c.rawType })(c.name);
      }
      if (c.arrayDimensions > 0) b = b.array();
      if (!c.nullable) b = b.notNull();
      if (t.primaryKey?.columns.length === 1 && t.primaryKey.columns[0] === c.name) b = b.primaryKey();
      const fk = fks.find((f) => f.columns.length === 1 && f.columns[0] === c.name);
      if (fk && fk.references.table !== key) {
        const target = fk.references.table;
        const refCol = fk.references.columns[0];
        b = b.references(() => columnsOf[target][refCol]);
      }
      cols[c.name] = b;
    }
    const table = pgTable(t.name, cols);
    tables[t.name] = table;
    columnsOf[key] = table;
  }
  return { ...Object.fromEntries([...enums].map(([k, v]) => [`enum_${k.replace('.', '_')}`, v])), ...tables };
}
