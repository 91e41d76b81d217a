// A small, varied workspace for the search tests (not shipped code): real signed bundles imported
// into a real SQLite file. The tenant is in New York and day 0 is 2026-11-01, the day DST ends
// there (a local day of 25 hours, 04:00Z to 05:00Z the next day); times sit on both sides of the
// local midnights around it. Actors keep one name per id, as Otesse's do.
import Database, { type Database as Db } from 'better-sqlite3';
import { join } from 'node:path';
import type { Tenant } from '../../shared/bundle';
import type { Entry } from '../../shared/entry';
import { mulberry32 } from '../../shared/seeded-random';
import {
  dayStart,
  makeEntry,
  makeKey,
  tempDir,
  trustOf,
  writeDayBundle,
  DAY_MS,
  TENANT,
} from './bundles';
import type { WrittenBundle } from '../../electron/core/bundle/writer';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/database';
import { importBundleFile } from '../../electron/core/workspace/import';
import { migrate } from '../../electron/core/workspace/migrations';

export const ACTORS: Entry['actor'][] = [
  { id: 'usr_1', name: 'Dana Reyes', email: 'dana@example.com', type: 'user' },
  { id: 'usr_2', name: 'Émile Dupré', email: 'Emile.Dupre@EXAMPLE.com', type: 'user' },
  { id: 'usr_3', name: 'Lee Park', email: 'lee@example.com', type: 'user' },
  { id: 'system', name: 'System', email: null, type: 'system' },
  { id: 'key_7', name: 'Zapier integration', email: null, type: 'api_key' },
];

export const KINDS: { category: Entry['category']; action: string; entity: string }[] = [
  { category: 'bookings', action: 'booking.cancelled', entity: 'booking' },
  { category: 'bookings', action: 'booking.rescheduled', entity: 'booking' },
  { category: 'authentication', action: 'auth.login', entity: 'session' },
  { category: 'authentication', action: 'auth.login_failed', entity: 'session' },
  { category: 'authentication', action: 'auth.mfa_disabled', entity: 'user' },
  { category: 'invoices', action: 'invoice.voided', entity: 'invoice' },
  { category: 'settings', action: 'settings.branding_updated', entity: 'settings' },
  { category: 'users', action: 'user.role_changed', entity: 'user' },
  { category: 'zones', action: 'zone.boundaries_updated', entity: 'zone' },
];

export const IPS: (string | null)[] = [
  '203.0.113.7',
  '203.0.113.200',
  '203.0.114.9',
  '198.51.100.23',
  '10.0.16.5',
  '10.0.31.255',
  '10.0.32.1',
  '::ffff:203.0.113.9',
  '2001:db8::1',
  '2001:db8:1::5',
  '2001:db80::1',
  'fe80::1',
  null,
];

export const LABELS = ['Zone Élysée', 'Booking #1234', 'Acme HQ'];

/** Texts for the full-text tests: changes of every JSON kind, agents, metadata. */
export const CHANGES: Entry['changes'][] = [
  [{ field: 'status', old: 'confirmed', new: 'cancelled' }],
  [{ field: 'notes', old: null, new: 'Customer asked for a refund' }],
  [{ field: 'price', old: 120, new: 95.5 }],
  [{ field: 'scheduledAt', old: '2026-11-03T14:00:00.000Z', new: '2026-11-04T09:30:00.000Z' }],
  [
    {
      field: 'address',
      old: { street: "12 Rue de l'Église", city: 'Montréal' },
      new: { street: '4 Hoffmann Straße', city: 'Köln' },
    },
  ],
  [],
  [{ field: 'email', old: 'lee@example.com', new: 'lee.park@example.org' }],
  [{ field: 'active', old: true, new: false }],
];

export const AGENTS: (string | null)[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'OtesseMobile/4.2 (Android 14)',
  'curl/8.4.0',
  null,
];

export const METADATA: Entry['metadata'][] = [
  {},
  { source: 'web' },
  { source: 'api', reason: 'Refund approved by Hoffmann' },
  { labels: ['vip', 'b2b'], attempt: 2 },
];

/** UTC offsets into a day (ms) where local midnights fall in New York around the DST change. */
const EDGES = [4 * 3_600_000 - 1, 4 * 3_600_000, 4.5 * 3_600_000, 5 * 3_600_000 - 1, 5 * 3_600_000];

export function fixtureEntries(days: number, perDay: number, seed = 7): Entry[][] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // Text fields draw from their own generator, so the structured fields stay as they were.
  const textRandom = mulberry32(seed * 7919 + 1);
  const pickText = <T>(list: readonly T[]): T => list[Math.floor(textRandom() * list.length)]!;
  let seq = 1;
  const out: Entry[][] = [];
  for (let day = 0; day < days; day++) {
    const start = Date.parse(dayStart(day));
    const times = [
      ...EDGES,
      ...Array.from({ length: perDay - EDGES.length }, () => Math.floor(random() * DAY_MS)),
    ].sort((a, b) => a - b);
    out.push(
      times.map((offset) => {
        const kind = pick(KINDS);
        const id = String(1000 + Math.floor(random() * 40));
        const label =
          random() < 0.15
            ? pick(LABELS)
            : `${kind.entity[0]!.toUpperCase()}${kind.entity.slice(1)} #${id}`;
        return makeEntry(seq++, new Date(start + offset).toISOString(), {
          category: kind.category,
          action: kind.action,
          actor: pick(ACTORS),
          entity: { type: kind.entity, id, label },
          ip: pick(IPS),
          changes: pickText(CHANGES),
          userAgent: pickText(AGENTS),
          metadata: {
            ...pickText(METADATA),
            requestId: `req_${Math.floor(textRandom() * 36 ** 6).toString(36)}`,
          },
        });
      }),
    );
  }
  return out;
}

export interface Fixture {
  ws: Workspace;
  entries: Entry[];
  remove(): void;
}

/** Imports `days` one-day bundles of `perDay` entries into a fresh workspace. */
export async function buildFixture(days = 5, perDay = 24, seed = 7): Promise<Fixture> {
  return workspaceOfDays(fixtureEntries(days, perDay, seed));
}

/**
 * A fresh workspace holding `perDay[d]` as the signed bundle of UTC day `d`, each chained to the
 * one before and imported in order (the search tests' fixtures and their variants).
 */
export async function workspaceOfDays(
  perDay: Entry[][],
  tenant: Tenant = TENANT,
): Promise<Fixture> {
  const dir = tempDir('audit-desk-search-');
  const key = makeKey('otesse-search');
  const written: WrittenBundle[] = [];
  perDay.forEach((entries, day) =>
    written.push(
      writeDayBundle({
        key,
        out: join(dir.path, `day-${day}.otbundle`),
        entries,
        day,
        prevDigest: written.at(-1)?.digest ?? null,
        tenant,
      }),
    ),
  );
  const ws = openWorkspace(join(dir.path, 'ws'), { create: true });
  for (const bundle of written) {
    const outcome = await importBundleFile(ws, bundle.out, {
      trust: trustOf(key),
      trustSource: 'test',
      source: 'file',
    });
    if (outcome.status !== 'imported') throw new Error(`fixture import failed: ${outcome.status}`);
  }
  return {
    ws,
    entries: perDay.flat(),
    remove: () => {
      ws.close();
      dir.remove();
    },
  };
}

/**
 * The fixture's rows in a new database at an older schema `version`: a workspace as an earlier
 * Audit Desk left it, for testing that a migration brings it to what a fresh import holds.
 */
export function copyAtSchemaVersion(fixture: Fixture, file: string, version: number): Db {
  const old = new Database(file);
  migrate(old, version);
  old.exec(`ATTACH DATABASE '${join(fixture.ws.dir, 'workspace.sqlite')}' AS fresh`);
  for (const table of ['tenant', 'bundles', 'entries', 'actors', 'trust_keys'])
    old.exec(`INSERT INTO main.${table} SELECT * FROM fresh.${table}`);
  old.exec('DETACH DATABASE fresh');
  return old;
}
