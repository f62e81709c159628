// Load-speed benchmark of the PostgreSQL sinks (not part of the build or the tests).
// usage: node bench/postgres-sink.mjs postgres://postgres@127.0.0.1:5432/postgres [rows] [pglite]
import { createEncoder } from '@understudy/postgres/copy-encoder';
import { createScratchDatabase, dropScratchDatabase, urlForDatabase, connectPostgres, postgresDialect, openPostgresSink, openPglite, openPgliteSink } from '@understudy/postgres';

const url = process.argv[2];
const total = Number(process.argv[3] ?? 500_000);
const withPglite = process.argv[4] === 'pglite';
const DDL = `CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL, created_at timestamptz NOT NULL, score numeric(10,2), tags text[]);
  CREATE INDEX users_created ON users (created_at); CREATE INDEX users_name ON users (lower(name));
  CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, total numeric(12,2) NOT NULL, note text);
  CREATE INDEX orders_user ON orders (user_id);`;
const users = (s, e) =>
  Array.from({ length: e - s }, (_, k) => {
    const i = s + k;
    return [
      i + 1,
      `user${i}@example.com`,
      `Name\t${i % 977} O'Hara`,
      `2024-01-${String(1 + (i % 28)).padStart(2, '0')} 10:11:12.${String(i % 1e6).padStart(6, '0')}+00`,
      `${i % 10000}.25`,
      i % 3 ? ['a', 'b c'] : null,
    ];
  });
const orders = (s, e) =>
  Array.from({ length: e - s }, (_, k) => {
    const i = s + k;
    return [i + 1, ((i * 7919) % total) + 1, `${i % 100000}.10`, i % 5 ? null : 'gift, wrap "it"'];
  });
const cols = (names) => names.map((n) => ({ name: n, kind: 'text', arrayDimensions: 0, rawType: 'text' }));
const UC = cols(['id', 'email', 'name', 'created_at', 'score', 'tags']);
const OC = cols(['id', 'user_id', 'total', 'note']);
const CH = 10_000;

function encodeAll(gen, columns) {
  const enc = createEncoder(columns, {});
  const chunks = [];
  let values = 0;
  let ms = 0;
  for (let s = 0; s < total; s += CH) {
    const rows = gen(s, Math.min(total, s + CH));
    const t = performance.now();
    chunks.push(enc(rows));
    ms += performance.now() - t;
    values += rows.length * columns.length;
  }
  return { chunks, rate: values / (ms / 1000) };
}
const U = encodeAll(users, UC);
const O = encodeAll(orders, OC);
console.log(`encoder: ${(U.rate / 1e6).toFixed(2)}M values/s (users), ${(O.rate / 1e6).toFixed(2)}M values/s (orders)`);

async function run(label, open, schema) {
  const sink = await open(schema);
  const t = performance.now();
  const parts = [];
  for (const [table, columns, chunks] of [
    ['public.users', UC, U.chunks],
    ['public.orders', OC, O.chunks],
  ]) {
    const t0 = performance.now();
    const w = await sink.beginTable({ table, columns, rows: total });
    for (const c of chunks) await w.write(c);
    await w.end();
    parts.push(`${table} ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  }
  const t1 = performance.now();
  await sink.commit({ advanceSequences: true });
  parts.push(`commit (indexes, FKs, sequences) ${((performance.now() - t1) / 1000).toFixed(2)} s`);
  const s = (performance.now() - t) / 1000;
  console.log(`${label}: ${2 * total} rows in ${s.toFixed(2)} s = ${((2 * total) / s / 1e3).toFixed(0)}k rows/s [${parts.join(', ')}]`);
}

if (url) {
  const name = await createScratchDatabase(url, 'understudy_bench');
  const dbUrl = urlForDatabase(url, name);
  try {
    const conn = await connectPostgres(dbUrl, postgresDialect);
    await conn.pool.query(DDL);
    const schema = await conn.introspect({ schemas: ['public'] });
    await conn.close();
    for (const [deferIndexes, deferForeignKeys] of [
      [false, false],
      [true, false],
      [true, true],
      [false, false],
      [true, false],
      [true, true],
    ]) {
      await run(`server deferIndexes=${deferIndexes} deferForeignKeys=${deferForeignKeys}`, (sc) => openPostgresSink(dbUrl, { schema: sc, truncate: true, deferIndexes, deferForeignKeys }), schema);
    }
  } finally {
    await dropScratchDatabase(url, name);
  }
}
if (withPglite) {
  const conn = await openPglite();
  await conn.pglite.exec(DDL);
  const schema = await conn.introspect({ schemas: ['public'] });
  for (const [deferIndexes, deferForeignKeys] of [
    [false, false],
    [true, true],
  ]) {
    await run(
      `pglite deferIndexes=${deferIndexes} deferForeignKeys=${deferForeignKeys}`,
      (sc) => openPgliteSink({ pglite: conn.pglite, schema: sc, truncate: true, deferIndexes, deferForeignKeys }),
      schema,
    );
  }
  await conn.close();
}
