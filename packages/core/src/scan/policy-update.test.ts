import { describe, expect, it } from 'vitest';
import type { ScrubPolicy } from '../scrub-policy.js';
import { updatePolicy } from './policy-update.js';

describe('updatePolicy', () => {
  it('keeps reviewed rules, adds new columns with the proposal, drops vanished ones', () => {
    const previous: ScrubPolicy = {
      version: 1,
      tables: { 'public.users': { columns: { id: { transform: 'keep' }, email: { transform: 'hash', reason: 'reviewed' }, gone: { transform: 'null' } } }, 'public.old': { columns: {} } },
    };
    const scanned: ScrubPolicy = { version: 1, tables: { 'public.users': { columns: { id: { transform: 'keep' }, email: { transform: 'fake:email' }, nickname: { transform: 'fake:username' } } } } };
    const { policy, added, removed } = updatePolicy(previous, scanned);
    expect(policy.tables['public.users']!.columns['email']).toEqual({ transform: 'hash', reason: 'reviewed' });
    expect(policy.tables['public.users']!.columns['nickname']).toEqual({ transform: 'fake:username' });
    expect(Object.keys(policy.tables['public.users']!.columns).sort()).toEqual(['email', 'id', 'nickname']);
    expect(added).toEqual([{ column: 'public.users.nickname', transform: 'fake:username' }]);
    expect(removed).toEqual(['public.users.gone', 'public.old (table)']);
  });
});

describe('updatePolicy and foreign keys declared in the policy', () => {
  it('keeps them, and serializeScrubPolicy writes them back', async () => {
    const { parseScrubPolicy, serializeScrubPolicy } = await import('../scrub-policy.js');
    const foreignKeys = [{ columns: ['user_ref'], references: { table: 'public.users', columns: ['id'] } }];
    const previous: ScrubPolicy = { version: 1, tables: { 'public.orders': { columns: { user_ref: { transform: 'keep' } }, foreignKeys } } };
    const scanned: ScrubPolicy = { version: 1, tables: { 'public.orders': { columns: { user_ref: { transform: 'keep' }, total: { transform: 'keep' } } } } };
    const { policy } = updatePolicy(previous, scanned);
    expect(policy.tables['public.orders']!.foreignKeys).toEqual(foreignKeys);
    expect(parseScrubPolicy(serializeScrubPolicy(policy)).tables['public.orders']!.foreignKeys).toEqual(foreignKeys);
    expect(() =>
      parseScrubPolicy(JSON.stringify({ version: 1, tables: { 'public.orders': { columns: {}, foreignKeys: [{ columns: ['a', 'b'], references: { table: 'public.users', columns: ['id'] } }] } } })),
    ).toThrow(/as many columns as it references/);
  });
});
