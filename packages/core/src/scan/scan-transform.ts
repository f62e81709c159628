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
import type { ColumnRule, FakeKind, Transform } from '../scrub-policy.js';
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
