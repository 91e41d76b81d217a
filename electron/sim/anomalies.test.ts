import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../shared/entry';
import { ANOMALY_KINDS, THRESHOLDS, type AnomalyKind } from './anomalies';
import { detect } from './test-support';
import { Simulation, type SimulationOptions } from './trail';

function run(options: SimulationOptions) {
  const sim = new Simulation(options);
  const entries = [...sim.entries()];
  return { sim, entries, byId: new Map(entries.map((e) => [e.id, e])) };
}

const ACTION: Record<AnomalyKind, string> = {
  night_login_new_ip: 'auth.login',
  failed_login_burst: 'auth.login_failed',
  bulk_cancellation: 'booking.cancelled',
  role_escalation: 'user.role_changed',
  mfa_disabled: 'auth.mfa_disabled',
  invoice_void_burst: 'invoice.voided',
};

describe('planted unusual activity', () => {
  it.each([
    ['a', 30, 120],
    ['b', 31, 40],
    ['c', 45, 300],
    ['tiny', 30, 1],
  ])(
    'seed %s, %i days x %i: every kind at least once, and the ground truth is exactly what the definitions find',
    (seed, days, perDay) => {
      const { sim, entries, byId } = run({ seed, days, perDay });
      const timeZone = sim.tenant.timeZone;
      for (const kind of ANOMALY_KINDS)
        expect(sim.groundTruth.filter((g) => g.kind === kind).length, kind).toBeGreaterThanOrEqual(
          1,
        );
      expect(sim.groundTruth).toHaveLength(sim.planned.length);

      for (const occurrence of sim.groundTruth) {
        const found = occurrence.entryIds.map((id) => byId.get(id)!);
        expect(found.every((e) => e !== undefined && e.action === ACTION[occurrence.kind])).toBe(
          true,
        );
        expect(found.map((e) => e.seq)).toEqual(occurrence.seqs);
        expect(occurrence.from).toBe(found[0]!.occurredAt);
        expect(occurrence.to).toBe(found[found.length - 1]!.occurredAt);
        expect(DateTime.fromISO(occurrence.from, { zone: timeZone }).toISODate()).toBe(
          occurrence.day,
        );
        expect(occurrence.description.length).toBeGreaterThan(10);
        const span = Date.parse(occurrence.to) - Date.parse(occurrence.from);
        if (occurrence.kind === 'failed_login_burst') {
          expect(found.length).toBeGreaterThanOrEqual(THRESHOLDS.failedLogins.count);
          expect(span).toBeLessThan(THRESHOLDS.failedLogins.windowMs);
          expect(new Set(found.map((e) => e.entity.id)).size).toBe(1);
        }
        if (occurrence.kind === 'bulk_cancellation') {
          expect(found.length).toBeGreaterThanOrEqual(THRESHOLDS.cancellations.count);
          expect(span).toBeLessThan(THRESHOLDS.cancellations.windowMs);
          expect(new Set(found.map((e) => e.actor.id))).toEqual(new Set([occurrence.actorId]));
        }
        if (occurrence.kind === 'invoice_void_burst') {
          expect(found.length).toBeGreaterThanOrEqual(THRESHOLDS.voids.count);
          expect(span).toBeLessThan(THRESHOLDS.voids.windowMs);
          expect(new Set(found.map((e) => e.actor.id))).toEqual(new Set([occurrence.actorId]));
        }
        if (occurrence.kind === 'night_login_new_ip') {
          expect(DateTime.fromISO(occurrence.from, { zone: timeZone }).hour).toBeLessThan(
            THRESHOLDS.nightHours[1],
          );
        }
      }

      // Every match of a definition overlaps a planted occurrence of that kind, and every planted
      // occurrence is matched: background activity never crosses a threshold on its own.
      const planted = new Map(
        ANOMALY_KINDS.map((k) => [
          k,
          new Set(sim.groundTruth.filter((g) => g.kind === k).flatMap((g) => g.entryIds)),
        ]),
      );
      const matches = detect(entries, timeZone);
      for (const match of matches)
        expect(
          match.entryIds.some((id) => planted.get(match.kind)!.has(id)),
          `${match.kind} ${match.entryIds}`,
        ).toBe(true);
      const matched = new Set(matches.flatMap((m) => m.entryIds));
      for (const occurrence of sim.groundTruth)
        for (const id of occurrence.entryIds) expect(matched).toContain(id);
    },
  );

  it('plants one occurrence of each kind per 30 days, on the seeded days', () => {
    const sim = new Simulation({ seed: 'ninety', days: 90, perDay: 20 });
    for (const kind of ANOMALY_KINDS) {
      const days = sim.planned.filter((p) => p.kind === kind).map((p) => p.dayIndex);
      expect(days).toHaveLength(3);
      days.forEach((day, i) => expect(Math.floor(day / 30)).toBe(i));
    }
    expect(new Simulation({ seed: 'ninety', days: 90, perDay: 20 }).planned).toEqual(sim.planned);
    expect(new Simulation({ seed: 'other', days: 90, perDay: 20 }).planned).not.toEqual(
      sim.planned,
    );
  });

  it('plants nothing with anomalies: false, and no definition matches the trail', () => {
    for (const seed of [1, 2, 3]) {
      const { sim, entries } = run({ seed, days: 30, perDay: 150, anomalies: false });
      expect(sim.planned).toEqual([]);
      expect(sim.groundTruth).toEqual([]);
      expect(detect(entries, sim.tenant.timeZone)).toEqual([]);
    }
  });

  it('keeps background bursts below the thresholds even at high volume', () => {
    const { sim, entries } = run({
      seed: 'busy',
      days: 2,
      perDay: 10_000,
      startDate: '2026-03-10',
      anomalies: false,
    });
    expect(entries.length).toBeGreaterThan(15_000);
    expect(detect(entries, sim.tenant.timeZone)).toEqual([]);
  });

  it('uses never-seen addresses only in planted activity', () => {
    const { entries } = run({ seed: 'ips', days: 30, perDay: 80 });
    const foreign = (e: Entry) => e.ip?.startsWith('198.51.100.') === true;
    expect(
      entries
        .filter(foreign)
        .every((e) => e.action === 'auth.login' || e.action === 'auth.login_failed'),
    ).toBe(true);
  });
});
