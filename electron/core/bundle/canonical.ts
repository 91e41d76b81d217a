// RFC 8785 (JCS) canonical JSON, through the reference implementation's npm package.
import canonicalize from 'canonicalize';

/** Canonical JSON text of a value. Throws on values JSON cannot carry (NaN, lone surrogates...). */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value has no JSON form');
  return text;
}
