/**
 * What to generate for a semantic kind, as an intent the planner turns into a
 * concrete generator for the column's kind: a text generator, a number range
 * (made integer, decimal or float and clipped to the type and CHECKs), a time
 * window (made date or timestamp), a boolean rate, or a fixed generator.
 *
 * @example
 * ```ts
 * semanticIntent('price', shape, ctx);  // { type: 'number', min: 0.5, max: 500, digits: 2, distribution: 'low' }
 * semanticIntent('email', shape, ctx);  // { type: 'text', generator: { name: 'email', params: {} }, style: 'email' }
 * ```
 */
import type { Distribution } from '../generators/numbers.js';
import type { ColumnShape } from '../plan/column-shape.js';
import { FAMILY_KINDS } from './semantic-kinds.js';

export interface GeneratorSpecInput {
  readonly name: string;
  readonly params: Record<string, unknown>;
}

export type SemanticIntent = (
  | { readonly type: 'text'; readonly generator: GeneratorSpecInput; readonly style?: 'email' }
  | { readonly type: 'number'; readonly min: number; readonly max: number; readonly digits?: number; readonly distribution?: Distribution }
  | {
      readonly type: 'time';
      /** Epoch seconds. */
      readonly from: number;
      readonly to: number;
      readonly distribution?: 'uniform' | 'recent';
      /** Comes after this sibling column of the same row. */
      readonly after?: { readonly column: string; readonly maxDelta: number; readonly minDelta?: number; readonly sameRate?: number };
    }
  | { readonly type: 'boolean'; readonly trueRate: number }
  | { readonly type: 'generator'; readonly generator: GeneratorSpecInput }
) & { readonly nullRate?: number };

export interface IntentContext {
  /** Epoch seconds of the plan's reference time. */
  readonly now: number;
  /** Another column of the table this one should follow in time (`rental_date` for `return_date`). */
  readonly earlier?: string;
  /** The table's `created_at`-like column, for updated_at/deleted_at. */
  readonly created?: string;
  readonly table: string;
  /** The column's own name. */
  readonly column?: string;
}

const DAY = 86400;
const YEAR = 365.25 * DAY;

const faker = (method: string, extra: Record<string, unknown> = {}): GeneratorSpecInput => ({ name: 'faker', params: { method, ...extra } });
const gen = (name: string, params: Record<string, unknown> = {}): GeneratorSpecInput => ({ name, params });
const text = (generator: GeneratorSpecInput, nullRate?: number): SemanticIntent => (nullRate === undefined ? { type: 'text', generator } : { type: 'text', generator, nullRate });
const values = (list: Array<string | number>, weights?: number[]): GeneratorSpecInput => gen('values', weights ? { values: list, weights } : { values: list });

function isInt(shape: ColumnShape): boolean {
  return FAMILY_KINDS.int.includes(shape.kind) || shape.kind === 'year';
}

function isText(shape: ColumnShape): boolean {
  return FAMILY_KINDS.text.includes(shape.kind);
}

function textLength(shape: ColumnShape): number {
  return shape.length !== undefined && shape.length > 0 ? shape.length : Infinity;
}

/** A numeric intent whose range suits fractions when the type holds fractions. */
function fraction(shape: ColumnShape, fractionMax: number, wholeMax: number): SemanticIntent {
  const holdsFractions = !isInt(shape) && (shape.scale === undefined || shape.scale >= 2);
  return holdsFractions ? { type: 'number', min: 0, max: fractionMax, digits: 2, distribution: 'low' } : { type: 'number', min: 0, max: wholeMax, distribution: 'low' };
}

function phone(shape: ColumnShape): SemanticIntent {
  const max = textLength(shape);
  if (max >= 20) return text(faker('phone.number', { args: [{ style: 'human' }] }));
  if (max >= 14) return text(gen('template', { pattern: '(###) ###-####' }));
  if (max >= 12) return text(gen('template', { pattern: '###-###-####' }));
  return text(gen('template', { pattern: '#'.repeat(Math.max(1, Math.min(max, 10))) }));
}

function timeWindow(from: number, to: number, distribution?: 'uniform' | 'recent', nullRate?: number): SemanticIntent {
  const base: SemanticIntent = distribution ? { type: 'time', from, to, distribution } : { type: 'time', from, to };
  return nullRate === undefined ? base : { ...base, nullRate };
}

/** Accounts, files and the web. */
function webIntent(kind: string, shape: ColumnShape): SemanticIntent | undefined {
  switch (kind) {
    case 'password_hash':
    case 'password':
      return text(gen('password-hash'));
    case 'email':
      // example.com/.org/.net: never a real mailbox.
      return { type: 'text', generator: gen('email'), style: 'email' };
    case 'file_name':
      return text(faker('system.fileName'));
    case 'file_path':
      return text(faker('system.filePath'));
    case 'mime_type':
      return text(faker('system.mimeType'));
    case 'file_size':
      return { type: 'number', min: 200, max: 50_000_000, distribution: 'low' };
    case 'avatar_url':
      return text(faker('image.avatar'), 0.2);
    case 'url':
      return text(faker('internet.url'), 0.2);
    case 'ip_address':
      return isText(shape) ? text(faker('internet.ipv4')) : { type: 'generator', generator: gen(shape.kind === 'cidr' ? 'cidr' : 'inet') };
    case 'mac_address':
      return isText(shape) ? text(faker('internet.mac')) : { type: 'generator', generator: gen('macaddr', { bytes: shape.kind === 'macaddr8' ? 8 : 6 }) };
    case 'user_agent':
      return text(faker('internet.userAgent'));
    case 'domain_name':
      return text(faker('internet.domainName'));
    case 'username':
      return text(gen('username'));
    default:
      return undefined;
  }
}

/** People: names, titles, phones. */
function personIntent(kind: string, shape: ColumnShape): SemanticIntent | undefined {
  switch (kind) {
    case 'first_name':
      return text(faker('person.firstName'));
    case 'last_name':
      return text(faker('person.lastName'));
    case 'middle_name':
      return text(faker('person.middleName'), 0.6);
    case 'full_name':
      return text(faker('person.fullName'));
    case 'name_prefix':
      return text(faker('person.prefix'));
    case 'company_name':
      return text(faker('company.name'));
    // A person's title too short for a job (Gibbon's `gibbonPerson.title varchar(5)`: 'Produ') is an honorific.
    case 'job_title':
      return text(faker(textLength(shape) <= 8 ? 'person.prefix' : 'person.jobTitle'));
    case 'fax':
      return { ...phone(shape), nullRate: 0.6 };
    case 'phone':
      return phone(shape);
    case 'phone_extension':
      return text(gen('template', { pattern: '####' }), 0.5);
    default:
      return undefined;
  }
}

const LOCALES = ['en_US', 'en_GB', 'de_DE', 'fr_FR', 'es_ES', 'it_IT', 'pt_BR', 'ja_JP', 'nl_NL', 'sv_SE'];
const LOCALE_WEIGHTS = [40, 10, 10, 8, 8, 6, 6, 5, 4, 3];

/** Places: addresses, regions, coordinates, languages. */
function placeIntent(kind: string, shape: ColumnShape): SemanticIntent | undefined {
  const max = textLength(shape);
  switch (kind) {
    case 'address_line2':
      return text(faker('location.secondaryAddress'), 0.6);
    case 'street_address':
      return text(faker('location.streetAddress'));
    case 'street_name':
      return text(faker('location.street'));
    case 'building_number':
      return isText(shape) ? text(faker('location.buildingNumber')) : { type: 'number', min: 1, max: 9999, distribution: 'low' };
    case 'city':
      return text(gen('city'));
    case 'district':
    case 'county':
      return text(faker('location.county'));
    case 'state':
      return text(faker('location.state', max <= 3 ? { args: [{ abbreviated: true }] } : {}));
    case 'postal_code':
      if (!isText(shape)) return { type: 'number', min: 10000, max: 99999 };
      return text(max >= 10 ? faker('location.zipCode') : gen('template', { pattern: '#'.repeat(Math.min(5, max)) }));
    case 'country_code':
      return text(faker('location.countryCode', { args: [max === 3 ? 'alpha-3' : 'alpha-2'] }));
    case 'country':
      // char(2) / char(3): an ISO code, not a country name cut short.
      return max <= 3 ? text(faker('location.countryCode', { args: [max === 3 ? 'alpha-3' : 'alpha-2'] })) : text(faker('location.country'));
    case 'latitude':
      return isText(shape) ? text(faker('location.latitude')) : { type: 'number', min: -90, max: 90, digits: 6 };
    case 'longitude':
      return isText(shape) ? text(faker('location.longitude')) : { type: 'number', min: -180, max: 180, digits: 6 };
    case 'timezone':
      return text(faker('location.timeZone'));
    // A language column too short for a name (elabftw's `lang varchar(5) DEFAULT 'en_GB'`) holds codes, not cut names.
    case 'language':
      if (max >= 5 && max < 12) return text(values(LOCALES, LOCALE_WEIGHTS));
      return text(faker('location.language', { pick: max <= 2 ? 'alpha2' : max <= 4 ? 'alpha3' : 'name' }));
    case 'locale':
      // A column too narrow for `en_US` holds the language's ISO code.
      return max < 5 ? text(faker('location.language', { pick: max <= 2 ? 'alpha2' : 'alpha3' })) : text(values(LOCALES, LOCALE_WEIGHTS));
    default:
      return undefined;
  }
}

/** Money and the codes printed on things. */
function financeIntent(kind: string, shape: ColumnShape): SemanticIntent | undefined {
  switch (kind) {
    case 'currency':
      return text(faker('finance.currencyCode'));
    case 'currency_name':
      return text(faker('finance.currencyName'));
    case 'iban':
      return text(faker('finance.iban'));
    case 'bic':
      return text(faker('finance.bic'));
    case 'credit_card':
      return text(faker('finance.creditCardNumber'));
    case 'card_cvv':
      return isText(shape) ? text(faker('finance.creditCardCVV')) : { type: 'number', min: 100, max: 999 };
    case 'card_last_four':
      return isText(shape) ? text(gen('template', { pattern: '####' })) : { type: 'number', min: 0, max: 9999 };
    case 'account_number':
      return text(faker('finance.accountNumber'));
    case 'ssn':
      return text(gen('template', { pattern: '###-##-####' }));
    case 'isbn':
      return text(faker('commerce.isbn'));
    case 'barcode':
      return text(gen('template', { pattern: '#############' }));
    case 'sku':
      return text(gen('template', { pattern: '???-#####' }));
    case 'vin':
      return text(faker('vehicle.vin'));
    case 'license_plate':
      return text(faker('vehicle.vrm'));
    case 'order_number':
      return text(gen('template', { pattern: 'ORD-########' }));
    default:
      return undefined;
  }
}

/** Slugs, tokens, hashes, ids, labels and prose. */
function labelIntent(kind: string, shape: ColumnShape): SemanticIntent | undefined {
  const max = textLength(shape);
  switch (kind) {
    case 'slug':
      return text(faker('lorem.slug'));
    case 'token':
      return text(gen('letters', { alphabet: 'alnum', minLength: Math.min(32, max), maxLength: Math.min(32, max) }));
    case 'hash': {
      const length = [64, 40, 32].find((n) => n <= max) ?? Math.min(max, 64);
      return text(gen('hex', { length }));
    }
    case 'uuid':
      return isText(shape) ? text(gen('uuid')) : { type: 'generator', generator: gen('uuid') };
    case 'separator':
      return text(values([',', '.', ';', ' ', "'"], [40, 30, 15, 10, 5]));
    case 'currency_symbol':
      return text(values(['$', '€', '£', '¥', '₹', 'R$', 'Fr', 'kr', 'zł', '₩'].filter((v) => [...v].length <= max)));
    case 'json_document':
      // A document in a text column wide enough for one (invoiceninja's `companies.settings mediumtext`); a short one is left to its type.
      return max >= 1000 ? text(gen('json')) : undefined;
    case 'version':
      return isText(shape) ? text(faker('system.semver')) : { type: 'number', min: 1, max: 20, distribution: 'low' };
    case 'color':
      return text(max <= 7 ? faker('color.rgb') : faker('color.human'));
    case 'gender':
      return text(max <= 1 ? values(['F', 'M'], [50, 50]) : values(['female', 'male', 'non-binary'], [48, 48, 4]));
    case 'department':
    case 'category':
      return text(faker('commerce.department'));
    case 'genre':
      return text(faker('music.genre'));
    case 'tag':
      return text(gen('words', { min: 1, max: 1 }));
    case 'words':
      return text(gen('words', { min: 1, max: 3, case: 'title' }));
    case 'code':
      return text(gen('letters', { alphabet: 'upperAlnum', minLength: Math.min(3, max), maxLength: Math.min(8, max) }));
    case 'status':
      return text(values(['active', 'pending', 'inactive', 'suspended', 'archived'], [60, 15, 15, 5, 5]));
    case 'role':
      return text(values(['user', 'admin', 'editor', 'viewer', 'owner'], [70, 5, 10, 12, 3]));
    case 'priority':
      return isText(shape) ? text(values(['low', 'medium', 'high', 'urgent'], [35, 40, 20, 5])) : { type: 'number', min: 1, max: 5 };
    case 'product_name':
      return text(faker('commerce.productName'));
    case 'title':
      return text(gen('words', { min: 2, max: 5, case: 'title' }));
    case 'description':
      return text(gen('sentences', { min: 1, max: 2 }), 0.1);
    case 'comment':
      return text(gen('sentences', { min: 1, max: 3 }), 0.2);
    default:
      return undefined;
  }
}

/** Points in time and years. */
function timeIntent(kind: string, shape: ColumnShape, ctx: IntentContext): SemanticIntent | undefined {
  const now = ctx.now;
  const max = textLength(shape);
  switch (kind) {
    // Every row was made, and last changed, at some moment: an ORM sets both on insert even where the
    // column is nullable (Rails before 5, sharetribe's `people`), so neither is left NULL.
    case 'created_at':
      return timeWindow(now - 3 * YEAR, now, undefined, 0);
    case 'updated_at':
      return ctx.created !== undefined
        ? { type: 'time', from: now - YEAR, to: now, after: { column: ctx.created, maxDelta: 180 * DAY, sameRate: 0.3 }, nullRate: 0 }
        : timeWindow(now - YEAR, now, 'recent', 0);
    case 'deleted_at':
      return ctx.created !== undefined ? { type: 'time', from: now - YEAR, to: now, after: { column: ctx.created, maxDelta: 365 * DAY }, nullRate: 0.9 } : timeWindow(now - YEAR, now, 'recent', 0.9);
    case 'birth_date':
      return timeWindow(now - 90 * YEAR, now - 18 * YEAR);
    case 'expires_at':
      return timeWindow(now, now + 3 * YEAR);
    case 'hire_date':
      // After the birth date beside it: at 18 to 60.
      return ctx.earlier !== undefined ? { type: 'time', from: now - 20 * YEAR, to: now, after: { column: ctx.earlier, minDelta: 18 * YEAR, maxDelta: 60 * YEAR } } : timeWindow(now - 20 * YEAR, now);
    case 'last_seen_at':
      // Seen since the account was made (friendica's login_date after its register_date).
      return ctx.created !== undefined
        ? { type: 'time', from: now - 90 * DAY, to: now, after: { column: ctx.created, maxDelta: 365 * DAY }, nullRate: 0.1 }
        : timeWindow(now - 90 * DAY, now, 'recent', 0.1);
    case 'event_time':
      return ctx.earlier !== undefined ? { type: 'time', from: now - 3 * YEAR, to: now, after: { column: ctx.earlier, maxDelta: 30 * DAY } } : timeWindow(now - 3 * YEAR, now);
    case 'birth_year': {
      const year = new Date(now * 1000).getUTCFullYear();
      return isText(shape) ? undefined : { type: 'number', min: year - 90, max: year - 18 };
    }
    case 'year': {
      const year = new Date(now * 1000).getUTCFullYear();
      if (isText(shape)) return max >= 4 ? text(gen('integer', { min: 1970, max: year })) : undefined;
      return { type: 'number', min: 1970, max: year };
    }
    default:
      return undefined;
  }
}

/** Quantities, amounts, flags. */
function quantityIntent(kind: string, shape: ColumnShape, ctx: IntentContext): SemanticIntent | undefined {
  const now = ctx.now;
  const max = textLength(shape);
  switch (kind) {
    case 'month':
      return { type: 'number', min: 1, max: 12 };
    case 'age':
      return { type: 'number', min: 18, max: 90 };
    case 'price':
      return { type: 'number', min: 0.5, max: 500, digits: 2, distribution: 'low' };
    case 'total':
      return { type: 'number', min: 5, max: 5000, digits: 2, distribution: 'low' };
    case 'amount':
      return { type: 'number', min: 1, max: 2000, digits: 2, distribution: 'low' };
    case 'discount':
      return fraction(shape, 0.3, 30);
    case 'tax':
      return fraction(shape, 0.25, 25);
    case 'percent': {
      // numeric(5,4), numeric(3,2), real named rate: a fraction; else 0–100.
      const whole = shape.precision !== undefined && shape.scale !== undefined ? shape.precision - shape.scale : undefined;
      if (!isInt(shape) && (whole === undefined ? FAMILY_KINDS.float.includes(shape.kind) : whole <= 1)) return { type: 'number', min: 0, max: 1, digits: Math.min(4, shape.scale ?? 4) };
      return isInt(shape) ? { type: 'number', min: 0, max: 100 } : { type: 'number', min: 0, max: 100, digits: 2 };
    }
    case 'epoch_time': {
      // Epoch seconds in an int, milliseconds in a bigint (as JavaScript writes them) or where the name says so.
      const millis = /(^|_)(ms|millis|milliseconds)$/i.test(ctx.column ?? '') || (shape.kind === 'bigint' && !/(^|_)(s|sec|secs|seconds|epoch|unix)$/i.test(ctx.column ?? ''));
      const k = millis ? 1000 : 1;
      return { type: 'number', min: Math.round((now - 3 * YEAR) * k), max: Math.round(now * k) };
    }
    // Numbers, not value lists: a CHECK on the column (`status BETWEEN 0 AND 2`) narrows them.
    case 'flag_int':
      return { type: 'number', min: 0, max: 1 };
    case 'code_int':
      return { type: 'number', min: 0, max: 5, distribution: 'low' };
    case 'identifier':
      // ticket numbers: digits; external ids and codes: letters and digits.
      return /(^|_)(number|no|num|nr)$/i.test(ctx.column ?? '')
        ? text(gen('letters', { alphabet: 'digits', minLength: Math.min(6, max), maxLength: Math.min(10, max) }))
        : text(gen('letters', { alphabet: 'upperAlnum', minLength: Math.min(8, max), maxLength: Math.min(16, max) }));
    case 'rating':
      return isInt(shape) ? { type: 'number', min: 1, max: 5 } : { type: 'number', min: 1, max: 5, digits: 1 };
    case 'quantity':
      return { type: 'number', min: 1, max: 100, distribution: 'low' };
    case 'weight':
      return { type: 'number', min: 0.1, max: 100, digits: 2, distribution: 'low' };
    case 'dimension':
      return { type: 'number', min: 1, max: 200, digits: 1 };
    case 'duration':
      return { type: 'number', min: 1, max: 3600, distribution: 'low' };
    case 'port':
      return { type: 'number', min: 1024, max: 65535 };
    case 'sort_order':
      return { type: 'number', min: 0, max: 100, distribution: 'low' };
    case 'limit':
      return { type: 'number', min: 1, max: 1000, distribution: 'low' };
    case 'flag_true':
      return isInt(shape) ? { type: 'generator', generator: values([1, 0], [85, 15]) } : { type: 'boolean', trueRate: 0.85 };
    case 'flag_false':
      return isInt(shape) ? { type: 'generator', generator: values([1, 0], [5, 95]) } : { type: 'boolean', trueRate: 0.05 };
    case 'flag':
      return { type: 'boolean', trueRate: 0.5 };
    default:
      return undefined;
  }
}

/**
 * The intent for a semantic kind and a column, or undefined when the kind has nothing for this column.
 *
 * @example
 * ```ts
 * semanticIntent('age', columnShape(schema, column), { now, table: 'person' }); // { type: 'number', min: 18, max: 90 }
 * ```
 */
export function semanticIntent(kind: string, shape: ColumnShape, ctx: IntentContext): SemanticIntent | undefined {
  // Each kind is in one group; a group answers undefined for the kinds of the others.
  return (
    webIntent(kind, shape) ??
    personIntent(kind, shape) ??
    placeIntent(kind, shape) ??
    financeIntent(kind, shape) ??
    labelIntent(kind, shape) ??
    timeIntent(kind, shape, ctx) ??
    quantityIntent(kind, shape, ctx)
  );
}
