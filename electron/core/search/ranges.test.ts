import { describe, expect, it } from 'vitest';
import { parseQuery, type IpMatch } from '../../../shared/query';
import { ipPlan, prefixRange } from './ranges';

const ip = (text: string): IpMatch => {
  const parsed = parseQuery(`ip:${text}`);
  if (!parsed.ok || parsed.query.clauses[0]?.kind !== 'ip') throw new Error(text);
  return parsed.query.clauses[0].match;
};

describe('prefixRange', () => {
  it('bumps the last code point: every string with the prefix is inside, nothing else', () => {
    expect(prefixRange('booking.')).toEqual({ lo: 'booking.', hi: 'booking/' });
    expect(prefixRange('auth.login')).toEqual({ lo: 'auth.login', hi: 'auth.logio' });
    expect(prefixRange('a\u{10ffff}')).toEqual({ lo: 'a\u{10ffff}', hi: 'b' });
    expect(prefixRange('\u{10ffff}')).toEqual({ lo: '\u{10ffff}', hi: null });
    expect(prefixRange('x\ud7ff')).toEqual({ lo: 'x\ud7ff', hi: 'x\ue000' });
  });
});

describe('ipPlan', () => {
  it.each([
    ['203.0.113.7', { kind: 'exact', texts: ['203.0.113.7', '::ffff:203.0.113.7'] }],
    ['::ffff:203.0.113.7', { kind: 'exact', texts: ['203.0.113.7', '::ffff:203.0.113.7'] }],
    [
      '203.0.113.*',
      { kind: 'prefixes', prefixes: ['203.0.113.', '::ffff:203.0.113.'], check: false },
    ],
    [
      '203.0.113.0/24',
      { kind: 'prefixes', prefixes: ['203.0.113.', '::ffff:203.0.113.'], check: false },
    ],
    ['10.0.16.0/20', { kind: 'prefixes', prefixes: ['10.0.', '::ffff:10.0.'], check: true }],
    ['10.0.0.0/8', { kind: 'prefixes', prefixes: ['10.', '::ffff:10.'], check: false }],
    ['::ffff:10.0.0.0/104', { kind: 'prefixes', prefixes: ['10.', '::ffff:10.'], check: false }],
    ['0.0.0.0/4', { kind: 'scan' }],
    ['0.0.0.0/0', { kind: 'scan' }],
    ['2001:db8::1', { kind: 'exact', texts: ['2001:db8::1'] }],
    ['2001:db8::/32', { kind: 'prefixes', prefixes: ['2001:db8:'], check: false }],
    ['2001:db8::/33', { kind: 'prefixes', prefixes: ['2001:db8:'], check: true }],
    ['2001:db8::/31', { kind: 'prefixes', prefixes: ['2001:'], check: true }],
    ['2001:0:0:1::/64', { kind: 'prefixes', prefixes: ['2001:'], check: true }],
    ['fe80::/10', { kind: 'scan' }],
    ['::/0', { kind: 'scan' }],
  ])('%s', (text, plan) => expect(ipPlan(ip(text))).toEqual(plan));
});
