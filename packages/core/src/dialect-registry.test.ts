import { describe, expect, it } from 'vitest';
import { DIALECT_NAMES, DIALECTS, dialectInfo, dialectNameFor, embeddedDialectInfo, parseDialectName } from './dialect-registry.js';
import { UsageError } from './errors.js';
import { guessSqlFlavor } from './sql-flavor.js';

describe('the dialect registry', () => {
  it('knows each dialect by its name, its aliases and its URL schemes, in any case', () => {
    expect(['postgres', 'PostgreSQL', 'pg', 'pglite', 'cockroachdb'].map(dialectNameFor)).toEqual(['postgres', 'postgres', 'postgres', 'postgres', 'postgres']);
    expect(['mysql', 'MariaDB', ' singlestore '].map(dialectNameFor)).toEqual(['mysql', 'mysql', 'mysql']);
    expect(dialectNameFor('oracle')).toBeUndefined();
  });

  it('gives every word to one dialect only', () => {
    const words = DIALECTS.flatMap((d) => [d.name, ...d.aliases, ...d.urlSchemes].map((w) => [w, d.name] as const));
    for (const [word, name] of words) expect(dialectNameFor(word), word).toBe(name);
    expect(DIALECTS.map((d) => d.name)).toEqual([...DIALECT_NAMES]);
  });

  it('refuses an unknown --dialect, listing the names it takes', () => {
    expect(() => parseDialectName('oracle')).toThrow(UsageError);
    try {
      parseDialectName('oracle');
    } catch (error) {
      expect((error as UsageError).message).toBe('unknown --dialect "oracle"');
      expect((error as UsageError).hint).toMatch(/^Use postgres \(PostgreSQL; also postgresql, pg, pglite.*\) or mysql \(MySQL\/MariaDB; also mariadb/);
    }
  });

  it('has one dialect with an embedded engine, the default when no server is given', () => {
    expect(embeddedDialectInfo()).toMatchObject({ name: 'postgres', embeddedEngine: 'PGlite' });
    expect(DIALECTS.filter((d) => d.embeddedEngine === null).map((d) => d.name)).toEqual(['mysql']);
  });

  it('guesses a script by the markers each dialect lists', () => {
    expect(guessSqlFlavor('CREATE TABLE `a` (id int) ENGINE=InnoDB;')).toBe('mysql');
    expect(guessSqlFlavor('CREATE TABLE a (id bigserial); SELECT 1::int;')).toBe('postgres');
    expect(guessSqlFlavor('CREATE TABLE a (id int);')).toBeUndefined();
  });

  it('says which timestamps a dialect narrows', () => {
    expect(dialectInfo('mysql').capabilities.timestampRanges.find((r) => r.rawType.test('timestamp(6)'))).toMatchObject({ min: '1970-01-02', max: '2038-01-18' });
    expect(dialectInfo('mysql').capabilities.timestampRanges.find((r) => r.rawType.test('datetime'))).toBeUndefined();
    expect(dialectInfo('postgres').capabilities.timestampRanges).toEqual([]);
  });
});
