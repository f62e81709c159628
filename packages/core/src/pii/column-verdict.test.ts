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

describe('names whose personal word only qualifies them (found on zencart, farmbot, hexpm, icingadb, sanbase, friendica)', () => {
  it('a last word that names a category, a picture, a link, a number or a duration wins', () => {
    for (const name of ['token_type', 'record_company_image', 'record_company_url', 'address_format', 'pin_guard_1_time_out', 'comment_count', 'token_endpoint_auth_methods', 'email_template'])
      expect(kindsFromName(name), name).toEqual([]);
    expect(kindsFromName('password_hash')[0]?.kind).toBe('secret');
    expect(kindsFromName('email_address')[0]?.kind).toBe('email');
  });

  it('a tax, a VAT or a licence alone is no national id; the number of one is', () => {
    for (const name of ['order_tax', 'products_tax', 'tax_rate', 'tax_priority', 'shipping_tax_rate', 'vat', 'license']) expect(kindsFromName(name), name).toEqual([]);
    for (const name of ['tax_number', 'vat_id', 'vat_number', 'licence_no', 'driver_license', 'national_insurance']) expect(kindsFromName(name)[0]?.kind, name).toBe('national-id');
    expect(verdict('order_tax', repeat(['0.0000', '1.2500', '7.9900'], 50), 'decimal').kinds).toEqual([]);
  });

  it("a handle after another word, or alone in a table of people, is a person's username; a nick is a name", () => {
    for (const name of ['twitter_handle', 'telegram_handle', 'discord_user_handle', 'githubHandle']) expect(kindsFromName(name)[0]?.kind, name).toBe('username');
    expect(kindsFromName('file_handle')).toEqual([]);
    expect(verdict('handle', [], 'text', 'users').kinds).toEqual(['username']);
    expect(verdict('handle', [], 'text', 'products').kinds).toEqual([]);
    expect(verdict('nick', [], 'varchar', 'contact').kinds).toEqual(['person-name']);
  });

  it('an id of bytes names a row it points at, not the thing its name says (icingadb: SHA-1 ids)', () => {
    for (const [name, kind] of [
      ['last_comment_id', 'blob'],
      ['notes_url_id', 'binary'],
      ['comment_history_id', 'varbinary'],
    ] as const)
      expect(verdict(name, [], kind).kinds, name).toEqual([]);
    expect(verdict('last_comment', [], 'text').kinds).toEqual(['free-text']);
  });

  it("`<word>_name` is a person's when the word before `name` names people; a group's name is not", () => {
    expect(verdict('parent_arg_name', [], 'varchar', 'primary_nodes').kinds).toEqual([]);
    expect(verdict('guest_name', [], 'varchar', 'bookings').kinds).toEqual(['person-name']);
    expect(verdict('customers_name', [], 'varchar', 'orders').kinds).toEqual(['person-name']);
    expect(verdict('name', [], 'varchar', 'usergroup').kinds).toEqual([]);
    expect(verdict('name', [], 'varchar', 'user_roles').kinds).toEqual([]);
    expect(verdict('name', [], 'varchar', 'customers').kinds).toEqual(['person-name']);
  });

  it('a handful of capitalised labels names no entity (zencart: seven banner groups, five currencies)', () => {
    expect(verdict('banners_group', ['SideBox-Banners', 'BannersAll', 'Wide-Banners', 'Sidebox-Bottom', 'Header-Position', 'Footer-Position', 'Kronos-Slider']).kinds).toEqual([]);
    expect(verdict('title', ['US Dollar', 'Euro', 'GB Pound', 'Canadian Dollar', 'Australian Dollar']).kinds).toEqual([]);
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
