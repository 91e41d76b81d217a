// Test fixtures: real keys, real entries, real bundle files in a per-test temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tenant } from '../../shared/bundle';
import type { Entry } from '../../shared/entry';
import { generateKeyPair, loadPrivateKey } from '../../electron/core/bundle/keys';
import { TrustStore, type TrustedKey } from '../../electron/core/bundle/trust-store';
import { BundleWriter, type WrittenBundle } from '../../electron/core/bundle/writer';

export const TENANT: Tenant = {
  id: 'ten_acme',
  name: 'Acme Cleaning',
  timeZone: 'America/New_York',
  plan: 'professional',
};

export function tempDir(prefix = 'audit-desk-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestKey {
  keyId: string;
  privateKeyPem: string;
  trusted: TrustedKey;
}

export function makeKey(keyId = 'otesse-test', overrides: Partial<TrustedKey> = {}): TestKey {
  const pair = generateKeyPair();
  return {
    keyId,
    privateKeyPem: pair.privateKeyPem,
    trusted: {
      keyId,
      algorithm: 'Ed25519',
      publicKey: pair.publicKeyBase64,
      validFrom: null,
      validTo: null,
      revoked: false,
      ...overrides,
    },
  };
}

export function trustOf(...keys: (TestKey | TrustedKey)[]): TrustStore {
  return new TrustStore(keys.map((k) => ('trusted' in k ? k.trusted : k)));
}

export const DAY_MS = 86_400_000;

/** ISO instant of the start of UTC day `day` counted from 2026-11-01. */
export function dayStart(day: number): string {
  return new Date(Date.parse('2026-11-01T00:00:00.000Z') + day * DAY_MS).toISOString();
}

export function makeEntry(seq: number, occurredAt: string, overrides: Partial<Entry> = {}): Entry {
  return {
    id: `01JDQ6Z3M8A2Q9V7${String(seq).padStart(10, '0')}`,
    seq,
    occurredAt,
    category: 'bookings',
    action: 'booking.cancelled',
    actor: { id: `usr_${seq % 7}`, name: 'Dana Reyes', email: 'dana@example.com', type: 'user' },
    entity: { type: 'booking', id: String(1000 + seq), label: `Booking #${1000 + seq}` },
    changes: [{ field: 'status', old: 'confirmed', new: 'cancelled' }],
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    metadata: {},
    ...overrides,
  };
}

/** `count` entries spread over UTC day `day`, seq from `firstSeq`. */
export function dayEntries(day: number, firstSeq: number, count: number): Entry[] {
  const start = Date.parse(dayStart(day));
  return Array.from({ length: count }, (_, i) =>
    makeEntry(
      firstSeq + i,
      new Date(start + Math.floor(((i + 0.5) * DAY_MS) / Math.max(count, 1))).toISOString(),
    ),
  );
}

export interface WriteOptions {
  key: TestKey;
  out: string;
  entries: Entry[];
  day: number;
  prevDigest?: string | null;
  tenant?: Tenant;
  issuedAt?: string;
}

/** Writes a one-day bundle for UTC day `day` with the given entries. */
export function writeDayBundle(options: WriteOptions): WrittenBundle {
  const writer = new BundleWriter({
    out: options.out,
    tenant: options.tenant ?? TENANT,
    periodStart: dayStart(options.day),
    periodEnd: dayStart(options.day + 1),
    prevDigest: options.prevDigest ?? null,
    keyId: options.key.keyId,
    privateKey: loadPrivateKey(options.key.privateKeyPem),
    issuedAt: options.issuedAt ?? dayStart(options.day + 1),
  });
  for (const entry of options.entries) writer.add(entry);
  return writer.finish();
}

/** A chain of one-day bundles, `perDay[i]` entries on day i, each naming its predecessor. */
export function writeChain(
  dir: string,
  key: TestKey,
  perDay: number[],
  tenant: Tenant = TENANT,
): WrittenBundle[] {
  const written: WrittenBundle[] = [];
  let seq = 1;
  perDay.forEach((count, day) => {
    written.push(
      writeDayBundle({
        key,
        out: join(dir, `day-${String(day).padStart(2, '0')}.otbundle`),
        entries: dayEntries(day, seq, count),
        day,
        prevDigest: written[written.length - 1]?.digest ?? null,
        tenant,
      }),
    );
    seq += count;
  });
  return written;
}
