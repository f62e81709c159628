/**
 * Detection from what the schema says about a column: its name (split into words:
 * `userEmailAddress` → user, email, address), its comment, and its type (`inet`,
 * `macaddr`). Cheap and value-free, but names lie: scan weighs this against the values.
 *
 * @example
 * ```ts
 * kindsFromName('billing_phone_number'); // [{ kind: 'phone', token: 'phone' }]
 * detectFromSchema({ name: 'users' }, { name: 'name', kind: 'varchar', comment: undefined });
 * // [{ kind: 'person-name', detector: 'people-table-name', source: 'name', … }]
 * ```
 */
import type { Column, ColumnKind, Table } from '../schema-model.js';
import type { Detection, PiiKind } from './pii-kind.js';

/**
 * Splits an identifier into lower-case words: snake_case, kebab-case, camelCase, PascalCase, digits.
 * @example
 * ```ts
 * nameTokens('userEmailAddress2'); // ['user', 'email', 'address']
 * ```
 */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z]+/)
    .filter((t) => t.length > 0)
    .map((t) => t.toLowerCase());
}

/** Name words (alone, or two joined: `first_name` → `firstname`) and the kind each marks. */
const TOKEN_KINDS: ReadonlyArray<readonly [PiiKind, readonly string[]]> = [
  ['email', ['email', 'mail', 'emailaddress']],
  ['phone', ['phone', 'telephone', 'tel', 'mobile', 'cell', 'cellphone', 'fax', 'msisdn', 'phonenumber']],
  ['person-name', ['firstname', 'lastname', 'fullname', 'middlename', 'surname', 'forename', 'maiden', 'givenname', 'familyname', 'contactname', 'nickname']],
  ['username', ['username', 'login', 'userlogin', 'screenname']],
  ['address', ['address', 'addr', 'street', 'housenumber', 'addressline', 'streetaddress']],
  ['city', ['city', 'town']],
  ['postcode', ['zip', 'zipcode', 'postal', 'postcode', 'postalcode', 'plz']],
  [
    'national-id',
    [
      'ssn',
      'sin',
      'nin',
      'nino',
      'passport',
      'license',
      'licence',
      'tax',
      'taxid',
      'tin',
      'vat',
      'national',
      'nationalid',
      'social',
      'socialsecurity',
      'nhs',
      'medicare',
      'insee',
      'nir',
      'dni',
      'nie',
      'bsn',
      'aadhaar',
      'cpf',
      'codicefiscale',
      'fiscalcode',
      'steuerid',
      'idnumber',
    ],
  ],
  ['iban', ['iban']],
  ['account-number', ['bic', 'swift', 'accountnumber', 'acct', 'bankaccount', 'routingnumber', 'sortcode']],
  ['card-number', ['card', 'pan', 'cvv', 'cvc', 'creditcard', 'cardnumber', 'ccnumber']],
  ['secret', ['token', 'secret', 'password', 'passwd', 'pwd', 'hash', 'salt', 'apikey', 'otp', 'pin', 'credential', 'credentials', 'privatekey', 'accesskey', 'secretkey', 'passphrase', 'passcode']],
  ['ip-address', ['ip', 'ipv', 'ipaddress', 'ipaddr']],
  ['mac-address', ['mac', 'macaddress', 'macaddr']],
  ['birth-date', ['birth', 'birthday', 'birthdate', 'dob', 'born', 'dateofbirth']],
  ['geo-location', ['lat', 'lng', 'lon', 'latitude', 'longitude', 'geo', 'geolocation', 'coordinates', 'gps']],
  ['free-text', ['note', 'notes', 'comment', 'comments', 'description', 'bio', 'about', 'message', 'body', 'remark', 'remarks', 'memo', 'feedback']],
  ['sensitive', ['signature', 'salary', 'income', 'wage', 'ethnicity', 'religion', 'diagnosis', 'health', 'gender', 'sex', 'useragent']],
  ['company', ['company', 'companyname', 'employer', 'organisation', 'organization', 'orgname']],
];
const KIND_OF_TOKEN = new Map<string, PiiKind>(TOKEN_KINDS.flatMap(([kind, tokens]) => tokens.map((t) => [t, kind] as const)));

/** Substrings that mark a name even when words run together (`emailaddress`, `userPasswordHash`). */
const FRAGMENTS: ReadonlyArray<readonly [string, PiiKind]> = [
  ['email', 'email'],
  ['phone', 'phone'],
  ['password', 'secret'],
  ['passwd', 'secret'],
  ['firstname', 'person-name'],
  ['lastname', 'person-name'],
  ['fullname', 'person-name'],
  ['surname', 'person-name'],
  ['address', 'address'],
  ['birth', 'birth-date'],
  ['passport', 'national-id'],
  ['token', 'secret'],
  ['secret', 'secret'],
  ['street', 'address'],
  ['zipcode', 'postcode'],
  ['postcode', 'postcode'],
  ['useragent', 'sensitive'],
  ['iban', 'iban'],
];
/** Qualifiers that make `…_name` a person's name (`display_name`, `contact_name`). */
const PERSON_QUALIFIERS = new Set([
  'first',
  'last',
  'full',
  'middle',
  'given',
  'family',
  'display',
  'nick',
  'user',
  'maiden',
  'sur',
  'contact',
  'customer',
  'person',
  'author',
  'owner',
  'employee',
  'member',
  'patient',
  'legal',
  'real',
]);
/** A table whose name contains one of these holds people: its `name` column is a person's name. */
export const PEOPLE_TABLES =
  /user|customer|person|people|employee|staff|member|contact|patient|account|author|client|student|owner|guest|subscriber|profile|applicant|candidate|driver|passenger|visitor|tenant|buyer|seller|actor|parent|child|doctor|teacher/i;

/** Words that, next to an address word, make it something else (`ip_address`, `mac_address`, `email_address`). */
const NOT_POSTAL = new Set(['ip', 'mac', 'email', 'mail', 'wallet', 'web', 'url', 'server', 'host', 'memory', 'bitcoin']);

export interface NameHit {
  readonly kind: PiiKind;
  /** The word of the name that fired. */
  readonly token: string;
  readonly detector: 'name-token' | 'name-fragment' | 'person-name-qualifier';
}

/**
 * The kinds a column (or JSON key) name points at, strongest first, without table context.
 * @example
 * ```ts
 * kindsFromName('ip_address'); // [{ kind: 'ip-address', token: 'ipaddress', … }]
 * ```
 */
export function kindsFromName(name: string): NameHit[] {
  const tokens = nameTokens(name);
  const hits: NameHit[] = [];
  const seen = new Set<PiiKind>();
  const add = (kind: PiiKind, token: string, detector: NameHit['detector']): void => {
    if (!seen.has(kind)) (seen.add(kind), hits.push({ kind, token, detector }));
  };
  // joined pairs first (first_name → firstname, ip_address → ipaddress), then single words
  for (let i = 0; i + 1 < tokens.length; i++) {
    const pair = `${tokens[i]}${tokens[i + 1]}`;
    const kind = KIND_OF_TOKEN.get(pair);
    if (kind) add(kind, pair, 'name-token');
  }
  const notPostal = tokens.some((t) => NOT_POSTAL.has(t));
  for (const token of tokens) {
    const kind = KIND_OF_TOKEN.get(token);
    if (!kind || (notPostal && kind === 'address')) continue;
    add(kind, token, 'name-token');
  }
  if (hits.length === 0) {
    const joined = tokens.join('');
    const fragment = FRAGMENTS.find(([f]) => joined.includes(f));
    if (fragment) add(fragment[1], fragment[0], 'name-fragment');
  }
  if (tokens.includes('name')) {
    const qualifier = tokens.find((t) => PERSON_QUALIFIERS.has(t));
    if (qualifier && !seen.has('username') && !seen.has('company')) add('person-name', `${qualifier} name`, 'person-name-qualifier');
  }
  return hits;
}

/** Types of keys: a column of one named `<something>_id` holds a reference, not the something. */
const KEY_KINDS = new Set<ColumnKind>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint', 'uuid']);

/** What the type alone says. */
const TYPE_KINDS: Partial<Record<ColumnKind, PiiKind>> = {
  inet: 'ip-address',
  cidr: 'ip-address',
  macaddr: 'mac-address',
  macaddr8: 'mac-address',
  spatial: 'geo-location',
};

/**
 * Detections from a column's name (with its table: `users.name` is a person's name), comment and type.
 * @example
 * ```ts
 * detectFromSchema({ name: 'orders' }, { name: 'client_ip', kind: 'inet' }).map((x) => x.kind); // ['ip-address']
 * ```
 */
export function detectFromSchema(table: Pick<Table, 'name'>, column: Pick<Column, 'name' | 'kind'> & { readonly comment?: string | undefined }): Detection[] {
  const out: Detection[] = [];
  // `address_id integer`, `city_id`, `email_uuid uuid`: a key naming what it points at, not a value of that kind
  const idOfSomething = KEY_KINDS.has(column.kind) && /^(id|ids|uuid|fk|key|ref)$/.test(nameTokens(column.name).at(-1) ?? '');
  for (const hit of kindsFromName(column.name)) {
    if (idOfSomething && !/id$/.test(hit.token)) continue;
    out.push({ kind: hit.kind, detector: hit.detector, source: 'name', confidence: hit.detector === 'name-fragment' ? 0.6 : 0.7, token: hit.token });
  }
  const tokens = nameTokens(column.name);
  if (out.length === 0 && tokens.includes('name')) {
    // `users.name`, `bookings.guest_name`: a name column where the table (for a bare `name`) or the column's other
    // words name people; `users.avatar_file_name` is a file's name
    const others = tokens.filter((t) => t !== 'name');
    const context = others.length === 0 ? table.name : others.join(' ');
    if (PEOPLE_TABLES.test(context)) {
      out.push({ kind: 'person-name', detector: 'people-table-name', source: 'name', confidence: 0.6, token: column.name === 'name' ? table.name : column.name });
    }
  }
  const typeKind = TYPE_KINDS[column.kind];
  if (typeKind) out.push({ kind: typeKind, detector: `type-${column.kind}`, source: 'type', confidence: 0.9 });
  if (column.comment) {
    const words = column.comment.split(/[^A-Za-z_]+/).filter((w) => w.length > 1);
    for (const word of words) {
      for (const hit of kindsFromName(word)) {
        if (hit.kind === 'free-text' || out.some((x) => x.kind === hit.kind)) continue;
        out.push({ kind: hit.kind, detector: 'comment-word', source: 'comment', confidence: 0.5, token: hit.token });
      }
    }
    if (/\b(?:pii|gdpr|personal data|personally identifiable|confidential|sensitive)\b/i.test(column.comment) && out.length === 0) {
      out.push({ kind: 'sensitive', detector: 'comment-pii-marker', source: 'comment', confidence: 0.6 });
    }
  }
  return out;
}
