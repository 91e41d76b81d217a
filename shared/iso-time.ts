// The one timestamp shape bundles use: UTC, ISO 8601, milliseconds, `Z` (2026-11-24T14:03:11.123Z).
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function isIsoInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return false;
  const ms = Date.parse(value);
  // Round-trip rejects impossible dates such as 2026-02-30 that Date.parse would roll over.
  return !Number.isNaN(ms) && new Date(ms).toISOString() === value;
}
