/**
 * A planted-PII database, built in the test on PostgreSQL or MariaDB: nine tables, 97
 * labelled columns of every kind the detectors know, whole and inside free text and
 * JSON, plus columns whose names lie (`notes` holding e-mails, `email` holding statuses,
 * `recipient`/`payee`/`guest` holding people, low-cardinality company names and customer
 * codes in innocuously named columns).
 *
 * The keys a scrub must keep: a composite FK onto a composite unique key that holds an
 * e-mail (mailings → customers), a self-reference five levels deep (employees' managers),
 * a cycle (employees.department → departments, departments.head_emp_no → employees,
 * closed by `after`), UNIQUE keys on personal values (customers.email, employees.aadhaar),
 * CHECKs, and a table of personal data partitioned by year (payments; on PostgreSQL with
 * an FK to customers, on MariaDB none, as its partitioned tables take no FK).
 *
 * People's names and cities come from the baseball databank and companies from
 * OpenFlights (fixtures/pii/): real names that faker's dictionaries were not built from.
 * Check digits are computed here, independently of the detectors' own code.
 *
 * Every value is a function of a fixed seed, so runs are repeatable.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What a column holds: a detector kind, or `none` (nothing personal). */
export type Label =
  | 'email'
  | 'phone'
  | 'person-name'
  | 'username'
  | 'company'
  | 'address'
  | 'city'
  | 'postcode'
  | 'geo-location'
  | 'card-number'
  | 'iban'
  | 'account-number'
  | 'national-id'
  | 'ip-address'
  | 'mac-address'
  | 'jwt'
  | 'secret'
  | 'url-credentials'
  | 'birth-date'
  | 'sensitive'
  | 'identifier'
  | 'free-text'
  | 'none';

export interface PlantedColumn {
  readonly table: string;
  readonly column: string;
  readonly label: Label;
  /** What makes it hard, for the report. */
  readonly note?: string;
}

export interface PlantedDatabase {
  /** One CREATE TABLE (or ALTER TABLE closing a cycle, or CREATE TABLE … PARTITION OF) per statement, in dependency order. */
  readonly ddl: string[];
  /** Statements run once every row is in (closing the departments ↔ employees cycle). */
  readonly after: string[];
  /** Rows per table, in column order of `columns`, in load order. */
  readonly rows: ReadonlyMap<string, { columns: string[]; values: unknown[][] }>;
  readonly labels: PlantedColumn[];
  /** Every personal value planted (and every value of the innocuously named low-cardinality columns), as text. */
  readonly plantedValues: ReadonlySet<string>;
  /** The values of the innocuous low-cardinality columns alone (what a profile must never keep). */
  readonly innocuousValues: ReadonlySet<string>;
}

const root = fileURLToPath(new URL('../../fixtures/pii/', import.meta.url));

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Person {
  first: string;
  last: string;
  city: string;
  birth: string;
}

function people(): Person[] {
  const lines = readFileSync(`${root}baseballdatabank/People.csv`, 'utf8').trim().split('\n').slice(1);
  const out: Person[] = [];
  for (const line of lines) {
    const f = line.split(',');
    const [year, month, day, , , city] = [f[1], f[2], f[3], f[4], f[5], f[6]];
    const first = f[13];
    const last = f[14];
    if (!first || !last || !city || !year || Number(year) < 1950 || !month || !day) continue;
    out.push({ first, last, city, birth: `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` });
  }
  return out;
}

function companies(): string[] {
  const lines = readFileSync(`${root}openflights/airlines.dat`, 'utf8').trim().split('\n');
  return lines.map((l) => /^\d+,"([^"]+)"/.exec(l)?.[1]).filter((n): n is string => n !== undefined && n.length >= 6 && /^[A-Z]/.test(n) && !/[\\"]/.test(n));
}

// ---- check digits, computed here (not with the detectors' validators) ----

function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
const mod97 = (digits: string): number => Number(BigInt(digits) % 97n);
function germanIban(r: () => number): string {
  const bban = digits(r, 18);
  const check = 98 - mod97(`${bban}131400`);
  return `DE${String(check).padStart(2, '0')}${bban}`;
}
const digits = (r: () => number, n: number, first = '0123456789'): string =>
  Array.from({ length: n }, (_, i) => (i === 0 ? first : '0123456789')[Math.floor(r() * (i === 0 ? first.length : 10))]).join('');
const letters = (r: () => number, n: number, from = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'): string => Array.from({ length: n }, () => from[Math.floor(r() * from.length)]).join('');

const V_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const V_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const V_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];
function verhoeffDigit(body: string): string {
  let c = 0;
  for (let i = 0; i < body.length; i++) c = V_D[c]![V_P[(i + 1) % 8]![Number(body[body.length - 1 - i])]!]!;
  return String(V_INV[c]);
}
function bsn(r: () => number): string {
  for (;;) {
    const body = digits(r, 8, '123456789');
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (9 - i) * Number(body[i]);
    const last = sum % 11;
    if (last <= 9) return body + String(last);
  }
}
function cpf(r: () => number): string {
  const d = digits(r, 9, '123456789').split('').map(Number);
  for (const n of [9, 10]) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += d[i]! * (n + 1 - i);
    const v = (sum * 10) % 11;
    d.push(v === 10 ? 0 : v);
  }
  const s = d.join('');
  return `${s.slice(0, 3)}.${s.slice(3, 6)}.${s.slice(6, 9)}-${s.slice(9)}`;
}
const CF_ODD: Record<string, number> = {
  0: 1,
  1: 0,
  2: 5,
  3: 7,
  4: 9,
  5: 13,
  6: 15,
  7: 17,
  8: 19,
  9: 21,
  A: 1,
  B: 0,
  C: 5,
  D: 7,
  E: 9,
  F: 13,
  G: 15,
  H: 17,
  I: 19,
  J: 21,
  K: 2,
  L: 4,
  M: 18,
  N: 20,
  O: 11,
  P: 3,
  Q: 6,
  R: 8,
  S: 12,
  T: 14,
  U: 16,
  V: 10,
  W: 22,
  X: 25,
  Y: 24,
  Z: 23,
};
function codiceFiscale(r: () => number): string {
  const body = `${letters(r, 6)}${digits(r, 2)}${letters(r, 1, 'ABCDEHLMPRST')}${digits(r, 2)}${letters(r, 1)}${digits(r, 3)}`;
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += i % 2 === 0 ? CF_ODD[body[i]!]! : /\d/.test(body[i]!) ? Number(body[i]) : body.charCodeAt(i) - 65;
  return body + String.fromCharCode(65 + (sum % 26));
}
function insee(r: () => number): string {
  const body = `${1 + Math.floor(r() * 2)}${digits(r, 2)}${String(1 + Math.floor(r() * 12)).padStart(2, '0')}${String(1 + Math.floor(r() * 95)).padStart(2, '0')}${digits(r, 3)}${digits(r, 3)}`;
  return `${body}${String(97 - mod97(body)).padStart(2, '0')}`;
}
function jwt(r: () => number, sub: string): string {
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, iat: 1700000000 + Math.floor(r() * 1e6) })}.${Buffer.from(letters(r, 32)).toString('base64url')}`;
}
const alnum = (r: () => number, n: number): string => letters(r, n, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
const hex = (r: () => number, n: number): string => letters(r, n, '0123456789abcdef');
function phone(r: () => number, i: number): string {
  switch (i % 4) {
    case 0:
      return `+44 20 ${digits(r, 4)} ${digits(r, 4)}`;
    case 1:
      return `(${digits(r, 3, '23456789')}) ${digits(r, 3)}-${digits(r, 4)}`;
    case 2:
      return `+33 6 ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)}`;
    default:
      return `+1-${digits(r, 3, '23456789')}-${digits(r, 3)}-${digits(r, 4)}`;
  }
}
const STREETS = ['Street', 'Avenue', 'Road', 'Lane', 'Drive', 'Boulevard'];
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** The generator, the people and companies, and where the planted values, rows and labels go: shared by the tables, in order. */
interface Planting {
  readonly r: () => number;
  readonly pick: <T>(xs: readonly T[]) => T;
  readonly humans: ReturnType<typeof people>;
  readonly firms: ReturnType<typeof companies>;
  readonly keep: (v: string) => string;
  readonly planted: Set<string>;
  readonly innocuous: Set<string>;
  readonly rows: Map<string, { columns: string[]; values: unknown[][] }>;
  readonly label: (table: string, column: string, l: Label, note?: string) => void;
}

/** Customers: a table of people, one column per kind, plus plain ones. */
function plantCustomers(p: Planting): string[] {
  const { r, pick, humans, keep, rows, label } = p;
  const customerRows: unknown[][] = [];
  const codes: string[] = [];
  for (let i = 0; i < 300; i++) {
    const p = humans[Math.floor(r() * humans.length)]!;
    let code: string;
    do code = letters(r, 5);
    while (codes.includes(code));
    codes.push(code);
    const email = `${p.first}.${p.last}${i}@example.org`.toLowerCase().replace(/[^a-z0-9.@]/g, '');
    const tel = phone(r, i);
    const card = (() => {
      const body = `4${digits(r, 14)}`;
      return body + luhnDigit(body);
    })();
    const dni = (() => {
      const n = Number(digits(r, 8));
      return `${pad(n, 8)}${'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}`;
    })();
    const street = `${1 + Math.floor(r() * 400)} ${pick(humans).last} ${pick(STREETS)}`;
    customerRows.push([
      i + 1,
      code,
      keep(p.first),
      keep(p.last),
      keep(email),
      keep(tel),
      keep(p.birth),
      keep(`${pad(1 + Math.floor(r() * 665), 3)}-${pad(1 + Math.floor(r() * 99), 2)}-${pad(1 + Math.floor(r() * 9999), 4)}`),
      keep(street),
      keep(p.city),
      keep(pad(Math.floor(r() * 99999), 5)),
      pick(['US', 'GB', 'FR', 'DE']),
      `2024-0${1 + (i % 9)}-1${i % 10} 10:00:00`,
      pick(['active', 'active', 'pending', 'closed']),
      Math.floor(r() * 5000),
      keep(`${p.first[0]}${p.last}${i}`.toLowerCase().replace(/[^a-z0-9]/g, '')),
      keep(`$2b$12$${alnum(r, 53).replace(/[^A-Za-z0-9./]/g, '.')}`),
      keep(dni),
      keep(germanIban(r)),
      keep(card),
      keep(`${10 + Math.floor(r() * 200)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${1 + Math.floor(r() * 254)}`),
      keep(Array.from({ length: 6 }, () => hex(r, 2)).join(':')),
      keep(`sk_live_${alnum(r, 24)}`),
      `Called ${keep(`${p.first} ${p.last}`)} on ${keep(phone(r, i + 1))} about the order; follow up by mail.`,
      JSON.stringify({ contact: { email: keep(`alt.${i}@example.net`), phone: keep(phone(r, i + 2)) }, newsletter: i % 2 === 0, tier: pick(['gold', 'basic']) }),
      (30000 + Math.floor(r() * 90000)).toFixed(2),
      (40 + r() * 10).toFixed(6),
      keep(`${pad(Math.floor(r() * 99999999), 8)}${digits(r, 2)}`),
    ]);
  }
  rows.set('customers', {
    columns: [
      'id',
      'customer_code',
      'first_name',
      'last_name',
      'email',
      'phone',
      'date_of_birth',
      'ssn',
      'street',
      'city',
      'zip',
      'country',
      'created_at',
      'status',
      'loyalty_points',
      'username',
      'password_hash',
      'dni',
      'iban',
      'card_number',
      'last_login_ip',
      'device_mac',
      'api_key',
      'notes',
      'preferences',
      'salary',
      'latitude',
      'bank_account',
    ],
    values: customerRows,
  });
  for (const [column, l] of [
    ['id', 'none'],
    ['customer_code', 'identifier'],
    ['first_name', 'person-name'],
    ['last_name', 'person-name'],
    ['email', 'email'],
    ['phone', 'phone'],
    ['date_of_birth', 'birth-date'],
    ['ssn', 'national-id'],
    ['street', 'address'],
    ['city', 'city'],
    ['zip', 'postcode'],
    ['country', 'none'],
    ['created_at', 'none'],
    ['status', 'none'],
    ['loyalty_points', 'none'],
    ['username', 'username'],
    ['password_hash', 'secret'],
    ['dni', 'national-id'],
    ['iban', 'iban'],
    ['card_number', 'card-number'],
    ['last_login_ip', 'ip-address'],
    ['device_mac', 'mac-address'],
    ['api_key', 'secret'],
    ['notes', 'free-text'],
    ['preferences', 'email'],
    ['salary', 'sensitive'],
    ['latitude', 'geo-location'],
    ['bank_account', 'account-number'],
  ] as const) {
    label('customers', column, l, column === 'notes' ? 'free text with a name and a phone inside' : column === 'preferences' ? 'JSON: $.contact.email, $.contact.phone' : undefined);
  }
  return codes;
}

/** Orders: names that lie, low-cardinality companies, people and codes in innocuous columns. */
function plantOrders(p: Planting, codes: readonly string[]): void {
  const { r, pick, humans, firms, keep, planted, innocuous, rows, label } = p;
  const shipNames = firms.filter((_, i) => i % 37 === 5).slice(0, 12);
  const recipients = Array.from({ length: 15 }, () => {
    const p = pick(humans);
    return `${p.first} ${p.last}`;
  });
  const payees = Array.from({ length: 15 }, () => {
    const p = pick(humans);
    return `${p.last}, ${p.first}`;
  });
  const guests = Array.from({ length: 15 }, () => pick(humans).first);
  const orderCodes = codes.slice(0, 20);
  for (const v of [...shipNames, ...recipients, ...payees, ...guests, ...orderCodes]) (innocuous.add(v), planted.add(v));
  const orderRows: unknown[][] = [];
  for (let i = 0; i < 600; i++) {
    orderRows.push([
      i + 1,
      orderCodes[i % orderCodes.length],
      shipNames[i % shipNames.length],
      recipients[i % recipients.length],
      payees[(i * 7) % payees.length],
      guests[(i * 11) % guests.length],
      (5 + r() * 500).toFixed(2),
      pick(['shipped', 'delivered', 'pending', 'cancelled']),
      `2025-0${1 + (i % 9)}-0${1 + (i % 9)} 12:00:00`,
      `Leave at the back door. Ring ${keep(phone(r, i))} or deliver to ${keep(`${1 + Math.floor(r() * 300)} ${pick(humans).last} Street`)}.`,
      `TRK-${pad(100000 + i, 7)}`,
      i % 2 === 0 ? keep(`ship.${i}@example.com`) : keep(phone(r, i + 3)),
      keep(
        `orders.${i}.${pick(humans)
          .last.toLowerCase()
          .replace(/[^a-z]/g, '')}@example.org`,
      ),
      pick(['sent', 'bounced', 'opened', 'clicked']),
      keep(`https://hooks:${alnum(r, 16)}@hooks.example.com/o/${i}`),
      keep(jwt(r, `user-${i}`)),
    ]);
  }
  rows.set('orders', {
    columns: [
      'id',
      'customer_code',
      'ship_name',
      'recipient',
      'payee',
      'guest',
      'total',
      'status',
      'placed_at',
      'delivery_instructions',
      'tracking_number',
      'contact',
      'notes',
      'email',
      'webhook_url',
      'session',
    ],
    values: orderRows,
  });
  for (const [column, l, note] of [
    ['id', 'none'],
    ['customer_code', 'identifier', 'FK to customers: 20 codes like SAVEA'],
    ['ship_name', 'company', 'low-cardinality: 12 companies'],
    ['recipient', 'person-name', 'name lies: 15 people'],
    ['payee', 'person-name', 'name lies: "Last, First"'],
    ['guest', 'person-name', 'name lies: 15 first names'],
    ['total', 'none'],
    ['status', 'none'],
    ['placed_at', 'none'],
    ['delivery_instructions', 'phone', 'free text with phones and addresses'],
    ['tracking_number', 'none', 'codes of nothing personal'],
    ['contact', 'email', 'mixed: e-mails and phones'],
    ['notes', 'email', 'name lies: every value an e-mail'],
    ['email', 'none', 'name lies: e-mail delivery statuses'],
    ['webhook_url', 'url-credentials'],
    ['session', 'jwt'],
  ] as const) {
    label('orders', column, l, note);
  }
}

/** Employees: national identifiers of every scheme, and managers (a self-reference). */
function plantEmployees(p: Planting): unknown[][] {
  const { r, pick, humans, firms, keep, rows, label } = p;
  const employeeRows: unknown[][] = [];
  for (let i = 0; i < 200; i++) {
    const p = pick(humans);
    const aadhaarBody = digits(r, 11, '23456789');
    employeeRows.push([
      1000 + i,
      keep(`${p.first} ${p.last}`),
      keep(p.birth),
      `20${pad(10 + (i % 14), 2)}-0${1 + (i % 9)}-15`,
      keep(`${pick(['AB', 'CE', 'JG', 'TW', 'PR'])}${digits(r, 6)}${pick(['A', 'B', 'C', 'D'])}`),
      keep(bsn(r)),
      keep(`${aadhaarBody}${verhoeffDigit(aadhaarBody)}`),
      keep(insee(r)),
      keep(cpf(r)),
      keep(codiceFiscale(r)),
      pick(['Engineer', 'Manager', 'Analyst', 'Sales Representative']),
      pick(['SALES', 'HR', 'ENGINEERING', 'FINANCE']),
      keep(pick(firms)),
      keep(phone(r, i)),
      // a tree of managers several levels deep: 4 roots, then 3 reports each, a few with none, and a few
      // whose manager comes later in the table (a row that points forward: loaded in key order, its parent is not there yet)
      i < 4 || i % 29 === 0 ? null : i % 25 === 7 ? 1196 + (i % 4) : 1000 + Math.floor((i - 4) / 3),
    ]);
  }
  rows.set('employees', {
    columns: ['emp_no', 'full_name', 'birth_date', 'hire_date', 'nino', 'bsn', 'aadhaar', 'insee', 'cpf', 'codice_fiscale', 'title', 'department', 'employer', 'work_phone', 'manager_emp_no'],
    values: employeeRows,
  });
  for (const [column, l] of [
    ['emp_no', 'none'],
    ['full_name', 'person-name'],
    ['birth_date', 'birth-date'],
    ['hire_date', 'none'],
    ['nino', 'national-id'],
    ['bsn', 'national-id'],
    ['aadhaar', 'national-id'],
    ['insee', 'national-id'],
    ['cpf', 'national-id'],
    ['codice_fiscale', 'national-id'],
    ['title', 'none'],
    ['department', 'none'],
    ['employer', 'company'],
    ['work_phone', 'phone'],
    ['manager_emp_no', 'none'],
  ] as const)
    label('employees', column, l, column === 'manager_emp_no' ? 'self-reference: a chain of managers' : column === 'department' ? 'FK in a cycle with departments.head_emp_no' : undefined);
  return employeeRows;
}

/** Departments: in a cycle with employees (employees.department → departments, departments.head_emp_no → employees); returns the UPDATEs that close it. */
function plantDepartments(p: Planting, employeeRows: readonly unknown[][]): string[] {
  const { rows, label } = p;
  const departmentRows = ['SALES', 'HR', 'ENGINEERING', 'FINANCE'].map((code, i) => [code, `Department ${i + 1}`, null, (100000 * (i + 1)).toFixed(2)]);
  rows.set('departments', { columns: ['code', 'name', 'head_emp_no', 'budget'], values: departmentRows });
  const heads = departmentRows.map((d) => employeeRows.find((e) => e[11] === d[0])![0] as number);
  for (const [column, l] of [
    ['code', 'none'],
    ['name', 'none'],
    ['head_emp_no', 'none'],
    ['budget', 'none'],
  ] as const)
    label('departments', column, l);

  return heads.map((emp, i) => `UPDATE departments SET head_emp_no = ${emp} WHERE code = '${String(departmentRows[i]![0])}'`);
}

/** Mailings: a composite FK (customer_code, email) to a composite unique key that holds a personal value. */
function plantMailings(p: Planting): void {
  const { r, pick, rows, label } = p;
  const customerRows = rows.get('customers')!.values;
  const mailingRows: unknown[][] = [];
  for (let i = 0; i < 400; i++) {
    const c = customerRows[Math.floor(r() * customerRows.length)]!;
    mailingRows.push([i + 1, c[1], c[4], pick(['spring-sale', 'welcome', 'winback', 'survey']), `2025-0${1 + (i % 9)}-2${i % 8} 09:30:00`]);
  }
  rows.set('mailings', { columns: ['id', 'customer_code', 'email', 'campaign', 'sent_at'], values: mailingRows });
  for (const [column, l, note] of [
    ['id', 'none'],
    ['customer_code', 'identifier', 'composite FK (customer_code, email) to customers'],
    ['email', 'email', 'composite FK (customer_code, email) to customers'],
    ['campaign', 'none'],
    ['sent_at', 'none'],
  ] as const)
    label('mailings', column, l, note);
}

/** Payments: a partitioned table of personal data (by year), on PostgreSQL with an FK to customers. */
function plantPayments(p: Planting): void {
  const { r, pick, humans, keep, rows, label } = p;
  const customerRows = rows.get('customers')!.values;
  const paymentRows: unknown[][] = [];
  for (let i = 0; i < 360; i++) {
    const c = customerRows[Math.floor(r() * customerRows.length)]!;
    const p = pick(humans);
    const card = `5${digits(r, 14)}`;
    paymentRows.push([
      i + 1,
      `${2024 + (i % 3)}-${pad(1 + (i % 12), 2)}-${pad(1 + (i % 28), 2)}`,
      c[0],
      keep(`${p.first} ${p.last}`),
      keep(card + luhnDigit(card)),
      (1 + r() * 900).toFixed(2),
      `Refund requested by ${keep(`payer.${i}@example.com`)} on ${keep(phone(r, i))}.`,
    ]);
  }
  rows.set('payments', { columns: ['id', 'paid_on', 'customer_id', 'payer_name', 'card_number', 'amount', 'memo'], values: paymentRows });
  for (const [column, l, note] of [
    ['id', 'none'],
    ['paid_on', 'none', 'the partition key'],
    ['customer_id', 'none'],
    ['payer_name', 'person-name'],
    ['card_number', 'card-number'],
    ['amount', 'none'],
    ['memo', 'free-text', 'free text with an e-mail and a phone inside'],
  ] as const)
    label('payments', column, l, note);
}

/** Products: nothing personal, including codes, names and free text of things. */
function plantProducts(p: Planting): void {
  const { r, pick, rows, label } = p;
  const productRows: unknown[][] = [];
  const productNames = ['Chai', 'Aniseed Syrup', 'Tofu', 'Pavlova', 'Gravad lax', 'Ikura', 'Konbu', 'Chocolade', 'Geitost', 'Tourtière'];
  for (let i = 0; i < 100; i++) {
    productRows.push([
      i + 1,
      `PRD-${pad(i + 1, 5)}`,
      `${productNames[i % 10]} ${1 + Math.floor(i / 10)}`,
      pick(['Beverages', 'Condiments', 'Dairy Products', 'Seafood', 'Produce']),
      (1 + r() * 99).toFixed(2),
      `A ${pick(['fine', 'fresh', 'classic'])} ${pick(['blend', 'recipe', 'selection'])} from the ${pick(['north', 'coast', 'valley'])}, packed in ${pick(['glass', 'tins', 'boxes'])} of ${1 + Math.floor(r() * 12)}.`,
      `${pick(['Best', 'Good', 'Great'])} seller in ${pick(['spring', 'winter'])}`,
      Math.floor(r() * 500),
    ]);
  }
  rows.set('products', { columns: ['id', 'sku', 'name', 'category', 'price', 'description', 'summary', 'units_in_stock'], values: productRows });
  for (const [column, l] of [
    ['id', 'none'],
    ['sku', 'none'],
    ['name', 'none'],
    ['category', 'none'],
    ['price', 'none'],
    ['description', 'free-text'],
    ['summary', 'none'],
    ['units_in_stock', 'none'],
  ] as const)
    label('products', column, l, column === 'description' ? 'free text of things: text proposed, nothing inside' : undefined);
}

/** Events: JSON and log text with network identifiers and secrets inside. */
function plantEvents(p: Planting): void {
  const { r, pick, keep, rows, label } = p;
  const eventRows: unknown[][] = [];
  for (let i = 0; i < 300; i++) {
    const ip = `${10 + (i % 200)}.${i % 256}.${(i * 7) % 256}.${1 + (i % 250)}`;
    eventRows.push([
      i + 1,
      pick(['login', 'logout', 'purchase', 'view']),
      `2025-02-0${1 + (i % 9)} 08:00:00`,
      JSON.stringify({ client: { ip: keep(ip), agent: 'Mozilla/5.0' }, user: { email: keep(`evt${i}@example.com`) }, page: `/p/${i % 10}` }),
      `GET /api/items?page=${i % 5} from ${keep(ip)} token=${keep(`ghp_${alnum(r, 36)}`)} status=200`,
      keep(`2001:db8:${hex(r, 4)}::${hex(r, 4)}`),
      i % 3 === 0 ? 'mobile' : 'desktop',
      keep(`AKIA${letters(r, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`),
    ]);
  }
  rows.set('events', { columns: ['id', 'kind', 'created_at', 'payload', 'log_line', 'client_addr', 'device', 'access_key_id'], values: eventRows });
  for (const [column, l, note] of [
    ['id', 'none'],
    ['kind', 'none'],
    ['created_at', 'none'],
    ['payload', 'email', 'JSON: $.client.ip, $.user.email'],
    ['log_line', 'secret', 'text: IP and a GitHub token inside'],
    ['client_addr', 'ip-address', 'IPv6'],
    ['device', 'none'],
    ['access_key_id', 'secret', 'AWS key id'],
  ] as const) {
    label('events', column, l, note);
  }
}

/** Suppliers: a table of companies with a contact person. */
function plantSuppliers(p: Planting): void {
  const { r, pick, humans, firms, keep, rows, label } = p;
  const supplierRows: unknown[][] = [];
  for (let i = 0; i < 40; i++) {
    const p = pick(humans);
    supplierRows.push([i + 1, keep(firms[(i * 53) % firms.length]!), keep(`${p.first} ${p.last}`), keep(phone(r, i)), pick(['NET30', 'NET60', 'PREPAID']), (r() * 5).toFixed(1)]);
  }
  rows.set('suppliers', { columns: ['id', 'company_name', 'contact_person', 'fax', 'payment_terms', 'rating'], values: supplierRows });
  for (const [column, l] of [
    ['id', 'none'],
    ['company_name', 'company'],
    ['contact_person', 'person-name'],
    ['fax', 'phone'],
    ['payment_terms', 'none'],
    ['rating', 'none'],
  ] as const) {
    label('suppliers', column, l);
  }
}

/** The tables' DDL in the engine's types. */
function plantedDdl(engine: 'postgres' | 'mysql'): string[] {
  const pg = engine === 'postgres';
  const json = pg ? 'jsonb' : 'JSON';
  const ts = pg ? 'timestamp' : 'DATETIME';
  const text = pg ? 'text' : 'TEXT';
  const fk = (cols: string): string => cols;
  const ddl = [
    `CREATE TABLE customers (id integer PRIMARY KEY, customer_code char(5) NOT NULL UNIQUE, first_name varchar(60), last_name varchar(60), email varchar(120),
      phone varchar(40), date_of_birth date, ssn varchar(11), street varchar(120), city varchar(80), zip varchar(10), country char(2), created_at ${ts},
      status varchar(20), loyalty_points integer, username varchar(80), password_hash varchar(80), dni varchar(9), iban varchar(34), card_number varchar(19),
      last_login_ip varchar(45), device_mac varchar(17), api_key varchar(64), notes ${text}, preferences ${json}, salary decimal(12,2), latitude decimal(9,6), bank_account varchar(20),
      CONSTRAINT customers_email_key UNIQUE (email), CONSTRAINT customers_code_email_key UNIQUE (customer_code, email),
      CONSTRAINT customers_email_check CHECK (email LIKE '%@%'), CONSTRAINT customers_points_check CHECK (loyalty_points >= 0),
      CONSTRAINT customers_status_check CHECK (status IN ('active', 'pending', 'closed')))`,
    `CREATE TABLE orders (id integer PRIMARY KEY, customer_code char(5) NOT NULL, ship_name varchar(60), recipient varchar(60), payee varchar(60), guest varchar(40),
      total decimal(10,2), status varchar(20), placed_at ${ts}, delivery_instructions ${text}, tracking_number varchar(20), contact varchar(80), notes varchar(200),
      email varchar(20), webhook_url varchar(200), session ${text}, ${fk('CONSTRAINT orders_customer_fk FOREIGN KEY (customer_code) REFERENCES customers (customer_code)')})`,
    `CREATE TABLE departments (code varchar(20) PRIMARY KEY, name varchar(60) NOT NULL, head_emp_no integer, budget decimal(12,2) CHECK (budget > 0))`,
    `CREATE TABLE employees (emp_no integer PRIMARY KEY, full_name varchar(80), birth_date date, hire_date date, nino varchar(9), bsn varchar(9), aadhaar varchar(12) UNIQUE,
      insee varchar(15), cpf varchar(14), codice_fiscale char(16), title varchar(40), department varchar(20) NOT NULL, employer varchar(80), work_phone varchar(40),
      manager_emp_no integer, CONSTRAINT employees_manager_fk FOREIGN KEY (manager_emp_no) REFERENCES employees (emp_no),
      CONSTRAINT employees_department_fk FOREIGN KEY (department) REFERENCES departments (code), CONSTRAINT employees_manager_check CHECK (manager_emp_no <> emp_no))`,
    `ALTER TABLE departments ADD CONSTRAINT departments_head_fk FOREIGN KEY (head_emp_no) REFERENCES employees (emp_no)`,
    `CREATE TABLE mailings (id integer PRIMARY KEY, customer_code char(5) NOT NULL, email varchar(120) NOT NULL, campaign varchar(40), sent_at ${ts},
      CONSTRAINT mailings_customer_fk FOREIGN KEY (customer_code, email) REFERENCES customers (customer_code, email))`,
    pg
      ? `CREATE TABLE payments (id integer NOT NULL, paid_on date NOT NULL, customer_id integer NOT NULL REFERENCES customers (id), payer_name varchar(80), card_number varchar(19),
      amount decimal(10,2) CHECK (amount > 0), memo text, PRIMARY KEY (id, paid_on)) PARTITION BY RANGE (paid_on)`
      : `CREATE TABLE payments (id integer NOT NULL, paid_on date NOT NULL, customer_id integer NOT NULL, payer_name varchar(80), card_number varchar(19),
      amount decimal(10,2) CHECK (amount > 0), memo TEXT, PRIMARY KEY (id, paid_on))
      PARTITION BY RANGE (YEAR(paid_on)) (PARTITION p2024 VALUES LESS THAN (2025), PARTITION p2025 VALUES LESS THAN (2026), PARTITION p2026 VALUES LESS THAN MAXVALUE)`,
    ...(pg ? [2024, 2025, 2026].map((y) => `CREATE TABLE payments_${y} PARTITION OF payments FOR VALUES FROM ('${y}-01-01') TO ('${y + 1}-01-01')`) : []),
    `CREATE TABLE products (id integer PRIMARY KEY, sku varchar(12) UNIQUE, name varchar(60), category varchar(30), price decimal(8,2), description ${text},
      summary varchar(60), units_in_stock integer)`,
    `CREATE TABLE events (id integer PRIMARY KEY, kind varchar(20), created_at ${ts}, payload ${json}, log_line ${text}, client_addr varchar(45), device varchar(20),
      access_key_id varchar(20))`,
    `CREATE TABLE suppliers (id integer PRIMARY KEY, company_name varchar(80), contact_person varchar(80), fax varchar(40), payment_terms varchar(10), rating decimal(2,1))`,
  ];
  return ddl;
}

/**
 * Builds the planted database's DDL, rows and labels for one engine.
 * @example
 * ```ts
 * const planted = plantedPii('postgres');
 * for (const ddl of planted.ddl) await client.query(ddl);
 * ```
 */
export function plantedPii(engine: 'postgres' | 'mysql'): PlantedDatabase {
  const r = rng(20261206);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const humans = people();
  const firms = companies();
  const planted = new Set<string>();
  const innocuous = new Set<string>();
  const keep = (v: string): string => (planted.add(v), v);
  const rows = new Map<string, { columns: string[]; values: unknown[][] }>();
  const labels: PlantedColumn[] = [];
  const label = (table: string, column: string, l: Label, note?: string): void => void labels.push({ table, column, label: l, ...(note ? { note } : {}) });

  const p: Planting = { r, pick, humans, firms, keep, planted, innocuous, rows, label };
  // The tables in this order: each draws from the one generator.
  const codes = plantCustomers(p);
  plantOrders(p, codes);
  const employeeRows = plantEmployees(p);
  const after = plantDepartments(p, employeeRows);
  plantMailings(p);
  plantPayments(p);
  plantProducts(p);
  plantEvents(p);
  plantSuppliers(p);
  // loaded parents first: departments before employees (its head_emp_no is set by `after`)
  const loadOrder = ['customers', 'orders', 'departments', 'employees', 'mailings', 'payments', 'products', 'events', 'suppliers'];
  const ordered = new Map(loadOrder.map((t) => [t, rows.get(t)!]));
  return { ddl: plantedDdl(engine), rows: ordered, after, labels, plantedValues: planted, innocuousValues: innocuous };
}

/** What scan proposed for a column, against its label. */
export interface Scored {
  readonly precision: number;
  readonly recall: number;
  /** Positives whose proposed kinds include the labelled kind (or, for `free-text`, any transform). */
  readonly kindAccuracy: number;
  readonly truePositives: number;
  readonly falsePositives: Array<{ column: string; transform: string }>;
  readonly falseNegatives: Array<{ column: string; label: string }>;
  readonly wrongKind: Array<{ column: string; label: string; kinds: string }>;
}

/**
 * Precision and recall of "should be transformed" over the labelled columns.
 * @param proposed `table.column` → the transform and kinds scan proposed.
 */
export function score(labels: readonly PlantedColumn[], proposed: ReadonlyMap<string, { transform: string; kinds: readonly string[] }>): Scored {
  let tp = 0;
  let rightKind = 0;
  const falsePositives: Scored['falsePositives'] = [];
  const falseNegatives: Scored['falseNegatives'] = [];
  const wrongKind: Scored['wrongKind'] = [];
  for (const l of labels) {
    const key = `${l.table}.${l.column}`;
    const p = proposed.get(key);
    if (!p) throw new Error(`scan reported nothing for ${key}`);
    const positive = p.transform !== 'keep';
    if (l.label === 'none') {
      if (positive) falsePositives.push({ column: key, transform: p.transform });
      continue;
    }
    if (!positive) {
      falseNegatives.push({ column: key, label: l.label });
      continue;
    }
    tp++;
    if (l.label === 'free-text' || p.kinds.includes(l.label)) rightKind++;
    else wrongKind.push({ column: key, label: l.label, kinds: p.kinds.join('+') });
  }
  return {
    precision: tp / (tp + falsePositives.length),
    recall: tp / (tp + falseNegatives.length),
    kindAccuracy: tp === 0 ? 0 : rightKind / tp,
    truePositives: tp,
    falsePositives,
    falseNegatives,
    wrongKind,
  };
}

/** A planted database created on a server, with its URL and a way to drop it. */
export interface PlantedServerDatabase {
  readonly url: string;
  readonly planted: PlantedDatabase;
  drop(): Promise<void>;
}

/**
 * Creates a fresh database named `understudy_test_pii_<random>` on the server `adminUrl`
 * points at (PostgreSQL or MariaDB), loads the planted tables and analyses them.
 * @example
 * ```ts
 * const db = await createPlantedDatabase('postgres', process.env.UNDERSTUDY_TEST_PG_URL!);
 * try { … } finally { await db.drop(); }
 * ```
 */
export async function createPlantedDatabase(engine: 'postgres' | 'mysql', adminUrl: string): Promise<PlantedServerDatabase> {
  const name = `understudy_test_pii_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const planted = plantedPii(engine);
  const target = new URL(adminUrl);
  target.pathname = `/${name}`;
  const url = target.toString();
  if (engine === 'postgres') {
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      for (const ddl of planted.ddl) await db.query(ddl);
      // one statement per table: its FKs are checked at the statement's end (a manager may come after their report)
      for (const [table, { columns, values }] of planted.rows) {
        const params: unknown[] = [];
        const tuples = values.map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
        await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
      }
      for (const sql of planted.after) await db.query(sql);
      await db.query('ANALYZE');
    } finally {
      await db.end();
    }
    return {
      url,
      planted,
      drop: async () => {
        const a = new pg.Client({ connectionString: adminUrl });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const { default: mysql } = await import('mysql2/promise');
  const admin = await mysql.createConnection({ uri: adminUrl });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  await admin.end();
  const db = await mysql.createConnection({ uri: url });
  try {
    for (const ddl of planted.ddl) await db.query(ddl);
    // MariaDB checks an FK row by row: off for the load (a manager may come after their report), the data holds them all
    await db.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const [table, { columns, values }] of planted.rows) {
      await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [values]);
    }
    await db.query('SET FOREIGN_KEY_CHECKS = 1');
    for (const sql of planted.after) await db.query(sql);
    for (const table of planted.rows.keys()) await db.query(`SET STATEMENT histogram_type = 'JSON_HB' FOR ANALYZE TABLE ${table} PERSISTENT FOR ALL`);
  } finally {
    await db.end();
  }
  return {
    url,
    planted,
    drop: async () => {
      const a = await mysql.createConnection({ uri: adminUrl });
      await a.query(`DROP DATABASE IF EXISTS ${name}`);
      await a.end();
    },
  };
}

/**
 * The planted values that occur in `text`, as written (strings of 6 characters or more, so
 * that a count or a type name cannot match by chance; case-sensitive, so that the city
 * `Mobile` is not found in the planted category `mobile`).
 * @example
 * ```ts
 * expect(leakedValues(stdout, planted.plantedValues)).toEqual([]);
 * ```
 */
export function leakedValues(text: string, values: ReadonlySet<string>): string[] {
  return [...values].filter((v) => v.length >= 6 && text.includes(v));
}
