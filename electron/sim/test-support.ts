// Test support: an independent reading of the planted-activity definitions of docs/simulator.md,
// applied to a whole trail, and a replay that checks every change's old value. Used by the tests only.
import { DateTime } from 'luxon';
import type { Entry } from '../../shared/entry';
import { THRESHOLDS, type AnomalyKind } from './anomalies';

export interface Match {
  kind: AnomalyKind;
  entryIds: string[];
}

/** Every match of every definition in `entries` (seq order). Bursts: each qualifying window. */
export function detect(entries: readonly Entry[], timeZone: string): Match[] {
  const matches: Match[] = [];
  const seenIps = new Set<string>();
  for (const e of entries) {
    if (e.action === 'auth.login' && e.ip !== null && !seenIps.has(e.ip)) {
      const hour = DateTime.fromISO(e.occurredAt, { zone: timeZone }).hour;
      if (hour >= THRESHOLDS.nightHours[0] && hour < THRESHOLDS.nightHours[1])
        matches.push({ kind: 'night_login_new_ip', entryIds: [e.id] });
    }
    if (e.ip !== null) seenIps.add(e.ip);
    if (e.action === 'auth.mfa_disabled') matches.push({ kind: 'mfa_disabled', entryIds: [e.id] });
    if (e.action === 'user.role_changed') {
      const role = e.changes.find((c) => c.field === 'role');
      const privileged = (r: unknown) => r === 'admin' || r === 'owner';
      if (role !== undefined && !privileged(role.old) && privileged(role.new))
        matches.push({ kind: 'role_escalation', entryIds: [e.id] });
    }
  }
  matches.push(
    ...bursts(
      entries,
      'failed_login_burst',
      'auth.login_failed',
      (e) => e.entity.id,
      THRESHOLDS.failedLogins,
    ),
  );
  matches.push(
    ...bursts(
      entries,
      'bulk_cancellation',
      'booking.cancelled',
      (e) => e.actor.id,
      THRESHOLDS.cancellations,
    ),
  );
  matches.push(
    ...bursts(entries, 'invoice_void_burst', 'invoice.voided', (e) => e.actor.id, THRESHOLDS.voids),
  );
  return matches;
}

function bursts(
  entries: readonly Entry[],
  kind: AnomalyKind,
  action: string,
  keyOf: (e: Entry) => string,
  rule: { count: number; windowMs: number },
): Match[] {
  const byKey = new Map<string, Entry[]>();
  for (const e of entries)
    if (e.action === action) byKey.set(keyOf(e), [...(byKey.get(keyOf(e)) ?? []), e]);
  const matches: Match[] = [];
  for (const list of byKey.values()) {
    let end = 0;
    for (let start = 0; start < list.length; start++) {
      const from = Date.parse(list[start]!.occurredAt);
      end = Math.max(end, start);
      while (end + 1 < list.length && Date.parse(list[end + 1]!.occurredAt) - from < rule.windowMs)
        end++;
      if (end - start + 1 >= rule.count)
        matches.push({ kind, entryIds: list.slice(start, end + 1).map((e) => e.id) });
    }
  }
  return matches;
}

/**
 * Replays the trail and returns the first change whose `old` is not the value the previous change
 * of the same field of the same entity left (or null when all are consistent).
 */
export function inconsistency(entries: Iterable<Entry>): string | null {
  const last = new Map<string, unknown>();
  for (const e of entries) {
    for (const change of e.changes) {
      const key = `${e.entity.type}/${e.entity.id}/${change.field}`;
      if (last.has(key) && JSON.stringify(last.get(key)) !== JSON.stringify(change.old)) {
        return `seq ${e.seq} ${e.action} ${key}: old ${JSON.stringify(change.old)}, previously set to ${JSON.stringify(last.get(key))}`;
      }
      last.set(key, change.new);
    }
  }
  return null;
}
