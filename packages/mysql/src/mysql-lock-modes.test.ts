import { describe, expect, it } from 'vitest';
import { mysqlLock } from './mysql-lock-modes.js';

describe('mysqlLock', () => {
  it('ranks metadata locks as MySQL 8 and MariaDB write them, with what each makes others wait for', () => {
    expect(mysqlLock('shop.orders', 'SHARED_WRITE')).toEqual({ relation: 'shop.orders', mode: 'SHARED_WRITE', rank: 4, label: 'SHARED WRITE', blocks: 'nothing' });
    expect(mysqlLock('shop.orders', 'MDL_SHARED_NO_WRITE')).toMatchObject({ label: 'SHARED NO WRITE', blocks: 'writes' });
    expect(mysqlLock('shop.orders', 'MDL_EXCLUSIVE')).toMatchObject({ label: 'EXCLUSIVE', blocks: 'reads and writes' });
    expect(mysqlLock('shop.orders', 'EXCLUSIVE').rank).toBeGreaterThan(mysqlLock('shop.orders', 'SHARED_UPGRADABLE').rank);
  });

  it('keeps an unknown type, unranked, as blocking nothing it knows of', () => {
    expect(mysqlLock('shop.orders', 'MDL_SOMETHING_NEW')).toEqual({ relation: 'shop.orders', mode: 'MDL_SOMETHING_NEW', rank: -1, label: 'SOMETHING NEW', blocks: 'nothing' });
  });
});
