/**
 * What a CHECK means for generation: constraints on columns that generators
 * can satisfy by construction.
 *
 * @example
 * ```ts
 * const c: ColumnConstraint = { type: 'range', column: 'rating', min: { value: 0, exclusive: false }, max: { value: 5, exclusive: false } };
 * ```
 */

export type Scalar = string | number | boolean;

/** What `jsonb_typeof` / `json_typeof` return. */
export const JSON_KINDS = ['object', 'array', 'string', 'number', 'boolean', 'null'] as const;
export type JsonKind = (typeof JSON_KINDS)[number];

/** A bound: a number, a text (a date, a timestamp, a number written as text) or `now` (the plan's reference time). */
export interface Bound {
  readonly value: number | string;
  readonly exclusive: boolean;
  /** The literal's cast, when it had one (`date`, `numeric`, `timestamp without time zone`). */
  readonly cast?: string;
}

export type ColumnConstraint =
  | { readonly type: 'range'; readonly column: string; readonly min?: Bound; readonly max?: Bound }
  | { readonly type: 'in'; readonly column: string; readonly values: readonly Scalar[] }
  | { readonly type: 'notIn'; readonly column: string; readonly values: readonly Scalar[] }
  | { readonly type: 'length'; readonly column: string; readonly min?: number; readonly max?: number }
  | { readonly type: 'like'; readonly column: string; readonly pattern: string; readonly caseInsensitive: boolean }
  | { readonly type: 'regex'; readonly column: string; readonly pattern: string; readonly caseInsensitive: boolean }
  | { readonly type: 'notNull'; readonly column: string }
  | { readonly type: 'order'; readonly greater: string; readonly lesser: string; readonly strict: boolean }
  /**
   * Which of `columns` may be NULL together: each pattern has one character per column,
   * `'1'` NOT NULL, `'0'` NULL (`num_nonnulls(a, b) = 1` allows `'10'` and `'01'`). No pattern: no row can pass.
   */
  | { readonly type: 'nulls'; readonly columns: readonly string[]; readonly patterns: readonly string[] }
  /** Array sizes: `cardinality(x)` counts every element (`all`), `array_length(x, 1)` the first dimension. */
  | { readonly type: 'items'; readonly column: string; readonly dimension: 'all' | 'first'; readonly min?: number; readonly max?: number }
  /** Valid JSON (`json_valid(x)`); with `kinds`, of one of these JSON types (`jsonb_typeof(x) = 'array'`). */
  | { readonly type: 'json'; readonly column: string; readonly kinds?: readonly JsonKind[] }
  /**
   * A key of a JSON document (`doc ? 'PackageGlob'`, `(doc ->> 'name') <> ''`, `doc ->> 'kind' = 'a'`): present
   * with a non-empty text (of `values` when given), or absent (`NOT (doc ? 'key')`).
   */
  | { readonly type: 'jsonKey'; readonly column: string; readonly key: string; readonly present: boolean; readonly values?: readonly string[] }
  | { readonly type: 'case'; readonly column: string; readonly case: 'lower' | 'upper' }
  /** `col = btrim(col)`: generated text never has surrounding spaces, so this holds by construction. */
  | { readonly type: 'trimmed'; readonly column: string };

export interface CheckInterpretation {
  readonly name: string;
  readonly expression: string;
  /** `partial`: some AND-parts were understood, others (named in `reason`) were not. */
  readonly status: 'interpreted' | 'partial' | 'uninterpreted';
  readonly constraints: readonly ColumnConstraint[];
  /** Why (part of) the CHECK was not interpreted; also notes choices such as "one branch of OR". */
  readonly reason?: string;
}
