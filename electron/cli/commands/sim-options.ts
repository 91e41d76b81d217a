// Flags shared by `sim serve` and `sim generate`: the same flags give the same bundles in both.
import { resolve } from 'node:path';
import { PLANS, type Plan } from '../../../shared/bundle';
import { usageError } from '../../core/errors';
import { SIM_DEFAULTS, type TrailOptions } from '../../sim/generate';
import { optionalInteger, optionalString } from '../args';
import type { Options, ParsedArgs } from '../command';

export const TRAIL_FLAGS =
  '[--seed S] [--days D] [--per-day N] [--key-dir DIR] [--rotation-day I] [--no-anomalies] [--start-date YYYY-MM-DD] [--plan P]';

export const TRAIL_OPTIONS: Options = {
  seed: { type: 'string' },
  days: { type: 'string' },
  'per-day': { type: 'string' },
  'key-dir': { type: 'string' },
  'rotation-day': { type: 'string' },
  'no-anomalies': { type: 'boolean' },
  'start-date': { type: 'string' },
  plan: { type: 'string' },
};

export function trailOptions(args: ParsedArgs): TrailOptions {
  const days = optionalInteger(args, 'days', { min: 0, max: 36_500 }) ?? SIM_DEFAULTS.days;
  const rotationDay = optionalInteger(args, 'rotation-day', { min: 0, max: 36_500 }) ?? null;
  if (rotationDay !== null && rotationDay >= days) {
    throw usageError(`--rotation-day must be a day index below --days (${days})`);
  }
  const startDate = optionalString(args, 'start-date');
  if (startDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(startDate)) {
    throw usageError('--start-date must be a date, YYYY-MM-DD');
  }
  const plan = optionalString(args, 'plan');
  if (plan !== undefined && !(PLANS as readonly string[]).includes(plan)) {
    throw usageError(`--plan must be one of ${PLANS.join(', ')}`);
  }
  const keyDir = optionalString(args, 'key-dir');
  return {
    seed: optionalString(args, 'seed') ?? SIM_DEFAULTS.seed,
    days,
    perDay: optionalInteger(args, 'per-day', { min: 0, max: 10_000_000 }) ?? SIM_DEFAULTS.perDay,
    keyDir: keyDir === undefined ? undefined : resolve(keyDir),
    rotationDay,
    anomalies: args.values['no-anomalies'] !== true,
    startDate,
    plan: plan as Plan | undefined,
  };
}

/** The simulator's own errors (a bad start date, an unreadable key) as one-line CLI errors. */
export function simError(error: unknown): Error {
  if (error instanceof RangeError) return usageError(error.message);
  return error as Error;
}
