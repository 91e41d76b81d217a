import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IpMatch } from './ast';
import { formatIpMatch, isIPv6, matchesIp, parseIpValue } from './ip';

function match(text: string): IpMatch {
  const r = parseIpValue(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('IP values', () => {
  it('prints IPv6 per RFC 5952', () => {
    const canonical = (t: string) => match(t).address;
    expect(canonical('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonical('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1'); // first longest run
    expect(canonical('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1'); // one 0 stays
    expect(canonical('::')).toBe('::');
    expect(canonical('1::')).toBe('1::');
    expect(canonical('::ffff:c000:0280')).toBe('::ffff:192.0.2.128');
    expect(canonical('::1.2.3.4')).toBe('::102:304');
  });

  it('refuses malformed IPv6', () => {
    for (const bad of [
      ':::',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      '12345::',
      'g::1',
      ':1::2',
      '1.2.3.4::',
      '::1.2.3',
    ]) {
      expect(parseIpValue(bad).ok, bad).toBe(false);
    }
    expect(isIPv6('abcd::1')).toBe(true);
    expect(isIPv6('abc:def')).toBe(false);
  });

  it('matches addresses, prefixes and networks', () => {
    expect(matchesIp(match('203.0.113.7'), '203.0.113.7')).toBe(true);
    expect(matchesIp(match('203.0.113.7'), '203.0.113.70')).toBe(false);
    expect(matchesIp(match('203.0.113.*'), '203.0.113.70')).toBe(true);
    expect(matchesIp(match('203.0.113.*'), '203.0.114.1')).toBe(false);
    expect(matchesIp(match('203.0.112.0/20'), '203.0.127.255')).toBe(true);
    expect(matchesIp(match('203.0.112.0/20'), '203.0.128.0')).toBe(false);
    expect(matchesIp(match('0.0.0.0/0'), '8.8.8.8')).toBe(true);
    expect(matchesIp(match('0.0.0.0/0'), '2001:db8::1')).toBe(false);
    expect(matchesIp(match('2001:db8::/32'), '2001:DB8:ffff::1')).toBe(true);
    expect(matchesIp(match('2001:db8::/32'), '2001:db9::1')).toBe(false);
    expect(matchesIp(match('2001:db8::1'), '2001:0db8:0:0:0:0:0:1')).toBe(true);
    // IPv4-mapped IPv6 is the IPv4 address, on either side.
    expect(matchesIp(match('203.0.113.*'), '::ffff:203.0.113.9')).toBe(true);
    expect(matchesIp(match('::ffff:203.0.113.0/120'), '203.0.113.9')).toBe(true);
    expect(matchesIp(match('203.0.113.7'), null)).toBe(false);
    expect(matchesIp(match('203.0.113.7'), 'not an ip')).toBe(false);
  });

  const v4 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });
  const v6 = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });

  it('reads back what it prints, and a network holds its own address (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          v4.map((b) => b.join('.')),
          v6.map((g) => g.map((x) => x.toString(16)).join(':')),
        ),
        fc.nat(128),
        (addr, n) => {
          const exact = match(addr);
          expect(match(formatIpMatch(exact))).toEqual(exact);
          expect(matchesIp(exact, addr)).toBe(true);
          const bits = n % (exact.version === 4 ? 33 : 129);
          const net = parseIpValue(`${addr}/${bits}`);
          if (net.ok) {
            expect(match(formatIpMatch(net.value))).toEqual(net.value);
            expect(matchesIp(net.value, addr)).toBe(true);
          } else {
            // Only refused when host bits are set, and then the suggested network is valid.
            const suggested = /did you mean (\S+)\?/.exec(net.error.message)![1]!;
            const fixed = match(suggested);
            expect(fixed.prefixLength).toBe(bits);
            expect(matchesIp(fixed, addr)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
