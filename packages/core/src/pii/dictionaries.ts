/**
 * The word lists the name, company and address detectors match against: first and last
 * names, company legal forms, street words, place names and common vocabulary, all
 * lower-case.
 *
 * They come from the locale data of `@faker-js/faker` (every locale it ships: names
 * in 70+ languages). The build writes them, made from the faker it installed, to
 * `dictionaries.json` beside the compiled module (`scripts/write-dictionaries.mjs`);
 * `loadPiiDictionaries()` reads that file when the faker installed now is the same
 * version, and otherwise (or run from the sources) imports every locale and builds them
 * (~0.27 s of CPU and ~25 MB of heap, against ~50 ms and ~8 MB for the file). Either way once per process, and
 * only when a detector needs them. Callers may pass their own dictionaries instead
 * (tests, or a list of the names a company's customers have).
 *
 * @example
 * ```ts
 * const dictionaries = await loadPiiDictionaries();
 * dictionaries.firstNames.has('maria'); // true
 * ```
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

export interface PiiDictionaries {
  readonly firstNames: ReadonlySet<string>;
  readonly lastNames: ReadonlySet<string>;
  /** Legal forms and company words (`inc`, `gmbh`, `s.a.`, `and sons`). */
  readonly companySuffixes: ReadonlySet<string>;
  /** Street types and prefixes (`street`, `avenue`, `rue`, `straße`, `calle`). */
  readonly streetWords: ReadonlySet<string>;
  /** Countries, states, counties and cities: categories, not people. */
  readonly places: ReadonlySet<string>;
  /** Common words of many languages (nouns, verbs, adjectives, departments, colours, genres, …). */
  readonly vocabulary: ReadonlySet<string>;
}

/** Legal forms faker's locales lack, and the suffixes companies commonly carry. */
const COMPANY_SUFFIXES = [
  'inc',
  'inc.',
  'incorporated',
  'llc',
  'l.l.c.',
  'llp',
  'lp',
  'ltd',
  'ltd.',
  'limited',
  'plc',
  'corp',
  'corp.',
  'corporation',
  'co',
  'co.',
  'company',
  'group',
  'holding',
  'holdings',
  'gmbh',
  'ag',
  'kg',
  'ohg',
  'ug',
  'e.v.',
  'sa',
  's.a.',
  'sas',
  'sarl',
  's.a.r.l.',
  'srl',
  's.r.l.',
  'spa',
  's.p.a.',
  'snc',
  'bv',
  'b.v.',
  'nv',
  'n.v.',
  'vof',
  'oy',
  'oyj',
  'ab',
  'hb',
  'kb',
  'as',
  'a/s',
  'asa',
  'aps',
  'pty',
  'pty.',
  'bhd',
  'sdn',
  'kk',
  'k.k.',
  'sl',
  's.l.',
  'sau',
  'ltda',
  'ltda.',
  'cia',
  'cía',
  'sp.',
  'z.o.o.',
  's.a.c.',
  'pvt',
  'pte',
  'gbr',
  'ek',
  'e.k.',
  'mbh',
  'sons',
  'brothers',
  'bros',
  'bros.',
  'partners',
  'associates',
];
/** Words that mark a business by its trade: `… Markets`, `… Trading`, `… Importadora`. */
export const BUSINESS_WORDS = new Set([
  'market',
  'markets',
  'supermarket',
  'supermarkt',
  'supermercado',
  'grocery',
  'groceries',
  'grocers',
  'foods',
  'trading',
  'traders',
  'import',
  'imports',
  'importadora',
  'importers',
  'export',
  'exports',
  'handel',
  'restaurant',
  'restaurante',
  'ristorante',
  'bistro',
  'delicatessen',
  'delikatessen',
  'bakery',
  'boulangerie',
  'store',
  'stores',
  'shop',
  'shoppe',
  'boutique',
  'bank',
  'insurance',
  'consulting',
  'solutions',
  'systems',
  'technologies',
  'technology',
  'labs',
  'enterprises',
  'industries',
  'international',
  'logistics',
  'motors',
  'pharma',
  'pharmaceuticals',
  'airlines',
  'airways',
  'hotel',
  'hotels',
  'media',
  'studios',
  'ventures',
  'capital',
  'cellars',
  'brewery',
  'winery',
  'distributors',
  'wholesale',
  'versand',
  'käseladen',
  'abastos',
  'comercial',
  'comércio',
  'épicerie',
  'alimentos',
  'gourmet',
  'provisions',
  'provisioners',
  'express',
  'shipping',
  'freight',
  'airline',
  'software',
  'networks',
  'services',
  'agency',
  'studio',
  'clinic',
  'pharmacy',
]);
const STREET_WORDS = [
  'street',
  'st',
  'st.',
  'road',
  'rd',
  'rd.',
  'avenue',
  'ave',
  'ave.',
  'av.',
  'boulevard',
  'blvd',
  'blvd.',
  'lane',
  'ln',
  'drive',
  'dr.',
  'way',
  'court',
  'ct',
  'place',
  'pl',
  'square',
  'sq',
  'terrace',
  'crescent',
  'close',
  'highway',
  'hwy',
  'parkway',
  'pkwy',
  'circle',
  'trail',
  'alley',
  'row',
  'mews',
  'grove',
  'gardens',
  'walk',
  'hill',
  'park',
  'rue',
  'allée',
  'chemin',
  'impasse',
  'quai',
  'cours',
  'straße',
  'strasse',
  'str.',
  'weg',
  'gasse',
  'platz',
  'allee',
  'ring',
  'damm',
  'ufer',
  'calle',
  'avenida',
  'av',
  'paseo',
  'plaza',
  'carrera',
  'rua',
  'travessa',
  'largo',
  'via',
  'viale',
  'piazza',
  'corso',
  'vicolo',
  'straat',
  'laan',
  'gracht',
  'plein',
  'kade',
  'gatan',
  'vägen',
  'gata',
  'vej',
  'gade',
  'veien',
  'gata',
  'ulica',
  'ul.',
  'utca',
  'ut',
  'cesta',
  'sokak',
  'caddesi',
];
/** Everyday category and status words the other lists may miss. */
const COMMON_WORDS = [
  // the words of support tickets, order notes and correspondence (faker's word lists lack many of them)
  ...`full partial report attach attachment refund meeting package parcel contact update reset ticket problem question answer reply
  note message comment feedback complaint help regards dear hello team office home work change cancel return replace replacement
  exchange damaged missing wrong late early arrive pick pickup collect leave callback schedule appointment booking reservation confirm
  confirmation receipt bill billing charge fee price total amount balance discount coupon item quantity size stock available
  unavailable verify verification signup register subscription plan upgrade downgrade renew renewal quote estimate contract agreement
  document file photo image link website app button bug crash fix working slow fast urgent soon later again still already also
  maybe sure fine well need want like get got give take make made see look know think say tell let put try use keep find wait
  hour minute year date issue account pocket watch box bag letter floor room building apartment unit level entrance reception desk
  lobby parking car driver courier service request received`.split(/\s+/),
  'active',
  'inactive',
  'pending',
  'paid',
  'unpaid',
  'shipped',
  'delivered',
  'cancelled',
  'canceled',
  'refunded',
  'open',
  'closed',
  'draft',
  'published',
  'archived',
  'deleted',
  'new',
  'processing',
  'completed',
  'complete',
  'failed',
  'success',
  'approved',
  'rejected',
  'expired',
  'trial',
  'free',
  'basic',
  'premium',
  'pro',
  'enterprise',
  'admin',
  'user',
  'guest',
  'member',
  'owner',
  'editor',
  'viewer',
  'male',
  'female',
  'other',
  'yes',
  'no',
  'true',
  'false',
  'unknown',
  'none',
  'low',
  'medium',
  'high',
  'critical',
  'small',
  'large',
  'standard',
  'express',
  'overnight',
  'ground',
  'credit',
  'debit',
  'card',
  'cash',
  'check',
  'cheque',
  'transfer',
  'online',
  'offline',
  'mobile',
  'web',
  'desktop',
  'email',
  'sms',
  'phone',
  'mail',
  'monthly',
  'yearly',
  'weekly',
  'daily',
  'annual',
  'enabled',
  'disabled',
  'visible',
  'hidden',
  'public',
  'private',
  'internal',
  'external',
  'primary',
  'secondary',
  'default',
  'custom',
  'manual',
  'automatic',
  'auto',
  'beverages',
  'condiments',
  'confections',
  'dairy',
  'products',
  'grains',
  'cereals',
  'meat',
  'poultry',
  'produce',
  'seafood',
  'representative',
  'manager',
  'coordinator',
  'president',
  'vice',
  'sales',
  'inside',
  'support',
  'engineer',
  'developer',
  'drama',
  'comedy',
  'action',
  'animation',
  'children',
  'classics',
  'documentary',
  'family',
  'foreign',
  'games',
  'horror',
  'music',
  'sports',
  'travel',
  'sci-fi',
  'scifi',
  'fiction',
  'nonfiction',
  'north',
  'south',
  'east',
  'west',
  'central',
  'region',
  'eastern',
  'western',
  'northern',
  'southern',
  'weekday',
  'weekend',
  'morning',
  'evening',
  'night',
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  // the words of a shop's or an app's own screens and settings (zencart's admin pages and configuration texts)
  'review',
  'page',
  'ship',
  'shipping',
  'module',
  'server',
  'payment',
  'plugin',
  'setting',
  'config',
  'configuration',
  'checkout',
  'cart',
  'catalog',
  'coupon',
  'newsletter',
  'download',
  'upload',
  'attribute',
  'manufacturer',
  'currency',
  'profile',
  'zone',
  'tax',
  'invoice',
  'login',
  'logout',
  'dashboard',
  'template',
  'layout',
  'option',
  'banner',
  'session',
  'cache',
  'queue',
  'notification',
  'feature',
  'special',
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'miss',
  'sir',
];

type Definitions = Record<string, unknown>;

/** Every string inside a definitions value (arrays, nested weighted or gendered lists), patterns excluded. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (!value.includes('{{') && !value.includes('#')) out.push(value);
  } else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('value' in record && 'weight' in record) strings(record['value'], out);
    else for (const v of Object.values(record)) strings(v, out);
  }
  return out;
}

function section(locale: Definitions, name: string): Definitions {
  return (locale[name] as Definitions | undefined) ?? {};
}

const lower = (s: string): string => s.toLocaleLowerCase('en');

/** Adds every word of every phrase (`Open-source`, `Sales Representative`) in lower case. */
function addWords(set: Set<string>, phrases: readonly string[]): void {
  for (const phrase of phrases) {
    for (const word of lower(phrase).split(/[\s,/()&]+/)) if (word.length > 0) set.add(word);
  }
}

/**
 * Builds the dictionaries from faker locale definitions (`allLocales`), merged.
 * @example
 * ```ts
 * const d = dictionariesFromLocales([(await import('@faker-js/faker')).en]);
 * ```
 */
export function dictionariesFromLocales(locales: readonly Definitions[]): PiiDictionaries {
  const firstNames = new Set<string>();
  const lastNames = new Set<string>();
  const companySuffixes = new Set(COMPANY_SUFFIXES);
  const streetWords = new Set(STREET_WORDS);
  const places = new Set<string>();
  const vocabulary = new Set<string>();
  addWords(vocabulary, COMMON_WORDS);
  for (const locale of locales) {
    const person = section(locale, 'person');
    for (const name of strings([person['first_name'], person['middle_name']])) firstNames.add(lower(name));
    for (const name of strings(person['last_name'])) lastNames.add(lower(name));
    const company = section(locale, 'company');
    for (const suffix of strings([company['legal_entity_type'], company['suffix']])) companySuffixes.add(lower(suffix));
    const location = section(locale, 'location');
    for (const word of strings([location['street_suffix'], location['street_prefix']])) streetWords.add(lower(word));
    for (const place of strings([location['country'], location['state'], location['county'], location['city_name'], location['continent']])) {
      places.add(lower(place));
    }
    addWords(
      vocabulary,
      strings([
        locale['word'],
        section(locale, 'commerce')['department'],
        section(locale, 'commerce')['product_name'],
        section(locale, 'color')['human'],
        section(locale, 'music')['genre'],
        section(locale, 'book')['genre'],
        locale['animal'],
        locale['food'],
        section(locale, 'vehicle')['type'],
        section(locale, 'vehicle')['fuel'],
        person['job_area'],
        person['job_descriptor'],
        person['job_type'],
        person['gender'],
        person['sex'],
        company['adjective'],
        company['descriptor'],
        company['noun'],
        company['buzz_adjective'],
        company['buzz_noun'],
        company['buzz_verb'],
        locale['hacker'],
        locale['database'],
        section(locale, 'lorem')['word'],
      ]),
    );
  }
  return { firstNames, lastNames, companySuffixes, streetWords, places, vocabulary };
}

const KEYS = ['firstNames', 'lastNames', 'companySuffixes', 'streetWords', 'places', 'vocabulary'] as const satisfies readonly (keyof PiiDictionaries)[];

/**
 * The dictionaries as the JSON the build caches: each list in the sets' order, and the faker
 * version they were made from.
 * @example
 * ```ts
 * writeFileSync('dictionaries.json', serializeDictionaries(dictionariesFromLocales(locales), '10.6.0'));
 * ```
 */
export function serializeDictionaries(dictionaries: PiiDictionaries, fakerVersion: string): string {
  return JSON.stringify({ fakerVersion, ...Object.fromEntries(KEYS.map((k) => [k, [...dictionaries[k]]])) });
}

/** The dictionaries of a `serializeDictionaries` text, or undefined when it was made from another faker version or is not one. */
export function parseDictionaries(text: string, fakerVersion: string): PiiDictionaries | undefined {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (data['fakerVersion'] !== fakerVersion || !KEYS.every((k) => Array.isArray(data[k]))) return undefined;
  return Object.fromEntries(KEYS.map((k) => [k, new Set(data[k] as string[])])) as unknown as PiiDictionaries;
}

/** The version of the faker this module imports. */
function installedFakerVersion(): string {
  return (createRequire(import.meta.url)('@faker-js/faker/package.json') as { version: string }).version;
}

/** What the build wrote beside this module, if it matches the installed faker. */
async function cachedDictionaries(): Promise<PiiDictionaries | undefined> {
  let text: string;
  try {
    text = await readFile(new URL('./dictionaries.json', import.meta.url), 'utf8');
  } catch {
    return undefined; // run from the sources, or a build that did not write it
  }
  return parseDictionaries(text, installedFakerVersion());
}

/**
 * The dictionaries from every faker locale, made from all of them at once.
 * @example
 * ```ts
 * const fresh = await dictionariesFromFaker();
 * ```
 */
export async function dictionariesFromFaker(): Promise<PiiDictionaries> {
  const faker = await import('@faker-js/faker');
  return dictionariesFromLocales(Object.values(faker.allLocales) as unknown as Definitions[]);
}

let cached: Promise<PiiDictionaries> | undefined;

/**
 * The dictionaries from every faker locale, loaded on first use (from the build's file when
 * it matches the installed faker) and kept for the process.
 * @example
 * ```ts
 * const dictionaries = await loadPiiDictionaries();
 * ```
 */
export function loadPiiDictionaries(): Promise<PiiDictionaries> {
  cached ??= cachedDictionaries().then((fromFile) => fromFile ?? dictionariesFromFaker());
  return cached;
}

/** Dictionaries with nothing in them but the built-in lists: detectors that need names then find none. */
export function builtInDictionaries(): PiiDictionaries {
  return dictionariesFromLocales([]);
}
