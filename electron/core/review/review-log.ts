// The review log: every reviewer action, appended to a hash chain in the workspace (docs/review.md
// "Review log"). Record n's hash is SHA-256 over the RFC 8785 canonical JSON of
// {seq, at, actor, action, details, prevHash}, and prevHash is record n-1's hash (64 zeros for
// record 1), so editing, removing, inserting or reordering any record breaks the chain. The last
// seq and hash are also kept in review_log_head, which catches records cut off at the end by
// someone who edits only the log table.
import { createHash } from 'node:crypto';
import type { JsonValue } from '../../../shared/entry';
import { canonicalJson } from '../bundle/canonical';
import type { Workspace } from '../workspace/database';
import type { Reviewer } from './reviewer';

export const GENESIS_HASH = '0'.repeat(64);

/** Actions the app records; others are allowed (a newer app may add some). */
export const REVIEW_ACTIONS = [
  'workspace.opened',
  'bundles.imported',
  'sync.run',
  'search.run',
  'annotation.changed',
  'annotations.bulk_changed',
  'annotations.imported',
  'annotations.exported',
  'sample.drawn',
  'finding.dismissed',
  'finding.restored',
  'insights.run',
  'export.written',
] as const;

export interface ReviewLogRecord {
  seq: number;
  /** UTC instant, ISO 8601 with milliseconds. */
  at: string;
  actor: Reviewer;
  action: string;
  details: { [key: string]: JsonValue };
  prevHash: string;
  hash: string;
}

export interface LogHead {
  seq: number;
  hash: string;
}

export interface LogProblem {
  /** Position in the list given (0-based), or the seq the head names. */
  index: number;
  seq: number | null;
  problem: 'seq' | 'prev_hash' | 'hash' | 'head';
  message: string;
}

export interface LogVerdict {
  valid: boolean;
  records: number;
  problems: LogProblem[];
}

/** The hash of a record: SHA-256 (hex) of the canonical JSON of everything but `hash`. */
export function recordHash(record: Omit<ReviewLogRecord, 'hash'>): string {
  const { seq, at, actor, action, details, prevHash } = record;
  const canonical = canonicalJson({
    seq,
    at,
    actor: { name: actor.name, email: actor.email },
    action,
    details,
    prevHash,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export interface AppendOptions {
  actor: Reviewer;
  action: string;
  details?: { [key: string]: JsonValue };
  /** Defaults to now. */
  at?: string;
}

/**
 * Appends one record and moves the head, in the caller's transaction when there is one (so an
 * annotation and its log record commit together) or in its own.
 */
export function appendReviewLog(ws: Workspace, options: AppendOptions): ReviewLogRecord {
  const append = () => {
    const head = readHead(ws);
    const base = {
      seq: head.seq + 1,
      at: options.at ?? new Date().toISOString(),
      actor: { name: options.actor.name, email: options.actor.email },
      action: options.action,
      details: options.details ?? {},
      prevHash: head.hash,
    };
    const record: ReviewLogRecord = { ...base, hash: recordHash(base) };
    ws.db
      .prepare(
        'INSERT INTO review_log (seq, at, actor, action, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        record.seq,
        record.at,
        canonicalJson(record.actor),
        record.action,
        canonicalJson(record.details),
        record.prevHash,
        record.hash,
      );
    ws.db
      .prepare(
        `INSERT INTO review_log_head (singleton, seq, hash) VALUES (1, ?, ?)
         ON CONFLICT (singleton) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
      )
      .run(record.seq, record.hash);
    return record;
  };
  return ws.db.inTransaction ? append() : ws.db.transaction(append).immediate();
}

/** The head as kept in the workspace (seq 0 and the genesis hash for an empty log). */
export function readHead(ws: Workspace): LogHead {
  const row = ws.db.prepare('SELECT seq, hash FROM review_log_head WHERE singleton = 1').get() as
    LogHead | undefined;
  return row ?? { seq: 0, hash: GENESIS_HASH };
}

interface LogRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  details: string;
  prev_hash: string;
  hash: string;
}

/** Every record in seq order, streamed (the log of a long engagement can be large). */
export function* reviewLogRecords(ws: Workspace): Generator<ReviewLogRecord> {
  const rows = ws.db
    .prepare('SELECT seq, at, actor, action, details, prev_hash, hash FROM review_log ORDER BY seq')
    .iterate() as IterableIterator<LogRow>;
  for (const row of rows)
    yield {
      seq: row.seq,
      at: row.at,
      actor: JSON.parse(row.actor) as Reviewer,
      action: row.action,
      details: JSON.parse(row.details) as ReviewLogRecord['details'],
      prevHash: row.prev_hash,
      hash: row.hash,
    };
}

/**
 * Checks a log read back from a workspace or an evidence pack: seqs 1, 2, 3... without gaps, each
 * prevHash the previous hash (genesis first), each hash recomputed. With `head`, the last record
 * must be the head (this is what detects records removed from the end). Reports every problem.
 */
export function verifyReviewLog(records: Iterable<ReviewLogRecord>, head?: LogHead): LogVerdict {
  const problems: LogProblem[] = [];
  let index = 0;
  let expectedPrev = GENESIS_HASH;
  let last: ReviewLogRecord | null = null;
  for (const record of records) {
    const at = { index, seq: typeof record.seq === 'number' ? record.seq : null };
    if (record.seq !== index + 1)
      problems.push({
        ...at,
        problem: 'seq',
        message: `record ${index + 1} has seq ${String(record.seq)} (removed, inserted or reordered records)`,
      });
    if (record.prevHash !== expectedPrev)
      problems.push({
        ...at,
        problem: 'prev_hash',
        message: `record ${index + 1} does not link to the record before it`,
      });
    const computed = safeHash(record);
    if (computed !== record.hash)
      problems.push({
        ...at,
        problem: 'hash',
        message: `record ${index + 1} was changed after it was written (hash mismatch)`,
      });
    expectedPrev = record.hash;
    last = record;
    index++;
  }
  if (head !== undefined && (head.seq !== (last?.seq ?? 0) || head.hash !== expectedPrev))
    problems.push({
      index,
      seq: head.seq,
      problem: 'head',
      message: `the log ends at record ${last?.seq ?? 0} but its head names record ${head.seq} (records removed from the end, or the head changed)`,
    });
  return { valid: problems.length === 0, records: index, problems };
}

/** The hash a record should have, or null when it cannot be computed (a malformed record). */
function safeHash(record: ReviewLogRecord): string | null {
  try {
    return recordHash(record);
  } catch {
    return null;
  }
}

/** Verifies the workspace's own log against its head. */
export function verifyWorkspaceLog(ws: Workspace): LogVerdict {
  return verifyReviewLog(reviewLogRecords(ws), readHead(ws));
}
