import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../../shared/api';
import { counterText, resultLines } from './job-text';

const base: JobEvent = {
  jobId: 'j1',
  kind: 'import',
  workspaceId: 'w1',
  state: 'succeeded',
  progress: { done: 1, total: 1, unit: 'bundles', counters: {}, rate: null, message: '' },
};

describe('job texts', () => {
  it('humanizes counters', () => {
    expect(counterText('bytesTotal', 645_408)).toBe('630.3 KiB total');
    expect(counterText('bytes', 10)).toBe('10 B');
    expect(counterText('bundlesAdded', 1234)).toBe('1,234 bundles added');
  });
  it('names refused files and says what to do', () => {
    const lines = resultLines({
      ...base,
      result: {
        imported: [{ name: 'a.otbundle', bundleId: 'b', entries: 1 }],
        rejected: [{ name: 'x.otbundle', reason: 'signature: does not verify' }],
        entriesAdded: 1,
      },
    });
    expect(lines.map((l) => l.text)).toEqual([
      'Imported 1 bundle (1 new entry).',
      'Refused x.otbundle: signature: does not verify',
      expect.stringMatching(/^Nothing from a refused file was stored/),
    ]);
    const failed = resultLines({
      ...base,
      kind: 'sync',
      state: 'failed',
      error: { code: 'runtime', message: 'HTTP 401' },
    });
    expect(failed[0]).toEqual({ text: 'HTTP 401', bad: true });
    expect(failed[1]!.text).toMatch(/Settings/);
  });
});
