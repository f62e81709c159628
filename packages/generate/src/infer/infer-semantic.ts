/**
 * Infers what a column holds from its name (and, for `name`/`title`/`state`,
 * its table and sibling columns), checked against the column's kind: `email`
 * only for text, `created_at` only for dates and timestamps.
 *
 * @example
 * ```ts
 * inferSemanticKind('billing_email', { table: 'invoice', kind: 'varchar' });
 * // { kind: 'email', reason: 'column name: email' }
 * inferSemanticKind('name', { table: 'customers', kind: 'text' });
 * // { kind: 'full_name', reason: 'column name: name (table customers holds people)' }
 * ```
 */
import type { ColumnKind } from '@understudy/core';
import { nameSuffixes, nameTokens, tableWords } from './name-tokens.js';
import { FAMILY_KINDS, SEMANTIC_RULES, type SemanticRule } from './semantic-kinds.js';

export interface SemanticContext {
  /** The table's name (unqualified). */
  readonly table: string;
  readonly kind: ColumnKind;
  /** The other columns of the table. */
  readonly siblings?: readonly string[];
}

export interface SemanticMatch {
  readonly kind: string;
  readonly reason: string;
}

const PERSON_TABLES = new Set([
  'user',
  'customer',
  'person',
  'people',
  'employee',
  'staff',
  'member',
  'author',
  'actor',
  'artist',
  'contact',
  'client',
  'student',
  'teacher',
  'patient',
  'doctor',
  'driver',
  'owner',
  'player',
  'manager',
  'agent',
  'guest',
  'passenger',
  'subscriber',
  'participant',
  'applicant',
  'candidate',
  'volunteer',
  'writer',
  'director',
  'instructor',
  'profile',
  'account',
  'buyer',
  'seller',
  'tenant',
  'resident',
  'worker',
  'user_profile',
  'speaker',
  'athlete',
  'composer',
  'musician',
  'recipient',
  'sender',
]);
const COMPANY_TABLES = new Set([
  'company',
  'supplier',
  'vendor',
  'publisher',
  'manufacturer',
  'brand',
  'organization',
  'organisation',
  'org',
  'business',
  'merchant',
  'shipper',
  'carrier',
  'partner',
  'agency',
  'firm',
  'bank',
  'store',
  'shop',
  'employer',
  'provider',
  'label',
  'studio',
  'distributor',
  'retailer',
  'school',
  'university',
  'hospital',
  'club',
]);
const TITLE_TABLES = new Set([
  'film',
  'movie',
  'book',
  'album',
  'track',
  'song',
  'course',
  'event',
  'project',
  'game',
  'app',
  'application',
  'playlist',
  'show',
  'episode',
  'article',
  'post',
  'page',
  'video',
  'podcast',
  'campaign',
  'task',
  'ticket',
  'issue',
  'document',
  'report',
  'lesson',
  'recipe',
  'exhibition',
  'conference',
  'meeting',
]);
const PRODUCT_TABLES = new Set(['product', 'item', 'good', 'article', 'sku', 'part', 'inventory', 'menu_item', 'dish', 'service', 'plan', 'package', 'offer', 'listing']);
const ADDRESS_HINTS = ['city', 'zip', 'zipcode', 'postalcode', 'postcode', 'country', 'address', 'street', 'countryid', 'cityid'];

/** What `name` means in a table, by the table's words (its last word first). */
function nameByTable(table: string): { kind: string; why: string } {
  const words = tableWords(table);
  const compact = words.join('_');
  const ordered = [compact, ...[...words].reverse()];
  for (const w of ordered) {
    if (PERSON_TABLES.has(w)) return { kind: 'full_name', why: 'holds people' };
    if (COMPANY_TABLES.has(w)) return { kind: 'company_name', why: 'holds companies' };
    if (w === 'city' || w === 'town') return { kind: 'city', why: 'holds cities' };
    if (w === 'country') return { kind: 'country', why: 'holds countries' };
    if (w === 'state' || w === 'province' || w === 'region') return { kind: 'state', why: 'holds regions' };
    if (w === 'language') return { kind: 'language', why: 'holds languages' };
    if (w === 'currency') return { kind: 'currency_name', why: 'holds currencies' };
    if (w === 'genre') return { kind: 'genre', why: 'holds genres' };
    if (w === 'category' || w === 'department' || w === 'section') return { kind: 'category', why: 'holds categories' };
    if (w === 'tag' || w === 'label' || w === 'keyword' || w === 'topic') return { kind: 'tag', why: 'holds tags' };
    if (w === 'team' || w === 'group' || w === 'role') return { kind: 'department', why: 'holds groups' };
    if (w === 'street') return { kind: 'street_name', why: 'holds streets' };
    if (w === 'color' || w === 'colour') return { kind: 'color', why: 'holds colours' };
    if (w === 'mediatype' || w === 'media_type' || w === 'format' || w === 'type' || w === 'kind' || w === 'status') return { kind: 'words', why: 'holds types' };
    if (TITLE_TABLES.has(w)) return { kind: 'title', why: 'holds titled works' };
    if (PRODUCT_TABLES.has(w)) return { kind: 'product_name', why: 'holds products' };
  }
  return { kind: 'words', why: 'unknown entity' };
}

function ruleMatches(rule: SemanticRule, suffixes: readonly string[], firstToken: string | undefined): boolean {
  if (rule.names.some((n) => suffixes.includes(n))) return true;
  return rule.prefixes !== undefined && firstToken !== undefined && suffixes.length > 1 && rule.prefixes.includes(firstToken);
}

function fitsKind(rule: SemanticRule, kind: ColumnKind): boolean {
  return rule.families.some((f) => FAMILY_KINDS[f].includes(kind));
}

/**
 * The semantic kind of a column, or undefined when its name says nothing this kind of column can use.
 *
 * @example
 * ```ts
 * inferSemanticKind('EmailAddress', { table: 'Customer', kind: 'varchar' }); // { kind: 'email', … }
 * ```
 */
export function inferSemanticKind(columnName: string, context: SemanticContext): SemanticMatch | undefined {
  const found = inferByName(columnName, context);
  if (found) return found;
  // A numbered column (invoiceninja's `tax_rate1`…`tax_rate3`, `email2`): what its name says without the
  // number written onto it (a number after an underscore, `name_0`, is left: a position, not a copy).
  const numbered = /^(.*[A-Za-z])\d{1,2}$/.exec(columnName);
  return numbered && nameTokens(numbered[1]!).length > 0 ? inferByName(numbered[1]!, context) : undefined;
}

function inferByName(columnName: string, context: SemanticContext): SemanticMatch | undefined {
  const suffixes = nameSuffixes(columnName);
  const first = nameTokens(columnName)[0];
  for (const rule of SEMANTIC_RULES) {
    if (!ruleMatches(rule, suffixes, first) || !fitsKind(rule, context.kind)) continue;
    if (rule.kind === 'name') {
      const { kind, why } = nameByTable(context.table);
      return { kind, reason: `column name: name (table ${context.table} ${why})` };
    }
    if (rule.kind === 'title') {
      const { kind } = nameByTable(context.table);
      if (kind === 'full_name') return { kind: 'job_title', reason: `column name: title (table ${context.table} holds people)` };
    }
    const coded = codeOfTable(rule.kind, columnName, context.table);
    if (coded) return coded;
    if (rule.kind === 'state') {
      const siblings = (context.siblings ?? []).map((s) => nameTokens(s).join(''));
      const addressLike = siblings.some((s) => ADDRESS_HINTS.some((h) => s.endsWith(h)));
      const tableIsRegion = tableWords(context.table).some((w) => w === 'state' || w === 'province' || w === 'region' || w === 'address');
      if (!addressLike && !tableIsRegion) return { kind: 'status', reason: `column name: state (no address columns beside it: a status)` };
    }
    return { kind: rule.kind, reason: `column name: ${rule.kind.replace(/_/g, ' ')}` };
  }
  if (context.kind === 'tinyint' || context.kind === 'smallint') {
    const flag = predicateFlag(nameTokens(columnName));
    if (flag) return flag;
  }
  if (context.kind === 'integer' || context.kind === 'bigint') return epochByWords(nameTokens(columnName));
  // A moment kept in text (Openfire's `creationDate char(15)`, a PHP app's `created_date varchar(20)`): a date or timestamp, written out.
  if (FAMILY_KINDS.text.includes(context.kind)) {
    const moment = SEMANTIC_RULES.find((r) => r.families.includes('timestamp') && !r.families.includes('text') && ruleMatches(r, suffixes, first));
    if (moment) return { kind: moment.kind, reason: `column name: ${moment.kind.replace(/_/g, ' ')} (a moment in text)` };
  }
  // A type or kind in text (Synapse's `events.type`, travis' `event_type`): a one-word category, not prose.
  if (FAMILY_KINDS.text.includes(context.kind) && CATEGORY_WORDS.has(nameTokens(columnName).at(-1) ?? '')) return { kind: 'tag', reason: 'column name: a type (one word)' };
  return undefined;
}

/** What a table of currencies, countries or languages lists, by its name word: the kind of its code. */
const CODED_TABLES: Record<string, string> = { currency: 'currency', country: 'country_code', language: 'locale', locale: 'locale' };
const CODE_WORDS = new Set(['code', 'iso', 'alpha']);

/**
 * The `code` (`iso_code`) of a table that lists currencies, countries or languages (invoiceninja's
 * `currencies.code`, a `countries.code`): the ISO code of what it lists, not a random code; a
 * currency's `symbol` is its sign.
 */
function codeOfTable(ruleKind: string, columnName: string, table: string): SemanticMatch | undefined {
  if (ruleKind !== 'code' && ruleKind !== 'country_code') return undefined;
  // A currency's symbol (`€`, `$`), in a table of currencies.
  if (nameTokens(columnName).join('') === 'symbol' && tableWords(table).includes('currency')) return { kind: 'currency_symbol', reason: `column name: symbol (table ${table} lists currencies)` };
  if (!nameTokens(columnName).every((t) => CODE_WORDS.has(t) || /^\d$/.test(t))) return undefined;
  const listed = tableWords(table)
    .map((w) => CODED_TABLES[w])
    .find((k) => k !== undefined);
  return listed ? { kind: listed, reason: `column name: code (table ${table} lists them: ${listed.replace(/_/g, ' ')})` } : undefined;
}

const CATEGORY_WORDS = new Set(['type', 'kind', 'membership']);
/** First words of a yes-or-no setting (`canInvite`, `allow_signup`, `use_reserved_nick`, `should_notify`). */
const PREDICATE_WORDS = new Set(['can', 'should', 'allow', 'allows', 'must', 'needs', 'use', 'uses', 'show', 'send', 'notify']);
/** Last words of a number a setting may name (`allow_max_size`, `use_days`): not a flag. */
const AMOUNT_WORDS = new Set([
  'size',
  'max',
  'min',
  'limit',
  'count',
  'number',
  'num',
  'total',
  'days',
  'hours',
  'minutes',
  'seconds',
  'ms',
  'times',
  'level',
  'length',
  'percent',
  'age',
  'attempts',
  'retries',
  'version',
  'order',
  'priority',
  'mode',
  'type',
]);
/** Words ending in -ed that are no participle. */
const NOT_PARTICIPLES = new Set(['speed', 'seed', 'need', 'feed', 'breed', 'embed', 'hundred', 'bed', 'red', 'shed']);

/**
 * A small integer named as a yes-or-no setting with no default to say so (Openfire's `ofMucRoom`:
 * `canInvite`, `useReservedNick`, `membersOnly`, `moderated` TINYINT NOT NULL; they held 0–100): a flag.
 */
function predicateFlag(tokens: readonly string[]): SemanticMatch | undefined {
  const last = tokens.at(-1) ?? '';
  if (AMOUNT_WORDS.has(last)) return undefined;
  const predicate =
    (tokens.length > 1 && PREDICATE_WORDS.has(tokens[0]!)) || (tokens.length > 1 && last === 'only') || (tokens.length === 1 && last.length > 5 && last.endsWith('ed') && !NOT_PARTICIPLES.has(last));
  return predicate ? { kind: 'flag_int', reason: 'column name: a yes-or-no setting (a flag)' } : undefined;
}
/** Units an epoch's name may end in (`valid_until_ms`, `expiry_time_ms`). */
const EPOCH_UNITS = new Set(['ms', 'millis', 'msec', 'msecs', 'milliseconds']);
/** Last words of a moment (`expiry_time`, `valid_until_ms`, `ts_added_ms`). */
const MOMENT_WORDS = new Set(['time', 'at', 'ts', 'until', 'since', 'date', 'timestamp', 'expiry', 'expires', 'when']);
/** Words of a length of time, never a moment (`throttle_ms`, `timeout_ms`, `time_worked`). */
const SPAN_WORDS = new Set([
  'duration',
  'timeout',
  'elapsed',
  'interval',
  'delay',
  'throttle',
  'ttl',
  'age',
  'period',
  'taken',
  'spent',
  'worked',
  'estimated',
  'left',
  'latency',
  'offset',
  'backoff',
  'window',
  'lifetime',
  'retention',
]);

/**
 * An integer named for a moment but in no rule's words (Synapse's `valid_until_ms`, `expiry_time`,
 * `creation_time`, `ts_added_ms`, `last_seen`, `last_validated`): an epoch, in milliseconds where the
 * name or a bigint says so.
 */
function epochByWords(tokens: readonly string[]): SemanticMatch | undefined {
  const unit = EPOCH_UNITS.has(tokens.at(-1) ?? '');
  const words = unit ? tokens.slice(0, -1) : [...tokens];
  if (words.length === 0 || words.some((w) => SPAN_WORDS.has(w))) return undefined;
  const last = words.at(-1)!;
  const moment = MOMENT_WORDS.has(last) || words[0] === 'ts' || (words[0] === 'last' && words.length > 1 && ((last.length > 4 && last.endsWith('ed')) || last === 'seen'));
  return moment ? { kind: 'epoch_time', reason: 'column name: epoch time (a moment in an integer)' } : undefined;
}

const CREATED_NAMES: ReadonlySet<string> = new Set(SEMANTIC_RULES.find((r) => r.kind === 'created_at')?.names ?? []);

/**
 * The table's creation moment among the columns `isCreated` accepts: one named for it in full
 * before one that only ends so (`created_at` before `task_inserted_at`), and a `created`/`creation`
 * name before a synonym (`created_at` before `added_at`); else the first.
 *
 * @example
 * ```ts
 * creationColumn(['added_at', 'created_at'], () => true); // 'created_at'
 * ```
 */
export function creationColumn(names: readonly string[], isCreated: (name: string) => boolean): string | undefined {
  const candidates = names.filter(isCreated);
  const rank = (name: string): number => {
    const tokens = nameTokens(name);
    const full = CREATED_NAMES.has(tokens.join(''));
    const created = tokens.some((t) => t === 'created' || t === 'creation' || t === 'create');
    return (full ? 0 : 2) + (created ? 0 : 1);
  };
  return [...candidates].sort((a, b) => rank(a) - rank(b))[0];
}

/** Past participles that name a moment before, not after, the row was recorded. */
const BEFORE_RECORD = new Set(['founded', 'established', 'incorporated', 'manufactured', 'built', 'born', 'birthed']);
const IRREGULAR_EVENTS = new Set(['sent', 'paid', 'seen', 'done', 'read', 'begun', 'run', 'won', 'lost']);
/** Moments set when the row is made, for later (Request Tracker's `Tickets.Due`): after creation too. */
const DEADLINES = new Set(['due', 'deadline']);

/**
 * A moment in the row's life after it was created (`started_at`, `completed_at`,
 * `processed_on`, `sent_at`): the table's `created` column, when the name is such an
 * event and the table has one. The names of `earlierSibling` come first.
 *
 * @example
 * ```ts
 * afterCreation('started_at', 'created_at'); // 'created_at'
 * afterCreation('founded_at', 'created_at'); // undefined
 * ```
 */
export function afterCreation(columnName: string, created: string | undefined): string | undefined {
  if (created === undefined || created === columnName) return undefined;
  const tokens = nameTokens(columnName);
  if (tokens.some((t) => BEFORE_RECORD.has(t) || BIRTH_WORDS.has(t))) return undefined;
  const event = tokens.some((t) => (t.length > 4 && t.endsWith('ed')) || IRREGULAR_EVENTS.has(t) || DEADLINES.has(t));
  // Rails' and Laravel's `<what>_at` is the moment something happened to the row (e-petitions'
  // `open_at`, `government_response_at`, `signature_count_reset_at`): after it was made too.
  const namedMoment = tokens.length > 1 && tokens.at(-1) === 'at';
  return event || namedMoment ? created : undefined;
}

/** Words of a moment before anything was recorded (`birth_at`, `born_on`). */
const BIRTH_WORDS = new Set(['birth', 'birthday', 'born', 'dob']);

/** Pairs of name words where the second is a later moment than the first (`starts_at` → `ends_at`). */
const LATER_THAN: Record<string, readonly string[]> = {
  end: ['start', 'begin'],
  ends: ['starts', 'begins'],
  ended: ['started', 'began'],
  to: ['from'],
  until: ['from', 'since'],
  close: ['open'],
  finished: ['started'],
  finish: ['start'],
  completed: ['started', 'created'],
  shipped: ['order', 'ordered'],
  delivered: ['shipped', 'order', 'ordered'],
  required: ['order', 'ordered'],
  return: ['rental', 'rent', 'borrow', 'checkout'],
  returned: ['rented', 'borrowed'],
  checkout: ['checkin'],
  departure: ['arrival'],
  paid: ['issued', 'invoice', 'billed'],
  due: ['issued', 'invoice'],
  termination: ['hire'],
  hire: ['birth'],
  hired: ['born'],
  closed: ['opened', 'created'],
  resolved: ['opened', 'reported', 'created'],
  last: ['first'],
  // Mercator's servers: installed, then updated (`install_date`, `update_date`); a job's next run after its last.
  update: ['install', 'creation', 'create'],
  updated: ['installed'],
  next: ['last', 'previous', 'prev'],
};

/**
 * The sibling column this one should come after (`return_date` → `rental_date`,
 * `ends_at` → `starts_at`, `to_date` → `from_date`), if the table has it.
 *
 * @example
 * ```ts
 * earlierSibling('return_date', ['rental_date', 'return_date']); // 'rental_date'
 * ```
 */
export function earlierSibling(columnName: string, siblings: readonly string[]): string | undefined {
  const tokens = nameTokens(columnName);
  const byTokens = new Map(siblings.filter((s) => s !== columnName).map((s) => [nameTokens(s).join(' '), s]));
  for (let i = 0; i < tokens.length; i++) {
    const earlier = LATER_THAN[tokens[i]!];
    if (!earlier) continue;
    for (const e of earlier) {
      const candidate = [...tokens.slice(0, i), e, ...tokens.slice(i + 1)].join(' ');
      const found = byTokens.get(candidate);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Pairs of name words where the second bounds a number from below (`min_time` → `max_time`, `from_port` → `to_port`). */
const ABOVE: Record<string, readonly string[]> = {
  // A store's current level stays within its maximum (flare's kingdoms: `current_wood` ≤ `max_wood`).
  max: ['min', 'current'],
  maximum: ['minimum', 'current'],
  end: ['start', 'begin'],
  to: ['from'],
  last: ['first'],
  high: ['low'],
  upper: ['lower'],
};

/**
 * The sibling number this one is at least (`max_time` → `min_time`, `to_port` → `from_port`,
 * `end_line` → `start_line`), if the table has it.
 *
 * @example
 * ```ts
 * lowerSibling('max_time', ['min_time', 'max_time']); // 'min_time'
 * ```
 */
export function lowerSibling(columnName: string, siblings: readonly string[]): string | undefined {
  const tokens = nameTokens(columnName);
  const byTokens = new Map(siblings.filter((s) => s !== columnName).map((s) => [nameTokens(s).join(' '), s]));
  for (let i = 0; i < tokens.length; i++) {
    for (const e of ABOVE[tokens[i]!] ?? []) {
      const found = byTokens.get([...tokens.slice(0, i), e, ...tokens.slice(i + 1)].join(' '));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
