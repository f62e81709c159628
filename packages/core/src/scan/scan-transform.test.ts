import { describe, expect, it } from 'vitest';
import { fitProposal, proposeTransform } from './scan-transform.js';

describe('proposeTransform', () => {
  it('proposes null for bytes that hold personal data: no transform reads inside them', () => {
    expect(proposeTransform({ kinds: ['card-number'], container: 'text' }, { name: 'picture', kind: 'blob' })).toEqual({ transform: 'null' });
    expect(proposeTransform({ kinds: [], container: 'text' }, { name: 'picture', kind: 'blob' })).toEqual({ transform: 'keep' });
  });

  it('still proposes text for free text in a text column', () => {
    expect(proposeTransform({ kinds: ['card-number'], container: 'text' }, { name: 'notes', kind: 'text' })).toEqual({ transform: 'text', kinds: ['card-number'] });
  });
});

describe('fitProposal', () => {
  const col = (kind: string, rawType: string, nullable: boolean, arrayDimensions = 0) => ({ name: 'c', kind, rawType, nullable, arrayDimensions }) as Parameters<typeof fitProposal>[1];
  it('keeps a rule that fits, unchanged', () => {
    expect(fitProposal({ transform: 'fake:email' }, col('text', 'text', true), ['email'], false)).toEqual({ rule: { transform: 'fake:email' } });
  });
  it('turns a rule scrub would refuse into one of the type (kanboard, coder, danbooru)', () => {
    expect(fitProposal({ transform: 'fake:username' }, col('integer', 'integer', false), ['username'], false).rule).toEqual({ transform: 'keep' });
    expect(fitProposal({ transform: 'hash' }, col('uuid', 'uuid', false), ['identifier'], false).rule).toEqual({ transform: 'hash' });
    expect(fitProposal({ transform: 'text', kinds: ['ip-address'] }, col('inet', 'inet[]', false, 1), ['ip-address'], false).rule).toEqual({ transform: 'fake:ip-address' });
    expect(fitProposal({ transform: 'null' }, col('blob', 'bytea', false), ['secret'], false).rule).toEqual({ transform: 'hash' });
    expect(fitProposal({ transform: 'null' }, col('blob', 'bytea', true), ['secret'], false, true).rule).toEqual({ transform: 'hash' });
    expect(fitProposal({ transform: 'null' }, col('blob', 'bytea', false), ['card-number'], true).rule).toEqual({ transform: 'keep' });
    expect(fitProposal({ transform: 'hash' }, col('jsonb', 'jsonb', false), ['secret'], false).rule).toEqual({ transform: 'generate' });
  });

  it('never proposes a hash or a fake into a column too short for it, as scrub refuses both (friendica)', () => {
    const short = (rawType: string, length: number, nullable: boolean, kind = 'varchar') => ({ ...col(kind, rawType, nullable), length }) as Parameters<typeof fitProposal>[1];
    // friendica's `channel.access-key varchar(1)`: scrub said '"hash" needs at least 8 characters, varchar(1) has 1'
    expect(fitProposal({ transform: 'hash' }, short('varchar(1)', 1, true), ['secret'], false).rule).toEqual({ transform: 'null' });
    expect(fitProposal({ transform: 'hash' }, short('varchar(4)', 4, false), ['secret'], false).rule).toEqual({ transform: 'redact' });
    expect(fitProposal({ transform: 'fake:email' }, short('varchar(5)', 5, false), ['email'], false).rule).toEqual({ transform: 'redact' });
    expect(fitProposal({ transform: 'null' }, short('binary(4)', 4, false, 'binary'), ['secret'], false).rule).toEqual({ transform: 'keep' });
    // long enough: as proposed
    expect(fitProposal({ transform: 'hash' }, short('varchar(8)', 8, false), ['secret'], false)).toEqual({ rule: { transform: 'hash' } });
    expect(fitProposal({ transform: 'fake:email' }, short('varchar(10)', 10, false), ['email'], false)).toEqual({ rule: { transform: 'fake:email' } });
    // a key is permuted, whatever its length
    expect(fitProposal({ transform: 'hash' }, short('char(2)', 2, false, 'char'), ['identifier'], true)).toEqual({ rule: { transform: 'hash' } });
  });

  it('keeps a range, whose bounds a detector of text misread (hatchet: uuid ranges read as phones)', () => {
    expect(fitProposal({ transform: 'text', kinds: ['phone'] }, col('range', 'public.uuidrange', false), ['phone'], false).rule).toEqual({ transform: 'keep' });
    expect(fitProposal({ transform: 'text', kinds: ['phone'] }, col('range', 'tstzrange', true), ['phone'], false).rule).toEqual({ transform: 'keep' });
  });
});
