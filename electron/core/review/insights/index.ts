// The unusual-activity queue: one pass over the workspace's entries in time order (columns only),
// every rule fed each entry, findings keyed stably so dismissals stick (docs/review.md).
import { createHash } from 'node:crypto';
import type { Change, Entry } from '../../../../shared/entry';
import { rejectedError, usageError } from '../../errors';
import type { Workspace } from '../../workspace/database';
import { readTenant } from '../../workspace/tenant';
import { appendReviewLog } from '../review-log';
import type { Reviewer } from '../reviewer';
import { LocalClock } from './local-time';
import {
  allDetectors,
  RULES,
  type RawFinding,
  type RuleId,
  type ScanEntry,
  type Severity,
} from './rules';
import { DEFAULT_INSIGHT_SETTINGS, type InsightSettings } from './settings';

export { RULES, type RuleId, type Severity } from './rules';
export { DEFAULT_INSIGHT_SETTINGS, fromThresholds, type InsightSettings } from './settings';

export interface Decision {
  decision: 'dismissed' | 'restored';
  reason: string;
  author: Reviewer;
  at: string;
}

export interface Finding {
  /** Stable: SHA-256 of the rule and the sorted entry ids. */
  key: string;
  rule: RuleId;
  severity: Severity;
  summary: string;
  entryIds: string[];
  /** UTC instants of the first and last entry. */
  from: string;
  to: string;
  actorId: string | null;
  /** The dismissal in force, or null. */
  dismissed: Decision | null;
}

export interface InsightsOptions {
  /** Report findings from this instant on (ISO); earlier entries still build the baselines. */
  since?: string;
  settings?: InsightSettings;
  /** Keep dismissed findings in the list (marked); default false. */
  includeDismissed?: boolean;
}

export interface InsightsResult {
  findings: Finding[];
  /** Findings left out because they are dismissed. */
  dismissed: number;
  /** Entries read (baseline window included). */
  scanned: number;
  since: string | null;
  timeZone: string;
}

const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
const DAY = 86_400_000;

export function findingKey(rule: string, entryIds: readonly string[]): string {
  return createHash('sha256')
    .update(`${rule}\n${JSON.stringify([...entryIds].sort())}`, 'utf8')
    .digest('hex');
}

export function runInsights(ws: Workspace, options: InsightsOptions = {}): InsightsResult {
  const settings = options.settings ?? DEFAULT_INSIGHT_SETTINGS;
  const sinceMs = options.since === undefined ? -Infinity : Date.parse(options.since);
  if (Number.isNaN(sinceMs)) throw usageError('since must be an ISO 8601 instant');
  const timeZone = readTenant(ws)?.timeZone ?? 'UTC';
  const clock = new LocalClock(timeZone);
  const actorName = ws.db.prepare('SELECT name FROM actors WHERE id = ?').pluck();
  const names = new Map<string, string>();
  const changes = ws.db.prepare("SELECT json_extract(raw, '$.changes') FROM entries WHERE seq = ?");
  const ctx = {
    settings,
    clock,
    sinceMs,
    who(actorId: string): string {
      let shown = names.get(actorId);
      if (shown === undefined) {
        const name = actorName.get(actorId) as string | undefined;
        shown = name === undefined || name === actorId ? actorId : `${name} (${actorId})`;
        names.set(actorId, shown);
      }
      return shown;
    },
    changesOf(seq: number): Change[] {
      const text = changes.pluck().get(seq) as string | null | undefined;
      try {
        const parsed = text == null ? [] : (JSON.parse(text) as Entry['changes']);
        return Array.isArray(parsed) ? parsed : [];
      } catch {
        return [];
      }
    },
  };
  const detectors = allDetectors(ctx);
  // The baseline reaches back as far as the longest look-back a rule needs.
  const scanFrom = Number.isFinite(sinceMs)
    ? sinceMs - settings.newIpLogin.lookbackDays * DAY - DAY
    : -Infinity;
  const read = ws.db.transaction(() => {
    const rows = ws.db
      .prepare(
        `SELECT seq, id, occurred_at, action, actor_id, actor_type, entity_type, entity_id, ip
         FROM entries WHERE occurred_at >= ? ORDER BY occurred_at, seq`,
      )
      .raw()
      .iterate(Number.isFinite(scanFrom) ? scanFrom : Number.MIN_SAFE_INTEGER) as IterableIterator<
      [number, string, number, string, string, string, string, string, string | null]
    >;
    let scanned = 0;
    for (const [seq, id, at, action, actorId, actorType, entityType, entityId, ip] of rows) {
      const entry: ScanEntry = {
        seq,
        id,
        at,
        action,
        actorId,
        actorType,
        entityType,
        entityId,
        ip,
      };
      for (const d of detectors) d.add(entry);
      scanned++;
    }
    return scanned;
  });
  const scanned = read();
  const raw: RawFinding[] = detectors.flatMap((d) => d.finish());
  const decisions = currentDecisions(ws);
  const all = raw
    .map((f): Finding => {
      const key = findingKey(f.rule, f.entryIds);
      const decision = decisions.get(key) ?? null;
      return {
        key,
        rule: f.rule,
        severity: f.severity,
        summary: f.summary,
        entryIds: f.entryIds,
        from: new Date(f.from).toISOString(),
        to: new Date(f.to).toISOString(),
        actorId: f.actorId,
        dismissed: decision?.decision === 'dismissed' ? decision : null,
      };
    })
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        b.to.localeCompare(a.to) ||
        RULES.indexOf(a.rule) - RULES.indexOf(b.rule) ||
        a.key.localeCompare(b.key),
    );
  const kept = options.includeDismissed ? all : all.filter((f) => f.dismissed === null);
  return {
    findings: kept,
    dismissed: all.filter((f) => f.dismissed !== null).length,
    scanned,
    since: Number.isFinite(sinceMs) ? new Date(sinceMs).toISOString() : null,
    timeZone,
  };
}

/** The latest decision per finding key. */
function currentDecisions(ws: Workspace): Map<string, Decision> {
  const rows = ws.db
    .prepare(
      `SELECT finding_key, decision, reason, author_name, author_email, at FROM finding_decisions
       WHERE id IN (SELECT max(id) FROM finding_decisions GROUP BY finding_key)`,
    )
    .all() as {
    finding_key: string;
    decision: Decision['decision'];
    reason: string;
    author_name: string;
    author_email: string | null;
    at: string;
  }[];
  return new Map(
    rows.map((r) => [
      r.finding_key,
      {
        decision: r.decision,
        reason: r.reason,
        author: { name: r.author_name, email: r.author_email },
        at: r.at,
      },
    ]),
  );
}

/**
 * Dismisses (or restores) a finding with a reason; decisions are appended, never rewritten, and go
 * into the review log.
 */
export function decideFinding(
  ws: Workspace,
  finding: Pick<Finding, 'key' | 'rule' | 'entryIds'>,
  decision: Decision['decision'],
  reason: string,
  author: Reviewer,
): Decision {
  const trimmed = reason.trim();
  if (decision === 'dismissed' && trimmed === '')
    throw usageError('dismissing a finding needs a reason');
  if (trimmed.length > 10_000) throw usageError('a reason is at most 10,000 characters');
  if (findingKey(finding.rule, finding.entryIds) !== finding.key)
    throw rejectedError('the finding key does not match its rule and entries');
  const at = new Date().toISOString();
  ws.db
    .transaction(() => {
      ws.db
        .prepare(
          `INSERT INTO finding_decisions (finding_key, rule, decision, reason, entry_ids, author_name, author_email, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          finding.key,
          finding.rule,
          decision,
          trimmed,
          JSON.stringify(finding.entryIds),
          author.name,
          author.email,
          at,
        );
      appendReviewLog(ws, {
        actor: author,
        action: decision === 'dismissed' ? 'finding.dismissed' : 'finding.restored',
        at,
        details: { findingKey: finding.key, rule: finding.rule, reason: trimmed },
      });
    })
    .immediate();
  return { decision, reason: trimmed, author, at };
}

/** Every decision taken on a finding, oldest first. */
export function findingDecisions(ws: Workspace, key: string): Decision[] {
  return (
    ws.db
      .prepare(
        'SELECT decision, reason, author_name, author_email, at FROM finding_decisions WHERE finding_key = ? ORDER BY id',
      )
      .all(key) as {
      decision: Decision['decision'];
      reason: string;
      author_name: string;
      author_email: string | null;
      at: string;
    }[]
  ).map((r) => ({
    decision: r.decision,
    reason: r.reason,
    author: { name: r.author_name, email: r.author_email },
    at: r.at,
  }));
}
