import { describe, expect, it } from 'vitest';
import { mapArrayLiteral, parseArrayLiteral } from './array-literal.js';

describe('PostgreSQL array literals', () => {
  it('reads quoted, escaped, NULL, empty and nested elements', () => {
    expect(parseArrayLiteral('{a,"b c",NULL,"NULL","",\\"x}').elements).toEqual(['a', 'b c', null, 'NULL', '', '"x']);
    expect(parseArrayLiteral('{{1,2},{3,NULL}}').elements).toEqual([
      ['1', '2'],
      ['3', null],
    ]);
    expect(parseArrayLiteral('[0:1]={x,y}')).toEqual({ prefix: '[0:1]=', elements: ['x', 'y'] });
    expect(parseArrayLiteral('{}').elements).toEqual([]);
    expect(parseArrayLiteral('{"a\\\\b","q\\"q"}').elements).toEqual(['a\\b', 'q"q']);
  });

  it('writes back what PostgreSQL reads as the same array, each element mapped', () => {
    expect(mapArrayLiteral('{ann@example.org,NULL,"b c"}', (v) => v.toUpperCase())).toBe('{ANN@EXAMPLE.ORG,NULL,"B C"}');
    expect(mapArrayLiteral('{{a,b},{c,d}}', (v) => `${v}!`)).toBe('{{a!,b!},{c!,d!}}');
    expect(mapArrayLiteral('{x}', () => 'needs "quotes", and \\')).toBe('{"needs \\"quotes\\", and \\\\"}');
    expect(mapArrayLiteral('{x,y}', (v) => (v === 'x' ? null : ''))).toBe('{NULL,""}');
    expect(mapArrayLiteral('{a}', () => 'null')).toBe('{"null"}');
  });

  it('refuses text that is not an array literal, naming it', () => {
    expect(() => parseArrayLiteral('abc')).toThrow(/not a PostgreSQL array literal/);
    expect(() => parseArrayLiteral('{a,b')).toThrow(/not a PostgreSQL array literal/);
  });
});
