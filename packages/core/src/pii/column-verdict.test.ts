import { beforeAll, describe, expect, it } from 'vitest';
import { kindsFromName } from './column-name-detector.js';
import { classifyColumnPii } from './column-verdict.js';
import { loadPiiDictionaries, type PiiDictionaries } from './dictionaries.js';
import type { Column } from '../schema-model.js';

let dictionaries: PiiDictionaries;
beforeAll(async () => {
  dictionaries = await loadPiiDictionaries();
});

const repeat = <T>(values: readonly T[], n: number): T[] => Array.from({ length: n }, (_, i) => values[i % values.length]!);
const verdict = (name: string, values: Array<string | null>, kind: Column['kind'] = 'text', table = 'things') =>
  classifyColumnPii({ table: { name: table }, column: { name, kind }, values, dictionaries });

describe('kindsFromName', () => {
  it.each([
    ['billing_phone_number', 'phone'],
    ['contactEmail', 'email'],
    ['first_name', 'person-name'],
    ['ip_address', 'ip-address'],
    ['mac_addr', 'mac-address'],
    ['date_of_birth', 'birth-date'],
    ['iban', 'iban'],
    ['api_key', 'secret'],
    ['zip', 'postcode'],
    ['passport_no', 'national-id'],
    ['street', 'address'],
    ['display_name', 'person-name'],
    ['employer', 'company'],
  ])('%s → %s', (name, kind) => {
    expect(kindsFromName(name)[0]?.kind).toBe(kind);
  });

  it('finds nothing in ordinary names', () => {
    for (const name of ['status', 'amount', 'created_at', 'product_name', 'quantity', 'ship_via']) expect(kindsFromName(name), name).toEqual([]);
  });
});

describe('classifyColumnPii: values against names', () => {
  it('an integer or uuid key named after what it points at is a key, not that thing; an id that is itself personal stays', () => {
    const ids = Array.from({ length: 60 }, (_, i) => String(1000 + i * 7));
    for (const name of ['address_id', 'city_id', 'email_id', 'phone_id', 'billing_address_id', 'addressId']) expect(verdict(name, ids, 'integer').kinds, name).toEqual([]);
    expect(verdict('contact_email_uuid', [], 'uuid').kinds).toEqual([]);
    expect(verdict('national_id', [], 'bigint').kinds).toEqual(['national-id']);
    expect(verdict('tax_id', [], 'integer').kinds).toEqual(['national-id']);
    // a text column keeps the name's word: `email_id varchar` may well hold addresses
    expect(verdict('address', [], 'text').kinds).toEqual(['address']);
  });

  it('a column named notes that holds e-mails is an e-mail column', () => {
    const v = verdict('notes', repeat(['ana.lima@example.org', 'bob.stone@example.com', 'c.d@example.net'], 50));
    expect(v.kinds).toEqual(['email']);
    expect(v.reason).toMatch(/email matched 50 of 50/);
  });

  it('a column named email that holds no address is not personal', () => {
    const v = verdict('email', repeat(['sent', 'bounced', 'opened'], 60));
    expect(v.kinds).toEqual([]);
    expect(v.reason).toMatch(/name says email, but none of 60 values is one/);
  });

  it('a column named recipient that holds people is a person-name column', () => {
    const people = ['Maria Garcia', 'John Smith', 'Sam Barnes', 'Hank Aaron', 'Ana Lima', 'Pedro Alvarez', 'Jean Dupont', 'Emma Schmidt'];
    expect(verdict('recipient', repeat(people, 40)).kinds).toEqual(['person-name']);
  });

  it('low-cardinality company names and customer codes are caught', () => {
    const ships = ['Hanari Carnes', 'Ernst Handel', 'Save-a-lot Markets', 'QUICK-Stop', 'Richter Supermarkt', 'Folk och fä HB', 'Wellington Importadora', 'Toms Spezialitäten'];
    expect(verdict('ship_name', repeat(ships, 80), 'varchar').kinds).toEqual(['company']);
    expect(verdict('customer_ref', repeat(['SAVEA', 'ERNSH', 'QUICK', 'HANAR', 'RICSU', 'FOLKO'], 80), 'char').kinds).toEqual(['identifier']);
  });

  it('categories stay categories', () => {
    expect(verdict('status', repeat(['active', 'pending', 'closed'], 90)).kinds).toEqual([]);
    expect(verdict('category', repeat(['Beverages', 'Condiments', 'Dairy Products', 'Seafood', 'Produce'], 90)).kinds).toEqual([]);
    expect(verdict('country', repeat(['Germany', 'France', 'USA', 'Brazil', 'UK'], 90)).kinds).toEqual([]);
  });

  it('free text and JSON report what they contain and where', () => {
    const notes = repeat(['Customer happy with delivery.', 'Called back on +44 20 7946 0958 about the refund.', 'No issue.'], 30);
    const text = verdict('comments', notes);
    expect(text.container).toBe('text');
    expect(text.kinds).toContain('phone');
    const docs = repeat(['{"contact":{"email":"a@example.org"},"tier":"gold"}', '{"contact":{"email":"b@example.org"},"tier":"basic"}'], 20);
    const json = verdict('payload', docs, 'jsonb');
    expect(json.container).toBe('json');
    expect(json.jsonPaths).toEqual({ '$.contact.email': ['email'] });
  });

  it('a name that values cannot check stands (a username), a type is believed (inet)', () => {
    expect(verdict('username', repeat(['jsmith42', 'ana_l', 'bstone', 'zed99', 'kk'], 50)).kinds).toEqual(['username']);
    expect(verdict('last_seen_from', repeat(['10.1.2.3', '192.168.7.1'], 30), 'inet').kinds).toEqual(['ip-address']);
  });

  it('dates of birth by name and plausible range', () => {
    const v = verdict('dob', repeat(['1985-03-02', '1990-11-30', '1972-06-15'], 30), 'date');
    expect(v.kinds).toEqual(['birth-date']);
    expect(v.confidence).toBeGreaterThanOrEqual(0.9);
    expect(verdict('created_at', repeat(['1985-03-02', '1990-11-30'], 30), 'date').kinds).toEqual([]);
  });

  it('without values, the schema decides', () => {
    expect(verdict('phone', []).kinds).toEqual(['phone']);
    expect(verdict('status', []).kinds).toEqual([]);
  });
});
