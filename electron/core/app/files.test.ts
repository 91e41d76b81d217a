import { describe, expect, it } from 'vitest';
import { ApiFailure } from './errors';
import { FileRefs } from './files';

describe('FileRefs: opened files and save locations are kept apart', () => {
  it('an opened file cannot be handed back as the place to write', () => {
    const files = new FileRefs();
    const opened = files.addPicked('/evidence/2026-03-07.otbundle');
    expect(files.resolve({ kind: 'picked', token: opened }).path).toBe(
      '/evidence/2026-03-07.otbundle',
    );
    expect(() => files.destination({ kind: 'picked', token: opened })).toThrow(ApiFailure);
    files.close();
  });

  it('a save location cannot be read as an input file', () => {
    const files = new FileRefs();
    const target = files.addSaveTarget('/evidence/pack.zip');
    expect(files.destination({ kind: 'picked', token: target })?.path).toBe('/evidence/pack.zip');
    expect(() => files.resolve({ kind: 'picked', token: target })).toThrow(ApiFailure);
    files.close();
  });

  it('a browser download needs no location, and unknown tokens are refused', () => {
    const files = new FileRefs();
    expect(files.destination({ kind: 'download' })).toBeNull();
    expect(() => files.resolve({ kind: 'picked', token: 'pick_unknown' })).toThrow(
      /no longer available/,
    );
    files.close();
  });
});
