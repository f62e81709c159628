/**
 * MySQL/MariaDB metadata-lock (MDL) types from weakest to strongest, each with what it makes
 * other sessions' ordinary statements wait for. MySQL 8's performance_schema writes them bare
 * (`SHARED_NO_WRITE`), MariaDB's METADATA_LOCK_INFO with an `MDL_` prefix.
 *
 * @example
 * ```ts
 * mysqlLock('shop.orders', 'MDL_EXCLUSIVE'); // { …, rank: 10, label: 'EXCLUSIVE', blocks: 'reads and writes' }
 * ```
 */
import type { HeldLock, LockEffect } from '@understudy/core';

export const MDL_TYPES = [
  { mode: 'INTENTION_EXCLUSIVE', blocks: 'nothing' },
  { mode: 'SHARED', blocks: 'nothing' },
  { mode: 'SHARED_HIGH_PRIO', blocks: 'nothing' },
  { mode: 'SHARED_READ', blocks: 'nothing' },
  { mode: 'SHARED_WRITE', blocks: 'nothing' },
  { mode: 'SHARED_WRITE_LOW_PRIO', blocks: 'nothing' },
  { mode: 'SHARED_UPGRADABLE', blocks: 'nothing' },
  { mode: 'SHARED_READ_ONLY', blocks: 'writes' },
  { mode: 'SHARED_NO_WRITE', blocks: 'writes' },
  { mode: 'SHARED_NO_READ_WRITE', blocks: 'reads and writes' },
  { mode: 'EXCLUSIVE', blocks: 'reads and writes' },
] as const satisfies ReadonlyArray<{ mode: string; blocks: LockEffect }>;

/** A metadata lock as a report carries it: ranked (-1 for a type not listed), labelled, with what it blocks. */
export function mysqlLock(relation: string, mode: string): HeldLock {
  const label = mode.toUpperCase().replace(/^MDL_/, '');
  const rank = MDL_TYPES.findIndex((t) => t.mode === label);
  return { relation, mode, rank, label: label.replace(/_/g, ' '), blocks: MDL_TYPES[rank]?.blocks ?? 'nothing' };
}
