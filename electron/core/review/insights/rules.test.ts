// The rules on hand-made entries: burst clustering at the threshold and window edges, the new-address
// warm-up and night exception, escalation vs. routine changes, and local time across DST.
import { describe, expect, it } from 'vitest';
import type { Change } from '../../../../shared/entry';
import { LocalClock } from './local-time';
import {
  adminOffHours,
  failedLoginBurst,
  newIpLogin,
  rolePermissionChange,
  type Detector,
  type RuleContext,
  type ScanEntry,
} from './rules';
import { DEFAULT_INSIGHT_SETTINGS } from './settings';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.parse('2026-03-02T00:00:00Z'); // a Monday, UTC

function context(changes: Record<number, Change[]> = {}, timeZone = 'UTC'): RuleContext {
  return {
    settings: DEFAULT_INSIGHT_SETTINGS,
    clock: new LocalClock(timeZone),
    sinceMs: -Infinity,
    who: (id) => id,
    changesOf: (seq) => changes[seq] ?? [],
  };
}

let seq = 0;
function entry(at: number, action: string, over: Partial<ScanEntry> = {}): ScanEntry {
  seq++;
  return {
    seq,
    id: `e${seq}`,
    at,
    action,
    actorId: 'usr_1',
    actorType: 'user',
    entityType: 'user',
    entityId: 'usr_1',
    ip: '203.0.113.7',
    ...over,
  };
}

const run = (detector: Detector, entries: ScanEntry[]) => {
  for (const e of entries) detector.add(e);
  return detector.finish();
};

describe('bursts', () => {
  it('count − 1 in the window is nothing; count is one finding; the window is strict', () => {
    const fails = (n: number, gap: number) =>
      Array.from({ length: n }, (_, i) => entry(T0 + i * gap, 'auth.login_failed'));
    expect(run(failedLoginBurst(context()), fails(4, MIN))).toEqual([]);
    expect(run(failedLoginBurst(context()), fails(5, MIN))).toHaveLength(1);
    // 5 failures spread over exactly 10 minutes: the first has left the window when the fifth comes.
    expect(run(failedLoginBurst(context()), fails(5, 2.5 * MIN))).toEqual([]);
  });

  it('a long burst is one finding holding every entry; two apart are two', () => {
    const first = Array.from({ length: 20 }, (_, i) => entry(T0 + i * 20_000, 'auth.login_failed'));
    const second = Array.from({ length: 6 }, (_, i) =>
      entry(T0 + 3 * 3_600_000 + i * 20_000, 'auth.login_failed'),
    );
    const findings = run(failedLoginBurst(context()), [...first, ...second]);
    expect(findings.map((f) => f.entryIds.length)).toEqual([20, 6]);
    expect(findings[0]!.entryIds).toEqual(first.map((e) => e.id));
  });

  it('keys are separate: failures against two accounts never add up', () => {
    const mixed = Array.from({ length: 8 }, (_, i) =>
      entry(T0 + i * MIN, 'auth.login_failed', { entityId: i % 2 === 0 ? 'usr_1' : 'usr_2' }),
    );
    expect(run(failedLoginBurst(context()), mixed)).toEqual([]);
  });
});

describe('new-address logins', () => {
  const login = (at: number, ip: string, actorId = 'usr_1') =>
    entry(at, 'auth.login', { ip, actorId, entityId: actorId });

  it('needs a week of history in the daytime; reports at night without it', () => {
    const noon = T0 + 12 * 3_600_000;
    const night = T0 + 2 * 3_600_000;
    expect(
      run(newIpLogin(context()), [login(noon, '203.0.113.7'), login(noon + DAY, '198.51.100.9')]),
    ).toEqual([]);
    const atNight = run(newIpLogin(context()), [login(night, '198.51.100.9')]);
    expect(atNight).toMatchObject([{ rule: 'login_new_ip', severity: 'high' }]);
    const later = run(newIpLogin(context()), [
      login(noon, '203.0.113.7'),
      login(noon + 8 * DAY, '203.0.113.7'),
      login(noon + 9 * DAY, '198.51.100.9'),
    ]);
    expect(later).toMatchObject([{ severity: 'medium', entryIds: [`e${seq}`] }]);
  });

  it('an address colleagues use is low; failed logins from an address do not make it known', () => {
    const noon = T0 + 12 * 3_600_000;
    const findings = run(newIpLogin(context()), [
      login(noon, '203.0.113.7'),
      login(noon, '203.0.113.10', 'usr_2'),
      entry(noon + 8 * DAY, 'auth.login_failed', { ip: '198.51.100.1' }),
      login(noon + 8 * DAY + MIN, '198.51.100.1'),
      login(noon + 8 * DAY + 2 * MIN, '203.0.113.10'),
    ]);
    expect(findings.map((f) => f.severity)).toEqual(['medium', 'low']);
  });

  it('an address unused for longer than the lookback is new again', () => {
    const noon = T0 + 12 * 3_600_000;
    const findings = run(newIpLogin(context()), [
      login(noon, '203.0.113.99'),
      login(noon, '203.0.113.7'),
      login(noon + 20 * DAY, '203.0.113.7'),
      login(noon + 40 * DAY, '203.0.113.99'),
    ]);
    expect(findings).toHaveLength(1);
  });
});

describe('role changes', () => {
  it('granting admin or owner is high on its own; other changes go into the weekly digest', () => {
    const escalate = entry(T0, 'user.role_changed', { entityId: 'usr_9' });
    const sideways = entry(T0 + MIN, 'user.role_changed', { entityId: 'usr_8' });
    const stepDown = entry(T0 + 2 * MIN, 'user.role_changed', { entityId: 'usr_7' });
    const perms = entry(T0 + 3 * MIN, 'user.permissions_updated');
    const invitedAdmin = entry(T0 + 4 * MIN, 'user.invited', { entityId: 'usr_6' });
    const nextWeek = entry(T0 + 8 * DAY, 'user.permissions_updated');
    const changes = {
      [escalate.seq]: [{ field: 'role', old: 'dispatcher', new: 'admin' }],
      [sideways.seq]: [{ field: 'role', old: 'cleaner', new: 'dispatcher' }],
      [stepDown.seq]: [{ field: 'role', old: 'admin', new: 'manager' }],
      [invitedAdmin.seq]: [{ field: 'role', old: null, new: 'owner' }],
    };
    const findings = run(rolePermissionChange(context(changes)), [
      escalate,
      sideways,
      stepDown,
      perms,
      invitedAdmin,
      nextWeek,
    ]);
    expect(findings.map((f) => [f.severity, f.entryIds])).toEqual([
      ['high', [escalate.id]],
      ['high', [invitedAdmin.id]],
      ['low', [sideways.id, stepDown.id, perms.id]],
      ['low', [nextWeek.id]],
    ]);
    expect(findings[2]!.summary).toContain('week of 2026-03-02');
  });
});

describe('local time', () => {
  it('business hours follow the tenant zone across a DST change', () => {
    // New York: 2026-03-08 02:00 EST → 03:00 EDT. 12:30Z is 07:30 EST before and 08:30 EDT after.
    const clock = new LocalClock('America/New_York');
    expect(clock.facts(Date.parse('2026-03-07T12:30:00Z'))).toMatchObject({
      hour: 7,
      weekday: 6,
      date: '2026-03-07',
    });
    expect(clock.facts(Date.parse('2026-03-09T12:30:00Z'))).toMatchObject({
      hour: 8,
      weekday: 1,
      weekStart: '2026-03-09',
    });
    expect(clock.facts(Date.parse('2026-03-08T04:59:00Z'))).toMatchObject({
      hour: 23,
      date: '2026-03-07',
    });
  });

  it('admin actions outside business hours, per user and local day', () => {
    // Sydney is UTC+11 in March: 10:00Z is 21:00 local (outside), 23:00Z is 10:00 local (inside).
    const late = [
      entry(Date.parse('2026-03-02T10:00:00Z'), 'settings.company_updated'),
      entry(Date.parse('2026-03-02T10:05:00Z'), 'user.role_changed'),
    ];
    const inside = entry(Date.parse('2026-03-02T23:00:00Z'), 'settings.company_updated');
    const booking = entry(Date.parse('2026-03-02T10:10:00Z'), 'booking.cancelled');
    const findings = run(adminOffHours(context({}, 'Australia/Sydney')), [
      ...late,
      inside,
      booking,
    ]);
    expect(findings).toMatchObject([
      { rule: 'admin_off_hours', severity: 'medium', entryIds: late.map((e) => e.id) },
    ]);
  });
});
