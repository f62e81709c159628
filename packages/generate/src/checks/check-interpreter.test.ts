import { describe, expect, it } from 'vitest';
import { interpretCheck } from './check-interpreter.js';
import type { ColumnConstraint } from './check-constraints.js';

const columns = ['rating', 'status', 'price', 'code', 'ends_at', 'starts_at', 'email', 'x', 'a', 'b', 'c', 'doc', 'birth_date', 'Name', 'tags', 'user_id', 'user_group_id'];
const pg = (expression: string) => interpretCheck({ name: 'c', expression }, { columns });
const my = (expression: string) => interpretCheck({ name: 'c', expression }, { columns, backslashEscapes: true });

function only(expression: string, mysql = false): readonly ColumnConstraint[] {
  const r = mysql ? my(expression) : pg(expression);
  expect(r.status, r.reason).toBe('interpreted');
  return r.constraints;
}

describe('interpretCheck: PostgreSQL spellings (pg_get_constraintdef)', () => {
  it('numeric bounds', () => {
    expect(only('((rating >= 0) AND (rating <= 5))')).toEqual([
      { type: 'range', column: 'rating', min: { value: 0, exclusive: false } },
      { type: 'range', column: 'rating', max: { value: 5, exclusive: false } },
    ]);
    expect(only('(rating > 0)')).toEqual([{ type: 'range', column: 'rating', min: { value: 0, exclusive: true } }]);
    expect(only('(0 < rating)')).toEqual([{ type: 'range', column: 'rating', min: { value: 0, exclusive: true } }]);
    expect(only('(rating >= (-10))')).toEqual([{ type: 'range', column: 'rating', min: { value: -10, exclusive: false } }]);
  });

  it('casts on both sides', () => {
    expect(only('((price)::numeric >= 0::numeric)')).toEqual([{ type: 'range', column: 'price', min: { value: 0, exclusive: false, cast: 'numeric' } }]);
    expect(only("((price)::numeric < '100.50'::numeric)")).toEqual([{ type: 'range', column: 'price', max: { value: '100.50', exclusive: true, cast: 'numeric' } }]);
  });

  it('value sets: = ANY (ARRAY[…]), IN, <> ALL, NOT IN', () => {
    expect(only("(status = ANY (ARRAY['a'::text, 'b'::text]))")).toEqual([{ type: 'in', column: 'status', values: ['a', 'b'] }]);
    expect(only("((status)::text = ANY ((ARRAY['open'::character varying, 'closed'::character varying])::text[]))")).toEqual([{ type: 'in', column: 'status', values: ['open', 'closed'] }]);
    expect(only('(status = ANY (\'{x,"y z"}\'::text[]))')).toEqual([{ type: 'in', column: 'status', values: ['x', 'y z'] }]);
    expect(only("(status <> ALL (ARRAY['deleted'::text]))")).toEqual([{ type: 'notIn', column: 'status', values: ['deleted'] }]);
    expect(only("(NOT (status = ANY (ARRAY['x'::text])))")).toEqual([{ type: 'notIn', column: 'status', values: ['x'] }]);
    expect(only("((status = 'a'::text) OR (status = 'b'::text))")).toEqual([{ type: 'in', column: 'status', values: ['a', 'b'] }]);
  });

  it('lengths', () => {
    expect(only('(length((code)::text) = 3)')).toEqual([{ type: 'length', column: 'code', min: 3, max: 3 }]);
    expect(only('(char_length(code) <= 10)')).toEqual([{ type: 'length', column: 'code', max: 10 }]);
    expect(only('(length(btrim((code)::text)) > 0)')).toEqual([{ type: 'length', column: 'code', min: 1 }]);
    expect(only("((code)::text <> ''::text)")).toEqual([{ type: 'length', column: 'code', min: 1 }]);
  });

  it('column order', () => {
    expect(only('((ends_at > starts_at))')).toEqual([{ type: 'order', greater: 'ends_at', lesser: 'starts_at', strict: true }]);
    expect(only('(starts_at <= ends_at)')).toEqual([{ type: 'order', greater: 'ends_at', lesser: 'starts_at', strict: false }]);
  });

  it('LIKE (~~), ILIKE (~~*) and regexes (~, ~*)', () => {
    expect(only("((email)::text ~~ '%@%'::text)")).toEqual([{ type: 'like', column: 'email', pattern: '%@%', caseInsensitive: false }]);
    expect(only("(email ~~* 'A%'::text)")).toEqual([{ type: 'like', column: 'email', pattern: 'A%', caseInsensitive: true }]);
    expect(only("(x ~ '^[A-Z]+$'::text)")).toEqual([{ type: 'regex', column: 'x', pattern: '^[A-Z]+$', caseInsensitive: false }]);
    expect(only("((code)::text ~* '^\\d{3}$'::text)")).toEqual([{ type: 'regex', column: 'code', pattern: '^\\d{3}$', caseInsensitive: true }]);
    // An extension's operator, printed with its schema (citext's, read with search_path = pg_catalog).
    expect(only("(x OPERATOR(public.~) '^[a-z]+$'::public.citext)")).toEqual([{ type: 'regex', column: 'x', pattern: '^[a-z]+$', caseInsensitive: false }]);
    expect(only('(email OPERATOR("ext".~~) \'%@%\'::ext.citext)')).toEqual([{ type: 'like', column: 'email', pattern: '%@%', caseInsensitive: false }]);
  });

  it('x IS NULL OR what is not understood: x NULL, when x may be', () => {
    // rubytoolbox's projects: `rubygem_name IS NULL OR rubygem_name = permalink` (two columns equal).
    const expression = '((rubygem_name IS NULL) OR ((rubygem_name)::text = (permalink)::text))';
    const cols = ['permalink', 'rubygem_name'];
    const held = interpretCheck({ name: 'parity', expression }, { columns: cols, nullable: ['rubygem_name'] });
    expect(held.constraints).toEqual([{ type: 'nulls', columns: ['rubygem_name'], patterns: ['0'] }]);
    expect(held.reason).toContain('one branch of an OR is generated');
    // A NOT NULL column cannot take that branch: the CHECK stays not understood.
    expect(interpretCheck({ name: 'parity', expression }, { columns: cols, nullable: [] }).status).toBe('uninterpreted');
  });

  it('at-least-one-not-null groups, IS NOT NULL, IS NULL OR …', () => {
    expect(only('((a IS NOT NULL) OR (b IS NOT NULL))')).toEqual([{ type: 'nulls', columns: ['a', 'b'], patterns: ['10', '01', '11'] }]);
    expect(only('(x IS NOT NULL)')).toEqual([{ type: 'notNull', column: 'x' }]);
    expect(only('((x IS NULL) OR (x > 0))')).toEqual([{ type: 'range', column: 'x', min: { value: 0, exclusive: true } }]);
  });

  it('BETWEEN, dates and now()', () => {
    expect(only('(x BETWEEN 1 AND 10)')).toEqual([
      { type: 'range', column: 'x', min: { value: 1, exclusive: false } },
      { type: 'range', column: 'x', max: { value: 10, exclusive: false } },
    ]);
    expect(only("(birth_date > '1900-01-01'::date)")).toEqual([{ type: 'range', column: 'birth_date', min: { value: '1900-01-01', exclusive: true, cast: 'date' } }]);
    expect(only('(birth_date <= now())')).toEqual([{ type: 'range', column: 'birth_date', max: { value: 'now', exclusive: false } }]);
    expect(only('(birth_date < CURRENT_DATE)')).toEqual([{ type: 'range', column: 'birth_date', max: { value: 'now', exclusive: true } }]);
  });

  it('JSON types and keys, booleans as conditions, parallel arrays (a multi-tenant schema)', () => {
    expect(only("(jsonb_typeof(doc) = 'array'::text)")).toEqual([{ type: 'json', column: 'doc', kinds: ['array'] }]);
    expect(only("(jsonb_typeof(doc) <> 'null'::text)")).toEqual([{ type: 'json', column: 'doc', kinds: ['object', 'array', 'string', 'number', 'boolean'] }]);
    expect(only("(json_typeof(doc) = ANY (ARRAY['object'::text, 'array'::text]))")[0]).toMatchObject({ type: 'json', column: 'doc' });
    expect(only("((doc ? 'VersionGlob'::text) AND ((doc ->> 'PackageName'::text) <> ''::text) AND (NOT (doc ? 'PackageGlob'::text)) AND ((doc ->> 'kind'::text) = 'npm'::text))")).toEqual([
      { type: 'jsonKey', column: 'doc', key: 'VersionGlob', present: true },
      { type: 'jsonKey', column: 'doc', key: 'PackageName', present: true },
      { type: 'jsonKey', column: 'doc', key: 'PackageGlob', present: false },
      { type: 'jsonKey', column: 'doc', key: 'kind', present: true, values: ['npm'] },
    ]);
    expect(pg('(((a IS NOT NULL) AND (x IS FALSE)) OR ((a IS NULL) AND (x IS TRUE)))').constraints).toEqual([
      { type: 'notNull', column: 'a' },
      { type: 'in', column: 'x', values: [false] },
    ]);
    expect(only('(array_length(tags, 1) = array_length(a, 1))')).toEqual([
      { type: 'items', column: 'tags', dimension: 'first', min: 3, max: 3 },
      { type: 'items', column: 'a', dimension: 'first', min: 3, max: 3 },
    ]);
  });

  it('case and quoted identifiers', () => {
    expect(only('((code)::text = upper((code)::text))')).toEqual([{ type: 'case', column: 'code', case: 'upper' }]);
    expect(only('(length("Name") > 1)')).toEqual([{ type: 'length', column: 'Name', min: 2 }]);
  });
});

describe('interpretCheck: MySQL / MariaDB spellings', () => {
  it('backticks, lower-case and/or', () => {
    expect(only('`rating` >= 0 and `rating` <= 5', true)).toEqual([
      { type: 'range', column: 'rating', min: { value: 0, exclusive: false } },
      { type: 'range', column: 'rating', max: { value: 5, exclusive: false } },
    ]);
  });

  it('IN with charset introducers', () => {
    expect(only("`status` in ('a','b')", true)).toEqual([{ type: 'in', column: 'status', values: ['a', 'b'] }]);
    expect(only("(`status` in (_utf8mb4'a',_utf8mb4'b'))", true)).toEqual([{ type: 'in', column: 'status', values: ['a', 'b'] }]);
  });

  it('char_length, json_valid, REGEXP, regexp_like', () => {
    expect(only('char_length(`code`) = 3', true)).toEqual([{ type: 'length', column: 'code', min: 3, max: 3 }]);
    expect(only('json_valid(`doc`)', true)).toEqual([{ type: 'json', column: 'doc' }]);
    expect(only("`code` regexp '^[0-9]+$'", true)).toEqual([{ type: 'regex', column: 'code', pattern: '^[0-9]+$', caseInsensitive: false }]);
    expect(only("regexp_like(`code`,_utf8mb4'^[a-z]+$')", true)).toEqual([{ type: 'regex', column: 'code', pattern: '^[a-z]+$', caseInsensitive: false }]);
    expect(only("`email` like '%@%'", true)).toEqual([{ type: 'like', column: 'email', pattern: '%@%', caseInsensitive: false }]);
    expect(only('`x` between 1 and 10', true)).toHaveLength(2);
  });
});

/** The NULL patterns of a CHECK that speaks only of NULLs: `'1'` NOT NULL, `'0'` NULL, one character per column. */
function patterns(expression: string, mysql = false): { columns: readonly string[]; patterns: readonly string[] } {
  const [c, ...rest] = only(expression, mysql);
  expect(rest).toEqual([]);
  expect(c?.type).toBe('nulls');
  const { columns: cols, patterns: allowed } = c as Extract<ColumnConstraint, { type: 'nulls' }>;
  return { columns: cols, patterns: [...allowed].sort() };
}

const XOR = { columns: ['a', 'b'], patterns: ['01', '10'] };
const BOTH_OR_NEITHER = { columns: ['a', 'b'], patterns: ['00', '11'] };

describe('interpretCheck: NULL patterns, in every spelling', () => {
  it('exactly one of two: <>, !=, IS DISTINCT FROM, ::integer sums, num_nonnulls, Rails and Django ORs, CASE sums', () => {
    // As pg_get_constraintdef prints them.
    expect(patterns('((a IS NOT NULL) <> (b IS NOT NULL))')).toEqual(XOR);
    expect(patterns('((a IS NULL) <> (b IS NULL))')).toEqual(XOR);
    expect(patterns('(NOT ((a IS NULL) = (b IS NULL)))')).toEqual(XOR);
    expect(patterns('((a IS NULL) IS DISTINCT FROM (b IS NULL))')).toEqual(XOR);
    expect(patterns('((((a IS NOT NULL))::integer + ((b IS NOT NULL))::integer) = 1)')).toEqual(XOR);
    expect(patterns('(num_nonnulls(a, b) = 1)')).toEqual(XOR);
    expect(patterns('(num_nulls(a, b) = 1)')).toEqual(XOR);
    expect(patterns('(((a IS NOT NULL) AND (b IS NULL)) OR ((a IS NULL) AND (b IS NOT NULL)))')).toEqual(XOR);
    expect(patterns('(((a IS NULL) AND (b IS NOT NULL)) OR ((a IS NOT NULL) AND (b IS NULL)))')).toEqual(XOR);
    expect(patterns('(((CASE WHEN (a IS NOT NULL) THEN 1 ELSE 0 END + CASE WHEN (b IS NOT NULL) THEN 1 ELSE 0 END)) = 1)')).toEqual(XOR);
    // Django's Coalesce(Q(a__isnull=False), False) sum.
    expect(patterns('((COALESCE((a IS NOT NULL), false))::integer + (COALESCE((b IS NOT NULL), false))::integer) = 1')).toEqual(XOR);
    // kenchi (corpus): idx_collectionAcls_user_userGroup_xor.
    expect(patterns('((num_nonnulls(user_id, user_group_id) = 1))')).toEqual({ columns: ['user_id', 'user_group_id'], patterns: ['01', '10'] });
  });

  it('both or neither', () => {
    expect(patterns('((a IS NULL) = (b IS NULL))')).toEqual(BOTH_OR_NEITHER);
    expect(patterns('((a IS NOT NULL) = (b IS NOT NULL))')).toEqual(BOTH_OR_NEITHER);
    // coder (corpus): users.one_time_passcode_set.
    expect(patterns('((((a IS NULL) AND (b IS NULL)) OR ((a IS NOT NULL) AND (b IS NOT NULL))))')).toEqual(BOTH_OR_NEITHER);
    expect(patterns('(num_nonnulls(a, b, c) = ANY (ARRAY[0, 3]))')).toEqual({ columns: ['a', 'b', 'c'], patterns: ['000', '111'] });
    expect(patterns('(num_nulls(a, b) <> 1)')).toEqual(BOTH_OR_NEITHER);
  });

  it('counts: num_nonnulls / num_nulls with =, >=, <=, >, IN', () => {
    expect(patterns('(num_nonnulls(a, b, c) = 1)').patterns).toEqual(['001', '010', '100']);
    // GitLab db/structure.sql: packages_protection_rules check_520a0596a3.
    expect(patterns('((num_nonnulls(a, b) > 0))')).toEqual({ columns: ['a', 'b'], patterns: ['01', '10', '11'] });
    expect(patterns('(num_nonnulls(a, b, c) >= 2)').patterns).toEqual(['011', '101', '110', '111']);
    expect(patterns('(num_nonnulls(a, b) <= 1)').patterns).toEqual(['00', '01', '10']);
    expect(patterns('(num_nulls(a, b, c) >= 2)').patterns).toEqual(['000', '001', '010', '100']);
    expect(patterns('(num_nonnulls(a, b, c) IN (0, 2))').patterns).toEqual(['000', '011', '101', '110']);
  });

  it('a IS NOT NULL OR (b IS NOT NULL AND c IS NOT NULL), and a lone IS NULL', () => {
    expect(patterns('((a IS NOT NULL) OR ((b IS NOT NULL) AND (c IS NOT NULL)))')).toEqual({ columns: ['a', 'b', 'c'], patterns: ['011', '100', '101', '110', '111'] });
    expect(patterns('(a IS NULL)')).toEqual({ columns: ['a'], patterns: ['0'] });
    expect(only('((a IS NULL) OR (a IS NOT NULL))')).toEqual([]);
  });

  it('MariaDB prints them without the left parentheses; MySQL sums booleans and has isnull()', () => {
    expect(patterns('`a` is not null <> (`b` is not null)', true)).toEqual(XOR);
    expect(patterns('`a` is null = (`b` is null)', true)).toEqual(BOTH_OR_NEITHER);
    expect(patterns('`a` is null <> (`b` is null)', true)).toEqual(XOR);
    expect(patterns('(`a` is not null) + (`b` is not null) = 1', true)).toEqual(XOR);
    expect(patterns('`a` is not null and `b` is null or `a` is null and `b` is not null', true)).toEqual(XOR);
    expect(patterns('`a` is not null or `b` is not null and `c` is not null', true).patterns).toEqual(['011', '100', '101', '110', '111']);
    expect(patterns('isnull(`a`) + isnull(`b`) = 1', true)).toEqual(XOR);
    expect(patterns('`a` <=> NULL = (`b` <=> NULL)', true)).toEqual(BOTH_OR_NEITHER);
  });

  it("MySQL's IF(c, a, b) is CASE WHEN c THEN a ELSE b END (icingadb's dependency_node)", () => {
    expect(patterns('if(`c` is null,`a` is not null,`a` is null and `b` is null) = 1', true)).toEqual({ columns: ['c', 'a', 'b'], patterns: ['010', '011', '100'] });
    expect(patterns('if(`a` is null, 1, 0) + if(`b` is null, 1, 0) = 1', true)).toEqual(XOR);
  });

  it('a NULL pattern inside an AND is one part among others', () => {
    expect(only("((status = 'x'::text) AND ((a IS NOT NULL) <> (b IS NOT NULL)))")).toEqual([
      { type: 'in', column: 'status', values: ['x'] },
      { type: 'nulls', columns: ['a', 'b'], patterns: ['10', '01'] },
    ]);
  });
});

describe('interpretCheck: array sizes', () => {
  it('cardinality() counts every element, array_length(x, 1) the first dimension', () => {
    expect(only('(cardinality(tags) > 0)')).toEqual([{ type: 'items', column: 'tags', dimension: 'all', min: 1 }]);
    expect(only('(cardinality(tags) <= 3)')).toEqual([{ type: 'items', column: 'tags', dimension: 'all', max: 3 }]);
    expect(only('(array_length(tags, 1) > 0)')).toEqual([{ type: 'items', column: 'tags', dimension: 'first', min: 1 }]);
    expect(only('(((array_length(tags, 1) >= 1) AND (array_length(tags, 1) <= 5)))')).toEqual([
      { type: 'items', column: 'tags', dimension: 'first', min: 1 },
      { type: 'items', column: 'tags', dimension: 'first', max: 5 },
    ]);
    expect(only('(array_length(tags, 1) BETWEEN 2 AND 4)')).toEqual([{ type: 'items', column: 'tags', dimension: 'first', min: 2, max: 4 }]);
    expect(pg('(array_length(tags, 2) > 0)').status).toBe('uninterpreted');
  });

  it("an element no array may hold: NOT ('none' = ANY (x)) (coder's subsystems_not_none)", () => {
    expect(only("((NOT ('none'::workspace_agent_subsystem = ANY (tags))))")).toEqual([{ type: 'notIn', column: 'tags', values: ['none'] }]);
    expect(only("('none'::text <> ALL (tags))")).toEqual([{ type: 'notIn', column: 'tags', values: ['none'] }]);
    expect(pg("('none'::text = ANY (tags))").status).toBe('uninterpreted');
  });
});

describe('interpretCheck: what it cannot interpret', () => {
  it('reports uninterpreted parts with the reason', () => {
    const r = pg('((x % 2) = 0)');
    expect(r.status).toBe('uninterpreted');
    expect(r.reason).toMatch(/not understood/);
    const partial = pg('((rating >= 0) AND ((rating % 2) = 0))');
    expect(partial.status).toBe('partial');
    expect(partial.constraints).toEqual([{ type: 'range', column: 'rating', min: { value: 0, exclusive: false } }]);
    expect(pg('(x >= now())').status).toBe('uninterpreted');
    expect(pg("(x !~ 'a'::text)").status).toBe('uninterpreted');
    expect(pg('(nosuchcolumn > 1)').status).toBe('uninterpreted');
    expect(pg('(((((').status).toBe('uninterpreted');
    expect(pg('(x NOT BETWEEN 1 AND 2)').status).toBe('uninterpreted');
  });

  it('takes one understood branch of a general OR (and says so)', () => {
    const r = pg('((x > 10) OR ((x % 2) = 0))');
    expect(r.status).toBe('interpreted');
    expect(r.constraints).toEqual([{ type: 'range', column: 'x', min: { value: 10, exclusive: true } }]);
    expect(r.reason).toMatch(/one branch/);
  });

  it('maps VALUE to the column for domain checks', () => {
    const r = interpretCheck({ name: 'year_check', expression: '((VALUE >= 1901) AND (VALUE <= 2155))' }, { columns: ['release_year'], valueColumn: 'release_year' });
    expect(r.constraints).toEqual([
      { type: 'range', column: 'release_year', min: { value: 1901, exclusive: false } },
      { type: 'range', column: 'release_year', max: { value: 2155, exclusive: false } },
    ]);
  });
});
