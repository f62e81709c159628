// Load-speed benchmark of the MySQL/MariaDB sink (not part of the build or the tests).
// usage: node bench/mysql-sink.mjs mysql://root@127.0.0.1:3306/test [rows]
import { createConnection } from 'mysql2/promise';
import { mysqlDialect, openMysqlSink } from '@understudy/mysql';

const base = process.argv[2];
const total = Number(process.argv[3] ?? 300_000);
const name = `understudy_bench_${Date.now()}`;
const admin = await createConnection({ uri: base });
await admin.query(`CREATE DATABASE ${name}`);
await admin.query(`USE ${name}`);
await admin.query(`CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE, name VARCHAR(100) NOT NULL, created_at DATETIME(6) NOT NULL, score DECIMAL(10,2), KEY (created_at))`);
await admin.query(`CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, total DECIMAL(12,2) NOT NULL, note TEXT, FOREIGN KEY (user_id) REFERENCES users (id))`);
const url = new URL(base);
url.pathname = `/${name}`;
const conn = await mysqlDialect.connect(url.toString());
const schema = await conn.introspect();
await conn.close();
const users = (s, e) =>
  Array.from({ length: e - s }, (_, k) => {
    const i = s + k;
    return [i + 1, `user${i}@example.com`, `Name\\t${i % 977} O'Hara`, `2024-01-${String(1 + (i % 28)).padStart(2, '0')} 10:11:12.${String(i % 1e6).padStart(6, '0')}`, `${i % 10000}.25`];
  });
const orders = (s, e) =>
  Array.from({ length: e - s }, (_, k) => {
    const i = s + k;
    return [i + 1, ((i * 7919) % total) + 1, `${i % 100000}.10`, i % 5 ? null : 'gift, wrap "it"'];
  });
const cols = (t) => schema.tables[`${name}.${t}`].columns.map((c) => ({ name: c.name, kind: c.kind, arrayDimensions: 0, rawType: c.rawType }));
try {
  for (const loadMethod of ['load-data', 'insert', 'load-data']) {
    const sink = await openMysqlSink(url.toString(), { schema, truncate: true, loadMethod });
    const { createEncoder } = await import(sink.encoding.module);
    const t = performance.now();
    for (const [table, gen] of [
      ['users', users],
      ['orders', orders],
    ]) {
      const columns = cols(table);
      const enc = createEncoder(columns, sink.encoding.options);
      const w = await sink.beginTable({ table: `${name}.${table}`, columns, rows: total });
      for (let s = 0; s < total; s += 10_000) await w.write(enc(gen(s, Math.min(total, s + 10_000))));
      await w.end();
    }
    await sink.commit({ advanceSequences: true });
    const s = (performance.now() - t) / 1000;
    console.log(`${loadMethod}: ${2 * total} rows in ${s.toFixed(2)} s = ${((2 * total) / s / 1e3).toFixed(0)}k rows/s (generation+encoding included)`);
  }
} finally {
  await admin.query(`DROP DATABASE ${name}`);
  await admin.end();
}
