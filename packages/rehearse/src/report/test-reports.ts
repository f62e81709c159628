/**
 * Realistic rehearsal reports for the renderer tests (not part of the build), each
 * validated by `RehearsalReportModel.parse`, and a strict little XML reader that
 * checks well-formedness (so a renderer cannot pass with broken escaping).
 */
import { RehearsalReportModel, type RehearsalReport } from './rehearsal-report.js';
import { postgresLock } from '@understudy/postgres';

/** A statement with every character XML and Markdown must escape: `<`, `&`, quotes, a pipe, backticks, control characters. */
export const NASTY_SQL = 'ALTER TABLE `orders` ADD CONSTRAINT "ck<&>" CHECK (note <> \'a|b\' AND total > 0 & 1)\u0007\u001b';

/** Two PostgreSQL migrations that pass, with locks, a rewrite, a down round trip, a user check and an estimate. */
export const passingReport: RehearsalReport = RehearsalReportModel.parse({
  version: 1,
  environment: 'PGlite (in memory)',
  dialect: 'postgres',
  migrationsDir: 'db/migrations',
  format: 'plain',
  baseline: [{ id: '001', name: '001_init' }],
  seed: { rows: 3000, tables: 3, durationMs: 412 },
  migrations: [
    {
      id: '002',
      name: 'add_status',
      status: 'passed',
      durationMs: 14.2,
      statements: [
        {
          file: '002_add_status.up.sql',
          line: 1,
          sql: "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new'",
          durationMs: 9.1,
          rowsAffected: null,
          locks: [postgresLock('public.orders', 'AccessExclusiveLock'), postgresLock('public.orders', 'RowExclusiveLock')],
          rewrites: [],
        },
      ],
    },
    {
      id: '003',
      name: 'total_numeric',
      status: 'passed',
      durationMs: 1520,
      statements: [
        {
          file: '003_total_numeric.up.sql',
          line: 2,
          sql: 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)',
          durationMs: 1510,
          rowsAffected: null,
          locks: [postgresLock('public.orders', 'AccessExclusiveLock')],
          rewrites: [
            { relation: 'public.orders', kind: 'table' },
            { relation: 'public.orders_pkey', kind: 'index' },
          ],
        },
      ],
    },
  ],
  schemaChanges: [
    { change: 'added', object: 'column', name: 'public.orders.status' },
    { change: 'changed', object: 'column', name: 'public.orders.total', detail: 'type integer → numeric(12,2)' },
  ],
  dataChanges: [],
  down: {
    steps: [
      { id: '003', name: 'total_numeric', status: 'passed', durationMs: 800 },
      { id: '002', name: 'add_status', status: 'passed', durationMs: 5 },
    ],
    restored: true,
    differences: [],
  },
  checks: [{ name: 'orders per customer', query: 'select count(*) from orders', before: [{ count: 3000 }], after: [{ count: 3000 }], changed: false, expectChange: false, status: 'passed' }],
  estimates: [
    {
      migration: '003_total_numeric',
      file: '003_total_numeric.up.sql',
      line: 2,
      sql: 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)',
      table: 'public.orders',
      targetRows: 12_000_000,
      estimatedMs: 95_000,
      lockMode: 'AccessExclusiveLock',
      basis: 'linear fit over 1,000 and 10,000 rows; target rows from profile.json',
    },
  ],
  hazards: [],
  durationMs: 4200,
});

/** MariaDB: one ALTER probed INSTANT passes, one fails over NULLs with offending rows, the third is skipped. */
export const failingReport: RehearsalReport = RehearsalReportModel.parse({
  version: 1,
  environment: 'mysql://root@127.0.0.1:3306/understudy_rehearse_1a2b3c',
  dialect: 'mysql',
  migrationsDir: 'db/migrations',
  format: 'plain',
  baseline: [],
  seed: { rows: 1000, tables: 1, durationMs: 300 },
  migrations: [
    {
      id: '001',
      name: 'add_note',
      status: 'passed',
      durationMs: 31,
      statements: [
        {
          file: '001_add_note.up.sql',
          line: 1,
          sql: 'ALTER TABLE `orders` ADD COLUMN note varchar(40) NULL',
          durationMs: 30.5,
          rowsAffected: null,
          locks: [],
          rewrites: [],
          alter: { algorithm: 'INSTANT', lock: 'NONE' },
        },
      ],
    },
    {
      id: '002',
      name: 'note_required',
      status: 'failed',
      durationMs: 12,
      statements: [],
      failure: {
        file: '002_note_required.up.sql',
        line: 3,
        sql: NASTY_SQL,
        error: "Data truncated for column 'note' at row 1\nsecond line <b>",
        offendingRows: {
          description: 'rows of test.orders where note IS NULL',
          query: 'SELECT `id`, `note` FROM `orders` WHERE `note` IS NULL',
          rows: [
            { id: '3', note: null },
            { id: '7', note: null },
            { id: '9', note: 'a|b' },
          ],
          total: 41,
        },
      },
    },
    { id: '003', name: 'index_note', status: 'skipped', durationMs: 0, statements: [] },
  ],
  schemaChanges: [{ change: 'added', object: 'column', name: 'test.orders.note' }],
  dataChanges: [],
  hazards: [{ kind: 'failed', migration: '002', message: "migration 002 note_required failed at 002_note_required.up.sql:3: Data truncated for column 'note' at row 1" }],
  durationMs: 900,
});

/** Everything passes, but data is lost, the down leaves a difference and a user check fails. */
export const lossyReport: RehearsalReport = RehearsalReportModel.parse({
  version: 1,
  environment: 'postgres://app:***@127.0.0.1:5432/understudy_rehearse_4d5e',
  dialect: 'postgres',
  migrationsDir: 'migrations',
  format: 'golang-migrate',
  baseline: [{ id: '1', name: '1_init' }],
  seed: { rows: 2000, tables: 2, durationMs: 200 },
  migrations: [
    {
      id: '2',
      name: 'drop_phone',
      status: 'passed',
      durationMs: 8,
      statements: [
        {
          file: '2_drop_phone.up.sql',
          line: 1,
          sql: 'ALTER TABLE users DROP COLUMN phone',
          durationMs: 7,
          rowsAffected: null,
          locks: [postgresLock('public.users', 'AccessExclusiveLock')],
          rewrites: [],
        },
      ],
      hazards: ['drops column public.users.phone'],
    },
    {
      id: '3',
      name: 'short_names',
      status: 'passed',
      durationMs: 40,
      statements: [
        {
          file: '3_short_names.up.sql',
          line: 1,
          sql: 'UPDATE users SET name = left(name, 5)',
          durationMs: 39,
          rowsAffected: 1000,
          locks: [postgresLock('public.users', 'RowExclusiveLock')],
          rewrites: [],
        },
      ],
    },
  ],
  schemaChanges: [{ change: 'removed', object: 'column', name: 'public.users.phone' }],
  dataChanges: [
    {
      table: 'public.users',
      rowsBefore: 1000,
      rowsAfter: 1000,
      rowsLost: 0,
      rowsAdded: 0,
      columns: [
        { column: 'phone', changedRows: null, nullsBefore: 100, nullsAfter: 1000, distinctBefore: 900, distinctAfter: 0, dropped: true },
        { column: 'name', changedRows: 812, nullsBefore: 0, nullsAfter: 0, distinctBefore: 990, distinctAfter: 700, truncated: true },
      ],
    },
  ],
  down: {
    steps: [
      { id: '3', name: 'short_names', status: 'missing', durationMs: 0 },
      {
        id: '2',
        name: 'drop_phone',
        status: 'failed',
        durationMs: 3,
        failure: { file: '2_drop_phone.down.sql', line: 1, sql: 'ALTER TABLE users ADD COLUMN phone text NOT NULL', error: 'column "phone" of relation "users" contains null values' },
      },
    ],
    restored: false,
    differences: [{ change: 'removed', object: 'column', name: 'public.users.phone' }],
  },
  checks: [
    { name: 'active users', query: "select count(*) from users where status = 'active'", before: [{ count: 700 }], after: [{ count: 650 }], changed: true, expectChange: false, status: 'failed' },
    { name: 'names | pipes', query: 'select 1', before: [{ x: 1 }], after: [{ x: 1 }], changed: false, expectChange: true, status: 'failed', error: 'relation "x" does not exist' },
  ],
  hazards: [
    { kind: 'data-lost', migration: '2', message: 'column public.users.phone dropped: 900 non-NULL values lost' },
    { kind: 'data-lost', migration: '3', message: 'public.users.name truncated in 812 rows' },
    { kind: 'down-mismatch', message: 'the downs leave public.users.phone removed' },
    { kind: 'check-failed', message: 'active users changed' },
  ],
  durationMs: 700,
});

/** An element of a parsed XML document. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  /** The element's own text, entities decoded. */
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;

function decode(raw: string, where: number): string {
  return raw.replace(/&([^;]*);?/g, (whole, entity: string) => {
    if (!whole.endsWith(';')) throw new Error(`unterminated entity at ${where}: ${whole}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity in named) return named[entity]!;
    const numeric = /^#(x[0-9a-f]+|\d+)$/i.exec(entity);
    if (numeric) return String.fromCodePoint(entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
    throw new Error(`unknown entity &${entity}; at ${where}`);
  });
}

/**
 * Parses an XML document strictly enough for a test: one root, properly nested and closed
 * elements, quoted attributes without `<`, no raw `&` or `<` in text, no character XML 1.0
 * forbids. Throws on the first problem.
 */
export function parseXml(xml: string): XmlElement {
  const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.exec(xml);
  if (forbidden) throw new Error(`character U+${forbidden[0].charCodeAt(0).toString(16)} is not allowed in XML, at ${forbidden.index}`);
  let i = 0;
  const prolog = /^<\?xml [^?]*\?>\s*/.exec(xml);
  if (prolog) i = prolog[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    if (xml[i] === '<') {
      if (xml.startsWith('</', i)) {
        const end = xml.indexOf('>', i);
        const name = xml.slice(i + 2, end).trim();
        const open = stack.pop();
        if (!open || open.name !== name) throw new Error(`</${name}> at ${i} closes ${open ? `<${open.name}>` : 'nothing'}`);
        i = end + 1;
        continue;
      }
      const name = NAME.exec(xml.slice(i + 1))?.[0];
      if (!name) throw new Error(`bad tag at ${i}`);
      i += 1 + name.length;
      const element: XmlElement = { name, attributes: {}, children: [], text: '' };
      for (;;) {
        const space = /^\s*/.exec(xml.slice(i))![0];
        i += space.length;
        if (xml.startsWith('/>', i) || xml[i] === '>') break;
        if (space.length === 0) throw new Error(`missing space before attribute at ${i}`);
        const attr = /^([A-Za-z_][\w.-]*)="([^"<]*)"/.exec(xml.slice(i));
        if (!attr) throw new Error(`bad attribute at ${i}: ${xml.slice(i, i + 30)}`);
        if (attr[1]! in element.attributes) throw new Error(`duplicate attribute ${attr[1]} at ${i}`);
        element.attributes[attr[1]!] = decode(attr[2]!, i);
        i += attr[0].length;
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) throw new Error(`second root element <${name}> at ${i}`);
      else root = element;
      if (xml.startsWith('/>', i)) i += 2;
      else {
        i += 1;
        stack.push(element);
      }
      continue;
    }
    const next = xml.indexOf('<', i);
    const raw = xml.slice(i, next === -1 ? xml.length : next);
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (raw.trim() !== '') throw new Error(`text outside the root element at ${i}`);
    } else {
      if (raw.includes('>') && raw.includes(']]>')) throw new Error(`]]> in text at ${i}`);
      parent.text += decode(raw, i);
    }
    i = next === -1 ? xml.length : next;
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element named `name` below `element`, depth first. */
export function elements(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((c) => [...(c.name === name ? [c] : []), ...elements(c, name)]);
}
