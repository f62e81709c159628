import { describe, expect, it } from 'vitest';
import { auditTokens } from './leak-audit.js';

describe('auditTokens', () => {
  it("drops a sentence's closing full stop, so a phone's last group at a sentence's end is not a token", () => {
    // "0935." would be a 5-character token: a fake phone ending in 0935 at the end of a sentence equalled it by chance
    expect(auditTokens('Refund requested by payer.344@example.com on +44 20 8534 0935.')).toEqual(['Refund', 'requested', 'payer.344@example.com']);
    expect(auditTokens('Mail ann.lee@example.org.')).toEqual(['ann.lee@example.org']);
    expect(auditTokens('Note: call 555-0100:')).toEqual(['555-0100']);
  });

  it('keeps dots inside a token and never returns the whole text', () => {
    expect(auditTokens('10.1.2.3')).toEqual([]);
    expect(auditTokens('from 10.1.2.3 token=ghp_abc123')).toEqual(['10.1.2.3', 'token', 'ghp_abc123']);
  });
});
