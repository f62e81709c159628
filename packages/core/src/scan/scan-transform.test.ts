import { describe, expect, it } from 'vitest';
import { proposeTransform } from './scan-transform.js';

describe('proposeTransform', () => {
  it('proposes null for bytes that hold personal data: no transform reads inside them', () => {
    expect(proposeTransform({ kinds: ['card-number'], container: 'text' }, { name: 'picture', kind: 'blob' })).toEqual({ transform: 'null' });
    expect(proposeTransform({ kinds: [], container: 'text' }, { name: 'picture', kind: 'blob' })).toEqual({ transform: 'keep' });
  });

  it('still proposes text for free text in a text column', () => {
    expect(proposeTransform({ kinds: ['card-number'], container: 'text' }, { name: 'notes', kind: 'text' })).toEqual({ transform: 'text', kinds: ['card-number'] });
  });
});
