// Text ranges an index can answer: a prefix becomes `[prefix, upper)` in SQLite's BINARY order
// (UTF-8 bytes, which sort as code points), and an IP network becomes the text prefixes its
// addresses are written with, when it has any.
import type { IpMatch } from '../../../shared/query';

export interface TextRange {
  /** Inclusive. */
  lo: string;
  /** Exclusive; null = no upper bound (a prefix ending in the last code point). */
  hi: string | null;
}

/** The strings starting with `prefix` are exactly those in the range (prefix must be non-empty). */
export function prefixRange(prefix: string): TextRange {
  const chars = Array.from(prefix);
  while (chars.length > 0) {
    const last = chars.pop()!.codePointAt(0)!;
    let next = last + 1;
    if (next === 0xd800) next = 0xe000; // skip the surrogate block, which UTF-8 cannot hold
    if (next <= 0x10ffff) return { lo: prefix, hi: chars.join('') + String.fromCodePoint(next) };
  }
  return { lo: prefix, hi: null };
}

/**
 * How to find the entries whose `ip` text matches a network through the `ip` index:
 * - `exact`: texts equal to one of these (an address: itself and its IPv4-mapped IPv6 form);
 * - `prefixes`: texts starting with one of these;
 * - `check`: the texts found are candidates only and must also pass matchesIp (the network does not
 *   end on an octet or group boundary);
 * - `scan`: no text prefix exists (`0.0.0.0/4`, `::/0`, networks starting with a zero group); every
 *   entry with an IP is checked.
 * Texts are the canonical forms: IPv4 dotted decimal, IPv6 per RFC 5952 (lower case, `::`), IPv4
 * mapped as `::ffff:a.b.c.d`. docs/search.md says what that means for other spellings.
 */
export type IpPlan =
  | { kind: 'exact'; texts: string[] }
  | { kind: 'prefixes'; prefixes: string[]; check: boolean }
  | { kind: 'scan' };

const MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/;

export function ipPlan(match: IpMatch): IpPlan {
  const mapped = match.version === 6 ? MAPPED.exec(match.address) : null;
  if (mapped !== null && match.prefixLength >= 96)
    return ipv4Plan(mapped[1]!, match.prefixLength - 96);
  if (match.version === 4) return ipv4Plan(match.address, match.prefixLength);
  return ipv6Plan(match.address, match.prefixLength);
}

function ipv4Plan(address: string, bits: number): IpPlan {
  if (bits === 32) return { kind: 'exact', texts: [address, `::ffff:${address}`] };
  const whole = Math.floor(bits / 8);
  if (whole === 0) return { kind: 'scan' };
  const prefix = `${address.split('.').slice(0, whole).join('.')}.`;
  return { kind: 'prefixes', prefixes: [prefix, `::ffff:${prefix}`], check: bits % 8 !== 0 };
}

function ipv6Plan(address: string, bits: number): IpPlan {
  if (bits === 128) return { kind: 'exact', texts: [address] };
  const groups = expandIPv6(address);
  // While the leading groups are non-zero, no `::` can start among them, so every canonical address
  // of the network starts with them as written.
  const whole = Math.floor(bits / 16);
  let lead = 0;
  while (lead < whole && groups[lead] !== 0) lead++;
  if (lead === 0) return { kind: 'scan' };
  const prefix = `${groups
    .slice(0, lead)
    .map((g) => g.toString(16))
    .join(':')}:`;
  return { kind: 'prefixes', prefixes: [prefix], check: lead * 16 !== bits };
}

/** The 8 groups of a canonical IPv6 address (no embedded IPv4 here: mapped ones are IPv4 plans). */
function expandIPv6(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((g) => (g.includes('.') ? 0 : parseInt(g, 16)));
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}
