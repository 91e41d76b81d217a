// `audit-desk serve`: browser mode (docs/browser-mode.md). Serves the built renderer and the
// AuditApi on 127.0.0.1 and prints the address to open, which carries this run's token in its
// fragment; runs until Ctrl+C. The Otesse API token for sync comes from $OTESSE_API_TOKEN or the
// settings screen and is kept in memory only.
import { runtimeError } from '../../core/errors';
import { defaultHome } from '../../core/app';
import { startBrowserServer, type BrowserServer } from '../../server';
import { optionalInteger, optionalString } from '../args';
import type { Command } from '../command';

export const serve: Command = {
  name: 'serve',
  usage: 'serve [--workspace DIR] [--port P] [--home DIR] [--demo]',
  summary:
    'serves the UI in browser mode on 127.0.0.1; prints the address to open (with its token)',
  positionals: 'none',
  options: {
    workspace: { type: 'string' },
    port: { type: 'string' },
    home: { type: 'string' },
    demo: { type: 'boolean' },
  },
  async run(args) {
    const port = optionalInteger(args, 'port', { min: 0, max: 65_535 }) ?? 0;
    const home = optionalString(args, 'home') ?? defaultHome();
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const removeHandlers = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
    let server: BrowserServer;
    try {
      server = await startBrowserServer({
        home,
        port,
        workspace: optionalString(args, 'workspace'),
        demo: args.values.demo === true ? true : undefined,
      });
    } catch (error) {
      removeHandlers();
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'EADDRINUSE')
        throw runtimeError(`port ${port} on 127.0.0.1 is already in use`);
      throw error;
    }
    const line = {
      url: server.url,
      origin: server.origin,
      workspaceId: server.workspaceId,
      pid: process.pid,
    };
    if (args.values.json === true) process.stdout.write(`${JSON.stringify(line)}\n`);
    else {
      process.stdout.write(`${server.url}\n`);
      process.stderr.write(
        'audit-desk: browser mode: open the address above in Chromium; Ctrl+C stops\n',
      );
    }
    await stopped;
    removeHandlers();
    await server.close();
    return { json: line, text: '', exitCode: 0, printed: true };
  },
};
