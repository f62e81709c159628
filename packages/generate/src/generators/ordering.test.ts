/**
 * `after` over addresses (defguard's `CHECK ("start" < "end")` on `inet`): `inetPlus` steps an IPv4
 * or IPv6 address on, keeping its mask, up to the family's last address.
 */
import { describe, expect, it } from 'vitest';
import { inetPlus } from './ordering.js';

describe('inetPlus', () => {
  it('steps IPv4 addresses on, carrying into the higher bytes, and stops at the last one', () => {
    expect(inetPlus('10.0.0.1', 5)).toBe('10.0.0.6');
    expect(inetPlus('10.0.0.250', 10)).toBe('10.0.1.4');
    expect(inetPlus('223.255.255.255', 1)).toBe('224.0.0.0');
    expect(inetPlus('255.255.255.250', 100)).toBe('255.255.255.255');
  });

  it('keeps a mask, so the network stays and the host bits grow', () => {
    expect(inetPlus('192.168.1.10/24', 3)).toBe('192.168.1.13/24');
  });

  it('steps IPv6 addresses, written in full or with ::', () => {
    expect(inetPlus('2001:db8:0:0:0:0:0:ffff', 1)).toBe('2001:db8:0:0:0:0:1:0');
    expect(inetPlus('2001:db8::1', 2)).toBe('2001:db8:0:0:0:0:0:3');
    expect(inetPlus('::', 1)).toBe('0:0:0:0:0:0:0:1');
    expect(inetPlus('ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe', 9)).toBe('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
  });

  it('is undefined for text that is no address', () => {
    expect(inetPlus('localhost', 1)).toBeUndefined();
    expect(inetPlus('1:2:3', 1)).toBeUndefined();
  });
});
