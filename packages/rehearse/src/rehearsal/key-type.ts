/**
 * A key column's type as far as matching rows by key goes: every integer type is one
 * (`int` → `bigint` widens the key, and its values still match), the rest as written.
 *
 * @example
 * ```ts
 * keyType('int(11)'); // 'integer'
 * keyType('bigint unsigned'); // 'integer'
 * keyType('uuid'); // 'uuid'
 * ```
 */
export function keyType(type: string): string {
  return /^\s*(tiny|small|medium|big)?int(eger)?\b|^\s*int[248]\b|^\s*(small|big)?serial\b/i.test(type) ? 'integer' : type.trim().toLowerCase();
}
