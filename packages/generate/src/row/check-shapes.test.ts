/**
 * CHECK shapes of real schemas, planned and generated: every row is checked with
 * the test's own SQL evaluator (verifyPlanRows), and the plan never says
 * "interpreted" for a CHECK its rows could fail.
 */
import type { Column, Table } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../plan/build-plan.js';
import { PlanError } from '../plan/plan-errors.js';
import type { Plan } from '../plan/plan-model.js';
import { check, col, fk, schemaOf, tableOf } from '../test-support/schema-builders.js';
import { materialize, verifyPlanRows } from '../test-support/verify-rows.js';

const nullable = (name: string, kind: Column['kind'] = 'integer', extra: Partial<Column> = {}): Column => col(name, kind, { nullable: true, ...extra });

/** A parent table `public.p<n>` with an integer key. */
const parent = (n: number): Table => tableOf('public', `p${n}`, [col('id', 'integer'), nullable('label', 'text')], { primaryKey: ['id'] });

function planOf(tables: Table[], rows = 400, config?: Parameters<typeof buildPlan>[1]['config']) {
  const schema = schemaOf(tables);
  const plan = buildPlan(schema, { seed: 'shapes', rows, ...(config ? { config } : {}) });
  return { schema, plan };
}

function statusOf(plan: Plan, table: string, name: string): string | undefined {
  return plan.tables[table]!.checks.find((c) => c.name === name)?.status;
}

/** How many rows have each NULL / NOT NULL combination of `columns` ('1': NOT NULL). */
function combinations(plan: Plan, table: string, columns: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of materialize(plan).get(table)!) {
    const key = columns.map((c) => (row[c] === null ? '0' : '1')).join('');
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

function planError(fn: () => unknown): PlanError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return error as PlanError;
  }
  throw new Error('expected a PlanError');
}

describe('NULL-pattern CHECKs are generated as such', () => {
  const shapes: Array<[string, string, string[]]> = [
    ['(a IS NOT NULL) <> (b IS NOT NULL)', '((a IS NOT NULL) <> (b IS NOT NULL))', ['01', '10']],
    ['(a IS NULL) = (b IS NULL)', '((a IS NULL) = (b IS NULL))', ['00', '11']],
    ['::integer sum = 1', '((((a IS NOT NULL))::integer + ((b IS NOT NULL))::integer) = 1)', ['01', '10']],
    ['NOT ((a IS NULL) = (b IS NULL))', '(NOT ((a IS NULL) = (b IS NULL)))', ['01', '10']],
    ['Rails-style OR of ANDs', '(((a IS NOT NULL) AND (b IS NULL)) OR ((a IS NULL) AND (b IS NOT NULL)))', ['01', '10']],
    ['num_nonnulls(a, b) = 1', '(num_nonnulls(a, b) = 1)', ['01', '10']],
    ['num_nulls(a, b) >= 1', '(num_nulls(a, b) >= 1)', ['00', '01', '10']],
  ];
  for (const [label, expression, expected] of shapes) {
    it(`${label}: every row passes, every allowed combination occurs, the CHECK is interpreted`, () => {
      const { schema, plan } = planOf([tableOf('public', 't', [col('id', 'integer'), nullable('a'), nullable('b', 'text')], { primaryKey: ['id'], checks: [check('t_ab', expression)] })]);
      expect(statusOf(plan, 'public.t', 't_ab')).toBe('interpreted');
      expect(verifyPlanRows(schema, plan)).toEqual([]);
      expect(Object.keys(combinations(plan, 'public.t', ['a', 'b'])).sort()).toEqual(expected);
    });
  }

  it('num_nonnulls(a, b, c) = 1 and a IS NOT NULL OR (b IS NOT NULL AND c IS NOT NULL)', () => {
    for (const [expression, expected] of [
      ['(num_nonnulls(a, b, c) = 1)', ['001', '010', '100']],
      ['((a IS NOT NULL) OR ((b IS NOT NULL) AND (c IS NOT NULL)))', ['011', '100', '101', '110', '111']],
    ] as const) {
      const { schema, plan } = planOf(
        [tableOf('public', 't', [col('id', 'integer'), nullable('a'), nullable('b'), nullable('c', 'date')], { primaryKey: ['id'], checks: [check('t_abc', expression)] })],
        1000,
      );
      expect(statusOf(plan, 'public.t', 't_abc')).toBe('interpreted');
      expect(verifyPlanRows(schema, plan)).toEqual([]);
      expect(Object.keys(combinations(plan, 'public.t', ['a', 'b', 'c'])).sort()).toEqual([...expected]);
    }
  });

  it('a NOT NULL column inside a group is never NULL, and the others follow the CHECK', () => {
    const { schema, plan } = planOf([
      tableOf('public', 't', [col('id', 'integer'), col('a', 'integer'), nullable('b'), nullable('c')], { primaryKey: ['id'], checks: [check('t_one', '(num_nonnulls(a, b, c) <= 2)')] }),
    ]);
    expect(verifyPlanRows(schema, plan)).toEqual([]);
    const seen = combinations(plan, 'public.t', ['a', 'b', 'c']);
    expect(Object.keys(seen).sort()).toEqual(['100', '101', '110']);
  });

  it('CHECK (a IS NOT NULL) on a nullable foreign key: every row has a parent', () => {
    const { schema, plan } = planOf([
      parent(1),
      tableOf('public', 't', [col('id', 'integer'), nullable('p1_id')], {
        primaryKey: ['id'],
        foreignKeys: [fk('t_p1', ['p1_id'], 'public.p1', ['id'])],
        checks: [check('t_p1_present', '(p1_id IS NOT NULL)')],
      }),
    ]);
    expect(statusOf(plan, 'public.t', 't_p1_present')).toBe('interpreted');
    expect(verifyPlanRows(schema, plan)).toEqual([]);
    expect(
      materialize(plan)
        .get('public.t')!
        .every((r) => r['p1_id'] !== null),
    ).toBe(true);
  });

  it('a polymorphic "exactly one parent" over two foreign keys: the chosen one has a real parent, the other is NULL', () => {
    const { schema, plan } = planOf([
      parent(1),
      parent(2),
      tableOf('public', 'acl', [col('id', 'integer'), nullable('user_id'), nullable('group_id')], {
        primaryKey: ['id'],
        foreignKeys: [fk('acl_user', ['user_id'], 'public.p1', ['id']), fk('acl_group', ['group_id'], 'public.p2', ['id'])],
        checks: [check('acl_xor', '(num_nonnulls(user_id, group_id) = 1)')],
      }),
    ]);
    expect(statusOf(plan, 'public.acl', 'acl_xor')).toBe('interpreted');
    expect(verifyPlanRows(schema, plan)).toEqual([]);
    const seen = combinations(plan, 'public.acl', ['user_id', 'group_id']);
    expect(Object.keys(seen).sort()).toEqual(['01', '10']);
    expect(seen['01']!).toBeGreaterThan(100);
    expect(seen['10']!).toBeGreaterThan(100);
  });

  it('a self-reference in a both-or-neither group', () => {
    const { schema, plan } = planOf([
      tableOf('public', 'node', [col('id', 'integer'), nullable('parent_id'), nullable('position')], {
        primaryKey: ['id'],
        foreignKeys: [fk('node_parent', ['parent_id'], 'public.node', ['id'])],
        checks: [check('node_positioned', '((parent_id IS NULL) = ("position" IS NULL))')],
      }),
    ]);
    expect(verifyPlanRows(schema, plan)).toEqual([]);
    expect(Object.keys(combinations(plan, 'public.node', ['parent_id', 'position'])).sort()).toEqual(['00', '11']);
  });

  it('two CHECKs over shared columns are one group', () => {
    const { schema, plan } = planOf([
      tableOf('public', 't', [col('id', 'integer'), nullable('a'), nullable('b'), nullable('c')], {
        primaryKey: ['id'],
        checks: [check('t_ab', '((a IS NOT NULL) <> (b IS NOT NULL))'), check('t_bc', '((b IS NULL) = (c IS NULL))')],
      }),
    ]);
    expect(plan.tables['public.t']!.nullGroups).toEqual([expect.objectContaining({ columns: ['a', 'b', 'c'], patterns: ['100', '011'], checks: ['t_ab', 't_bc'] })]);
    expect(verifyPlanRows(schema, plan)).toEqual([]);
  });
});

describe('array sizes', () => {
  it('cardinality(x) > 0, cardinality(x) <= n, array_length(x, 1) BETWEEN …', () => {
    const { schema, plan } = planOf([
      tableOf(
        'public',
        't',
        [
          col('id', 'integer'),
          col('tags', 'text', { arrayDimensions: 1, rawType: 'text[]' }),
          col('scores', 'integer', { arrayDimensions: 1, rawType: 'integer[]' }),
          col('few', 'integer', { arrayDimensions: 1, rawType: 'integer[]' }),
        ],
        {
          primaryKey: ['id'],
          checks: [check('t_tags', '(cardinality(tags) > 0)'), check('t_scores', '((array_length(scores, 1) >= 5) AND (array_length(scores, 1) <= 7))'), check('t_few', '(cardinality(few) <= 2)')],
        },
      ),
    ]);
    for (const name of ['t_tags', 't_scores', 't_few']) expect(statusOf(plan, 'public.t', name)).toBe('interpreted');
    expect(verifyPlanRows(schema, plan)).toEqual([]);
    const rows = materialize(plan).get('public.t')!;
    expect(rows.every((r) => (r['tags'] as unknown[]).length >= 1)).toBe(true);
    expect(
      rows.every((r) => {
        const n = (r['scores'] as unknown[]).length;
        return n >= 5 && n <= 7;
      }),
    ).toBe(true);
    expect(new Set(rows.map((r) => (r['few'] as unknown[]).length))).toEqual(new Set([0, 1, 2]));
  });
});

describe('array elements', () => {
  it("NOT ('none' = ANY (subsystems)) on an enum array: no element is 'none'", () => {
    const subsystems = col('subsystems', 'enum', { arrayDimensions: 1, rawType: 'workspace_agent_subsystem[]', enum: 'public.workspace_agent_subsystem' });
    const schema = schemaOf(
      [tableOf('public', 'agents', [col('id', 'integer'), subsystems], { primaryKey: ['id'], checks: [check('subsystems_not_none', "(NOT ('none'::workspace_agent_subsystem = ANY (subsystems)))")] })],
      {
        enums: { 'public.workspace_agent_subsystem': { schema: 'public', name: 'workspace_agent_subsystem', values: ['envbox', 'envbuilder', 'none', 'exectrace'] } },
      },
    );
    const plan = buildPlan(schema, { seed: 'shapes', rows: 300 });
    expect(statusOf(plan, 'public.agents', 'subsystems_not_none')).toBe('interpreted');
    expect(verifyPlanRows(schema, plan)).toEqual([]);
    const elements = materialize(plan)
      .get('public.agents')!
      .flatMap((r) => r['subsystems'] as string[]);
    expect(new Set(elements)).toEqual(new Set(['envbox', 'envbuilder', 'exectrace']));
  });
});

describe('an understood CHECK a key role would break is never "interpreted"', () => {
  it('a single-row table (CHECK id = 0 on its integer primary key) gets id 0', () => {
    const { schema, plan } = planOf([tableOf('public', 'status', [col('id', 'integer'), col('version', 'bigint')], { primaryKey: ['id'], checks: [check('only_one_row', '(id = 0)')] })], 1);
    expect(statusOf(plan, 'public.status', 'only_one_row')).toBe('interpreted');
    expect(verifyPlanRows(schema, plan)).toEqual([]);
    expect(materialize(plan).get('public.status')![0]!['id']).toBe(0);
  });

  it('a serial key through a value its CHECK excludes, a foreign key under a CHECK on its values: partial, with the reason', () => {
    const serial = col('id', 'integer', { default: { kind: 'sequence', sequence: 't_id_seq', expression: "nextval('t_id_seq'::regclass)" } });
    const { plan } = planOf([
      parent(1),
      tableOf('public', 't', [serial, nullable('p1_id')], {
        primaryKey: ['id'],
        foreignKeys: [fk('t_p1', ['p1_id'], 'public.p1', ['id'])],
        checks: [check('t_small_ids', '(id <> 5)'), check('t_p1_even', '((p1_id % 2) = 0 OR p1_id > 10)')],
      }),
    ]);
    const checks = plan.tables['public.t']!.checks;
    expect(checks.find((c) => c.name === 't_small_ids')).toMatchObject({ status: 'partial', reason: expect.stringContaining('numbered 1') });
    expect(checks.find((c) => c.name === 't_p1_even')).toMatchObject({ status: 'partial', reason: expect.stringContaining('copies keys of public.p1(id)') });
  });

  it('a foreign key of a distinct tuple (a junction table) under a CHECK on its values: partial', () => {
    const { plan } = planOf(
      [
        parent(1),
        parent(2),
        tableOf('public', 'j', [col('p1_id', 'integer'), col('p2_id', 'integer')], {
          primaryKey: ['p1_id', 'p2_id'],
          foreignKeys: [fk('j_p1', ['p1_id'], 'public.p1', ['id']), fk('j_p2', ['p2_id'], 'public.p2', ['id'])],
          checks: [check('j_not_three', '(p1_id <> 3)')],
        }),
      ],
      100,
    );
    expect(plan.tables['public.j']!.columns.find((c) => c.name === 'p1_id')!.generator?.name).toBe('tuple');
    expect(plan.tables['public.j']!.checks[0]).toMatchObject({ status: 'partial', reason: expect.stringContaining('copies keys of public.p1(id)') });
  });
});

describe('a CHECK no row can satisfy is a plan error naming the table, the CHECK and why', () => {
  it('x > 5 AND x < 3', () => {
    const error = planError(() => planOf([tableOf('public', 't', [col('id', 'integer'), nullable('x')], { primaryKey: ['id'], checks: [check('t_x_check', '((x > 5) AND (x < 3))')] })]));
    const problem = error.problems.find((p) => p.code === 'contradictory-check')!;
    expect(problem.message).toBe('public.t: CHECK t_x_check (((x > 5) AND (x < 3))) can never hold: x > 5 and x < 3 leave no value');
    expect(problem.hint).toContain('nullRate = 1');
    expect(error.exitCode).toBe(2);
  });

  it('bounds from two CHECKs, a bound outside the type, lengths, array sizes', () => {
    const cases: Array<[Column, string[], RegExp]> = [
      [col('x', 'integer'), ['(x >= 10)', '(x <= 9)'], /CHECK c0 \(\(x >= 10\)\) and CHECK c1 \(\(x <= 9\)\) can never hold: x >= 10 and x <= 9/],
      [col('x', 'smallint'), ['(x > 40000)'], /CHECK c0 \(\(x > 40000\)\) can never hold: x > 40000 is outside what smallint holds/],
      [col('x', 'date'), ["(x < '1900-01-01'::date)", "(x > '2000-01-01'::date)"], /x > '2000-01-01' and x < '1900-01-01' leave no value/],
      [col('x', 'varchar', { length: 3 }), ['(char_length(x) >= 5)'], /at least 5 characters long, but varchar holds 3/],
      [col('x', 'integer', { arrayDimensions: 1 }), ['(cardinality(x) > 3)', '(cardinality(x) < 2)'], /at least 4 and at most 1 elements/],
    ];
    for (const [column, expressions, message] of cases) {
      const error = planError(() => planOf([tableOf('public', 't', [col('id', 'integer'), column], { primaryKey: ['id'], checks: expressions.map((e, i) => check(`c${i}`, e)) })]));
      expect(error.problems.map((p) => p.message).join('\n')).toMatch(message);
    }
  });

  it('exactly one of two NOT NULL columns, or of two foreign keys to a table that is not loaded', () => {
    const both = planError(() =>
      planOf([tableOf('public', 't', [col('id', 'integer'), col('a', 'integer'), col('b', 'integer')], { primaryKey: ['id'], checks: [check('t_xor', '(num_nonnulls(a, b) = 1)')] })]),
    );
    expect(both.problems[0]).toMatchObject({ code: 'contradictory-check', message: 'public.t: CHECK t_xor ((num_nonnulls(a, b) = 1)) can never hold: a is NOT NULL; b is NOT NULL' });
    const self = planError(() => planOf([tableOf('public', 't', [col('id', 'integer'), nullable('a')], { primaryKey: ['id'], checks: [check('t_a', '((a IS NULL) AND (a IS NOT NULL))')] })]));
    expect(self.problems[0]!.message).toMatch(/CHECK t_a .* can never hold: CHECK t_a makes a NOT NULL/);
    const gone = planError(() =>
      planOf([
        tableOf('public', 't', [col('id', 'integer'), nullable('a'), nullable('b')], {
          primaryKey: ['id'],
          foreignKeys: [fk('t_a', ['a'], 'other.x', ['id']), fk('t_b', ['b'], 'other.y', ['id'])],
          checks: [check('t_xor', '((a IS NOT NULL) <> (b IS NOT NULL))')],
        }),
      ]),
    );
    expect(gone.problems[0]!.message).toMatch(/CHECK t_xor .* can never hold: a is always NULL \(foreign key → other\.x\(id\): that table is not loaded/);
  });

  it('a table of 0 rows is spared', () => {
    const { plan } = planOf(
      [
        tableOf('public', 't', [col('id', 'integer'), col('a', 'integer'), col('b', 'integer')], {
          primaryKey: ['id'],
          checks: [check('t_xor', '(num_nonnulls(a, b) = 1)'), check('t_a', '((a > 5) AND (a < 3))')],
        }),
      ],
      0,
    );
    expect(plan.tables['public.t']!.rows).toBe(0);
  });

  it('a nullable column the config keeps NULL is spared', () => {
    const { schema, plan } = planOf([tableOf('public', 't', [col('id', 'integer'), nullable('x')], { primaryKey: ['id'], checks: [check('t_x_check', '((x > 5) AND (x < 3))')] })], 50, {
      tables: { t: { columns: { x: { nullRate: 1 } } } },
    });
    expect(verifyPlanRows(schema, plan)).toEqual([]);
    expect(
      materialize(plan)
        .get('public.t')!
        .every((r) => r['x'] === null),
    ).toBe(true);
  });
});
