import { describe, expect, it } from 'vitest';
import { ColumnIdentities } from './mysql-column-identity.js';

describe('ColumnIdentities', () => {
  it('follows CHANGE COLUMN and RENAME COLUMN renames, and a table rename', () => {
    const ids = new ColumnIdentities();
    const changed = ids.of('session', 'changed');
    const nick = ids.of('users', 'nickname');
    ids.observe('ALTER TABLE `session` CHANGE COLUMN `changed` `expires_at` datetime NOT NULL, ADD INDEX i (ip)');
    ids.observe('ALTER TABLE shop.users RENAME COLUMN nickname TO display_name;');
    ids.observe('RENAME TABLE users TO people, notes TO memos');
    expect(ids.of('session', 'expires_at')).toBe(changed);
    expect(ids.of('people', 'DISPLAY_NAME')).toBe(nick);
    expect(ids.of('session', 'changed')).not.toBe(changed);
    expect(ids.of('users', 'nickname')).not.toBe(nick);
  });

  it('gives a column dropped and added again, or a table dropped and created again, a new identity', () => {
    const ids = new ColumnIdentities();
    const ip = ids.of('session', 'ip');
    const body = ids.of('notes', 'body');
    ids.observe('ALTER TABLE session DROP COLUMN ip, ADD COLUMN ip varchar(40)');
    ids.observe('DROP TABLE IF EXISTS notes');
    expect(ids.of('session', 'ip')).not.toBe(ip);
    expect(ids.of('notes', 'body')).not.toBe(body);
  });

  it('leaves columns alone for what is not a rename or a drop of a column', () => {
    const ids = new ColumnIdentities();
    const before = ['a', 'b', 'c'].map((c) => ids.of('t', c));
    ids.observe('ALTER TABLE t CHANGE a a bigint, MODIFY b text, DROP INDEX c, DROP PRIMARY KEY, DROP FOREIGN KEY fk, RENAME INDEX x TO y');
    ids.observe('UPDATE t SET a = a + 1');
    expect(['a', 'b', 'c'].map((c) => ids.of('t', c))).toEqual(before);
  });
});
