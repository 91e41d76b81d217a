import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../shared/entry';
import { entrySchema } from '../../shared/entry-schema';
import { inconsistency } from './test-support';
import { Simulation, type SimulationOptions } from './trail';

function trail(options: SimulationOptions): { sim: Simulation; entries: Entry[] } {
  const sim = new Simulation(options);
  return { sim, entries: [...sim.entries()] };
}

describe('Simulation trail', () => {
  it('gives every entry the contract shape, seq 1.. without gaps, nondecreasing time, consistent state', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.string({ maxLength: 8 })),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 150 }),
        fc.boolean(),
        (seed, days, perDay, anomalies) => {
          const sim = new Simulation({ seed, days, perDay, anomalies });
          let previous: Entry | null = null;
          const ids = new Set<string>();
          const all: Entry[] = [];
          for (const day of sim.days()) {
            for (const entry of day.entries()) {
              expect(entrySchema.safeParse(entry).success, JSON.stringify(entry)).toBe(true);
              expect(entry.seq).toBe((previous?.seq ?? 0) + 1);
              const at = Date.parse(entry.occurredAt);
              expect(at >= Date.parse(day.periodStart) && at < Date.parse(day.periodEnd)).toBe(
                true,
              );
              if (previous !== null) {
                expect(entry.occurredAt >= previous.occurredAt).toBe(true);
                expect(entry.id > previous.id).toBe(true);
              }
              expect(entry.ip === null).toBe(entry.actor.type === 'system');
              expect(entry.userAgent === null).toBe(entry.actor.type === 'system');
              expect(entry.action.startsWith(`${entry.action.split('.')[0]}.`)).toBe(true);
              ids.add(entry.id);
              all.push(entry);
              previous = entry;
            }
          }
          expect(ids.size).toBe(all.length);
          expect(sim.entryCount).toBe(all.length);
          expect(inconsistency(all)).toBeNull();
        },
      ),
      { numRuns: 12 },
    );
  });

  it('keeps booking, invoice, user and settings state consistent over a long trail', () => {
    const { entries } = trail({ seed: 'consistency', days: 60, perDay: 250 });
    expect(entries.length).toBeGreaterThan(10_000);
    expect(inconsistency(entries)).toBeNull();
    const actions = new Set(entries.map((e) => e.action));
    for (const action of [
      'booking.created',
      'booking.updated',
      'booking.rescheduled',
      'booking.cancelled',
      'booking.completed',
      'invoice.generated',
      'invoice.sent',
      'invoice.paid',
      'invoice.voided',
      'invoice.refunded',
      'auth.login',
      'auth.logout',
      'auth.login_failed',
      'auth.password_changed',
      'auth.mfa_enabled',
      'customer.created',
      'customer.updated',
      'customer.merged',
      'customer.deactivated',
      'user.invited',
      'user.role_changed',
      'settings.branding_updated',
      'zone.pricing_updated',
      'template.edited',
    ]) {
      expect(actions, action).toContain(action);
    }
    // Invoices follow bookings: each generated invoice names a booking completed before it.
    const completed = new Set<string>();
    for (const e of entries) {
      if (e.action === 'booking.completed') completed.add(`Booking #${e.entity.id}`);
      if (e.action === 'invoice.generated')
        expect(completed).toContain(e.changes.find((c) => c.field === 'booking')!.new);
    }
  });

  it('is deterministic: same seed, same entries; another seed, another trail', () => {
    const a = JSON.stringify(trail({ seed: 42, days: 5, perDay: 80 }).entries);
    const b = JSON.stringify(trail({ seed: 42, days: 5, perDay: 80 }).entries);
    const c = JSON.stringify(trail({ seed: 43, days: 5, perDay: 80 }).entries);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('produces the same days whether or not a consumer stops early inside a day', () => {
    const full = trail({ seed: 'early', days: 3, perDay: 60 }).entries;
    const sim = new Simulation({ seed: 'early', days: 3, perDay: 60 });
    const partial: Entry[] = [];
    for (const day of sim.days()) {
      for (const entry of day.entries()) {
        partial.push(entry);
        if (day.index === 0 && partial.length === 5) break;
      }
    }
    const dayOne = sim.day(1).startMs;
    expect(partial.slice(0, 5)).toEqual(full.slice(0, 5));
    expect(partial.slice(5)).toEqual(full.filter((e) => Date.parse(e.occurredAt) >= dayOne));
  });

  it('has roughly days x perDay entries over 30 days', () => {
    for (const seed of [1, 2, 3]) {
      const sim = new Simulation({ seed, days: 30, perDay: 300 });
      let count = 0;
      for (const _entry of sim.entries()) count++;
      expect(count / (30 * 300)).toBeGreaterThan(0.85);
      expect(count / (30 * 300)).toBeLessThan(1.15);
    }
  });

  it('gives empty days when perDay is 0 (apart from planted activity)', () => {
    const sim = new Simulation({ seed: 7, days: 4, perDay: 0, anomalies: false });
    const days = [...sim.days()].map((d) => [...d.entries()].length);
    expect(days).toEqual([0, 0, 0, 0]);
  });

  it.each([
    ['America/New_York', '2026-03-02'], // DST starts 2026-03-08
    ['Europe/Berlin', '2026-03-23'], // DST starts 2026-03-29
    ['Australia/Sydney', '2026-03-30'], // DST ends 2026-04-05
  ])(
    'keeps weekday activity in local business hours across the DST change in %s',
    (timeZone, startDate) => {
      const sim = new Simulation({
        seed: timeZone,
        days: 14,
        perDay: 400,
        timeZone,
        startDate,
        anomalies: false,
      });
      const offsets = new Set<number>();
      const halves = [[], []] as number[][];
      for (const day of sim.days()) {
        for (const entry of day.entries()) {
          const local = DateTime.fromISO(entry.occurredAt, { zone: timeZone });
          offsets.add(local.offset);
          if (local.weekday <= 5)
            halves[day.index < 7 ? 0 : 1]!.push(local.hour + local.minute / 60);
        }
      }
      expect(offsets.size).toBe(2); // the trail does cross the clock change
      const stats = halves.map((hours) => ({
        business: hours.filter((h) => h >= 7 && h < 19).length / hours.length,
        mean: hours.reduce((a, b) => a + b, 0) / hours.length,
      }));
      for (const s of stats) expect(s.business).toBeGreaterThan(0.8);
      // The wall-clock shape does not move by the hour DST shifts UTC.
      expect(Math.abs(stats[0]!.mean - stats[1]!.mean)).toBeLessThan(0.3);
    },
  );

  it('uses tenant-local days as periods, 23 or 25 hours long on DST days', () => {
    const sim = new Simulation({
      seed: 1,
      days: 10,
      perDay: 0,
      timeZone: 'America/New_York',
      startDate: '2026-03-05',
      anomalies: false,
    });
    const lengths = [...sim.days()].map(
      (d) => (Date.parse(d.periodEnd) - Date.parse(d.periodStart)) / 3_600_000,
    );
    expect(lengths).toEqual([24, 24, 24, 23, 24, 24, 24, 24, 24, 24]);
    expect(new Date(sim.day(0).startMs).toISOString()).toBe('2026-03-05T05:00:00.000Z');
  });

  it('describes a realistic tenant', () => {
    const sim = new Simulation({ seed: 'tenant', days: 1, perDay: 10 });
    expect(sim.tenant.id).toMatch(/^ten_[0-9a-z]{10}$/);
    expect([
      'America/New_York',
      'America/Los_Angeles',
      'Europe/Berlin',
      'Australia/Sydney',
    ]).toContain(sim.tenant.timeZone);
    expect(['standard', 'professional', 'enterprise']).toContain(sim.tenant.plan);
    expect(
      new Simulation({ seed: 'tenant', days: 1, perDay: 10, plan: 'enterprise' }).tenant.plan,
    ).toBe('enterprise');
  });
});
