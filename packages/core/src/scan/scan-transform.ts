/**
 * The transform scan proposes for a column, from the detectors' verdict and the
 * column's type. One table, kind by kind:
 *
 * | kind | transform |
 * |---|---|
 * | email, phone, username, company, address, city, postcode, card-number, iban, national-id, ip-address, mac-address | `fake:<kind>` |
 * | person-name | `fake:first-name` / `fake:last-name` when the name says which, else `fake:person-name` |
 * | account-number | `mask` (last 4 kept) |
 * | jwt, secret, identifier | `hash` |
 * | birth-date | `shift-date` |
 * | geo-location | `noise` (numbers), `redact` (other) |
 * | sensitive | `noise` (numbers), `shift-date` (dates), `redact` (other) |
 * | url-credentials, free-text, several kinds in one column | `text` |
 * | inside JSON documents | `json`, a transform per path |
 *
 * @example
 * ```ts
 * proposeTransform(verdict, { name: 'email', kind: 'text' }); // { transform: 'fake:email' }
 * ```
 */
import type { PiiVerdict } from '../pii/column-verdict.js';
import { nameTokens } from '../pii/column-name-detector.js';
import type { PiiKind } from '../pii/pii-kind.js';
import { FAKE_MIN_LENGTH, HASH_MIN_LENGTH, type ColumnRule, type FakeKind, type Transform } from '../scrub-policy.js';
import type { Column, ColumnKind } from '../schema-model.js';

export type ProposedRule = Pick<ColumnRule, 'transform' | 'mask' | 'noise' | 'paths' | 'kinds'>;

const FAKE: Partial<Record<PiiKind, FakeKind>> = {
  email: 'email',
  phone: 'phone',
  username: 'username',
  company: 'company',
  address: 'address',
  city: 'city',
  postcode: 'postcode',
  'card-number': 'card-number',
  iban: 'iban',
  'national-id': 'national-id',
  'ip-address': 'ip-address',
  'mac-address': 'mac-address',
};
const NUMERIC = new Set<ColumnKind>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint', 'decimal', 'real', 'double', 'money']);
const DATES = new Set<ColumnKind>(['date', 'timestamp', 'timestamptz']);
const BINARY = new Set<ColumnKind>(['binary', 'varbinary', 'blob']);

function personNameFake(columnName: string): FakeKind {
  const tokens = nameTokens(columnName);
  const joined = tokens.join('');
  if (/first|given|fore/.test(joined)) return 'first-name';
  if (/last|sur|family/.test(joined)) return 'last-name';
  return 'person-name';
}

/**
 * The transform for one kind in a column of this type.
 * @example
 * ```ts
 * transformForKind('birth-date', { name: 'dob', kind: 'date' }); // 'shift-date'
 * ```
 */
export function transformForKind(kind: PiiKind, column: Pick<Column, 'name' | 'kind'>): Transform {
  const fake = FAKE[kind];
  if (fake) return `fake:${fake}`;
  switch (kind) {
    case 'person-name':
      return `fake:${personNameFake(column.name)}`;
    case 'account-number':
      return 'mask';
    case 'jwt':
    case 'secret':
    case 'identifier':
      return 'hash';
    case 'birth-date':
      return 'shift-date';
    case 'geo-location':
      return NUMERIC.has(column.kind) ? 'noise' : 'redact';
    case 'sensitive':
      return NUMERIC.has(column.kind) ? 'noise' : DATES.has(column.kind) ? 'shift-date' : 'redact';
    default:
      return 'text';
  }
}

/**
 * The rule scan proposes for a verdict: `keep` when nothing personal was found.
 * @example
 * ```ts
 * proposeTransform({ kinds: ['email', 'phone'], container: 'text', … }, column); // { transform: 'text', kinds: ['email', 'phone'] }
 * ```
 */
export function proposeTransform(verdict: Pick<PiiVerdict, 'kinds' | 'container' | 'jsonPaths'>, column: Pick<Column, 'name' | 'kind'>): ProposedRule {
  if (verdict.kinds.length === 0) return { transform: 'keep' };
  // Bytes (pagila's staff.picture): no transform reads inside them, so personal data found there is dropped.
  if (BINARY.has(column.kind)) return { transform: 'null' };
  if (verdict.container === 'json' && verdict.jsonPaths) {
    const paths: Record<string, Exclude<Transform, 'json'>> = {};
    for (const [path, kinds] of Object.entries(verdict.jsonPaths)) {
      const t = kinds.length > 1 ? 'text' : transformForKind(kinds[0]!, { name: path.split('.').pop() ?? path, kind: 'text' });
      paths[path] = t === 'json' ? 'redact' : t;
    }
    return { transform: 'json', paths };
  }
  if (verdict.container === 'text' || verdict.kinds.length > 1) return { transform: 'text', kinds: verdict.kinds.filter((k) => k !== 'free-text') };
  const kind = verdict.kinds[0]!;
  const transform = transformForKind(kind, column);
  if (transform === 'mask') return { transform, mask: { keepFirst: 0, keepLast: 4 } };
  if (transform === 'noise') return { transform, noise: { relative: kind === 'geo-location' ? 0.001 : 0.1 } };
  if (transform === 'text') return kind === 'free-text' ? { transform } : { transform, kinds: [kind] };
  return { transform };
}

const TEXT = new Set<ColumnKind>(['char', 'varchar', 'text', 'citext']);
const INTEGERS = new Set<ColumnKind>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint']);
const JSONS = new Set<ColumnKind>(['json', 'jsonb']);
/** Types of ranges, points and vectors: no personal kind fits inside their values. */
const BOUNDS = new Set<ColumnKind>(['range', 'multirange', 'geometric', 'vector', 'oid']);
/** Kinds a number or uuid can hold: such a column is permuted (`hash` on it is the keys' keyed permutation). */
const NUMBER_HELD = new Set<PiiKind>(['identifier', 'secret', 'phone', 'card-number', 'national-id', 'account-number', 'iban', 'postcode']);

type FitColumn = Pick<Column, 'name' | 'kind' | 'rawType' | 'nullable'> & Partial<Pick<Column, 'arrayDimensions' | 'generated' | 'default' | 'length'>>;

/** Why scrub would refuse `transform` on this column (the rules of scrub's `checkTransformFits`), or `undefined` when it fits. */
function misfit(transform: Transform, column: FitColumn, key: boolean, nullChecked = false): string | undefined {
  if (transform === 'keep') return undefined;
  const array = (column.arrayDimensions ?? 0) > 0;
  if (key && !array) {
    return INTEGERS.has(column.kind) || column.kind === 'uuid' || TEXT.has(column.kind) ? undefined : `a key of type ${column.rawType} has no collision-free transform`;
  }
  if (transform === 'null') return !column.nullable ? 'NOT NULL' : nullChecked ? 'a CHECK reads whether it is NULL' : undefined;
  if (transform === 'generate') {
    if (array || BINARY.has(column.kind)) return 'seed makes no values for it here';
    return column.generated || column.default?.kind === 'identity' ? 'the database fills it' : undefined;
  }
  if (transform.startsWith('fake:')) {
    const kind = transform.slice(5);
    const min = FAKE_MIN_LENGTH[kind as FakeKind];
    // friendica's `channel.access-key varchar(1)`, a `zip varchar(2)`: too short for a realistic one
    if (TEXT.has(column.kind)) return column.length !== undefined && column.length < min ? `a realistic ${kind} needs ${min} characters` : undefined;
    return (kind === 'ip-address' && (column.kind === 'inet' || column.kind === 'cidr')) || (kind === 'mac-address' && column.kind === 'macaddr') ? undefined : 'fakes are text';
  }
  switch (transform) {
    case 'hash':
      if ((TEXT.has(column.kind) || BINARY.has(column.kind)) && column.length !== undefined && column.length < HASH_MIN_LENGTH) return `a hash needs ${HASH_MIN_LENGTH} characters`;
      return TEXT.has(column.kind) || (!array && (INTEGERS.has(column.kind) || column.kind === 'uuid' || BINARY.has(column.kind))) ? undefined : 'hashes are text';
    case 'redact':
    case 'mask':
    case 'text':
      return TEXT.has(column.kind) ? undefined : `${transform} rewrites text`;
    case 'json':
      return TEXT.has(column.kind) || JSONS.has(column.kind) ? undefined : 'json reads documents';
    case 'noise':
      return NUMERIC.has(column.kind) ? undefined : 'noise moves numbers';
    case 'shift-date':
      return DATES.has(column.kind) ? undefined : 'shift-date moves dates';
    default:
      return undefined;
  }
}

/**
 * The proposal made to fit the column's type, so that scrub accepts every rule scan writes: the
 * detectors judge values as text, and a name claims a kind whatever the type (kanboard's
 * `users.nb_failed_login integer` reads as a login, coder's `hashed_secret bytea NOT NULL` holds a
 * secret, danbooru's `permitted_ip_addresses inet[]` holds IPs). `key`: the column is in a primary
 * or unique key or referenced by a foreign key (scrub permutes it, which only integers, uuids and
 * text have). `nullChecked`: a CHECK reads whether the column is NULL (coder's `one_time_passcode_set`:
 * both NULL or neither), so `null` could break it. Returns the rule, and a note for the reason when it changed.
 * @example
 * ```ts
 * fitProposal({ transform: 'text', kinds: ['ip-address'] }, { name: 'ips', kind: 'inet', rawType: 'inet[]', nullable: false, arrayDimensions: 1 }, ['ip-address'], false);
 * // { rule: { transform: 'fake:ip-address' }, note: '…' }
 * ```
 */
export function fitProposal(rule: ProposedRule, column: FitColumn, kinds: readonly PiiKind[], key: boolean, nullChecked = false): { rule: ProposedRule; note?: string } {
  const why = misfit(rule.transform, column, key, nullChecked);
  if (why === undefined) return { rule };
  const array = (column.arrayDimensions ?? 0) > 0;
  const note = (to: Transform, more = ''): string => `${rule.transform} does not fit ${column.rawType}${column.nullable ? '' : ' NOT NULL'} (${why}): ${to}${more}`;
  if (key && !array) return { rule: { transform: 'keep' }, note: note('keep', '; review it') };
  if ((column.kind === 'inet' || column.kind === 'cidr') && !misfit('fake:ip-address', column, key)) return { rule: { transform: 'fake:ip-address' }, note: note('fake:ip-address') };
  if (column.kind === 'macaddr') return { rule: { transform: 'fake:mac-address' }, note: note('fake:mac-address') };
  if (!array && (INTEGERS.has(column.kind) || column.kind === 'uuid')) {
    if (kinds.some((k) => NUMBER_HELD.has(k))) return { rule: { transform: 'hash' }, note: note('hash', ' (the keyed permutation of its type)') };
    return { rule: { transform: 'keep' }, note: note('keep', `: a ${column.rawType} holds no ${kinds.join(', ') || 'text'}`) };
  }
  // hatchet's `block_external_id_range uuidrange`: uuids and dates in brackets, whose digits a detector of text read as a phone
  if (BOUNDS.has(column.kind)) return { rule: { transform: 'keep' }, note: note('keep', `: a ${column.rawType} holds bounds, points or numbers, not ${kinds.join(', ') || 'text'}`) };
  if (!misfit('null', column, key, nullChecked)) return { rule: { transform: 'null' }, note: note('null') };
  if (BINARY.has(column.kind) && !array && !misfit('hash', column, key)) return { rule: { transform: 'hash' }, note: note('hash', ' (keyed bytes)') };
  if (TEXT.has(column.kind)) return { rule: { transform: 'redact' }, note: note('redact') };
  if (!misfit('generate', column, key) && !(nullChecked && column.nullable)) return { rule: { transform: 'generate' }, note: note('generate') };
  return { rule: { transform: 'keep' }, note: note('keep', '; no transform rewrites it: review it') };
}
