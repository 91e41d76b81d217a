// Typed access to parsed flags, turning absence or bad values into usage errors (exit 2).
import { usageError } from '../core/errors';
import type { ParsedArgs } from './command';

export function requiredString(args: ParsedArgs, name: string): string {
  const value = args.values[name];
  if (typeof value !== 'string' || value === '') throw usageError(`missing --${name}`);
  return value;
}

export function optionalString(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw usageError(`--${name} needs a value`);
  return value;
}

export function optionalInteger(
  args: ParsedArgs,
  name: string,
  { min, max }: { min: number; max: number },
): number | undefined {
  const value = optionalString(args, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw usageError(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

/** An ISO 8601 instant or date, normalized to the bundle form (UTC, milliseconds). */
export function isoInstant(
  args: ParsedArgs,
  name: string,
  value = requiredString(args, name),
): string {
  const ms = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(value)
    ? Date.parse(value)
    : Number.NaN;
  if (Number.isNaN(ms))
    throw usageError(
      `--${name} must be an ISO 8601 date or UTC instant, e.g. 2026-11-24 or 2026-11-24T00:00:00Z`,
    );
  return new Date(ms).toISOString();
}
