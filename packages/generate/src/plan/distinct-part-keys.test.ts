/**
 * A unique key over part of a composite foreign key (inbox-zero: `"emailAccountId"` unique, and
 * the foreign key `("messagingChannelId", "emailAccountId") → "MessagingChannel"(id,
 * "emailAccountId")`): each row picks a parent row of its own emailAccountId, and a blanket row
 * count is capped at how many differ. Rows are generated and checked here, in JavaScript.
 */
import { describe, expect, it } from 'vitest';
import { generateRows } from '../row/row-generator.js';
import { col, fk, schemaOf, tableOf, uniqueKey } from '../test-support/schema-builders.js';
import { buildPlan } from './build-plan.js';
import { PlanError } from './plan-errors.js';

const schema = schemaOf([
  tableOf('public', 'account', [col('id', 'integer')], { primaryKey: ['id'] }),
  tableOf('public', 'channel', [col('id', 'integer'), col('account_id', 'integer')], {
    primaryKey: ['id'],
    uniques: [uniqueKey('channel_id_account', ['id', 'account_id'])],
    foreignKeys: [fk('channel_account', ['account_id'], 'public.account', ['id'])],
  }),
  tableOf('public', 'setting', [col('id', 'integer'), col('channel_id', 'integer'), col('account_id', 'integer')], {
    primaryKey: ['id'],
    uniques: [uniqueKey('setting_account_key', ['account_id'])],
    foreignKeys: [fk('setting_channel', ['channel_id', 'account_id'], 'public.channel', ['id', 'account_id'])],
  }),
]);

describe('a unique key over part of a composite foreign key', () => {
  it('gives every row a parent row of its own account: the pair exists in the parent, the account is distinct', () => {
    const plan = buildPlan(schema, { seed: 2, rows: 400 });
    const channels = new Map(generateRows(plan, 'public.channel', 0, plan.tables['public.channel']!.rows).map((r) => [r[0], r[1]]));
    const settings = generateRows(plan, 'public.setting', 0, plan.tables['public.setting']!.rows);
    expect(settings.length).toBeGreaterThan(0);
    expect(settings.every((r) => channels.get(r[1]) === r[2])).toBe(true);
    expect(new Set(settings.map((r) => r[2])).size).toBe(settings.length);
  });

  it('caps a blanket row count at the accounts the parent holds, with a note; a count asked for the table is an error', () => {
    const plan = buildPlan(schema, { seed: 2, rows: 400 });
    const distinct = new Set(generateRows(plan, 'public.channel', 0, 400).map((r) => r[1])).size;
    expect(distinct).toBeLessThan(400);
    expect(plan.tables['public.setting']!.rows).toBe(distinct);
    expect(plan.tables['public.setting']!.notes.join('\n')).toMatch(
      new RegExp(`rows capped at ${distinct} \\(asked 400\\): .*setting_account_key needs a row of public\\.channel with its own account_id`),
    );
    expect(() => buildPlan(schema, { seed: 2, rows: 400, tableRows: { 'public.setting': 400 } })).toThrow(PlanError);
  });
});
