/**
 * Skewed test data for the fidelity tests, made by SQL in the database itself:
 * `customers` (Zipf-like `country` over 30 codes, `tier` 90% basic, `created_at`
 * skewed to recent dates, 30% NULL `referrer`) and `orders` (long-tail fan-out
 * over customers: most have 0–1 orders, a few have thousands; log-normal
 * `amount`; Zipf-like `status` over 6 values; 30% NULL `coupon`).
 *
 * `skewedDataSql(engine, customers, orders, seed)` gives the DDL and the inserts;
 * `skewedDdl(engine)` the DDL alone (for an empty copy to seed).
 */

export type Engine = 'postgres' | 'mariadb';

const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'IN', 'BR', 'JP', 'CA', 'ES', 'IT', 'NL', 'SE', 'PL', 'MX', 'AU', 'KR', 'CH', 'BE', 'AT', 'NO', 'DK', 'FI', 'IE', 'PT', 'CZ', 'NZ', 'SG', 'ZA', 'AR', 'CL'];
const STATUSES = ['delivered', 'shipped', 'pending', 'cancelled', 'returned', 'lost'];
const COUPONS = ['WELCOME10', 'SPRING5', 'VIP20', 'FREESHIP', 'BLACKFRI', 'LOYAL15', 'XMAS25', 'SUMMER8'];

export function skewedDdl(engine: Engine): string[] {
  const engineSuffix = engine === 'mariadb' ? ' ENGINE=InnoDB' : '';
  return [
    `CREATE TABLE customers (
  id integer PRIMARY KEY,
  country char(2) NOT NULL,
  tier varchar(16) NOT NULL,
  created_at timestamp NOT NULL,
  referrer varchar(24)
)${engineSuffix}`,
    `CREATE TABLE orders (
  id integer PRIMARY KEY,
  customer_id integer NOT NULL,
  amount numeric(12,2) NOT NULL,
  status varchar(16) NOT NULL,
  coupon varchar(16),
  CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)
)${engineSuffix}`,
  ];
}

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/** DDL and inserts for `customers` customers and `orders` orders; `seed` in (0, 1) makes PostgreSQL's random() repeatable. */
export function skewedDataSql(engine: Engine, customers: number, orders: number, seed = 0.42): string[] {
  const pg = engine === 'postgres';
  // Zipf-like index in 1..n: floor(exp(u · ln(n + 1))), so P(i) ∝ ln((i + 1) / i) ≈ 1/i.
  const zipf = (n: number): string => `LEAST(${n}, FLOOR(EXP(${pg ? 'random()' : 'RAND()'} * LN(${n + 1}))))`;
  const pick = (values: readonly string[]): string => (pg ? `(ARRAY[${list(values)}])[${zipf(values.length)}::int]` : `ELT(${zipf(values.length)}, ${list(values)})`);
  const rnd = pg ? 'random()' : 'RAND()';
  const rows = (n: number): string => (pg ? `generate_series(1, ${n}) AS g` : `seq_1_to_${n} AS s`);
  const g = pg ? 'g' : 's.seq';
  const created = pg ? `timestamp '2021-01-01 00:00:00' + (sqrt(${rnd}) * 1460 * 86400) * interval '1 second'` : `TIMESTAMP '2021-01-01 00:00:00' + INTERVAL FLOOR(SQRT(${rnd}) * 1460 * 86400) SECOND`;
  // Log-normal: exp(3 + 1.1 · N(0,1)), N by Box–Muller.
  const amount = `ROUND(${pg ? 'CAST(' : ''}EXP(3 + 1.1 * SQRT(-2 * LN(1 - ${rnd})) * COS(2 * PI() * ${rnd}))${pg ? ' AS numeric)' : ''}, 2)`;
  // Long-tail fan-out: customer floor(n^u) over 1..n (P ∝ 1/i), so most customers get 0–1 orders.
  const customer = `LEAST(${customers}, FLOOR(POWER(${customers}, ${rnd})))`;
  const referrer = pg ? `'ref-' || substr(md5(${g}::text), 1, 4 + ${g} % 12)` : `CONCAT('ref-', SUBSTR(MD5(${g}), 1, 4 + ${g} % 12))`;
  return [
    ...(pg ? [`SELECT setseed(${seed})`] : []),
    ...skewedDdl(engine),
    `INSERT INTO customers (id, country, tier, created_at, referrer)
SELECT ${g}, ${pick(COUNTRIES)},
  CASE WHEN ${rnd} < 0.9 THEN 'basic' WHEN ${rnd} < 0.7 THEN 'gold' ELSE 'platinum' END,
  ${created},
  CASE WHEN ${rnd} < 0.3 THEN NULL ELSE ${referrer} END
FROM ${rows(customers)}`,
    `INSERT INTO orders (id, customer_id, amount, status, coupon)
SELECT ${g}, ${customer}, ${amount}, ${pick(STATUSES)},
  CASE WHEN ${rnd} < 0.3 THEN NULL ELSE ${pick(COUPONS)} END
FROM ${rows(orders)}`,
  ];
}
