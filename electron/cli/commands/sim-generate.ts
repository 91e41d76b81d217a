import { resolve } from 'node:path';
import { runtimeError } from '../../core/errors';
import { generateTrail } from '../../sim/generate';
import { requiredString } from '../args';
import type { Command } from '../command';
import { simError, TRAIL_FLAGS, TRAIL_OPTIONS, trailOptions } from './sim-options';

export const simGenerate: Command = {
  name: 'sim generate',
  usage: `sim generate --out DIR ${TRAIL_FLAGS}`,
  summary:
    'writes a simulated tenant trail as signed day bundles, trust.json and ground-truth.json',
  positionals: 'none',
  options: { out: { type: 'string' }, ...TRAIL_OPTIONS },
  run(args) {
    const outDir = resolve(requiredString(args, 'out'));
    const options = trailOptions(args);
    let trail;
    try {
      trail = generateTrail({ ...options, outDir });
    } catch (error) {
      const e = simError(error) as NodeJS.ErrnoException;
      if (typeof e.syscall === 'string')
        throw runtimeError(`cannot write ${outDir}: ${e.code ?? e.message}`);
      throw e;
    }
    const files = trail.bundles.map((b) => b.out);
    return {
      json: {
        out: outDir,
        tenant: trail.tenant,
        bundles: files.length,
        entries: trail.entries,
        trustStore: trail.trustStore,
        groundTruth: trail.groundTruthFile,
        anomalies: trail.groundTruth.length,
        rotatedAt: trail.rotatedAt,
        files,
      },
      text:
        `${files.length} bundles, ${trail.entries} entries of ${trail.tenant.name} (${trail.tenant.id}, ${trail.tenant.timeZone}, ${trail.tenant.plan})\n` +
        `  bundles       ${outDir}\n  trust store   ${trail.trustStore}\n  ground truth  ${trail.groundTruthFile ?? '-'} (${trail.groundTruth.length} planted occurrences)\n`,
      exitCode: 0,
    };
  },
};
