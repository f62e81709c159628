/**
 * Chooses one column's generator, in this order: config; the column's role as
 * a key (sequence, foreign key, distinct tuple); CHECK value sets and regexes;
 * the column's name (semantic inference); its type. The choice is then clipped
 * to the type and CHECKs, made unique when a key needs it, fitted to the
 * column's length, given a NULL rate, and recorded with its reason.
 *
 * @example
 * ```ts
 * const { column } = planColumn({ ...input, shape: columnShape(schema, col) });
 * column.generator; // { name: 'faker', params: { method: 'internet.email' } }
 * column.reason;    // 'column name: email'
 * ```
 */
import type { Column, DialectName } from '@understudy/core';
import type { Scalar } from '../checks/check-constraints.js';
import { enumerationLayout, layoutCapacity, parseRegex, RegexSubsetError } from '../checks/regex-subset.js';
import { findGenerator, parseGeneratorParams } from '../generators/registry.js';
import { uniqueTextCapacity, type TextFit } from '../generators/text-fit.js';
import { formatDate, formatTimestamp } from '../generators/time-format.js';
import { inferSemanticKind, type SemanticMatch } from '../infer/infer-semantic.js';
import { semanticIntent, type GeneratorSpecInput, type SemanticIntent } from '../infer/semantic-intents.js';
import { FAMILY_KINDS } from '../infer/semantic-kinds.js';
import type { ColumnRules } from './column-rules.js';
import type { ColumnShape } from './column-shape.js';
import { concreteGenerator, hardNumberRange, hardTimeRange, isIntegerKind, isNumberKind, isTextKind, isTimeKind, numberUnit } from './concrete-generator.js';
import type { ColumnConfig } from './generate-config.js';
import type { ColumnRole } from './key-planner.js';
import type { PlanProblem } from './plan-errors.js';
import type { PlanColumn } from './plan-model.js';
import { typeDefaultIntent } from './type-defaults.js';
import type { JsonField } from './json-fields.js';
import type { IndexCast } from './index-casts.js';
import { defaultedSpec, literalValue } from './literal-defaults.js';
import { decimalRange } from './type-ranges.js';

export interface ColumnPlanInput {
  readonly tableKey: string;
  readonly tableName: string;
  readonly column: Column;
  readonly shape: ColumnShape;
  readonly siblings: readonly string[];
  readonly rules: ColumnRules;
  readonly role?: ColumnRole;
  readonly unique: boolean;
  /** Which key makes it unique (`primary key`, `unique key users_email_key`). */
  readonly uniqueReason?: string;
  readonly isKey: boolean;
  /** A config generator, with the reason to record (`config`, `config: CHECK code_format`). */
  readonly config?: { readonly value: ColumnConfig; readonly reason: string };
  /** Only a NULL rate from the config. */
  readonly configNullRate?: number;
  readonly rows: number;
  /** Epoch seconds. */
  readonly now: number;
  readonly dialect: DialectName;
  readonly defaultNullRate: number;
  readonly routing?: { readonly windows?: ReadonlyArray<readonly [string, string]>; readonly values?: readonly string[] };
  /** The table's created_at-like column, if any. */
  readonly created?: string;
  /** The sibling this one follows in time by name (`rental_date` for `return_date`). */
  readonly earlier?: string;
  /** The BEFORE INSERT trigger that always overwrites this column (`Trigger.sets`), if any. */
  readonly setByTrigger?: string;
  /** A JSON column's fields that generated columns read (`jsonFieldsFor`), and those columns' names. */
  readonly jsonFields?: { readonly fields: readonly JsonField[]; readonly readBy: readonly string[] };
  /** A text column an index casts to a number type (`indexCasts`): its values are that many digits at most. */
  readonly castTo?: IndexCast;
}

export interface ColumnPlanResult {
  readonly column: PlanColumn;
  readonly problems: PlanProblem[];
  /** CHECKs (by name) that this column could not honour, and why. */
  readonly unmet: Map<string, string>;
  /** Sibling columns this column's value reads. */
  readonly dependsOn: string[];
}

function charsetOf(shape: ColumnShape): TextFit['charset'] {
  const c = shape.charset?.toLowerCase();
  if (c === undefined) return undefined;
  if (c === 'utf8' || c === 'utf8mb3' || c === 'ucs2') return 'bmp';
  if (c === 'latin1' || c === 'ascii' || c === 'cp1252' || c === 'latin2') return 'ascii';
  return undefined;
}

/** The text fit of a column: lengths from type and CHECKs, LIKE, case, charset, uniqueness. */
export function textFitFor(shape: ColumnShape, rules: ColumnRules, unique: TextFit['unique'] | undefined, style?: 'email'): TextFit {
  const fit: { -readonly [K in keyof TextFit]: TextFit[K] } = {};
  const lengths = [shape.length, rules.maxLength].filter((n): n is number => n !== undefined && n > 0 && Number.isFinite(n));
  if (lengths.length > 0) fit.maxLength = Math.min(...lengths);
  if (rules.minLength !== undefined && rules.minLength > 0) fit.minLength = rules.minLength;
  const like = rules.likes[0];
  if (like) {
    fit.like = like.pattern;
    if (like.caseInsensitive) fit.likeCaseInsensitive = true;
  }
  if (rules.case) fit.case = rules.case;
  const charset = charsetOf(shape);
  if (charset) fit.charset = charset;
  if (unique) fit.unique = unique;
  if (style) fit.style = style;
  return fit;
}

/** Distinct values a text column can hold under its CHECKs (regex layout or the unique suffix room). */
export function textCapacity(shape: ColumnShape, rules: ColumnRules): number {
  const regex = rules.regexes[0];
  if (regex) {
    try {
      const layout = enumerationLayout(parseRegex(regex.pattern), textFitFor(shape, rules, undefined).maxLength);
      return layout ? layoutCapacity(layout) : 0;
    } catch {
      return 0;
    }
  }
  return uniqueTextCapacity(textFitFor(shape, rules, 'suffix'));
}

function specFromConfig(config: ColumnConfig, where: string, problems: PlanProblem[], tableKey: string, column: string): { spec: GeneratorSpecInput; nullRate?: number } | undefined {
  try {
    if (config.values) {
      const pairs = config.values.map((v, i) => ({ v, w: config.weights?.[i] ?? 1 }));
      const present = pairs.filter((p) => p.v !== null) as Array<{ v: Scalar; w: number }>;
      const total = pairs.reduce((n, p) => n + p.w, 0);
      const nullShare = total > 0 ? (total - present.reduce((n, p) => n + p.w, 0)) / total : 0;
      if (present.length === 0) return { spec: { name: 'values', params: { values: [''] } }, nullRate: 1 };
      const params: Record<string, unknown> = { values: present.map((p) => p.v) };
      if (config.weights) params['weights'] = present.map((p) => p.w);
      return nullShare > 0 ? { spec: { name: 'values', params }, nullRate: nullShare } : { spec: { name: 'values', params } };
    }
    if (config.generator === 'faker') {
      const params: Record<string, unknown> = { method: config.method };
      if (config.args) params['args'] = config.args;
      if (config.pick) params['pick'] = config.pick;
      return { spec: { name: 'faker', params: parseGeneratorParams('faker', params, where) } };
    }
    if (config.generator) return { spec: { name: config.generator, params: parseGeneratorParams(config.generator, config.params ?? {}, where) } };
  } catch (error) {
    problems.push({ code: 'config', table: tableKey, column, message: (error as Error).message });
  }
  return undefined;
}

/** Rules that keep rows outside a partial unique index are named so, not as CHECKs (see `KeyPlan.escapes`). */
export const PARTIAL_INDEX_RULE = 'outside partial unique index ';

function constraintReason(checks: readonly string[]): string {
  const own = checks.filter((c) => !c.startsWith(PARTIAL_INDEX_RULE));
  const partial = checks.filter((c) => c.startsWith(PARTIAL_INDEX_RULE));
  return `constraint: ${[...(own.length > 0 ? [`CHECK ${own.join(', ')}`] : []), ...partial].join('; ')}`;
}

/** Coerces CHECK literals to the column's kind (numbers for numeric columns). */
function coerceValues(values: readonly Scalar[], shape: ColumnShape): Scalar[] {
  if (isNumberKind(shape)) return values.map((v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v));
  if (shape.kind === 'boolean') return values.map((v) => (v === 't' || v === 'true' || v === 1 ? true : v === 'f' || v === 'false' || v === 0 ? false : v));
  return [...values];
}

/** The 'after' wrapper for a column ordered after `other` (CHECK a > b, updated_at ≥ created_at), or undefined when its kind cannot. */
export function afterSpec(
  base: GeneratorSpecInput,
  shape: ColumnShape,
  rules: ColumnRules,
  other: string,
  strict: boolean,
  input: Pick<ColumnPlanInput, 'now' | 'dialect'>,
  maxDelta?: number,
  sameRate?: number,
  minDelta?: number,
  ceiling?: number,
): GeneratorSpecInput | undefined {
  const params: Record<string, unknown> = { column: other, strict, fallback: base };
  if (minDelta !== undefined && isTimeKind(shape)) params['minDelta'] = shape.kind === 'date' ? Math.round(minDelta / 86400) : minDelta;
  if (sameRate !== undefined && !strict) params['sameRate'] = sameRate;
  if (isTimeKind(shape)) {
    const range = hardTimeRange(shape, rules, input);
    // A moment the name places in the past (updated, deleted, last seen) stays before the reference time.
    const hard = ceiling === undefined ? range : { ...range, max: Math.max(range.min, Math.min(range.max, shape.kind === 'date' ? Math.floor(ceiling / 86400) : Math.floor(ceiling))) };
    if (shape.kind === 'date') {
      Object.assign(params, { valueType: 'date', maxDelta: maxDelta === undefined ? 30 : Math.max(1, Math.round(maxDelta / 86400)), max: formatDate(hard.max) });
    } else {
      Object.assign(params, {
        valueType: 'timestamp',
        maxDelta: maxDelta ?? 30 * 86400,
        max: formatTimestamp(hard.max, 0, 0, false),
        fractionalSeconds: Math.min(shape.fractionalSeconds ?? 0, 6),
        withZone: shape.kind === 'timestamptz',
      });
    }
    return { name: 'after', params };
  }
  if (isNumberKind(shape)) {
    const isDecimal = FAMILY_KINDS.decimal.includes(shape.kind);
    const scale = isDecimal ? decimalRange(shape).scale : undefined;
    const hard = hardNumberRange(shape, rules, scale);
    const unit = numberUnit(shape, scale);
    const valueType = isIntegerKind(shape) ? 'integer' : isDecimal ? 'decimal' : 'float';
    // Deltas are in units of the value: 1 for integers, 10^-scale for decimals.
    let delta = maxDelta ?? (isIntegerKind(shape) ? 100 : isDecimal ? Math.round(100 / unit) : 100);
    let max = hard.max;
    // Within the range the name gave both (flare's `to_level` after `from_level`, levels 0–5; `max_level` at
    // least `current_level`): not up to the type's maximum, the base's range is what a value of it means.
    const baseMin = base.params?.['min'];
    const baseMax = base.params?.['max'];
    if (base.name !== 'after' && typeof baseMax === 'number' && typeof baseMin === 'number' && baseMax > baseMin && baseMax < max) {
      max = baseMax;
      if (maxDelta === undefined) delta = Math.min(delta, Math.max(1, isDecimal ? Math.round((baseMax - baseMin) / unit) : baseMax - baseMin));
    }
    Object.assign(params, { valueType, maxDelta: Math.max(1, delta), max });
    if (scale !== undefined) params['scale'] = scale;
    return { name: 'after', params };
  }
  // An address range (defguard's `CHECK ("start" < "end")` over two `inet` columns): up to 1,024 addresses on.
  if (shape.kind === 'inet') return { name: 'after', params: { ...params, valueType: 'inet', maxDelta: maxDelta ?? 1024 } };
  return undefined;
}

/** How many elements an array column gets: 0–4 per dimension, or what its CHECKs (`cardinality`, `array_length`) ask. */
function arrayItems(dimensions: number, rules: ColumnRules, unmet: Map<string, string>): NonNullable<PlanColumn['array']> {
  const minItems = rules.minItems ?? 0;
  const maxItems = Math.max(minItems, rules.maxItems ?? Math.max(4, minItems + 3));
  if (rules.allItems && dimensions > 1) {
    for (const key of ['minItems', 'maxItems'] as const) {
      const check = rules.sources[key];
      if (check) unmet.set(check, `cardinality() of a ${dimensions}-dimensional array is not generated (only the sizes of each dimension)`);
    }
  }
  return { dimensions, minItems, maxItems };
}

/**
 * Applications that keep UTF-8 text in byte columns (MediaWiki's `page_title varbinary(255)`,
 * `comment_text blob`): a VARBINARY or BLOB column whose name says what text it holds gets
 * that text, in ASCII so that its characters fit the byte length, stored as its UTF-8 bytes.
 * A byte column with no such name keeps random bytes.
 */
function planTextInBytes(input: ColumnPlanInput): ColumnPlanResult | undefined {
  const { shape, column } = input;
  if ((shape.kind !== 'varbinary' && shape.kind !== 'blob') || shape.arrayDimensions > 0) return undefined;
  const textKind = shape.kind === 'blob' ? 'text' : 'varchar';
  if (!inferSemanticKind(column.name, { table: input.tableName, kind: textKind, siblings: input.siblings })) return undefined;
  const planned = planColumn({ ...input, shape: { ...shape, kind: textKind } });
  const c = planned.column;
  if (!c.generator) return undefined;
  return {
    ...planned,
    column: { ...c, kind: shape.kind, fit: { ...c.fit, charset: 'ascii' }, bytes: 'utf8', reason: `${c.reason}; text in a ${column.rawType} column (by its name), stored as UTF-8 bytes` },
  };
}

/** What every phase of `planColumn` shares: the input, the problems and unmet CHECKs it collects, and how it makes a result. */
interface ColumnContext {
  readonly input: ColumnPlanInput;
  readonly problems: PlanProblem[];
  readonly unmet: Map<string, string>;
  readonly dependsOn: string[];
  readonly nullable: boolean;
  readonly result: (c: Omit<PlanColumn, 'name' | 'kind' | 'rawType'>) => ColumnPlanResult;
  readonly nullRateFor: (intentRate?: number) => number;
}

/** The element's shape (arrays: one element), its array sizes, and whether it is text (unique text). */
interface ElementFacts {
  readonly elementShape: ColumnShape;
  readonly array: PlanColumn['array'] | undefined;
  readonly text: boolean;
  readonly uniqueText: boolean;
}

/** A generator chosen so far, with the reasons for it and what the name or type intended. */
interface Choice {
  readonly spec: GeneratorSpecInput;
  readonly reasons: string[];
  readonly intent?: SemanticIntent;
  readonly intentRate?: number;
  readonly style?: 'email';
  /** What chose it: a CHECK, enum or cast (`constraint`), the name (`name`, with its semantic kind) or the type. */
  readonly source?: 'constraint' | 'name' | 'type';
  readonly named?: string;
  /** The time type a moment kept in text is generated as (its orderings follow it). */
  readonly timeShape?: ColumnShape;
}

function columnContext(input: ColumnPlanInput): ColumnContext {
  const { shape, rules, column } = input;
  const problems: PlanProblem[] = [];
  const unmet = new Map<string, string>();
  const dependsOn: string[] = [];
  const base = { name: column.name, kind: shape.kind, rawType: column.rawType };
  const nullable = shape.nullable && !rules.notNull;
  const forbidNull = !nullable || input.isKey || input.unique;
  return {
    input,
    problems,
    unmet,
    dependsOn,
    nullable,
    result: (c) => ({ column: { ...base, ...c }, problems, unmet, dependsOn }),
    nullRateFor: (intentRate) => {
      if (input.configNullRate !== undefined) return nullable ? input.configNullRate : 0;
      if (forbidNull) return 0;
      return intentRate ?? input.defaultNullRate;
    },
  };
}

/** Phase 1: columns the database fills (generated, set by a trigger) and keys the key planner decided. */
function planDecided(ctx: ColumnContext): ColumnPlanResult | undefined {
  const { input, result } = ctx;
  const { column } = input;
  if (column.generated) {
    return result({ load: false, generator: null, nullRate: 0, reason: `generated column: left to the database (${column.generated.expression})` });
  }
  // A value written here would be overwritten by the trigger: making, sending and parsing it is wasted work
  // (unless the config asks for values: then they are written, as asked).
  if (input.setByTrigger !== undefined && !input.isKey && !input.unique && !input.config) {
    return result({ load: false, generator: null, nullRate: 0, reason: `set by trigger ${input.setByTrigger} on insert: left to the database` });
  }
  // Keys decided by the key planner.
  const role = input.role;
  if (role?.role === 'sequence') {
    return result({ load: true, generator: { name: 'sequence', params: { start: role.start, step: role.step } }, nullRate: 0, reason: role.reason, unique: true });
  }
  if (role?.role === 'reference' && role.component !== undefined) {
    const params = { pick: role.pick, component: role.component, valueType: 'parent', table: role.table, column: role.column };
    return result({ load: true, generator: { name: 'tuple', params }, nullRate: 0, reason: role.reason });
  }
  if (role?.role === 'reference') {
    return result({ load: true, generator: { name: 'reference', params: { pick: role.pick, table: role.table, column: role.column } }, nullRate: 0, reason: role.reason });
  }
  if (role?.role === 'tuple') return result({ load: true, nullRate: 0, unique: true, ...stemmedCode(ctx, role.generator, role.reason) });
  if (role?.role === 'always-null') return result({ load: true, generator: null, nullRate: 1, reason: role.reason });
  return input.config || role ? undefined : planTextInBytes(input);
}

/**
 * A text column numbered within its parent by a composite unique key (hexpm's `packages (repository_id,
 * name)`, `releases (package_id, version)`) reads as its name says, then its number: `phoenix-2`,
 * not `2`. Codes with an affix (addresses) or a case rule stay as they are.
 */
function stemmedCode(ctx: ColumnContext, generator: GeneratorSpecInput, reason: string): { generator: GeneratorSpecInput; reason: string } {
  const p = generator.params;
  if (generator.name !== 'tuple' || p['valueType'] !== 'code' || p['prefix'] !== undefined || p['suffix'] !== undefined || p['upper'] === true) return { generator, reason };
  const { input } = ctx;
  const facts = elementFacts({ ...ctx, input: { ...input, unique: false } });
  if (!facts.text || facts.array) return { generator, reason };
  const named = namedChoice(ctx, facts, { unique: false, rows: input.rows, now: input.now, dialect: input.dialect }, []);
  if (!named) return { generator, reason };
  const maxLength = textFitFor(facts.elementShape, input.rules, undefined).maxLength;
  return {
    generator: { name: 'tuple', params: { ...p, stem: named.spec, ...(maxLength !== undefined ? { maxLength } : {}) } },
    reason: `${reason}; ${named.reasons.join('; ')}, then that number`,
  };
}

/** Phase 2: the element's facts (an array column's sizes; a unique array is a problem). */
function elementFacts(ctx: ColumnContext): ElementFacts {
  const { shape, rules, column, tableKey } = ctx.input;
  const elementShape: ColumnShape = { ...shape, arrayDimensions: 0 };
  const array = shape.arrayDimensions > 0 ? arrayItems(shape.arrayDimensions, rules, ctx.unmet) : undefined;
  if (array && ctx.input.unique) {
    ctx.problems.push({
      code: 'unique-capacity',
      table: tableKey,
      column: column.name,
      message: `${tableKey}.${column.name}: a unique array column cannot be generated unique by construction`,
      hint: 'give it a generator in the config',
    });
  }
  const text = isTextKind(elementShape);
  return { elementShape, array, text, uniqueText: ctx.input.unique && text };
}

/** Phase 3: a generator from the config, made unique and fitted when the column needs it. */
function planConfigured(ctx: ColumnContext, facts: ElementFacts, config: NonNullable<ColumnPlanInput['config']>): ColumnPlanResult {
  const { input, problems, result, nullable } = ctx;
  const { rules, column, tableKey } = input;
  const { elementShape, array, text, uniqueText } = facts;
  const where = `config tables.${tableKey}.columns.${column.name}`;
  const fromConfig = specFromConfig(config.value, where, problems, tableKey, column.name);
  if (!fromConfig) return result({ load: true, generator: null, nullRate: 0, reason: config.reason });
  let spec = fromConfig.spec;
  // A config's JSON documents still hold the fields generated columns read from them (a field the config names wins).
  if (spec.name === 'json' && input.jsonFields && input.jsonFields.fields.length > 0) {
    const given = Array.isArray(spec.params?.['fields']) ? (spec.params['fields'] as Array<{ path?: unknown }>) : [];
    const named = new Set(given.map((f) => JSON.stringify(f.path)));
    const read = input.jsonFields.fields.filter((f) => !named.has(JSON.stringify(f.path))).map((f) => ({ ...f, path: [...f.path], ...(f.values ? { values: [...f.values] } : {}) }));
    if (read.length > 0) spec = { name: spec.name, params: { ...spec.params, fields: [...given, ...read] } };
  }
  let fit: TextFit | undefined;
  if (input.unique && !uniqueText) {
    const def = findGenerator(spec.name);
    if (def?.capacity) spec = { name: spec.name, params: { ...spec.params, unique: true } };
    else
      problems.push({
        code: 'unique-capacity',
        table: tableKey,
        column: column.name,
        message: `${tableKey}.${column.name} is part of a unique key, and its config generator "${spec.name}" cannot be made unique`,
        hint: 'use values, integer, decimal, date, timestamp, uuid or a text generator',
      });
  }
  // A value list, a regex or a code enumerates distinct values itself, and so does a uuid in text wide enough for one
  // (a drizzle `$defaultFn(() => uuidv7())` on a text primary key: scira's `chat.id` held `b779684b-…-0`);
  // anything else gets a unique suffix.
  const wideUuid = spec.name === 'uuid' && (elementShape.length === undefined || elementShape.length >= 36);
  const enumerates = spec.name === 'values' || spec.name === 'regex' || spec.name === 'letters' || wideUuid;
  if (text) fit = textFitFor(elementShape, rules, uniqueText && !enumerates ? 'suffix' : undefined);
  if (uniqueText && enumerates) spec = { name: spec.name, params: { ...spec.params, unique: true } };
  if ((fromConfig.nullRate ?? 0) > 0 && !nullable) {
    problems.push({ code: 'config', table: tableKey, column: column.name, message: `${where}: values include null, but ${tableKey}.${column.name} is NOT NULL` });
  }
  const nullRate = fromConfig.nullRate ?? config.value.nullRate ?? ctx.nullRateFor();
  return result({
    load: true,
    generator: spec,
    ...(fit && Object.keys(fit).length > 0 ? { fit } : {}),
    ...(array ? { array } : {}),
    nullRate: nullable ? nullRate : 0,
    reason: config.reason,
    ...(input.unique ? { unique: true } : {}),
  });
}

/** Phase 4: a type with no generator: NULL when it may be, else a problem. */
function planUnsupported(ctx: ColumnContext): ColumnPlanResult | undefined {
  const { input, result } = ctx;
  const { shape, column, tableKey } = input;
  if (column.unsupported === undefined && shape.kind !== 'other' && shape.kind !== 'spatial') return undefined;
  const why = column.unsupported ?? `type ${column.rawType} has no generator`;
  if (ctx.nullable) return result({ load: true, generator: null, nullRate: 1, reason: `${why}: always NULL (configure a generator to fill it)` });
  ctx.problems.push({
    code: 'unsupported-column',
    table: tableKey,
    column: column.name,
    message: `${tableKey}.${column.name} (${column.rawType}) is NOT NULL and ${why}`,
    hint: `give it a generator in the config: tables["${tableKey}"].columns.${column.name} = { generator: …, params: … } or { values: [...] }`,
  });
  return result({ load: true, generator: null, nullRate: 0, reason: why });
}

/** Phase 5: CHECK value sets, enum labels and LIST partitions; a ColumnPlanResult when they leave no value. */
function allowedValuesSpec(ctx: ColumnContext, facts: ElementFacts, reasons: string[]): GeneratorSpecInput | ColumnPlanResult | undefined {
  const { input } = ctx;
  const { rules, column, tableKey } = input;
  const { elementShape, text } = facts;
  let allowed: Scalar[] | undefined = rules.values ? coerceValues(rules.values, elementShape) : undefined;
  if (elementShape.kind === 'enum' && elementShape.values) allowed = allowed ? allowed.filter((v) => elementShape.values!.includes(String(v))) : [...elementShape.values];
  if (input.routing?.values) {
    const routed = coerceValues(input.routing.values, elementShape);
    allowed = allowed ? allowed.filter((v) => routed.includes(v)) : routed;
  }
  if (allowed === undefined || elementShape.kind === 'set') return undefined;
  // A listed value longer than the column could never be stored: it is not a choice.
  const limit = text ? textFitFor(elementShape, rules, undefined).maxLength : undefined;
  // Nor is a number another CHECK's bounds exclude (`x IN (1, 2, 9) AND x > 5`).
  const range = isNumberKind(elementShape) ? hardNumberRange(elementShape, rules, FAMILY_KINDS.decimal.includes(elementShape.kind) ? decimalRange(elementShape).scale : undefined) : undefined;
  const inRange = (v: Scalar): boolean => range === undefined || typeof v !== 'number' || (v >= range.min && v <= range.max);
  const list = allowed.filter((v) => !rules.exclude.includes(v) && inRange(v) && (limit === undefined || [...String(v)].length <= limit));
  if (list.length === 0) {
    ctx.problems.push({
      code: 'unsupported-column',
      table: tableKey,
      column: column.name,
      message: `${tableKey}.${column.name}: its CHECKs, enum labels and partitions leave no value to generate`,
      hint: 'give it values in the config',
    });
    return ctx.result({ load: true, generator: null, nullRate: 0, reason: 'no allowed value' });
  }
  reasons.push(rules.values ? constraintReason(rules.checks) : input.routing?.values ? 'partition bounds' : `type: enum ${column.enum ?? column.rawType}`);
  return { name: 'values', params: input.unique ? { values: list, unique: true } : { values: list } };
}

/** Phase 6: a CHECK regex, json_valid(), or the JSON fields generated columns read. */
function constraintSpec(ctx: ColumnContext, facts: ElementFacts, reasons: string[]): GeneratorSpecInput | undefined {
  const { input, unmet } = ctx;
  const { rules, shape } = input;
  const { elementShape, text } = facts;
  if (text && rules.regexes.length > 0) {
    const regex = rules.regexes[0]!;
    try {
      parseRegex(regex.pattern);
      const fit = textFitFor(elementShape, rules, undefined);
      const params: Record<string, unknown> = { pattern: regex.pattern };
      if (fit.maxLength !== undefined) params['maxLength'] = fit.maxLength;
      if (fit.minLength !== undefined) params['minLength'] = fit.minLength;
      if (input.unique) params['unique'] = true;
      reasons.push(constraintReason([regex.check]));
      for (const other of rules.regexes.slice(1)) unmet.set(other.check, `only one regex per column is generated (${regex.pattern})`);
      if (rules.likes.length > 0) unmet.set(rules.likes[0]!.check, 'a LIKE and a regex on one column: the regex is generated');
      return { name: 'regex', params };
    } catch (error) {
      if (!(error instanceof RegexSubsetError)) throw error;
      unmet.set(regex.check, `regex /${regex.pattern}/ is outside the supported subset: ${error.message}`);
    }
  }
  // jsonb_typeof(x) = 'array' (a list of blocks, of ids): documents of that JSON type.
  const json = shape.arrayDimensions === 0 && (shape.kind === 'json' || shape.kind === 'jsonb' || text);
  if (json && rules.jsonKinds !== undefined && !rules.jsonKinds.includes('object')) {
    const kind = rules.jsonKinds[0];
    if (kind === undefined) {
      unmet.set(rules.checks[0] ?? 'json', 'its CHECKs allow no JSON type');
      return undefined;
    }
    reasons.push(constraintReason(rules.checks));
    return { name: 'json', params: { kind } };
  }
  // Keys a CHECK names (`doc ? 'PackageGlob' AND (doc ->> 'PackageGlob') <> ''`), with the fields generated columns read.
  if (json && rules.jsonKeys !== undefined && rules.jsonKeys.length > 0) {
    reasons.push(constraintReason(rules.checks));
    const read = (input.jsonFields?.fields ?? []).map((f) => ({ ...f, path: [...f.path], ...(f.values ? { values: [...f.values] } : {}) }));
    const named = rules.jsonKeys
      .filter((k) => k.present && !read.some((f) => f.path.length === 1 && f.path[0] === k.key))
      .map((k) => (k.values ? { path: [k.key], type: 'enum' as const, values: k.values } : { path: [k.key], type: 'text' as const }));
    const absent = rules.jsonKeys.filter((k) => !k.present).map((k) => k.key);
    return { name: 'json', params: { fields: [...read, ...named], ...(absent.length > 0 ? { absent } : {}) } };
  }
  // json_valid() on a text column.
  if (text && rules.json) {
    reasons.push(constraintReason(rules.checks));
    return { name: 'json', params: {} };
  }
  // A JSON document whose fields generated columns read (`deleted bool NOT NULL GENERATED ALWAYS AS ((value ->> 'deleted')::boolean)`).
  if ((shape.kind === 'json' || shape.kind === 'jsonb') && input.jsonFields && input.jsonFields.fields.length > 0) {
    reasons.push(`holds the fields generated columns ${input.jsonFields.readBy.join(', ')} read`);
    return { name: 'json', params: { fields: input.jsonFields.fields.map((f) => ({ ...f, path: [...f.path], ...(f.values ? { values: [...f.values] } : {}) })) } };
  }
  return undefined;
}

/**
 * Phase 6b: a text column an index casts to a number (`((number)::integer)`): digits the type takes,
 * fewer when the column is shorter, and as many as uniqueness needs.
 */
function castSpec(ctx: ColumnContext, facts: ElementFacts, reasons: string[]): GeneratorSpecInput | undefined {
  const { input } = ctx;
  const cast = input.castTo;
  if (!cast || !facts.text || facts.array) return undefined;
  const max = Math.max(1, Math.min(cast.digits, input.shape.length ?? cast.digits));
  reasons.push(`index ${cast.index} casts it to ${cast.type}: a number`);
  // No leading zero (a number as an application writes it); unique ones all as long, as many as the rows need.
  const length = Math.min(max, Math.max(1, Math.ceil(Math.log10(Math.max(2, input.rows) / 9 + 1)) + 1));
  if (input.unique) return { name: 'regex', params: { pattern: length === 1 ? '[1-9]' : `[1-9][0-9]{${length - 1}}`, unique: true } };
  const most = Math.min(max, 6);
  return { name: 'regex', params: { pattern: most === 1 ? '[1-9]' : `[1-9][0-9]{0,${most - 1}}` } };
}

type GeneratorOptions = Parameters<typeof concreteGenerator>[3];

/** Phase 7: a generator from the column's name (semantic inference), if one fits. */
function namedChoice(ctx: ColumnContext, facts: ElementFacts, options: GeneratorOptions, reasons: string[]): Choice | undefined {
  const { input } = ctx;
  const { column, rules } = input;
  const match = refinedByDefault(column, inferSemanticKind(column.name, { table: input.tableName, kind: facts.elementShape.kind, siblings: input.siblings }));
  if (!match) return undefined;
  const moment = momentInText(facts.elementShape, match.reason);
  if (moment === null) return undefined;
  const shape = moment ?? facts.elementShape;
  const candidate = semanticIntent(match.kind, shape, {
    now: input.now,
    table: input.tableName,
    column: column.name,
    ...(input.created && input.created !== column.name ? { created: input.created } : {}),
    ...(input.earlier ? { earlier: input.earlier } : {}),
  });
  const concrete = candidate ? concreteGenerator(candidate, shape, rules, options) : undefined;
  if (!candidate || !concrete) return undefined;
  reasons.push(match.reason);
  return {
    spec: concrete,
    ...(moment ? { timeShape: moment } : {}),
    reasons,
    source: 'name',
    named: match.kind,
    intent: candidate,
    ...(candidate.nullRate !== undefined ? { intentRate: candidate.nullRate } : {}),
    ...(candidate.type === 'text' && candidate.style ? { style: candidate.style } : {}),
  };
}

/**
 * A `state` beside address columns is a region, unless its DEFAULT is a step of a lifecycle (a
 * lower-case word: e-petitions' `signatures.state DEFAULT 'pending'` beside `postcode`, an AASM
 * state machine's column): then it is the row's status.
 */
function refinedByDefault(column: Column, match: SemanticMatch | undefined): SemanticMatch | undefined {
  if (match?.kind === 'language') return languageCode(column, match);
  if (match?.kind !== 'state' || column.default?.kind !== 'literal') return match;
  const value = literalValue(column.default.value);
  return /^[a-z]+(?:_[a-z]+)*$/.test(value) ? { kind: 'status', reason: `column name: state, DEFAULT '${value}' (a status, not a region)` } : match;
}

/**
 * A language column wide enough for a name holds codes where the schema says so: named `lang`
 * (FixMyStreet's `lang text DEFAULT 'en-gb'`), or defaulting to a code (`language varchar(255)
 * DEFAULT 'en'`).
 */
function languageCode(column: Column, match: SemanticMatch): SemanticMatch {
  const value = column.default?.kind === 'literal' ? literalValue(column.default.value) : undefined;
  const codedDefault = value !== undefined && /^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$/.test(value);
  const short = /(?:^|_)lang$/i.test(column.name) || /[a-z]Lang$/.test(column.name);
  return codedDefault || short ? { kind: 'locale', reason: `${match.reason} (${codedDefault ? `DEFAULT '${value}'` : 'named lang'}: a code)` } : match;
}

/**
 * The time type a moment kept in text is written as (`infer-semantic`'s "a moment in text"): a
 * timestamp (`2024-05-01 12:30:00`) where 19 characters fit, a date where 10 do, else null (none
 * fits: the name is not followed); undefined for any other column.
 */
function momentInText(shape: ColumnShape, reason: string): ColumnShape | null | undefined {
  if (!isTextKind(shape) || !reason.endsWith('(a moment in text)')) return undefined;
  const width = shape.length ?? Infinity;
  if (width < 10) return null;
  const kind = width >= 19 ? 'timestamp' : 'date';
  return { name: shape.name, kind, rawType: kind, arrayDimensions: 0, fractionalSeconds: 0, nullable: shape.nullable };
}

/** Phase 8: a generator from the column's type; a ColumnPlanResult when the type has none. */
function typeChoice(ctx: ColumnContext, facts: ElementFacts, options: GeneratorOptions, reasons: string[]): Choice | ColumnPlanResult {
  const { input, result } = ctx;
  const { column, shape, rules, tableKey } = input;
  const fallback = typeDefaultIntent(facts.elementShape, input.now, { arrayElement: facts.array !== undefined });
  if ('unsupported' in fallback) {
    if (ctx.nullable) return result({ load: true, generator: null, nullRate: 1, reason: `${fallback.unsupported}: always NULL` });
    ctx.problems.push({
      code: 'unsupported-column',
      table: tableKey,
      column: column.name,
      message: `${tableKey}.${column.name} (${column.rawType}): ${fallback.unsupported}`,
      hint: 'give it a generator in the config',
    });
    return result({ load: true, generator: null, nullRate: 0, reason: fallback.unsupported });
  }
  reasons.push(`type: ${column.rawType}${shape.domain ? ` (domain ${shape.domain.schema}.${shape.domain.name})` : ''}`);
  return { spec: concreteGenerator(fallback, facts.elementShape, rules, options) ?? { name: 'words', params: {} }, reasons, intent: fallback, source: 'type' };
}

/** Phases 5–8: the first generator that the constraints, the name or the type give. */
function chooseGenerator(ctx: ColumnContext, facts: ElementFacts): Choice | ColumnPlanResult {
  const { input } = ctx;
  const options = { unique: input.unique, rows: input.rows, now: input.now, dialect: input.dialect, ...(input.routing?.windows ? { windows: input.routing.windows } : {}) };
  const reasons: string[] = input.unique ? [`${input.uniqueReason ?? 'unique key'}: unique by construction`] : [];
  const listed = allowedValuesSpec(ctx, facts, reasons);
  if (listed && 'column' in listed) return listed;
  const constrained = listed ?? constraintSpec(ctx, facts, reasons) ?? castSpec(ctx, facts, reasons);
  if (constrained?.name === 'regex' && facts.array === undefined) return { spec: preferNamed(ctx, facts, options, constrained, reasons), reasons, source: 'constraint' };
  if (constrained) return { spec: constrained, reasons, source: 'constraint' };
  return namedChoice(ctx, facts, options, reasons) ?? typeChoice(ctx, facts, options, reasons);
}

/** Named generators too general to prefer over a pattern's own strings. */
const GENERAL_TEXT = new Set(['words', 'sentence', 'sentences', 'paragraph', 'paragraphs', 'letters', 'regex', 'template']);

/**
 * A regex CHECK over a column its name reads (`email ~ '[^@]+@[^@]+\.[^@]+'`, `avatar_url ~ '^https?://'`):
 * the name's values wherever they match, the pattern's own strings elsewhere (they were `6>7$6@?.9`).
 */
function preferNamed(ctx: ColumnContext, facts: ElementFacts, options: GeneratorOptions, spec: GeneratorSpecInput, reasons: string[]): GeneratorSpecInput {
  const named = namedChoice(ctx, facts, options, []);
  if (!named || GENERAL_TEXT.has(named.spec.name)) return spec;
  const regex = ctx.input.rules.regexes[0];
  reasons.push(`${named.reasons.join('; ')}, where it matches`);
  return {
    name: 'regex',
    params: {
      ...spec.params,
      prefer: named.spec,
      ...(ctx.input.unique ? { preferUnique: named.style === 'email' ? 'email' : 'suffix' } : {}),
      ...(regex?.caseInsensitive ? { caseInsensitive: true } : {}),
    },
  };
}

/** Phase 9: an ordering after a sibling (CHECK a > b, then names: updated_at after created_at). */
function orderedSpec(ctx: ColumnContext, facts: ElementFacts, choice: Choice): GeneratorSpecInput {
  const { input, unmet, dependsOn } = ctx;
  const { rules, column } = input;
  const { spec, reasons, intent } = choice;
  const order = rules.after[0];
  if (order) {
    let wrapped = afterSpec(spec, facts.elementShape, rules, order.column, order.strict, input);
    if (wrapped && !input.unique && !facts.array) {
      dependsOn.push(order.column);
      if (!reasons.some((r) => r.includes(order.check))) reasons.push(constraintReason([order.check]));
    } else {
      wrapped = undefined;
      unmet.set(order.check, `${column.name} ${order.strict ? '>' : '>='} ${order.column} cannot be generated for a ${input.unique ? 'unique ' : ''}${column.rawType} column`);
    }
    for (const other of rules.after.slice(1)) unmet.set(other.check, `only one ordering per column is generated (after ${order.column})`);
    return wrapped ?? spec;
  }
  // A partition key's values come from its partitions' bounds, not from a sibling its name follows
  // (hatchet's `task_inserted_at` after `created_at` fell outside the one partition there was).
  if (input.routing?.windows) return spec;
  if (intent?.type === 'time' && intent.after && !input.unique && !facts.array) {
    const wrapped = afterSpec(spec, choice.timeShape ?? facts.elementShape, rules, intent.after.column, false, input, intent.after.maxDelta, intent.after.sameRate, intent.after.minDelta, intent.to);
    if (wrapped) {
      dependsOn.push(intent.after.column);
      reasons.push(`after ${intent.after.column}`);
      return wrapped;
    }
  }
  // A name with no meaning of its own that ends what a sibling starts (sim's `period_start` / `period_end`,
  // `trial_start` / `trial_end`): after it.
  const earlier = input.earlier;
  // Numbers too: a maximum at least its minimum (cacti's `min_time` / `max_time`), an end line after its start.
  const numeric = isNumberKind(facts.elementShape) && (intent === undefined || intent.type === 'number');
  const timeShape = choice.timeShape ?? facts.elementShape;
  if (earlier !== undefined && (numeric || ((intent === undefined || (intent.type === 'time' && !intent.after)) && isTimeKind(timeShape))) && !input.unique && !facts.array) {
    const wrapped = afterSpec(spec, timeShape, rules, earlier, false, input);
    if (wrapped) {
      dependsOn.push(earlier);
      reasons.push(`after ${earlier}`);
      return wrapped;
    }
  }
  return spec;
}

/** Phase 10: text fit and uniqueness. Short codes stay codes: a permutation of the code space (same capacity as the suffix). */
function fittedText(ctx: ColumnContext, facts: ElementFacts, spec: GeneratorSpecInput, choice: Choice): { spec: GeneratorSpecInput; fit?: TextFit } {
  const { input, unmet } = ctx;
  const { rules, column } = input;
  const { elementShape, text, uniqueText } = facts;
  let fit: TextFit | undefined;
  const shortLength = textFitFor(elementShape, rules, undefined).maxLength;
  // A unique phone (FixMyStreet's `users.phone` under a partial unique index): numbers of one format, distinct by a
  // permutation of them, not a phone and a suffix (`(507) 499-4059 x47334 0`).
  if (uniqueText && (choice.named === 'phone' || choice.named === 'fax') && spec.name !== 'regex' && rules.likes.length === 0 && (shortLength === undefined || shortLength >= 14)) {
    spec = { name: 'regex', params: { pattern: '^\\([2-9][0-9]{2}\\) [2-9][0-9]{2}-[0-9]{4}$', unique: true } };
    choice.reasons.push('distinct phone numbers of one format (a permutation of them)');
  }
  // Only a value list that enumerates its values uniquely (CHECK/enum lists) or a regex is unique by itself;
  // a semantic value list (status words) is not, and gives way to a permuted code or a suffix.
  const selfEnumerating = (spec.name === 'values' && spec.params['unique'] === true) || spec.name === 'regex';
  if (uniqueText && !selfEnumerating && input.castTo === undefined && rules.likes.length === 0 && shortLength !== undefined && (spec.name === 'letters' || shortLength <= 6)) {
    // Too short for a realistic part plus a suffix: a code of the full length, permuted (upper-case letters when they suffice).
    // A code the name asked for keeps its own length in a wide column (unkey's `varchar(256)` org ids: 16 letters, not 256),
    // long enough for the rows.
    const own = spec.name === 'letters' && shortLength > 6 ? Math.max(Number(spec.params['maxLength'] ?? 16), Math.ceil(Math.log(Math.max(2, input.rows)) / Math.log(26)) + 1) : shortLength;
    const length = Math.min(shortLength, own);
    const alphabet = 26 ** length >= input.rows ? 'upper' : 'upperAlnum';
    spec = { name: 'letters', params: { alphabet, minLength: length, maxLength: length, unique: true } };
    choice.reasons.push(length < shortLength ? `a permuted code of ${length} characters` : 'a permuted code (too short for a realistic value plus a suffix)');
  }
  // An id named for a uuid in a column too narrow for one (kan's `publicId varchar(12) UNIQUE`, a nanoid): hex
  // digits of the column's width, not a cut uuid and a suffix (`1b2751da-0`); permuted when unique.
  if (text && spec.name === 'uuid' && shortLength !== undefined && shortLength < 36 && 16 ** shortLength >= input.rows * 4) {
    spec = { name: 'letters', params: { alphabet: 'hex', minLength: shortLength, maxLength: shortLength, ...(uniqueText ? { unique: true } : {}) } };
    choice.reasons.push(`hex digits of the column's ${shortLength} characters (a uuid does not fit)`);
  }
  // A random code in a unique column (Devise's `reset_password_token`, `confirmation_token`, `unsubscribe_token` under
  // unique indexes in Panoptes) is distinct by itself: permuted codes of its length, not a code and a suffix (`…ELz-0`).
  const maxLetters = Number(spec.params?.['maxLength'] ?? 0);
  if (
    uniqueText &&
    spec.name === 'letters' &&
    spec.params?.['unique'] !== true &&
    spec.params?.['lengths'] === undefined &&
    input.castTo === undefined &&
    rules.likes.length === 0 &&
    maxLetters >= 8 &&
    (shortLength === undefined || shortLength >= maxLetters)
  ) {
    spec = { ...spec, params: { ...spec.params, unique: true } };
  }
  if (text) {
    // A uuid in text (MISP's `events.uuid varchar(40) UNIQUE`) is unique by itself, injective in the row: no `-0` suffix.
    if (uniqueText && spec.name === 'uuid' && (elementShape.length === undefined || elementShape.length >= 36)) spec = { ...spec, params: { ...spec.params, unique: true } };
    const selfUnique = selfEnumerating || ((spec.name === 'letters' || spec.name === 'uuid') && spec.params['unique'] === true);
    fit = textFitFor(elementShape, rules, uniqueText && !selfUnique ? (choice.style === 'email' ? 'email' : 'suffix') : undefined, choice.style);
    if (Object.keys(fit).length === 0) fit = undefined;
  }
  if (!text && (spec.name === 'bytes' || spec.name === 'bits')) spec = fittedLength(ctx, spec);
  if (rules.likes.length > 1) for (const like of rules.likes.slice(1)) unmet.set(like.check, `only one LIKE pattern per column is generated (${rules.likes[0]!.pattern})`);
  if (!text && rules.likes.length > 0) for (const like of rules.likes) unmet.set(like.check, `LIKE on a ${column.rawType} column is not generated`);
  return fit ? { spec, fit } : { spec };
}

/**
 * A byte or bit string under a length CHECK (`octet_length(v) = 20`, a domain's
 * `CHECK (VALUE IS NULL OR octet_length(VALUE) = 4)`): its lengths within the CHECK's.
 */
function fittedLength(ctx: ColumnContext, spec: GeneratorSpecInput): GeneratorSpecInput {
  const { rules, column } = ctx.input;
  if (rules.minLength === undefined && rules.maxLength === undefined) return spec;
  const typeMax = ctx.input.shape.length;
  const lo = Math.max(rules.minLength ?? 0, 0);
  const hi = Math.min(rules.maxLength ?? Infinity, typeMax ?? Infinity);
  const source = rules.sources.minLength ?? rules.sources.maxLength;
  if (lo > hi) {
    if (source) ctx.unmet.set(source, `${column.name} must be ${lo} to ${hi} long: no length fits`);
    return spec;
  }
  const params = spec.params;
  // The type's lengths where they meet the CHECK's, else the CHECK's (from 1 byte, at most 64 more than its least).
  let min = Math.max(Number(params['minLength'] ?? lo), lo);
  let max = Math.min(Number(params['maxLength'] ?? hi), hi);
  if (min > max) {
    min = Math.min(Math.max(lo, 1), hi);
    max = Math.min(hi, min + 64);
  }
  return { ...spec, params: { ...params, minLength: min, maxLength: max } };
}

/** Phase 11: a constant DEFAULT in most rows, a small integer defaulting to 0 or 1 a flag (`defaultedSpec`). */
function withLiteralDefault(ctx: ColumnContext, facts: ElementFacts, choice: Choice, spec: GeneratorSpecInput): GeneratorSpecInput {
  const { input } = ctx;
  const { column, rules, shape } = input;
  const d = column.default;
  if (d?.kind !== 'literal' || choice.source === undefined || choice.source === 'constraint' || input.unique || input.isKey || input.role || facts.array) return spec;
  if (spec.name !== choice.spec.name) return spec; // ordered after a sibling, or made a code
  if (rules.values || rules.after.length > 0 || rules.regexes.length > 0 || rules.likes.length > 0 || rules.min || rules.max || rules.exclude.length > 0) return spec;
  const defaulted = defaultedSpec({
    name: column.name,
    kind: shape.kind,
    value: d.value,
    ...(shape.length !== undefined ? { length: shape.length } : {}),
    rows: input.rows,
    spec,
    named: choice.named,
  });
  if (!defaulted) return spec;
  choice.reasons.push(defaulted.reason);
  return defaulted.spec;
}

/** Plans one column: the phases above, in order, the first to decide wins. */
export function planColumn(input: ColumnPlanInput): ColumnPlanResult {
  const ctx = columnContext(input);
  const decided = planDecided(ctx);
  if (decided) return decided;
  const facts = elementFacts(ctx);
  if (input.config) return planConfigured(ctx, facts, input.config);
  const unsupported = planUnsupported(ctx);
  if (unsupported) return unsupported;
  const choice = chooseGenerator(ctx, facts);
  if ('column' in choice) return choice;
  const { rules } = input;
  if ((rules.min || rules.max) && ['integer', 'decimal', 'float', 'date', 'timestamp'].includes(choice.spec.name)) choice.reasons.push(constraintReason(rules.checks));
  const fitted = fittedText(ctx, facts, orderedSpec(ctx, facts, choice), choice);
  const { fit } = fitted;
  const spec = withLiteralDefault(ctx, facts, choice, fitted.spec);
  const exclude = spec.name === 'values' ? [] : rules.exclude;
  return ctx.result({
    load: true,
    generator: spec,
    ...(fit ? { fit } : {}),
    ...(facts.array ? { array: facts.array } : {}),
    nullRate: ctx.nullRateFor(choice.intentRate),
    ...(exclude.length > 0 ? { exclude: [...exclude] } : {}),
    reason: choice.reasons.join('; '),
    ...(input.unique ? { unique: true } : {}),
  });
}
