// IP values of `ip:`: IPv4 and IPv6 addresses, IPv4 octet prefixes and CIDR networks, parsed by
// hand (shared/ may not use node:net) into bytes, printed canonically, and matched bit by bit.
import type { IpMatch } from './ast';
import { show, type ValueResult } from './messages';

const OCTET = /^(0|[1-9]\d{0,2})$/;
const GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const p of parts) {
    // Leading zeros are refused: "010" is octal to some tools and decimal to others.
    if (!OCTET.test(p) || Number(p) > 255) return null;
    bytes.push(Number(p));
  }
  return bytes;
}

function parseGroups(text: string): number[] | null {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = parseIPv4(p);
      if (v4 === null) return null;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (GROUP.test(p)) groups.push(parseInt(p, 16));
    else return null;
  }
  return groups;
}

/** 16 bytes, or null. RFC 4291 text forms; no zone index (`%eth0`). */
function parseIPv6(text: string): number[] | null {
  if (text.length > 45) return null;
  const gap = text.indexOf('::');
  if (gap >= 0 && text.indexOf('::', gap + 1) >= 0) return null;
  let groups: number[];
  if (gap < 0) {
    const all = parseGroups(text);
    if (all === null || all.length !== 8) return null;
    groups = all;
  } else {
    const head = parseGroups(text.slice(0, gap));
    const tail = parseGroups(text.slice(gap + 2));
    if (head === null || tail === null || head.length + tail.length > 7) return null;
    // An IPv4 part may only end the address.
    if (text.slice(0, gap).includes('.')) return null;
    groups = [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

export function isIPv6(text: string): boolean {
  return text.includes(':') && parseIPv6(text) !== null;
}

/** RFC 5952: lower case, no leading zeros, the longest run of 2+ zero groups as `::`. */
function formatIPv6(bytes: number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return `::ffff:${bytes.slice(12).join('.')}`;
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function formatBytes(bytes: number[]): string {
  return bytes.length === 4 ? bytes.join('.') : formatIPv6(bytes);
}

function maskBytes(bytes: number[], prefixLength: number): number[] {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefixLength - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
}

function parseAddress(text: string): number[] | null {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}

const EXAMPLES = 'e.g. 203.0.113.7, 203.0.113.*, 203.0.113.0/24, 2001:db8::1 or 2001:db8::/32';

/** The value of `ip:`: an address, an IPv4 prefix ending in `.` or `.*`, or a CIDR network. */
export function parseIpValue(text: string): ValueResult<IpMatch> {
  const fail = (message: string, offset = 0, length = text.length): ValueResult<IpMatch> => ({
    ok: false,
    error: { message, offset, length },
  });
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const bytes = parseAddress(text.slice(0, slash));
    const bits = text.slice(slash + 1);
    if (bytes === null)
      return fail(`invalid CIDR ${show(text)}: bad address (${EXAMPLES})`, 0, slash);
    const max = bytes.length * 8;
    if (!/^(0|[1-9]\d{0,2})$/.test(bits) || Number(bits) > max)
      return fail(
        `invalid CIDR ${show(text)}: prefix length must be 0 to ${max}`,
        slash + 1,
        bits.length,
      );
    const prefixLength = Number(bits);
    const masked = maskBytes(bytes, prefixLength);
    if (masked.some((b, i) => b !== bytes[i]))
      return fail(
        `invalid CIDR ${show(text)}: address bits set past /${prefixLength} (did you mean ${formatBytes(masked)}/${prefixLength}?)`,
      );
    return {
      ok: true,
      value: {
        version: bytes.length === 4 ? 4 : 6,
        address: formatBytes(bytes),
        prefixLength,
        form: 'cidr',
      },
    };
  }
  if (!text.includes(':') && (text.endsWith('.') || text.endsWith('.*'))) {
    const head = text.slice(0, text.endsWith('*') ? -2 : -1);
    const parts = head.split('.');
    if (parts.length > 3 || parts.some((p) => !OCTET.test(p) || Number(p) > 255))
      return fail(`invalid IP prefix ${show(text)} (whole octets only, ${EXAMPLES})`);
    const bytes = [...parts.map(Number), 0, 0, 0].slice(0, 4);
    return {
      ok: true,
      value: {
        version: 4,
        address: bytes.join('.'),
        prefixLength: parts.length * 8,
        form: 'prefix',
      },
    };
  }
  if (text.includes('*'))
    return fail(
      `invalid IP prefix ${show(text)} (use * only after a whole IPv4 octet, ${EXAMPLES})`,
    );
  const bytes = parseAddress(text);
  if (bytes === null) return fail(`invalid IP address ${show(text)} (${EXAMPLES})`);
  return {
    ok: true,
    value: {
      version: bytes.length === 4 ? 4 : 6,
      address: formatBytes(bytes),
      prefixLength: bytes.length * 8,
      form: 'exact',
    },
  };
}

/** Prints an IpMatch as typed in canonical form (the inverse of parseIpValue). */
export function formatIpMatch(match: IpMatch): string {
  if (match.form === 'exact') return match.address;
  if (match.form === 'cidr') return `${match.address}/${match.prefixLength}`;
  const octets = match.address.split('.').slice(0, match.prefixLength / 8);
  return `${octets.join('.')}.*`;
}

/** IPv4-mapped IPv6 (`::ffff:203.0.113.7`) is compared as the IPv4 address it carries. */
function unmap(bytes: number[], prefixLength: number): { bytes: number[]; prefixLength: number } {
  const mapped =
    bytes.length === 16 &&
    bytes.slice(0, 10).every((b) => b === 0) &&
    bytes[10] === 0xff &&
    bytes[11] === 0xff;
  if (mapped && prefixLength >= 96)
    return { bytes: bytes.slice(12), prefixLength: prefixLength - 96 };
  return { bytes, prefixLength };
}

/** Whether an entry's `ip` (any valid text form) falls in the match; false for null or junk. */
export function matchesIp(match: IpMatch, ip: string | null): boolean {
  if (ip === null) return false;
  const parsed = parseAddress(ip);
  const net = parseAddress(match.address);
  if (parsed === null || net === null) return false;
  const a = unmap(parsed, parsed.length * 8);
  const n = unmap(net, match.prefixLength);
  if (a.bytes.length !== n.bytes.length) return false;
  const masked = maskBytes(a.bytes, n.prefixLength);
  return masked.every((b, i) => b === n.bytes[i]);
}
