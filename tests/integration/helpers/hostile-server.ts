// A hostile Otesse API for sync tests, over real HTTP on 127.0.0.1: each test gives a handler that
// answers however it likes (short bodies, endless listings, the token echoed back...), with a
// simulator's signed bundles and trust store at hand to serve real data when it needs to.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BundleDescriptor } from '../../../shared/otesse-api';
import type { SimServer } from '../../../electron/sim/server';

export type HostileHandler = (
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  n: number,
) => void;

export interface HostileServer {
  url: string;
  /** Requests received so far. */
  requests(): number;
  close(): Promise<void>;
}

export async function startHostileServer(handler: HostileHandler): Promise<HostileServer> {
  let n = 0;
  const server = createServer((req, res) => {
    n++;
    handler(new URL(req.url ?? '/', 'http://127.0.0.1'), req, res, n);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => n,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The bearer token the client sent (what a hostile server would echo back). */
export function tokenOf(req: IncomingMessage): string {
  return String(req.headers.authorization ?? '').replace(/^Bearer /, '');
}

/** The simulator's keys as `GET /v1/audit/keys` lists them. */
export function simKeys(sim: SimServer): {
  keys: {
    keyId: string;
    algorithm: 'Ed25519';
    publicKey: string;
    validFrom: null;
    validTo: null;
  }[];
} {
  const store = JSON.parse(readFileSync(sim.trustStore, 'utf8')) as {
    keys: { keyId: string; publicKey: string }[];
  };
  return {
    keys: store.keys.map((k) => ({
      keyId: k.keyId,
      algorithm: 'Ed25519' as const,
      publicKey: k.publicKey,
      validFrom: null,
      validTo: null,
    })),
  };
}

/** Bundle `i` of the simulator's catalog, as listed (not archived). */
export function simDescriptor(sim: SimServer, i: number): BundleDescriptor {
  return { ...sim.catalog[i]!.descriptor, archived: false };
}

export function simBytes(sim: SimServer, i: number): Buffer {
  return readFileSync(sim.catalog[i]!.path);
}

/** Every file under `dir` (recursively) with its bytes: to look for a token anywhere. */
export function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, bytes: readFileSync(path) });
  }
  return out;
}
