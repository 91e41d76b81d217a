// Starts browser mode on a fresh temporary home and prints {url, origin, token, home} as one JSON
// line (for manual runs: `node bin/run-ts.mjs tests/e2e/serve-for-e2e.ts`).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserServer } from '../../electron/server';

const home = process.env.AUDIT_DESK_HOME ?? mkdtempSync(join(tmpdir(), 'audit-desk-e2e-'));
const server = await startBrowserServer({ home, demo: true });
console.log(JSON.stringify({ url: server.url, origin: server.origin, home }));
