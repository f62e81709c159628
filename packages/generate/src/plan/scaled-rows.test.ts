import { describe, expect, it } from 'vitest';
import { col, fk, schemaOf, tableOf } from '../test-support/schema-builders.js';
import { scaleRows } from './scaled-rows.js';
import { buildPlan } from './build-plan.js';

const id = (name = 'id') => col(name, 'integer');

/** An HR schema shaped like the MySQL employees sample: 9 departments, a (emp_no, dept_no) junction. */
function hr() {
  return schemaOf([
    tableOf('public', 'departments', [id('dept_no'), col('name', 'text')], { primaryKey: ['dept_no'], rowEstimate: 9 }),
    tableOf('public', 'employees', [id('emp_no'), col('name', 'text')], { primaryKey: ['emp_no'], rowEstimate: 3000 }),
    tableOf('public', 'dept_emp', [id('emp_no'), id('dept_no')], {
      primaryKey: ['emp_no', 'dept_no'],
      rowEstimate: 3300,
      foreignKeys: [fk('de_emp', ['emp_no'], 'public.employees', ['emp_no']), fk('de_dept', ['dept_no'], 'public.departments', ['dept_no'])],
    }),
    tableOf('public', 'dept_manager', [id('emp_no'), id('dept_no')], {
      primaryKey: ['emp_no', 'dept_no'],
      rowEstimate: 24,
      foreignKeys: [fk('dm_emp', ['emp_no'], 'public.employees', ['emp_no']), fk('dm_dept', ['dept_no'], 'public.departments', ['dept_no'])],
    }),
    tableOf('public', 'countries', [id(), col('name', 'text')], { primaryKey: ['id'], rowEstimate: 400 }),
    tableOf('public', 'offices', [id(), id('country_id')], { primaryKey: ['id'], rowEstimate: 5000, foreignKeys: [fk('o_c', ['country_id'], 'public.countries', ['id'])] }),
    // One badge per employee at most: a one-to-one child of employees.
    tableOf('public', 'badges', [id('emp_no')], { primaryKey: ['emp_no'], rowEstimate: 2900, foreignKeys: [fk('b_emp', ['emp_no'], 'public.employees', ['emp_no'])] }),
    tableOf('public', 'archive', [id()], { primaryKey: ['id'], rowEstimate: 0 }),
    tableOf('public', 'audit', [id()], { primaryKey: ['id'], rowEstimate: 4 }),
  ]);
}

const estimates = (schema: ReturnType<typeof hr>) => new Map(Object.entries(schema.tables).map(([k, t]) => [k, t.rowEstimate!]));

describe('rows at a scale below 1', () => {
  it('keeps small and lookup tables at production size, scales the rest, and never turns a table with rows into an empty one', () => {
    const schema = hr();
    const { rows, notes } = scaleRows(schema, estimates(schema), 0.1);
    expect(rows.get('public.departments')).toBe(9);
    expect(notes.get('public.departments')).toMatch(/kept at production's 9 rows \(a small table/);
    expect(rows.get('public.dept_manager')).toBe(24);
    expect(rows.get('public.countries')).toBe(400);
    expect(notes.get('public.countries')).toMatch(/a lookup table: public\.offices references it/);
    expect(rows.get('public.offices')).toBe(500);
    expect(rows.get('public.dept_emp')).toBe(330);
    expect(rows.get('public.archive')).toBe(0);
    expect(scaleRows(schema, new Map([['public.offices', 5000]]), 0.00001).rows.get('public.offices')).toBe(1);
  });

  it('raises a parent to what a one-to-one child needs, never past production', () => {
    const schema = hr();
    const { rows, notes } = scaleRows(schema, estimates(schema), 0.1);
    expect(rows.get('public.badges')).toBe(290);
    expect(rows.get('public.employees')).toBe(300);
    expect(notes.has('public.employees')).toBe(false);
    // Estimates taken at different times: 2,600 badges but 2,000 employees.
    const stale = scaleRows(schema, new Map(estimates(schema)).set('public.employees', 2000).set('public.badges', 2600), 0.1);
    expect(stale.rows.get('public.badges')).toBe(260);
    expect(stale.rows.get('public.employees')).toBe(260);
    expect(stale.notes.get('public.employees')).toMatch(/raised to 260 rows, so that public\.badges's one-to-one foreign key can hold its 260 rows/);
  });

  it('raises the parents of a unique key made of foreign keys until it can hold the child', () => {
    const schema = hr();
    // At 0.001, 2 departments × 5 employees cannot hold 900 (emp_no, dept_no) pairs.
    const few = new Map(estimates(schema)).set('public.departments', 2000).set('public.dept_emp', 900_000).set('public.employees', 5000).set('public.badges', 0);
    const { rows, notes } = scaleRows(schema, few, 0.001);
    expect(rows.get('public.dept_emp')).toBe(900);
    expect(rows.get('public.employees')! * rows.get('public.departments')!).toBeGreaterThanOrEqual(900);
    expect(rows.get('public.employees')! * rows.get('public.departments')!).toBeLessThan(2 * 900);
    expect(notes.get('public.employees')).toMatch(/raised to .* rows, so that public\.dept_emp's unique key \(emp_no, dept_no\) can hold its 900 rows/);
  });

  it('scales every table alike at scale 1 and above', () => {
    const schema = hr();
    const { rows, notes } = scaleRows(schema, estimates(schema), 2);
    expect(rows.get('public.departments')).toBe(18);
    expect(rows.get('public.dept_emp')).toBe(6600);
    expect(notes.size).toBe(0);
  });

  it('plans the schema at scale 0.1 from its estimates, with the reasons in the plan', () => {
    const plan = buildPlan(hr(), { seed: 1, scale: 0.1 });
    expect(plan.tables['public.departments']!.rows).toBe(9);
    expect(plan.tables['public.departments']!.notes[0]).toMatch(/small table/);
    expect(plan.tables['public.dept_emp']!.rows).toBe(330);
  });
});
