/**
 * Who did a thing and when, NULL together: a nullable moment and the nullable actor its name
 * pairs it with (`deletedAt` / `deletedBy`, `archived_at` / `archived_by_id`, `approved_on` /
 * `approved_by_user_id`). kan's `workspace.deletedBy` named a user on rows whose `deletedAt` was
 * NULL. The pair is generated as one NULL group at the moment's NULL rate (the group of a
 * profile's `nullsTogether` pair, `null-groups.ts`), dropped when either cannot follow.
 *
 * @example
 * ```ts
 * namedNullPairs(['id', 'deletedAt', 'deletedBy'], isMoment, free);
 * // [{ check: 'names: deletedBy set with deletedAt', columns: ['deletedAt', 'deletedBy'], patterns: ['00', '11'], profiled: true, leader: 'deletedAt' }]
 * ```
 */
import { nameTokens } from '../infer/name-tokens.js';
import type { NullConstraint } from './null-groups.js';

const MOMENT_ENDS = new Set(['at', 'on', 'date', 'time', 'ts']);
/** What may follow `by` in an actor's name: `deleted_by`, `deleted_by_id`, `deleted_by_user_id`. */
const ACTOR_ENDS = [['by'], ['by', 'id'], ['by', 'user', 'id'], ['by', 'user']];

function stemOf(tokens: readonly string[], ends: readonly (readonly string[])[]): string | undefined {
  for (const end of ends) {
    if (tokens.length <= end.length) continue;
    if (end.every((w, i) => tokens[tokens.length - end.length + i] === w)) return tokens.slice(0, -end.length).join(' ');
  }
  return undefined;
}

/**
 * The moment–actor pairs of a table's columns, as NULL constraints; `isMoment` says whether a column
 * holds a date or timestamp, `free` whether it may be NULL and is no key.
 */
export function namedNullPairs(names: readonly string[], isMoment: (column: string) => boolean, free: (column: string) => boolean): NullConstraint[] {
  const moments = new Map<string, string>();
  for (const name of names) {
    if (!isMoment(name) || !free(name)) continue;
    const stem = stemOf(
      nameTokens(name),
      [...MOMENT_ENDS].map((w) => [w]),
    );
    if (stem !== undefined && !moments.has(stem)) moments.set(stem, name);
  }
  const out: NullConstraint[] = [];
  for (const name of names) {
    if (isMoment(name) || !free(name)) continue;
    const stem = stemOf(nameTokens(name), ACTOR_ENDS);
    const moment = stem === undefined ? undefined : moments.get(stem);
    if (moment === undefined) continue;
    out.push({ check: `names: ${name} set with ${moment}`, columns: [moment, name], patterns: ['00', '11'], profiled: true, leader: moment });
  }
  return out;
}
