import type { ColumnKind } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { afterCreation, earlierSibling, inferSemanticKind, lowerSibling } from './infer-semantic.js';
import { nameTokens } from './name-tokens.js';
import { SEMANTIC_KINDS } from './semantic-kinds.js';

const text: ColumnKind = 'varchar';

/** [column name, column kind, table, expected semantic kind] */
const CASES: Array<[string, ColumnKind, string, string]> = [
  ['email', text, 'users', 'email'],
  ['billing_email', text, 'invoice', 'email'],
  ['EmailAddress', text, 'Customer', 'email'],
  ['emailAddress', text, 'customer', 'email'],
  ['contact_phone', text, 'supplier', 'phone'],
  ['PhoneNumber', text, 'Employee', 'phone'],
  ['fax', text, 'customers', 'fax'],
  ['first_name', text, 'actor', 'first_name'],
  ['FirstName', text, 'Employee', 'first_name'],
  ['firstname', text, 'employee', 'first_name'],
  ['last_name', text, 'actor', 'last_name'],
  ['LastName', text, 'Customer', 'last_name'],
  ['middle_name', text, 'person', 'middle_name'],
  ['full_name', text, 'users', 'full_name'],
  ['username', text, 'users', 'username'],
  ['user_name', text, 'users', 'username'],
  ['password_hash', text, 'users', 'password_hash'],
  ['password', text, 'staff', 'password'],
  ['zip', text, 'address', 'postal_code'],
  ['postal_code', text, 'address', 'postal_code'],
  ['ZipCode', text, 'Address', 'postal_code'],
  ['city', text, 'address', 'city'],
  ['state', text, 'address', 'state'],
  ['country', text, 'address', 'country'],
  ['country_code', 'char', 'address', 'country_code'],
  ['address', text, 'address', 'street_address'],
  ['address2', text, 'address', 'address_line2'],
  ['district', text, 'address', 'district'],
  ['lat', 'double', 'store', 'latitude'],
  ['latitude', 'decimal', 'store', 'latitude'],
  ['lng', 'double', 'store', 'longitude'],
  ['lon', 'double', 'store', 'longitude'],
  ['longitude', 'decimal', 'store', 'longitude'],
  ['created_at', 'timestamptz', 'orders', 'created_at'],
  ['createdAt', 'timestamp', 'orders', 'created_at'],
  ['updated_at', 'timestamptz', 'orders', 'updated_at'],
  ['last_update', 'timestamp', 'film', 'updated_at'],
  ['deleted_at', 'timestamptz', 'orders', 'deleted_at'],
  ['birth_date', 'date', 'employees', 'birth_date'],
  ['dob', 'date', 'patient', 'birth_date'],
  ['price', 'decimal', 'product', 'price'],
  ['unit_price', 'decimal', 'order_details', 'price'],
  ['amount', 'decimal', 'payment', 'amount'],
  ['total', 'decimal', 'invoice', 'total'],
  ['quantity', 'integer', 'order_items', 'quantity'],
  ['rating', 'smallint', 'review', 'rating'],
  ['sku', text, 'product', 'sku'],
  ['slug', text, 'post', 'slug'],
  ['url', text, 'link', 'url'],
  ['website', text, 'company', 'url'],
  ['avatar_url', text, 'users', 'avatar_url'],
  ['ip_address', 'inet', 'sessions', 'ip_address'],
  ['ip_address', text, 'sessions', 'ip_address'],
  ['user_agent', text, 'sessions', 'user_agent'],
  ['currency', 'char', 'payment', 'currency'],
  ['iban', text, 'account', 'iban'],
  ['bic', text, 'account', 'bic'],
  ['credit_card', text, 'payment', 'credit_card'],
  ['filename', text, 'attachment', 'file_name'],
  ['FileName', text, 'Document', 'file_name'],
  ['file_name', text, 'upload', 'file_name'],
  ['mime_type', text, 'upload', 'mime_type'],
  ['file_size', 'bigint', 'upload', 'file_size'],
  ['color', text, 'car', 'color'],
  ['company', text, 'customer', 'company_name'],
  ['CompanyName', text, 'Suppliers', 'company_name'],
  ['job_title', text, 'employee', 'job_title'],
  ['description', 'text', 'film', 'description'],
  ['title', text, 'film', 'title'],
  ['Title', text, 'Employees', 'job_title'],
  ['gender', text, 'person', 'gender'],
  ['language', text, 'users', 'language'],
  ['locale', text, 'users', 'locale'],
  ['timezone', text, 'users', 'timezone'],
  ['domain', text, 'tenant', 'domain_name'],
  ['isbn', text, 'book', 'isbn'],
  ['version', text, 'release', 'version'],
  ['status', text, 'orders', 'status'],
  ['token', text, 'sessions', 'token'],
  ['uuid', text, 'event', 'uuid'],
  ['hash', text, 'blob', 'hash'],
  ['year', 'integer', 'car', 'year'],
  ['release_year', 'year', 'film', 'year'],
  ['age', 'integer', 'person', 'age'],
  ['percent', 'decimal', 'discount', 'percent'],
  ['discount', 'real', 'order_details', 'discount'],
  ['tax_rate', 'decimal', 'invoice', 'tax'],
  ['mac_address', 'macaddr', 'device', 'mac_address'],
  ['hostname', text, 'server', 'domain_name'],
  ['vin', text, 'vehicle', 'vin'],
  ['license_plate', text, 'vehicle', 'license_plate'],
  ['order_number', text, 'orders', 'order_number'],
  ['ssn', text, 'employee', 'ssn'],
  ['account_number', text, 'bank_account', 'account_number'],
  ['department', text, 'employee', 'department'],
  ['genre', text, 'album', 'genre'],
  ['category', text, 'product', 'category'],
  ['tags', text, 'post', 'tag'],
  ['code', text, 'coupon', 'code'],
  ['role', text, 'users', 'role'],
  ['priority', text, 'ticket', 'priority'],
  ['notes', 'text', 'orders', 'comment'],
  ['bio', 'text', 'author', 'comment'],
  ['expires_at', 'timestamptz', 'sessions', 'expires_at'],
  ['hire_date', 'date', 'employee', 'hire_date'],
  ['last_login', 'timestamptz', 'users', 'last_seen_at'],
  ['login_date', 'timestamp', 'user', 'last_seen_at'],
  ['register_date', 'timestamp', 'user', 'created_at'],
  ['date_purchased', 'timestamp', 'orders', 'created_at'],
  ['customers_info_date_of_last_logon', 'timestamp', 'customers_info', 'last_seen_at'],
  ['rental_date', 'timestamp', 'rental', 'event_time'],
  ['weight', 'decimal', 'product', 'weight'],
  ['height', 'integer', 'person', 'dimension'],
  ['duration', 'integer', 'track', 'duration'],
  ['port', 'integer', 'server', 'port'],
  ['sort_order', 'integer', 'menu', 'sort_order'],
  ['active', 'boolean', 'customer', 'flag_true'],
  ['activebool', 'boolean', 'customer', 'flag_true'],
  ['is_deleted', 'boolean', 'post', 'flag_false'],
  ['has_children', 'boolean', 'person', 'flag'],
  ['barcode', text, 'product', 'barcode'],
  ['street', text, 'address', 'street_name'],
  ['county', text, 'address', 'county'],
  ['card_cvv', text, 'payment', 'card_cvv'],
  // scira (a drizzle app): the last four digits of a card, not a sentence.
  ['card_last_four', text, 'payment', 'card_last_four'],
  ['last4', 'integer', 'payment_methods', 'card_last_four'],
  // CodeTriage: an account named after its service is a handle.
  ['github', text, 'users', 'username'],
  ['twitter_handle', text, 'speakers', 'username'],
  // CodeTriage: a limit a person sets is a small count.
  ['daily_issue_limit', 'integer', 'users', 'limit'],
  ['email_limit', 'integer', 'repo_subscriptions', 'limit'],
  ['TitleOfCourtesy', text, 'Employees', 'name_prefix'],
  ['month', 'integer', 'report', 'month'],
  ['product_name', text, 'products', 'product_name'],
  // Synapse: moments in integers, named in words no rule lists.
  ['valid_until_ms', 'bigint', 'access_tokens', 'epoch_time'],
  ['expiry_time', 'bigint', 'open_id_tokens', 'epoch_time'],
  ['creation_time', 'bigint', 'ui_auth_sessions', 'epoch_time'],
  ['ts_added_ms', 'bigint', 'blocked_rooms', 'epoch_time'],
  ['last_seen', 'bigint', 'devices', 'epoch_time'],
  ['last_validated', 'bigint', 'access_tokens', 'epoch_time'],
  // A type in text: one word.
  ['type', text, 'events', 'tag'],
  ['event_type', 'varchar', 'builds', 'tag'],
];

describe('inferSemanticKind', () => {
  it.each(CASES)('%s (%s in %s) → %s', (name, kind, table, expected) => {
    expect(inferSemanticKind(name, { table, kind })?.kind).toBe(expected);
  });

  it('covers at least 60 distinct semantic kinds, and the catalogue has more', () => {
    expect(new Set(CASES.map((c) => c[3])).size).toBeGreaterThanOrEqual(60);
    expect(SEMANTIC_KINDS.length).toBeGreaterThanOrEqual(80);
  });

  it('says why', () => {
    expect(inferSemanticKind('email', { table: 'users', kind: 'text' })).toEqual({ kind: 'email', reason: 'column name: email' });
  });

  it('does not take a file name for a first name', () => {
    for (const name of ['filename', 'FileName', 'file_name', 'original_filename']) {
      expect(inferSemanticKind(name, { table: 'upload', kind: 'text' })?.kind).toBe('file_name');
    }
  });

  it('checks the kind: email only on text, created_at on times (and in text only as a moment in text)', () => {
    expect(inferSemanticKind('email', { table: 'users', kind: 'integer' })).toBeUndefined();
    expect(inferSemanticKind('email_verified', { table: 'users', kind: 'boolean' })?.kind).toBe('flag_true');
    expect(inferSemanticKind('created_at', { table: 'orders', kind: 'text' })?.reason).toBe('column name: created at (a moment in text)');
    expect(inferSemanticKind('created_at', { table: 'orders', kind: 'integer' })?.kind).not.toBe('created_at');
    expect(inferSemanticKind('price', { table: 'p', kind: 'varchar' })).toBeUndefined();
    expect(inferSemanticKind('zip', { table: 'a', kind: 'integer' })?.kind).toBe('postal_code');
  });

  it('reads `name` by its table', () => {
    const nameIn = (table: string) => inferSemanticKind('name', { table, kind: 'text' })?.kind;
    expect(nameIn('customers')).toBe('full_name');
    expect(nameIn('employee')).toBe('full_name');
    expect(nameIn('products')).toBe('product_name');
    expect(nameIn('supplier')).toBe('company_name');
    expect(nameIn('city')).toBe('city');
    expect(nameIn('country')).toBe('country');
    expect(nameIn('language')).toBe('language');
    expect(nameIn('category')).toBe('category');
    expect(nameIn('genre')).toBe('genre');
    expect(nameIn('album')).toBe('title');
    expect(nameIn('thing')).toBe('words');
  });

  it('reads `state` as a status when no address columns are beside it', () => {
    expect(inferSemanticKind('state', { table: 'orders', kind: 'text', siblings: ['id', 'total'] })?.kind).toBe('status');
    expect(inferSemanticKind('state', { table: 'customer', kind: 'text', siblings: ['city', 'zip'] })?.kind).toBe('state');
  });

  it('leaves unknown names alone', () => {
    expect(inferSemanticKind('xyzzy', { table: 't', kind: 'text' })).toBeUndefined();
    expect(inferSemanticKind('rename', { table: 't', kind: 'text' })).toBeUndefined();
    // Lengths of time and counters in integers are no epochs.
    for (const name of ['throttle_ms', 'timeout_ms', 'last_stream_ordering', 'time_worked', 'last_success']) expect(inferSemanticKind(name, { table: 't', kind: 'bigint' }), name).toBeUndefined();
  });

  it("reads a moment kept in text as the moment (Openfire's creationDate char(15))", () => {
    for (const [name, kind] of [
      ['creationDate', 'created_at'],
      ['modificationDate', 'updated_at'],
      ['created_date', 'created_at'],
      ['lockedDate', 'event_time'],
      ['expiry_date', 'expires_at'],
    ] as const) {
      const match = inferSemanticKind(name, { table: 'ofMucRoom', kind: 'char' });
      expect(match?.kind, name).toBe(kind);
      expect(match?.reason, name).toMatch(/\(a moment in text\)$/);
    }
    // A name that says something of its own in text keeps it.
    expect(inferSemanticKind('email', { table: 't', kind: 'char' })?.kind).toBe('email');
    expect(inferSemanticKind('title', { table: 't', kind: 'varchar' })?.reason).not.toMatch(/moment/);
  });

  it("reads a small integer named as a yes-or-no setting as a flag (Openfire's canInvite TINYINT NOT NULL)", () => {
    for (const name of ['canInvite', 'useReservedNick', 'membersOnly', 'read_only', 'moderated', 'encrypted', 'allow_signup', 'should_notify']) {
      expect(inferSemanticKind(name, { table: 'ofMucRoom', kind: 'tinyint' })?.kind, name).toBe('flag_int');
      expect(inferSemanticKind(name, { table: 'room', kind: 'smallint' })?.kind, name).toBe('flag_int');
    }
    // Amounts and counts a setting names, words that only end in -ed, and wide integers are not.
    for (const name of ['allow_max_size', 'use_count', 'speed', 'show_order', 'maxUsers']) expect(inferSemanticKind(name, { table: 'ofMucRoom', kind: 'tinyint' })?.kind, name).not.toBe('flag_int');
    expect(inferSemanticKind('moderated', { table: 't', kind: 'integer' })).toBeUndefined();
  });
});

describe('nameTokens and earlierSibling', () => {
  it('splits the styles real schemas use', () => {
    expect(nameTokens('EmailAddress')).toEqual(['email', 'address']);
    expect(nameTokens('URLPath')).toEqual(['url', 'path']);
    expect(nameTokens('address2')).toEqual(['address', '2']);
    expect(nameTokens('ZIP-code')).toEqual(['zip', 'code']);
  });

  it("splits a name folded to lower case (Request Tracker's PostgreSQL DDL: RealName → realname) into its words, and keeps names that are words of their own", () => {
    expect(nameTokens('realname')).toEqual(['real', 'name']);
    expect(nameTokens('lastupdatedby')).toEqual(['last', 'updated', 'by']);
    expect(nameTokens('initialpriority')).toEqual(['initial', 'priority']);
    expect(nameTokens('effectiveid')).toEqual(['effective', 'id']);
    expect(nameTokens('timeestimated')).toEqual(['time', 'estimated']);
    for (const word of ['username', 'filename', 'password', 'description', 'hostname', 'canonicalizeclass', 'homephone']) expect(nameTokens(word)).toEqual([word]);
    // What the words then say: a person's name, a priority, a flag, a phone.
    expect(inferSemanticKind('realname', { table: 'users', kind: text })?.kind).toBe('full_name');
    expect(inferSemanticKind('initialpriority', { table: 'tickets', kind: 'integer' })?.kind).toBe('priority');
    expect(inferSemanticKind('ismerged', { table: 'tickets', kind: 'smallint' })?.kind).toBe('flag_int');
    expect(inferSemanticKind('workphone', { table: 'users', kind: text })?.kind).toBe('phone');
  });

  it('puts a due date after creation', () => {
    expect(afterCreation('due', 'created')).toBe('created');
    expect(afterCreation('due_date', 'created_at')).toBe('created_at');
    expect(afterCreation('founded_at', 'created_at')).toBeUndefined();
  });

  it('puts a moment named `<noun>_at` after creation (e-petitions: `open_at`, `government_response_at`, `signature_count_reset_at`)', () => {
    for (const name of ['open_at', 'government_response_at', 'signature_count_reset_at', 'petition_email_at', 'current_login_at', 'expires_at'])
      expect(afterCreation(name, 'created_at'), name).toBe('created_at');
    for (const name of ['birth_at', 'born_at', 'founded_at', 'at', 'open']) expect(afterCreation(name, 'created_at'), name).toBeUndefined();
  });

  it('reads the code of a table of currencies, countries or languages as that code (invoiceninja: `currencies.code`)', () => {
    expect(inferSemanticKind('code', { table: 'currencies', kind: text })?.kind).toBe('currency');
    expect(inferSemanticKind('iso_code', { table: 'currency', kind: text })?.kind).toBe('currency');
    expect(inferSemanticKind('code', { table: 'countries', kind: text })?.kind).toBe('country_code');
    expect(inferSemanticKind('code', { table: 'languages', kind: text })?.kind).toBe('locale');
    expect(inferSemanticKind('symbol', { table: 'currencies', kind: text })?.kind).toBe('currency_symbol');
    expect(inferSemanticKind('thousand_separator', { table: 'currencies', kind: text })?.kind).toBe('separator');
    expect(inferSemanticKind('csv_delimiter', { table: 'imports', kind: text })?.kind).toBe('separator');
    // Elsewhere a code stays a code.
    expect(inferSemanticKind('symbol', { table: 'stocks', kind: text })?.kind).toBe('code');
    expect(inferSemanticKind('code', { table: 'coupons', kind: text })?.kind).toBe('code');
    expect(inferSemanticKind('iso_code', { table: 'regions', kind: text })?.kind).toBe('country_code');
  });

  it('reads a numbered column by its name without the number (invoiceninja: `tax_rate1`, `tax_name2`)', () => {
    expect(inferSemanticKind('tax_rate1', { table: 'invoices', kind: 'decimal' })?.kind).toBe('tax');
    expect(inferSemanticKind('tax_rate3', { table: 'invoices', kind: 'decimal' })?.kind).toBe(inferSemanticKind('tax_rate', { table: 'invoices', kind: 'decimal' })?.kind);
    expect(inferSemanticKind('email2', { table: 'clients', kind: text })?.kind).toBe('email');
    expect(inferSemanticKind('phone2', { table: 'clients', kind: text })?.kind).toBe('phone');
    expect(inferSemanticKind('phone_2', { table: 'clients', kind: text })).toBeUndefined();
    // A number that is part of the name stays (`ipv4`, `sha256`): only a trailing count is dropped.
    expect(inferSemanticKind('line2', { table: 'clients', kind: text })).toBeUndefined();
  });

  it('finds the earlier moment of a pair', () => {
    expect(earlierSibling('ends_at', ['starts_at', 'ends_at'])).toBe('starts_at');
    expect(earlierSibling('return_date', ['rental_date', 'return_date'])).toBe('rental_date');
    expect(earlierSibling('EndDate', ['StartDate', 'EndDate'])).toBe('StartDate');
    expect(earlierSibling('to_date', ['from_date', 'to_date'])).toBe('from_date');
    expect(earlierSibling('ShippedDate', ['OrderDate', 'ShippedDate'])).toBe('OrderDate');
    // Mercator: a server is installed before it is updated; a job runs next after it ran last.
    expect(earlierSibling('update_date', ['install_date', 'update_date', 'next_update'])).toBe('install_date');
    expect(earlierSibling('next_run_at', ['last_run_at', 'next_run_at'])).toBe('last_run_at');
    // flare: a current level is bounded by its maximum.
    expect(lowerSibling('max_wood', ['current_wood', 'max_wood'])).toBe('current_wood');
    expect(lowerSibling('max_population', ['min_population', 'current_population', 'max_population'])).toBe('min_population');
    expect(earlierSibling('ends_at', ['created_at'])).toBeUndefined();
  });
});
