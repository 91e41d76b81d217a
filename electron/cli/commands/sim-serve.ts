import { resolve } from 'node:path';
import { runtimeError, usageError } from '../../core/errors';
import { FaultSpecError, parseFaults, startSimServer, type SimServer } from '../../sim/server';
import { isoInstant, optionalInteger, optionalString } from '../args';
import type { Command } from '../command';
import { simError, TRAIL_FLAGS, TRAIL_OPTIONS, trailOptions } from './sim-options';

export const simServe: Command = {
  name: 'sim serve',
  usage: `sim serve [--port P] ${TRAIL_FLAGS} [--faults SPEC] [--dir DIR] [--now ISO] [--retention-days N] [--published N]`,
  summary:
    'runs the Otesse API simulator on 127.0.0.1; prints one JSON line {url, token, trustStore, ...}',
  positionals: 'none',
  options: {
    port: { type: 'string' },
    faults: { type: 'string' },
    dir: { type: 'string' },
    now: { type: 'string' },
    'retention-days': { type: 'string' },
    published: { type: 'string' },
    ...TRAIL_OPTIONS,
  },
  async run(args) {
    const port = optionalInteger(args, 'port', { min: 0, max: 65_535 }) ?? 0;
    const spec = optionalString(args, 'faults');
    let faults;
    try {
      faults = spec === undefined ? undefined : parseFaults(spec);
    } catch (error) {
      throw usageError(`--faults: ${(error as Error).message}`);
    }
    // Listen for the signals before anything else: without a listener, a SIGTERM arriving just
    // after the start line would kill the process before it could remove its files.
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const removeHandlers = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const now = optionalString(args, 'now');
    const dir = optionalString(args, 'dir');
    let server: SimServer;
    try {
      server = await startSimServer({
        ...trailOptions(args),
        port,
        faults,
        dir: dir === undefined ? undefined : resolve(dir),
        now: now === undefined ? undefined : isoInstant(args, 'now', now),
        retentionDays: optionalInteger(args, 'retention-days', { min: 0, max: 36_500 }),
        published: optionalInteger(args, 'published', { min: 0, max: 36_500 }),
      });
    } catch (error) {
      removeHandlers();
      if (error instanceof FaultSpecError) throw usageError(`--faults: ${error.message}`);
      const e = simError(error) as NodeJS.ErrnoException;
      if (e.code === 'EADDRINUSE')
        throw runtimeError(`port ${port} on 127.0.0.1 is already in use`);
      if (typeof e.syscall === 'string')
        throw runtimeError(`simulator cannot start: ${e.code ?? e.message}`);
      throw e;
    }
    const descriptors = server.descriptors();
    // The one line a script reads; the tokens are the simulator's own throwaway secrets.
    const line = {
      url: server.url,
      token: server.token,
      tokenWithoutScope: server.tokenWithoutScope,
      trustStore: server.trustStore,
      dir: server.dir,
      groundTruth: server.groundTruth,
      tenant: server.tenant,
      bundles: descriptors.length,
      archived: descriptors.filter((d) => d.archived).length,
      entries: server.entries,
      now: server.now(),
      rotatedAt: server.rotatedAt,
      faults: spec ?? null,
      pid: process.pid,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    await stopped;
    removeHandlers();
    await server.close();
    return { json: line, text: '', exitCode: 0, printed: true };
  },
};
