/**
 * The privacy policy of profiles: one pure function turns a column's raw engine
 * statistics into what a profile may keep, so every dialect obeys the same rules.
 *
 * - A column that looks personal by name (email, phone, first_name, address, token,
 *   password, ip, birth_date, notes, …) or by type (unbounded or long text, json,
 *   binary, inet, …) keeps only the shape of its distribution: null rate, distinct
 *   ratio, widths, lengths. Never a value, never a histogram bound.
 * - Any other column keeps frequent values only when it is low-cardinality
 *   (≤ 100 distinct values or ≤ 1 % of rows) and only those values that occur in
 *   at least `k` rows; histogram bounds only for numeric, date/time, boolean and
 *   enum kinds, and only when each histogram bucket holds at least `k` rows. A kept value that still looks like an e-mail, phone number, IBAN,
 *   IP address or secret token is dropped all the same.
 *
 * @example
 * ```ts
 * const column = applyPrivacyPolicy({ table, column, rowEstimate: 20_000, k: 10, stats });
 * column.kept; // ['nulls', 'distinct', 'mostCommon', 'width']
 * column.reason; // 'low-cardinality (4 distinct); 1 value below k=10 dropped'
 * ```
 */
import type { LengthBucket, ProfileColumn, ProfileStat, ProfileValue } from './profile-model.js';
import type { Column, ColumnKind, Table } from './schema-model.js';

/** Raw statistics as a dialect reads them, before the policy. */
export interface RawColumnStats {
  readonly nullFraction?: number | null;
  /** Absolute distinct count, when the engine gives one. */
  readonly distinctCount?: number | null;
  /** Distinct ÷ rows, when the engine gives a ratio (PostgreSQL `n_distinct < 0`, negated). */
  readonly distinctRatio?: number | null;
  readonly mostCommon?: { readonly values: readonly unknown[]; readonly frequencies: readonly number[] };
  readonly histogramBounds?: readonly unknown[];
  readonly avgWidth?: number | null;
  readonly correlation?: number | null;
  readonly lengths?: readonly LengthBucket[];
}

export interface PrivacyInput {
  readonly table: Pick<Table, 'name'>;
  readonly column: Pick<Column, 'name' | 'kind' | 'length' | 'arrayDimensions'>;
  readonly rowEstimate: number | null;
  readonly stats: RawColumnStats;
  /** Minimum rows a frequent value must occur in (default 10). */
  readonly k?: number;
}

/** Frequent values are kept only at or below this many distinct values… */
export const LOW_CARDINALITY_COUNT = 100;
/** …or at or below this ratio of distinct values to rows. */
export const LOW_CARDINALITY_RATIO = 0.01;
/** Text columns declared longer than this are treated as free text. */
export const FREE_TEXT_LENGTH = 64;
export const DEFAULT_K = 10;

/** Column-name tokens that mark a column as personal or secret. */
const PERSONAL_TOKENS = new Set([
  'email', 'mail', 'phone', 'telephone', 'tel', 'mobile', 'cell', 'fax', 'msisdn',
  'firstname', 'lastname', 'fullname', 'middlename', 'surname', 'forename', 'maiden', 'nickname', 'username', 'login',
  'address', 'addr', 'street', 'city', 'zip', 'zipcode', 'postal', 'postcode', 'housenumber',
  'ssn', 'sin', 'nin', 'passport', 'license', 'licence', 'iban', 'bic', 'swift', 'card', 'pan', 'cvv', 'cvc',
  'accountnumber', 'acct', 'tax', 'taxid', 'vat', 'national', 'social', 'nhs', 'medicare',
  'token', 'secret', 'password', 'passwd', 'pwd', 'hash', 'salt', 'apikey', 'otp', 'pin', 'credential', 'credentials',
  'ip', 'ipv4', 'ipv6', 'ipaddress', 'useragent', 'mac',
  'birth', 'birthday', 'birthdate', 'dob',
  'lat', 'lng', 'lon', 'latitude', 'longitude', 'geo', 'geolocation', 'coordinates',
  'note', 'notes', 'comment', 'comments', 'description', 'bio', 'about', 'message', 'body', 'remark', 'remarks', 'memo',
  'signature', 'salary', 'income', 'wage', 'ethnicity', 'religion', 'diagnosis', 'health', 'gender', 'sex',
]);
/** Substrings that mark a name as personal even when words are run together (`emailaddress`, `userPasswordHash`). */
const PERSONAL_FRAGMENTS = ['email', 'phone', 'password', 'passwd', 'firstname', 'lastname', 'fullname', 'surname',
  'address', 'birth', 'passport', 'token', 'secret', 'street', 'zipcode', 'postcode', 'useragent', 'iban', 'ssn'];
/** Qualifiers that make `…_name` a person's name (`display_name`, `contact_name`). */
const PERSON_QUALIFIERS = new Set(['first', 'last', 'full', 'middle', 'given', 'family', 'display', 'nick', 'user',
  'maiden', 'sur', 'contact', 'customer', 'person', 'author', 'owner', 'employee', 'member', 'patient', 'legal', 'real']);
/** A table whose name contains one of these holds people: its `name` column is a person's name. */
const PEOPLE_TABLES = /user|customer|person|people|employee|staff|member|contact|patient|account|author|client|student|owner|guest|subscriber|profile|applicant|candidate|driver|passenger|visitor|tenant|buyer|seller|actor|parent|child|doctor|teacher/i;

const TYPE_PERSONAL: Partial<Record<ColumnKind, string>> = {
  text: 'unbounded text (free text)',
  citext: 'unbounded text (free text)',
  json: 'json', jsonb: 'json', xml: 'xml', hstore: 'hstore',
  binary: 'binary', varbinary: 'binary', blob: 'binary',
  inet: 'network address', cidr: 'network address', macaddr: 'hardware address', macaddr8: 'hardware address',
  tsvector: 'text search document', spatial: 'location', geometric: 'geometry', uuid: 'identifier (uuid)',
  other: 'unknown type', vector: 'embedding',
};
const HISTOGRAM_KINDS = new Set<ColumnKind>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint', 'decimal', 'real',
  'double', 'money', 'boolean', 'date', 'time', 'timetz', 'timestamp', 'timestamptz', 'interval', 'year', 'enum']);

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

/**
 * Whether a column looks personal, and why.
 * @example
 * ```ts
 * classifyColumn({ name: 'users' }, { name: 'name', kind: 'varchar', length: 50, arrayDimensions: 0 });
 * // { personal: true, reason: 'a "name" column in people-like table "users"' }
 * ```
 */
export function classifyColumn(
  table: Pick<Table, 'name'>,
  column: Pick<Column, 'name' | 'kind' | 'length' | 'arrayDimensions'>,
): { personal: boolean; reason: string; freeText?: boolean } {
  const tokens = nameTokens(column.name);
  const hit = tokens.find((t) => PERSONAL_TOKENS.has(t));
  if (hit) return { personal: true, reason: `personal name token "${hit}"` };
  // joined pairs: first_name → firstname, user_agent → useragent, ip_address → ipaddress
  for (let i = 0; i + 1 < tokens.length; i++) {
    const pair = `${tokens[i]}${tokens[i + 1]}`;
    if (PERSONAL_TOKENS.has(pair)) return { personal: true, reason: `personal name token "${pair}"` };
  }
  const joined = tokens.join('');
  const fragment = PERSONAL_FRAGMENTS.find((f) => joined.includes(f));
  if (fragment) return { personal: true, reason: `personal name fragment "${fragment}"` };
  if (tokens.includes('name')) {
    const qualifier = tokens.find((t) => PERSON_QUALIFIERS.has(t));
    if (qualifier) return { personal: true, reason: `a person's name ("${qualifier}" + "name")` };
    if (PEOPLE_TABLES.test(column.name === 'name' ? table.name : `${table.name} ${column.name}`)) {
      return { personal: true, reason: `a "name" column in people-like table "${table.name}"` };
    }
  }
  const typeReason = TYPE_PERSONAL[column.kind];
  if (typeReason) {
    return { personal: true, reason: `type: ${typeReason}`, ...(column.kind === 'text' || column.kind === 'citext' ? { freeText: true } : {}) };
  }
  if ((column.kind === 'varchar' || column.kind === 'char') && (column.length === undefined || column.length > FREE_TEXT_LENGTH)) {
    return { personal: true, reason: `type: ${column.kind}(${column.length ?? 'unbounded'}) longer than ${FREE_TEXT_LENGTH} (free text)`, freeText: true };
  }
  if (column.arrayDimensions > 0) return { personal: true, reason: 'array column (values not profiled)' };
  return { personal: false, reason: 'not personal by name or type' };
}

const VALUE_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/[^\s@]+@[^\s@]+\.[a-z]{2,}/i, 'e-mail'],
  [/\b\d{1,3}(\.\d{1,3}){3}\b|([0-9a-f]{1,4}:){3,}/i, 'IP address'],
  [/\+?\d[\d\s().-]{6,}\d/, 'phone-like digits'],
  [/^[A-Z]{2}\d{2}[A-Z0-9 ]{10,30}$/i, 'IBAN-like'],
  [/[A-Za-z0-9+/_$.=-]{24,}/, 'token-like'],
];

/**
 * Whether one value looks like personal data or a secret, whatever its column is called.
 * @example
 * ```ts
 * valueLooksPersonal('bob@example.com'); // 'e-mail'
 * valueLooksPersonal('pending'); // undefined
 * ```
 */
export function valueLooksPersonal(value: ProfileValue): string | undefined {
  if (typeof value !== 'string') return undefined;
  // ISO dates and times, and plain numbers written as text, are not personal by their look.
  if (/^\d{4}-\d{2}-\d{2}([ T][\d:.]+([+-]\d{2}(:?\d{2})?|Z)?)?$/.test(value) || /^-?\d+(\.\d+)?$/.test(value)) return undefined;
  return VALUE_PATTERNS.find(([re]) => re.test(value))?.[1];
}

/** A raw statistic value as JSON: dates as ISO strings, big numbers as text, binary refused. */
export function toProfileValue(value: unknown): ProfileValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return undefined;
}

/** Rows a histogram describes: the non-null rows outside the most common values (0 without an estimate). */
function histogramRows(rows: number | null, nullFraction: number | undefined, mcv: RawColumnStats['mostCommon']): number {
  if (rows === null) return 0;
  const common = mcv ? mcv.frequencies.reduce((sum, f) => sum + f, 0) : 0;
  return rows * Math.max(0, 1 - (nullFraction ?? 0) - common);
}

function finite(n: number | null | undefined): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/**
 * Applies the policy to one column's raw statistics.
 * @example
 * ```ts
 * applyPrivacyPolicy({ table: { name: 'users' }, column: emailColumn, rowEstimate: 1000, stats }).mostCommon; // undefined
 * ```
 */
export function applyPrivacyPolicy(input: PrivacyInput): ProfileColumn {
  const { stats, rowEstimate } = input;
  const k = input.k ?? DEFAULT_K;
  const rows = rowEstimate !== null && rowEstimate > 0 ? rowEstimate : null;
  const kept: ProfileStat[] = [];
  const dropped: ProfileStat[] = [];
  const reasons: string[] = [];
  const classified = classifyColumn(input.table, input.column);

  const nullFraction = finite(stats.nullFraction);
  let distinctCount = finite(stats.distinctCount) ?? null;
  let distinctRatio = finite(stats.distinctRatio) ?? null;
  const distinctBasis = distinctCount !== null ? 'count' : distinctRatio !== null ? 'ratio' : undefined;
  if (distinctCount === null && distinctRatio !== null && rows !== null) distinctCount = Math.round(distinctRatio * rows);
  if (distinctRatio === null && distinctCount !== null && rows !== null) distinctRatio = Math.min(1, distinctCount / rows);
  if (distinctRatio !== null) distinctRatio = Number(distinctRatio.toPrecision(6));
  const lowCardinality =
    (distinctCount !== null && distinctCount <= LOW_CARDINALITY_COUNT) || (distinctRatio !== null && distinctRatio <= LOW_CARDINALITY_RATIO);
  // A column personal only by its free-text type (`status text`), never by its name, holding few distinct
  // values is categorical: it may keep frequent values, still subject to k and the value backstop below.
  const categorical = classified.personal && classified.freeText === true && lowCardinality && rows !== null;
  const personal = classified.personal && !categorical;
  reasons.push(
    categorical
      ? `${classified.reason}, but few distinct values: treated as categorical`
      : personal
        ? `personal (${classified.reason}): shape only`
        : classified.reason,
  );
  const column: ProfileColumn = {
    nullFraction: nullFraction ?? null,
    distinctCount,
    distinctRatio,
    personal,
    kept,
    dropped,
    reason: '',
  };
  if (distinctBasis) column.distinctBasis = distinctBasis;
  if (nullFraction !== undefined) kept.push('nulls');
  if (distinctCount !== null || distinctRatio !== null) kept.push('distinct');

  const mcv = stats.mostCommon;
  if (mcv && mcv.values.length > 0) {
    if (personal) dropped.push('mostCommon');
    else if (rows === null) {
      dropped.push('mostCommon');
      reasons.push('frequent values dropped: no row estimate to check k against');
    } else if (!lowCardinality) {
      dropped.push('mostCommon');
      reasons.push(`frequent values dropped: not low-cardinality (${distinctCount ?? '?'} distinct, ratio ${distinctRatio?.toFixed(4) ?? '?'})`);
    } else {
      const values: ProfileValue[] = [];
      const frequencies: number[] = [];
      let belowK = 0;
      let suspicious: string | undefined;
      mcv.values.forEach((raw, i) => {
        const frequency = mcv.frequencies[i];
        const value = toProfileValue(raw);
        if (frequency === undefined || value === undefined) return;
        if (frequency * rows < k) return void belowK++;
        const looks = valueLooksPersonal(value);
        if (looks) return void (suspicious ??= looks);
        values.push(value);
        frequencies.push(frequency);
      });
      if (suspicious) {
        dropped.push('mostCommon');
        reasons.push(`frequent values dropped: a value looks ${suspicious}`);
      } else if (values.length > 0) {
        const order = values.map((_, i) => i).sort((a, b) => frequencies[b]! - frequencies[a]!);
        column.mostCommon = { values: order.map((i) => values[i]!), frequencies: order.map((i) => frequencies[i]!) };
        kept.push('mostCommon');
        reasons.push(`low-cardinality (${distinctCount ?? '?'} distinct)${belowK > 0 ? `; ${belowK} value(s) below k=${k} dropped` : ''}`);
      } else {
        dropped.push('mostCommon');
        reasons.push(`frequent values dropped: every value below k=${k}`);
      }
    }
  }

  const bounds = stats.histogramBounds;
  if (bounds && bounds.length > 0) {
    if (personal) dropped.push('histogram');
    else if (!HISTOGRAM_KINDS.has(input.column.kind)) {
      dropped.push('histogram');
      reasons.push(`histogram dropped: ${input.column.kind} is not a numeric, date/time, boolean or enum kind`);
    } else if (histogramRows(rows, nullFraction, mcv) / Math.max(1, bounds.length - 1) < k) {
      dropped.push('histogram');
      reasons.push(rows === null ? 'histogram dropped: no row estimate to check k against' : `histogram dropped: its buckets hold fewer than k=${k} rows`);
    } else {
      const values = bounds.map(toProfileValue);
      const suspicious = values.map((v) => (v === undefined ? 'unreadable' : valueLooksPersonal(v))).find((x) => x);
      if (suspicious) {
        dropped.push('histogram');
        reasons.push(`histogram dropped: a bound looks ${suspicious}`);
      } else {
        column.histogram = { bounds: values as ProfileValue[] };
        kept.push('histogram');
      }
    }
  }

  const avgWidth = finite(stats.avgWidth);
  if (avgWidth !== undefined) (column.avgWidth = avgWidth), kept.push('width');
  const correlation = finite(stats.correlation);
  if (correlation !== undefined) (column.correlation = correlation), kept.push('correlation');
  if (stats.lengths && stats.lengths.length > 0) (column.lengths = [...stats.lengths]), kept.push('lengths');
  column.reason = reasons.join('; ');
  return column;
}
