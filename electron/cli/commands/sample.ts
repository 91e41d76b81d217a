import { parseQuery, type Query } from '../../../shared/query';
import { usageError } from '../../core/errors';
import {
  drawAndStoreSample,
  sampleProgress,
  type ConfidenceLevel,
  type SampleMethod,
} from '../../core/review/sampling';
import { openWorkspace } from '../../core/workspace/database';
import { optionalString, requiredString } from '../args';
import type { Command, ParsedArgs } from '../command';
import { REVIEWER_FLAGS, REVIEWER_OPTIONS, reviewerOf } from './annotate';

export const sample: Command = {
  name: 'sample',
  usage: `sample --workspace DIR [QUERY] (--size N | --percent P | --confidence 90|95|99 --margin M) --seed S [--name TEXT] ${REVIEWER_FLAGS}`,
  summary:
    'draws a reproducible audit sample from the entries a query matches and keeps it as a review batch (docs/review.md)',
  positionals: 'optional',
  options: {
    workspace: { type: 'string' },
    size: { type: 'string' },
    percent: { type: 'string' },
    confidence: { type: 'string' },
    margin: { type: 'string' },
    seed: { type: 'string' },
    name: { type: 'string' },
    ...REVIEWER_OPTIONS,
  },
  run(args) {
    const query = parse(args.positionals.join(' '));
    const method = methodOf(args);
    const seed = requiredString(args, 'seed');
    const author = reviewerOf(args);
    const ws = openWorkspace(requiredString(args, 'workspace'));
    try {
      const drawn = drawAndStoreSample(
        ws,
        query,
        method,
        seed,
        author,
        optionalString(args, 'name') ?? '',
      );
      const progress = sampleProgress(ws, drawn.id);
      return {
        json: {
          sampleId: drawn.id,
          name: drawn.name,
          query: drawn.query,
          method: drawn.method,
          algorithm: drawn.algorithm,
          population: drawn.population,
          populationFingerprint: drawn.populationFingerprint,
          seed: drawn.seed,
          size: drawn.entryIds.length,
          entryIds: drawn.entryIds,
          progress,
        },
        text:
          `sample ${drawn.id}: ${drawn.entryIds.length} of ${drawn.population} entries (${drawn.query || 'all entries'}), seed ${JSON.stringify(seed)}\n` +
          `  population fingerprint ${drawn.populationFingerprint}\n` +
          drawn.entryIds.map((id) => `  ${id}\n`).join(''),
        exitCode: 0,
      };
    } finally {
      ws.close();
    }
  },
};

function parse(text: string): Query {
  const parsed = parseQuery(text);
  if (!parsed.ok)
    throw usageError(`query error at column ${parsed.error.position + 1}: ${parsed.error.message}`);
  return parsed.query;
}

function number(args: ParsedArgs, name: string): number | undefined {
  const value = optionalString(args, name);
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) throw usageError(`--${name} must be a number`);
  return Number(value);
}

/** Exactly one of --size, --percent, or --confidence with --margin. */
function methodOf(args: ParsedArgs): SampleMethod {
  const size = optionalString(args, 'size');
  const percent = number(args, 'percent');
  const confidence = optionalString(args, 'confidence');
  const margin = number(args, 'margin');
  const given = [
    size !== undefined,
    percent !== undefined,
    confidence !== undefined || margin !== undefined,
  ];
  if (given.filter(Boolean).length !== 1)
    throw usageError(
      'give exactly one of --size N, --percent P, or --confidence C with --margin M',
    );
  if (size !== undefined) {
    if (!/^\d+$/.test(size) || Number(size) < 1 || Number(size) > 10_000_000)
      throw usageError('--size must be a whole number from 1 to 10000000');
    return { method: 'size', size: Number(size) };
  }
  if (percent !== undefined) {
    if (!(percent > 0 && percent <= 100))
      throw usageError('--percent must be above 0 and at most 100');
    return { method: 'percent', percent };
  }
  if (confidence === undefined || margin === undefined)
    throw usageError('--confidence and --margin go together');
  if (!['90', '95', '99'].includes(confidence))
    throw usageError('--confidence must be 90, 95 or 99');
  if (!(margin >= 0.1 && margin <= 50))
    throw usageError('--margin is in percentage points from 0.1 to 50 (5 means ±5 %)');
  return {
    method: 'statistical',
    confidence: Number(confidence) as ConfidenceLevel,
    marginPercent: margin,
  };
}
