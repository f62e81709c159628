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
  ['person-name', ['firstname', 'lastname', 'fullname', 'middlename', 'surname', 'forename', 'maiden', 'givenname', 'familyname', 'contactname', 'nickname', 'nick']],
  ['username', ['username', 'login', 'userlogin', 'screenname', 'userhandle']],
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
      // a tax, a VAT, a licence alone is an amount, a rate or a product's (zencart's `order_tax`, `tax_rate`): the number of one is a person's
      'licensenumber',
      'licenseno',
      'licencenumber',
      'licenceno',
      'driverlicense',
      'driverslicense',
      'taxid',
      'taxnumber',
      'taxno',
      'taxcode',
      'tin',
      'vatid',
      'vatnumber',
      'vatno',
      'nationalid',
      'nationalnumber',
      'nationalinsurance',
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

/** A table of groups, roles or kinds of people (`usergroup`, `user_roles`, `customer_types`): its `name` is the group's. */
const GROUPS_OF_PEOPLE = /(group|role|type|level|segment|team|tier|categor(y|ie)|permission|setting|status|tag)s?$/i;

/** Words that, next to an address word, make it something else (`ip_address`, `mac_address`, `email_address`). */
const NOT_POSTAL = new Set(['ip', 'mac', 'email', 'mail', 'wallet', 'web', 'url', 'server', 'host', 'memory', 'bitcoin']);

/**
 * Last words that say what a column holds when a personal word only qualifies it: `token_type`, `address_format`,
 * `record_company_image`, `record_company_url`, `pin_guard_time_out`, `comment_count` hold a category, a template, a
 * picture, a link, a duration, a number, never the token, address, company or comment.
 */
const THING_HEADS = new Set([
  'type',
  'types',
  'kind',
  'format',
  'template',
  'image',
  'img',
  'icon',
  'logo',
  'url',
  'uri',
  'link',
  'path',
  'file',
  'filename',
  'count',
  'length',
  'size',
  'rate',
  'priority',
  'status',
  'mode',
  'version',
  'method',
  'methods',
  'alg',
  'algorithm',
  'timeout',
  'ttl',
]);

/** Whether the name's last word (or last two, `time_out`) is one of `THING_HEADS`, after other words. */
function namesAThing(tokens: readonly string[]): boolean {
  if (tokens.length < 2) return false;
  return THING_HEADS.has(tokens.at(-1)!) || (tokens.length > 2 && THING_HEADS.has(`${tokens.at(-2)}${tokens.at(-1)}`));
}

/** `handle` is a person's (a username) after another word (`twitter_handle`, `discord_user_handle`), or alone in a table of people. */
function handleOfSomeone(tokens: readonly string[], tableName?: string): boolean {
  if (tokens.at(-1) !== 'handle') return false;
  return tokens.length > 1 ? !['file', 'window', 'stream', 'socket', 'lock'].includes(tokens.at(-2)!) : tableName !== undefined && PEOPLE_TABLES.test(tableName);
}

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
  if (namesAThing(tokens)) return hits;
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
  if (handleOfSomeone(tokens)) add('username', `${tokens.at(-2)} handle`, 'name-token');
  if (tokens.includes('name')) {
    const qualifier = tokens.find((t) => PERSON_QUALIFIERS.has(t));
    if (qualifier && !seen.has('username') && !seen.has('company')) add('person-name', `${qualifier} name`, 'person-name-qualifier');
  }
  return hits;
}

/** Types of keys: a column of one named `<something>_id` holds a reference, not the something. */
const KEY_KINDS = new Set<ColumnKind>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint', 'uuid', 'binary', 'varbinary', 'blob']);

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
  if (out.length === 0 && tokens.length === 1 && handleOfSomeone(tokens, table.name)) {
    out.push({ kind: 'username', detector: 'people-table-name', source: 'name', confidence: 0.6, token: table.name });
  }
  if (out.length === 0 && tokens.includes('name')) {
    // `users.name`, `bookings.guest_name`: a name column where the table (for a bare `name`) or the word before `name`
    // names people; `users.avatar_file_name` is a file's name, farmbot's `parent_arg_name` an argument's, and icingadb's
    // `usergroup.name` a group's
    const at = tokens.lastIndexOf('name');
    const context = at > 0 ? tokens[at - 1]! : tokens.length === 1 ? table.name : '';
    if (PEOPLE_TABLES.test(context) && !GROUPS_OF_PEOPLE.test(context)) {
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
