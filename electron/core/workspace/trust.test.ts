// Trust store resolution: --trust alone; otherwise the configured store ($AUDIT_DESK_TRUST or the
// pinned one) decides every key it knows, and the workspace's recorded keys only fill in the rest.
// A revocation or expiry in the configured store is never overridden by what a workspace recorded.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrustedKey } from '../bundle/trust-store';
import { dayStart, makeKey, tempDir, trustOf, writeChain } from '../../../tests/helpers/bundles';
import { openWorkspace, type Workspace } from './database';
import { importBundleFile } from './import';
import { configuredTrust, PINNED_TRUST_STORE, resolveTrust } from './trust';

const key = makeKey('otesse-trust');
const other = makeKey('otesse-other');

let dir: { path: string; remove(): void };
let ws: Workspace;
const path = (name: string) => join(dir.path, name);

function trustFile(name: string, ...keys: TrustedKey[]): string {
  writeFileSync(path(name), JSON.stringify({ version: 1, keys }));
  return path(name);
}

/** A workspace that recorded `key` as valid, from an import with an explicit trust store. */
async function workspaceThatRecordedKey(): Promise<string[]> {
  const chain = writeChain(dir.path, key, [2, 2, 2]).map((b) => b.out);
  const outcome = await importBundleFile(ws, chain[0]!, {
    trust: trustOf(key),
    trustSource: 'given.json',
    source: 'file',
  });
  expect(outcome.status).toBe('imported');
  return chain;
}

beforeEach(() => {
  dir = tempDir('audit-desk-trust-');
  ws = openWorkspace(path('ws'), { create: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
  ws.close();
  dir.remove();
});

describe('resolveTrust', () => {
  it('--trust is used alone: recorded keys are not added', async () => {
    await workspaceThatRecordedKey();
    const given = trustFile('given.json', other.trusted);
    const resolved = resolveTrust(given, ws);
    expect(resolved.source).toBe(given);
    expect(resolved.trust.list()).toEqual([other.trusted]);
  });

  it('without --trust: the configured store, plus recorded keys it does not know', async () => {
    await workspaceThatRecordedKey();
    const configured = trustFile('configured.json', other.trusted);
    vi.stubEnv('AUDIT_DESK_TRUST', configured);
    const resolved = resolveTrust(undefined, ws);
    expect(resolved.source).toBe(`${configured} + workspace`);
    expect(resolved.trust.list()).toEqual([other.trusted, key.trusted]);
    expect(resolved.trust.check(key.keyId, dayStart(1)).ok).toBe(true);
  });

  it('an empty configured store: the recorded keys, source "workspace"', async () => {
    await workspaceThatRecordedKey();
    vi.stubEnv('AUDIT_DESK_TRUST', trustFile('empty.json'));
    const resolved = resolveTrust(undefined, ws);
    expect(resolved.source).toBe('workspace');
    expect(resolved.trust.list()).toEqual([key.trusted]);
  });

  it('a key the configured store revokes stays revoked, though the workspace recorded it as valid', async () => {
    const chain = await workspaceThatRecordedKey();
    vi.stubEnv('AUDIT_DESK_TRUST', trustFile('revoked.json', { ...key.trusted, revoked: true }));
    const { trust, source } = resolveTrust(undefined, ws);
    expect(trust.check(key.keyId, dayStart(2))).toMatchObject({ ok: false, cause: 'revoked_key' });
    const outcome = await importBundleFile(ws, chain[1]!, {
      trust,
      trustSource: source,
      source: 'file',
    });
    expect(outcome).toMatchObject({ status: 'rejected', cause: 'revoked_key' });
    // and the recorded key was not touched by the refused import
    expect(ws.db.prepare('SELECT revoked, source FROM trust_keys').all()).toEqual([
      { revoked: 0, source: 'given.json' },
    ]);
  });

  it('a key the configured store lets expire is expired, whatever validity the workspace recorded', async () => {
    const chain = await workspaceThatRecordedKey();
    const validTo = dayStart(2);
    vi.stubEnv('AUDIT_DESK_TRUST', trustFile('expiring.json', { ...key.trusted, validTo }));
    const { trust, source } = resolveTrust(undefined, ws);
    // Day 1's bundle is issued at the start of day 2: exactly when the key stopped being valid.
    const outcome = await importBundleFile(ws, chain[1]!, {
      trust,
      trustSource: source,
      source: 'file',
    });
    expect(outcome).toMatchObject({ status: 'rejected', cause: 'expired_key' });
  });

  it('the configured store also decides the public key of a key id it knows', async () => {
    await workspaceThatRecordedKey();
    const replaced = { ...other.trusted, keyId: key.keyId };
    vi.stubEnv('AUDIT_DESK_TRUST', trustFile('replaced.json', replaced));
    expect(resolveTrust(undefined, ws).trust.list()).toEqual([replaced]);
  });

  it('a configured store that is missing or invalid is an error even when the workspace recorded keys', async () => {
    await workspaceThatRecordedKey();
    vi.stubEnv('AUDIT_DESK_TRUST', path('missing.json'));
    expect(() => resolveTrust(undefined, ws)).toThrow('no trust store: pass --trust PATH');
    writeFileSync(path('broken.json'), '{');
    vi.stubEnv('AUDIT_DESK_TRUST', path('broken.json'));
    expect(() => resolveTrust(undefined, ws)).toThrow(/^cannot load trust store: /);
  });

  it('without $AUDIT_DESK_TRUST the pinned store is the configured one', () => {
    vi.stubEnv('AUDIT_DESK_TRUST', undefined);
    expect(configuredTrust(undefined)).toMatchObject({
      source: PINNED_TRUST_STORE,
      explicit: false,
    });
  });
});
