// ULID-shaped entry ids (26 Crockford base-32 characters): 10 for the time in milliseconds, 8 for
// the seq, 8 random. Time first then seq makes ids sort exactly like the trail (seq order), which
// a plain ULID's random tail would not guarantee within one millisecond; the seq also makes them
// unique per tenant without a registry of issued ids.
import type { Random } from './random';

export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(value: number, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = CROCKFORD[rest % 32]! + out;
    rest = Math.floor(rest / 32);
  }
  if (rest !== 0) throw new RangeError(`${value} does not fit in ${length} base-32 digits`);
  return out;
}

export function entryId(occurredAtMs: number, seq: number, random: Random): string {
  return base32(occurredAtMs, 10) + base32(seq, 8) + random.string(CROCKFORD, 8);
}
