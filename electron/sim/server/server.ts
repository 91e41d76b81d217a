// The Otesse API simulator (CONTRACTS.md §3, docs/otesse-api.md): a real node:http server on
// 127.0.0.1 serving a simulated tenant's signed day bundles, with bearer tokens, cursor pagination,
// strong ETags, Range/If-Range, 410 Gone beyond retention, the signing keys, and injectable faults.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RETENTION_DAYS, type Tenant } from '../../../shared/bundle';
import {
  API_PREFIX,
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  type ApiKeys,
  type BundleDescriptor,
  type BundlePage,
} from '../../../shared/otesse-api';
import { parseTrustFile } from '../../core/bundle/trust-store';
import { publicKeyOf } from '../../core/bundle/keys';
import { generateTrail, SIM_DEFAULTS, type TrailOptions } from '../generate';
import { derivedKey } from '../sim-keys';
import { AUDIT_SCOPE, newToken, Tokens } from './auth';
import { buildCatalog, type CatalogBundle } from './catalog';
import { decodeCursor, encodeCursor } from './cursor';
import { FaultDice, NO_FAULTS, parseFaults, type FaultSpec } from './faults';
import { evaluateRange, noneMatch } from './range';
import { sendError, sendFileRange, sendJson, type Reply } from './respond';

const DAY_MS = 86_400_000;
const HOST = '127.0.0.1';
/** Seed label of the public key the `rogue-key` fault advertises in place of the first signing key's. */
const ROGUE_KEY_SEED_LABEL = 'otesse-rogue-1';

export interface SimServerOptions extends TrailOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Write the bundles here and keep them; by default a temporary folder removed by close(). */
  dir?: string;
  /** `--faults` spec or a parsed one. */
  faults?: string | FaultSpec;
  /** The simulated "now" for retention (ISO instant); default: issue time of the newest published bundle. */
  now?: string;
  /** Override the plan's retention, in days. */
  retentionDays?: number;
  /** How many bundles (oldest first) are published at start; default all. See publish(). */
  published?: number;
  /** Fixed tokens instead of random ones (tests). */
  token?: string;
  tokenWithoutScope?: string;
}

export interface FaultEvent {
  method: string;
  url: string;
  attempt: number;
  fault: '429' | '500' | '503' | 'reset' | 'cut';
  /** For cut: bytes sent of the body's length. */
  sent?: number;
  length?: number;
}

export interface SimServer {
  url: string;
  port: number;
  token: string;
  tokenWithoutScope: string;
  trustStore: string;
  dir: string;
  groundTruth: string | null;
  tenant: Tenant;
  entries: number;
  rotatedAt: string | null;
  retentionDays: number;
  catalog: readonly CatalogBundle[];
  /** The listening socket's address, as the server reports it. */
  address(): AddressInfo;
  /** Number of bundles currently listed. */
  published(): number;
  /** Publishes the next `count` bundles (default 1), as if days passed; returns the new total. */
  publish(count?: number): number;
  /** The simulated clock retention is measured against. */
  now(): string;
  /** The full listing as a client would page through it. */
  descriptors(): BundleDescriptor[];
  /** Transport faults injected so far. */
  readonly faultLog: readonly FaultEvent[];
  close(): Promise<void>;
}

export async function startSimServer(options: SimServerOptions = {}): Promise<SimServer> {
  const faults =
    typeof options.faults === 'string'
      ? parseFaults(options.faults)
      : (options.faults ?? NO_FAULTS);
  const seed = options.seed ?? SIM_DEFAULTS.seed;
  const fixedNow = options.now === undefined ? null : Date.parse(options.now);
  if (fixedNow !== null && Number.isNaN(fixedNow))
    throw new RangeError('now must be an ISO 8601 instant');
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'audit-desk-sim-'));
  const removeDir = () => {
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const trail = generateTrail({ ...options, outDir: dir });
    const catalog = buildCatalog(trail, faults, seed, join(dir, 'served-faults'));
    const retentionDays = options.retentionDays ?? RETENTION_DAYS[trail.tenant.plan];
    if (!(Number.isInteger(retentionDays) && retentionDays >= 0))
      throw new RangeError('retentionDays must be 0 or more');
    let published = options.published ?? catalog.length;
    if (!(Number.isInteger(published) && published >= 0 && published <= catalog.length)) {
      throw new RangeError(`published must be from 0 to ${catalog.length}`);
    }
    const state: State = {
      catalog,
      ids: catalog.map((b) => b.descriptor.id),
      published: () => published,
      nowMs: () =>
        fixedNow ??
        (published > 0
          ? catalog[published - 1]!.issuedAtMs
          : Date.parse(trail.bundles[0]?.manifest.periodStart ?? '2026-01-01T00:00:00Z')),
      retentionMs: retentionDays * DAY_MS,
      retentionDays,
      plan: trail.tenant.plan,
      tokens: new Tokens(
        options.token ?? newToken('audit'),
        options.tokenWithoutScope ?? newToken('noscope'),
      ),
      dice: new FaultDice(seed, faults),
      keys: apiKeys(
        trail.trustStore,
        faults.rogueKey ? publicKeyOf(derivedKey(seed, ROGUE_KEY_SEED_LABEL)) : null,
      ),
      faultLog: [],
    };
    const server = createServer((req, res) => {
      handle(state, req, res).catch(() => {
        if (!res.headersSent)
          sendError({ res, head: false, cutAfter: null }, 500, 'server_error', 'internal error');
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 5_000;
    const port = await listen(server, options.port ?? 0);
    let closed: Promise<void> | null = null;
    return {
      url: `http://${HOST}:${port}`,
      port,
      token: state.tokens.token,
      tokenWithoutScope: state.tokens.tokenWithoutScope,
      trustStore: trail.trustStore,
      dir,
      groundTruth: trail.groundTruthFile,
      tenant: trail.tenant,
      entries: trail.entries,
      rotatedAt: trail.rotatedAt,
      retentionDays,
      catalog,
      address: () => server.address() as AddressInfo,
      published: () => published,
      publish(count = 1) {
        published = Math.min(catalog.length, published + Math.max(0, count));
        return published;
      },
      now: () => new Date(state.nowMs()).toISOString(),
      descriptors: () => catalog.slice(0, published).map((b) => describe(state, b)),
      faultLog: state.faultLog,
      close() {
        closed ??= new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }).then(removeDir);
        return closed;
      },
    };
  } catch (error) {
    removeDir();
    throw error;
  }
}

interface State {
  catalog: readonly CatalogBundle[];
  ids: readonly string[];
  published(): number;
  nowMs(): number;
  retentionMs: number;
  retentionDays: number;
  plan: string;
  tokens: Tokens;
  dice: FaultDice;
  keys: ApiKeys;
  faultLog: FaultEvent[];
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function apiKeys(trustStore: string, roguePublicKey: string | null): ApiKeys {
  const keys = parseTrustFile(readFileSync(trustStore, 'utf8'), trustStore).map((key, i) => ({
    keyId: key.keyId,
    algorithm: 'Ed25519' as const,
    publicKey: i === 0 && roguePublicKey !== null ? roguePublicKey : key.publicKey,
    validFrom: key.validFrom ?? null,
    validTo: key.validTo ?? null,
  }));
  return { keys };
}

function isArchived(state: State, bundle: CatalogBundle): boolean {
  return bundle.periodEndMs + state.retentionMs <= state.nowMs();
}

function describe(state: State, bundle: CatalogBundle): BundleDescriptor {
  return { ...bundle.descriptor, archived: isArchived(state, bundle) };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function handle(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const reply: Reply = { res, head: method === 'HEAD', cutAfter: null };
  const url = new URL(req.url ?? '/', `http://${HOST}`);
  if (method !== 'GET' && method !== 'HEAD') {
    sendError(
      reply,
      405,
      'bad_request',
      `method ${method} is not allowed; the audit API is read-only`,
      {
        allow: 'GET, HEAD',
      },
    );
    return;
  }
  const auth = state.tokens.check(req.headers.authorization);
  if (auth === 'unauthorized') {
    sendError(reply, 401, 'unauthorized', 'missing or invalid bearer token', {
      'www-authenticate': 'Bearer realm="otesse-audit"',
    });
    return;
  }
  if (auth === 'forbidden') {
    sendError(reply, 403, 'forbidden', `the token lacks the ${AUDIT_SCOPE} scope`, {
      'www-authenticate': `Bearer realm="otesse-audit", error="insufficient_scope", scope="${AUDIT_SCOPE}"`,
    });
    return;
  }

  const target = `${url.pathname}${url.search}`;
  const decision = state.dice.decide(`${method} ${target}`);
  const log = (event: Omit<FaultEvent, 'method' | 'url' | 'attempt'>) =>
    state.faultLog.push({ method, url: target, attempt: decision.attempt, ...event });
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
  if (res.destroyed) return;
  if (decision.replace === 'reset') {
    log({ fault: 'reset' });
    req.socket.resetAndDestroy();
    return;
  }
  if (decision.replace !== null) {
    log({ fault: decision.replace });
    faultResponse(state, reply, decision.replace, decision.retryAfterForm);
    return;
  }
  if (decision.cutAfter !== null) {
    reply.cutAfter = decision.cutAfter;
    reply.onCut = (sent, length) => log({ fault: 'cut', sent, length });
  }

  if (url.pathname === `${API_PREFIX}/bundles`) return listBundles(state, reply, url.searchParams);
  if (url.pathname === `${API_PREFIX}/keys`) return sendJson(reply, 200, state.keys);
  const match = new RegExp(`^${API_PREFIX}/bundles/([^/]+)$`).exec(url.pathname);
  if (match !== null) {
    // A malformed percent-encoding names no bundle: 404, not a 500 from the thrown URIError.
    let id: string;
    try {
      id = decodeURIComponent(match[1]!);
    } catch {
      return sendError(reply, 404, 'not_found', 'no such bundle');
    }
    return getBundle(state, reply, req, id);
  }
  sendError(reply, 404, 'not_found', `no such endpoint: ${url.pathname}`);
}

function faultResponse(
  state: State,
  reply: Reply,
  status: '429' | '500' | '503',
  form: 'seconds' | 'date',
): void {
  if (status === '429') {
    const seconds = state.dice.spec.retryAfterSeconds;
    const retryAfter =
      form === 'seconds'
        ? String(seconds)
        : new Date(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000).toUTCString();
    sendError(reply, 429, 'rate_limited', `rate limit exceeded; retry after ${seconds} s`, {
      'retry-after': retryAfter,
    });
  } else if (status === '503') {
    sendError(reply, 503, 'server_error', 'service temporarily unavailable');
  } else {
    sendError(reply, 500, 'server_error', 'internal server error');
  }
}

function listBundles(state: State, reply: Reply, params: URLSearchParams): void {
  let limit = DEFAULT_PAGE_LIMIT;
  const limitParam = params.get('limit');
  if (limitParam !== null) {
    limit = /^\d{1,7}$/.test(limitParam) ? Number(limitParam) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE_LIMIT)) {
      sendError(
        reply,
        400,
        'bad_request',
        `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}`,
      );
      return;
    }
  }
  const published = state.published();
  let start = 0;
  const after = params.get('after');
  if (after !== null) {
    const index = decodeCursor(after, state.ids.slice(0, published));
    if (index === null) {
      sendError(
        reply,
        400,
        'bad_request',
        'the cursor is not valid; pass a nextCursor from an earlier page, or no cursor to start over',
      );
      return;
    }
    start = index + 1;
  }
  const page = state.catalog.slice(start, Math.min(published, start + limit));
  const end = start + page.length;
  const body: BundlePage = {
    bundles: page.map((b) => describe(state, b)),
    nextCursor: end < published ? encodeCursor(end - 1, state.ids[end - 1]!) : null,
  };
  sendJson(reply, 200, body);
}

function getBundle(state: State, reply: Reply, req: IncomingMessage, id: string): void {
  const index = state.ids.indexOf(id);
  const bundle = index === -1 || index >= state.published() ? undefined : state.catalog[index]!;
  if (bundle === undefined) {
    sendError(reply, 404, 'not_found', `no bundle ${id}`);
    return;
  }
  if (bundle.scenario === 'missing') {
    sendError(
      reply,
      404,
      'not_found',
      `bundle ${id} is listed but its file is missing on the server`,
    );
    return;
  }
  if (isArchived(state, bundle)) {
    sendError(
      reply,
      410,
      'archived',
      `bundle ${id} (${bundle.day}) is older than the ${state.retentionDays}-day retention of the ${state.plan} plan and has been archived; request the archived bundle file from Otesse support and open it in Audit Desk`,
    );
    return;
  }
  const { size } = bundle.descriptor;
  const headers = {
    etag: bundle.etag,
    'last-modified': bundle.lastModified,
    'accept-ranges': 'bytes',
    'cache-control': 'private, no-cache',
  };
  if (noneMatch(req.headers['if-none-match'], bundle.etag)) {
    reply.res.writeHead(304, headers);
    reply.res.end();
    return;
  }
  const range = evaluateRange(size, bundle, header(req, 'range'), header(req, 'if-range'));
  if (range.kind === 'unsatisfiable') {
    sendError(reply, 416, 'bad_request', `range not satisfiable: the bundle has ${size} bytes`, {
      ...headers,
      'content-range': `bytes */${size}`,
    });
    return;
  }
  const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, size - 1];
  reply.res.writeHead(range.kind === 'partial' ? 206 : 200, {
    ...headers,
    'content-type': 'application/octet-stream',
    'content-disposition': `attachment; filename="${bundle.fileName}"`,
    'content-length': end - start + 1,
    ...(range.kind === 'partial' ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  });
  sendFileRange(reply, bundle.path, start, end);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
