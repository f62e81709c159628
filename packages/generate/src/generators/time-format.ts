/**
 * Allocation-light calendar arithmetic and formatting for generated dates and
 * times (UTC, proleptic Gregorian), without `Date` objects per value.
 *
 * @example
 * ```ts
 * formatDate(daysFromCivil(2024, 2, 29));          // '2024-02-29'
 * formatTimestamp(1_700_000_000, 123456, 6, true); // '2023-11-14 22:13:20.123456+00'
 * ```
 */

/** Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number: [year, month, day]. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function pad4(n: number): string {
  if (n >= 1000) return `${n}`;
  if (n >= 100) return `0${n}`;
  if (n >= 10) return `00${n}`;
  return `000${n}`;
}

/** Formatted days of 1900–2100, built on first use: most generated dates fall here. */
const DAY_CACHE_FROM = daysFromCivil(1900, 1, 1);
const DAY_CACHE_SIZE = daysFromCivil(2101, 1, 1) - DAY_CACHE_FROM;
let dayCache: Array<string | undefined> | undefined;

function formatDateUncached(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

/** `YYYY-MM-DD` of a day number (years 0…9999). */
export function formatDate(days: number): string {
  const k = days - DAY_CACHE_FROM;
  if (k < 0 || k >= DAY_CACHE_SIZE) return formatDateUncached(days);
  const cache = (dayCache ??= new Array<string | undefined>(DAY_CACHE_SIZE));
  return (cache[k] ??= formatDateUncached(days));
}

/** The first `digits` digits of a microsecond fraction, with a leading dot; '' for 0 digits. */
export function formatFraction(micros: number, digits: number): string {
  if (digits <= 0) return '';
  const s = `${1000000 + micros}`.slice(1, 1 + Math.min(digits, 6));
  return `.${s}`;
}

/** `HH:MM:SS[.f]` of seconds within a day. */
export function formatTimeOfDay(seconds: number, micros: number, digits: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}${formatFraction(micros, digits)}`;
}

/** `YYYY-MM-DD HH:MM:SS[.f][+00]` of epoch seconds (UTC). */
export function formatTimestamp(epochSeconds: number, micros: number, digits: number, withZone: boolean): string {
  const days = Math.floor(epochSeconds / 86400);
  const rest = epochSeconds - days * 86400;
  return `${formatDate(days)} ${formatTimeOfDay(rest, micros, digits)}${withZone ? '+00' : ''}`;
}

/** Epoch seconds of `YYYY-MM-DD[ T]HH:MM:SS[.f][Z|±HH[:MM]]` or `YYYY-MM-DD`; NaN if it does not parse. */
export function parseTimestampSeconds(text: string): number {
  const m = /^\s*(-?\d{1,6})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i.exec(text);
  if (!m) return Number.NaN;
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  let seconds = days * 86400 + Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6] ?? 0);
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    seconds -= sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60);
  }
  return seconds;
}

/** The microsecond fraction of a timestamp text (0 when none). */
export function parseFractionMicros(text: string): number {
  const m = /:\d{2}\.(\d+)/.exec(text);
  return m ? Number(m[1]!.slice(0, 6).padEnd(6, '0')) : 0;
}

/** Day number of a `YYYY-MM-DD…` text; NaN if it does not parse. */
export function parseDateDays(text: string): number {
  const s = parseTimestampSeconds(text);
  return Number.isNaN(s) ? s : Math.floor(s / 86400);
}
