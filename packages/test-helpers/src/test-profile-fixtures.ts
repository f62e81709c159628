/**
 * Test support (not built): datasets for the profiler tests — a 20 000-row table
 * with planted personal values, a small parent/child pair with known fan-out, and a
 * wide schema of 150 tables and 750 indexes.
 */

/** Every planted string; none of them (nor the marked fragments) may reach a profile. */
export const PLANTED = [
  'planted.alice.7781@example.net',
  'planted.bob.4410@example.net',
  'planted.carol.5512@example.net',
  '+1-555-0199-4242',
  'Plantina Zyxwell',
  '742 Plantedgrove Terrace',
  'DE44500105175407324931',
  '$2b$10$plantedHashXyZabcdefghijklmnopqrstuv',
  'tok_planted_9f8e7d6c5b4a',
  'Planted note: call Alice at home',
  '1987-03-14',
  '203.0.113.77',
  'PLANTED-REF-8842',
];
/** Fragments of the planted values (case-insensitive): local parts, surnames, digits. */
export const PLANTED_FRAGMENTS = ['planted', 'alice', 'carol', 'zyxwell', 'plantina', '0199-4242', 'de4450010', '203.0.113', '1987-03-14', 'ref-8842', 'xyzabc', '9f8e7d6c'];

/**
 * `customers`: 20 000 rows. Planted values repeat ≥ 50 times in columns named obviously
 * (email, phone, full_name, …), so that a naive profile would list them among the most
 * common values. Innocuously named columns (`contact`, `ref_code`) hold planted values
 * only below k (5 rows) or inside a high-cardinality column (200 rows out of 20 000
 * distinct codes): the boundary of the policy is that a repeated value in a
 * non-personal, low-cardinality column IS kept by design (that is what `status` is for).
 */
export function plantedTableSql(engine: 'postgres' | 'mariadb', rows = 20_000): string[] {
  const pg = engine === 'postgres';
  const rowsFrom = pg ? `generate_series(1, ${rows}) g` : `(select seq as g from seq_1_to_${rows}) s`;
  const birth = pg ? `date '1940-01-01' + (g % 9000)` : `date '1940-01-01' + interval (g % 9000) day`;
  const created = pg ? `timestamp '2024-01-01 00:00:00' + g * interval '1 minute'` : `timestamp '2024-01-01 00:00:00' + interval g minute`;
  const ipHigh = pg ? '(g / 256) % 256' : '(g div 256) % 256';
  return [
    `
create table customers (
  id integer primary key,
  email varchar(120), phone varchar(32), full_name varchar(64), address varchar(100), iban varchar(34),
  password_hash varchar(100), api_token varchar(64), notes text, birth_date date, last_ip varchar(45),
  contact varchar(64), ref_code varchar(32),
  status varchar(16) not null, coupon varchar(16), amount numeric(10,2) not null, created_at timestamp not null
)`,
    `
insert into customers
select g,
  case when g % 250 = 0 then 'planted.alice.7781@example.net' when g % 5000 = 1 then 'planted.bob.4410@example.net'
       else concat('user', g, '@mail.example.org') end,
  case when g % 200 = 0 then '+1-555-0199-4242' else concat('+44 20 7946 ', g) end,
  case when g % 200 = 1 then 'Plantina Zyxwell' else concat('Person ', g) end,
  case when g % 250 = 2 then '742 Plantedgrove Terrace' else concat(g, ' Main Street') end,
  case when g % 300 = 3 then 'DE44500105175407324931' else concat('GB', 1000000000 + g) end,
  case when g % 250 = 4 then '$2b$10$plantedHashXyZabcdefghijklmnopqrstuv' else md5(concat('h', g)) end,
  case when g % 200 = 5 then 'tok_planted_9f8e7d6c5b4a' else concat('tok_', md5(concat('t', g))) end,
  case when g % 250 = 6 then 'Planted note: call Alice at home' when g % 3 = 0 then concat('note ', g) else null end,
  case when g % 250 = 7 then date '1987-03-14' else ${birth} end,
  case when g % 250 = 8 then '203.0.113.77' else concat('10.0.', ${ipHigh}, '.', g % 256) end,
  case when g % 4000 = 9 then 'planted.carol.5512@example.net' else concat('c', g) end,
  case when g % 100 = 10 then 'PLANTED-REF-8842' else concat('R', g) end,
  case when g % 16 < 8 then 'active' when g % 16 < 12 then 'pending' when g % 16 < 14 then 'suspended'
       when g % 16 < 15 then 'closed' else 'banned' end,
  case when g % 10 < 3 then null when g % 2 = 0 then 'SPRING' else 'FALL' end,
  (g % 1000) * 1.25,
  ${created}
from ${rowsFrom}`,
  ];
}

/** Parents with 0, 1, 1, 3 and 10 children (and a child with no parent). */
export const FANOUT_SQL = [
  'create table parent (id integer primary key, label varchar(10))',
  'create table child (id integer primary key, parent_id integer, constraint child_parent_fk foreign key (parent_id) references parent (id))',
  "insert into parent values (1, 'none'), (2, 'one'), (3, 'one'), (4, 'three'), (5, 'ten')",
  'insert into child values (1, 2), (2, 3), (3, 4), (4, 4), (5, 4), (6, 5), (7, 5), (8, 5), (9, 5), (10, 5), (11, 5), (12, 5), (13, 5), (14, 5), (15, 5), (16, null)',
];
export const FANOUT_EXPECTED = [
  { children: '0', parents: 1 },
  { children: '1', parents: 2 },
  { children: '2-3', parents: 1 },
  { children: '8-15', parents: 1 },
];

/** `count` tables, each with a primary key, a unique and three plain indexes (5 per table) and a foreign key. */
export function wideSchemaSql(count = 150): string[] {
  const statements: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = `wide_${String(i).padStart(3, '0')}`;
    const fk = i > 0 ? `, parent_id integer, constraint ${t}_fk foreign key (parent_id) references wide_${String(i - 1).padStart(3, '0')} (id)` : ', parent_id integer';
    statements.push(
      `create table ${t} (id integer primary key, code varchar(20) not null, status varchar(12), amount numeric(10,2), created_at timestamp, note varchar(40)${fk})`,
      `create unique index ${t}_code on ${t} (code)`,
      `create index ${t}_status on ${t} (status)`,
      `create index ${t}_created on ${t} (created_at)`,
      `create index ${t}_parent on ${t} (parent_id)`,
    );
  }
  return statements;
}
