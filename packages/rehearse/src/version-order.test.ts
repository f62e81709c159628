import { describe, expect, it } from 'vitest';
import { compareVersions } from './version-order.js';

describe('compareVersions', () => {
  it('compares dot-separated parts as numbers', () => {
    expect(['10', '1.1', '2', '1', '1.10', '1.2'].sort(compareVersions)).toEqual(['1', '1.1', '1.2', '1.10', '2', '10']);
  });

  it('treats leading zeros and trailing .0 as the same version', () => {
    expect(compareVersions('001', '1')).toBe(0);
    expect(compareVersions('1.0', '1')).toBe(0);
  });

  it('handles 14-digit timestamps exactly', () => {
    expect(compareVersions('20240101120000', '20240101120001')).toBeLessThan(0);
  });
});
