/**
 * Custom settings a schema reads and never sets: a column DEFAULT
 * `current_setting('app.current_tenant')::integer` (a multi-tenant application sets it per
 * session, its migrator when it loads the schema). A load that leaves it unset fails on the
 * first row that takes the default (`unrecognized configuration parameter`, or `invalid input
 * syntax for type integer: ""` once the name is known), so the DDL loader and the seed's load
 * set it, to a value of the type the schema casts it to, and say so.
 *
 * @example
 * ```ts
 * settingsReadByDefaults(schema); // Map { 'app.current_tenant' => '1' }
 * ```
 */
import type { Schema } from '@understudy/core';

/** A sample value for each type a custom setting is cast to. */
const SETTING_SAMPLES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:small|big)?int(?:eger|[248])?$|^numeric|^decimal|^real$|^double|^float|^oid$/, '1'],
  [/^uuid$/, '00000000-0000-0000-0000-000000000001'],
  [/^bool(?:ean)?$/, 'false'],
  [/^(?:timestamp|date)/, '2000-01-01'],
  [/^jsonb?$/, '{}'],
];

/** `current_setting('a.b'` with a dotted (custom) name: group 1 is the name. */
const READ = /current_setting\(\s*'([A-Za-z_][\w$]*\.[\w$.]+)'/gi;

/**
 * The value to give `setting`: `1` when a text casts it to a number, a uuid, a boolean, a date,
 * `{}` for json, else the empty string.
 * @example
 * ```ts
 * sessionSettingValue('app.current_tenant', ["(current_setting('app.current_tenant'::text))::integer"]); // '1'
 * ```
 */
export function sessionSettingValue(setting: string, texts: Iterable<string>): string {
  const name = setting.replace(/[.$]/g, (c) => `\\${c}`);
  const cast = new RegExp(`current_setting\\(\\s*'${name}'(?:::text)?\\s*(?:,[^)]*)?\\)\\s*\\)*\\s*::\\s*"?([a-z][a-z0-9_]*)`, 'i');
  for (const text of texts) {
    const type = cast.exec(text)?.[1]?.toLowerCase();
    if (type === undefined) continue;
    const sample = SETTING_SAMPLES.find(([pattern]) => pattern.test(type));
    if (sample) return sample[1];
  }
  return '';
}

/**
 * The custom settings the schema's column defaults read, each with the value to give it when the
 * session has none (see `sessionSettingValue`).
 * @example
 * ```ts
 * settingsReadByDefaults(schema); // Map { 'app.current_tenant' => '1' }
 * ```
 */
export function settingsReadByDefaults(schema: Schema): Map<string, string> {
  const expressions: string[] = [];
  for (const table of Object.values(schema.tables)) {
    for (const column of table.columns) {
      if (column.default?.kind === 'expression' && /current_setting\s*\(/i.test(column.default.expression)) expressions.push(column.default.expression);
    }
  }
  const names = new Set(expressions.flatMap((e) => [...e.matchAll(READ)].map((m) => m[1]!)));
  return new Map([...names].sort().map((n) => [n, sessionSettingValue(n, expressions)]));
}
