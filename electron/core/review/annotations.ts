// Annotations: review status, tags and a note per entry, anchored to the entry id and the digest of
// the bundle holding it (never a row position). Every change appends to annotation_events and
// rewrites the current state (annotations, annotation_tags) and the review log in one transaction.
import { createHash } from 'node:crypto';
import { REVIEW_STATUSES, type ReviewStatus } from '../../../shared/query';
import { rejectedError, usageError } from '../errors';
import type { Workspace } from '../workspace/database';
import { appendReviewLog } from './review-log';
import type { Reviewer } from './reviewer';
import { foldTag, normalizeTags } from './tags';

export const MAX_NOTE_LENGTH = 100_000;

export interface Annotation {
  entryId: string;
  /** Digest of the bundle that held the entry when it was annotated (null: entry not imported). */
  bundleDigest: string | null;
  status: ReviewStatus;
  tags: string[];
  /** Plain text or Markdown, stored as typed (renderers must show it safely). */
  note: string;
  author: Reviewer;
  createdAt: string;
  updatedAt: string;
}

/** What to change; fields left out keep their current value. */
export interface AnnotationChange {
  status?: ReviewStatus;
  note?: string;
  /** Replaces the whole tag set. */
  tags?: readonly string[];
  addTags?: readonly string[];
  removeTags?: readonly string[];
}

export interface AnnotationEvent {
  id: number;
  entryId: string;
  bundleDigest: string | null;
  kind: 'set' | 'clear' | 'merge';
  status: ReviewStatus;
  tags: string[];
  note: string;
  author: Reviewer;
  at: string;
  /** Where a merged change came from (the imported file's name), null for local changes. */
  source: string | null;
}

interface AnnotationRow {
  entry_id: string;
  bundle_digest: string | null;
  status: ReviewStatus;
  tags: string;
  note: string;
  author_name: string;
  author_email: string | null;
  created_at: string;
  updated_at: string;
}

export function isReviewStatus(value: unknown): value is ReviewStatus {
  return typeof value === 'string' && (REVIEW_STATUSES as readonly string[]).includes(value);
}

function checkNote(note: string): string {
  if (note.length > MAX_NOTE_LENGTH)
    throw usageError(`a note is at most ${MAX_NOTE_LENGTH} characters`);
  return note;
}

export function rowToAnnotation(row: AnnotationRow): Annotation {
  return {
    entryId: row.entry_id,
    bundleDigest: row.bundle_digest,
    status: row.status,
    tags: JSON.parse(row.tags) as string[],
    note: row.note,
    author: { name: row.author_name, email: row.author_email },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const SELECT_ANNOTATION =
  'SELECT entry_id, bundle_digest, status, tags, note, author_name, author_email, created_at, updated_at FROM annotations';

export function getAnnotation(ws: Workspace, entryId: string): Annotation | null {
  const row = ws.db.prepare(`${SELECT_ANNOTATION} WHERE entry_id = ?`).get(entryId) as
    AnnotationRow | undefined;
  return row === undefined ? null : rowToAnnotation(row);
}

/** The digest of the bundle holding entry `id` in this workspace, or undefined when absent. */
export function bundleDigestOf(ws: Workspace, entryId: string): string | undefined {
  return ws.db
    .prepare('SELECT b.digest FROM entries e JOIN bundles b ON b.ref = e.bundle_ref WHERE e.id = ?')
    .pluck()
    .get(entryId) as string | undefined;
}

/** The state after applying `change` to `current` (which may be absent). */
function applyChange(
  current: Annotation | null,
  change: AnnotationChange,
): { status: ReviewStatus; tags: string[]; note: string } {
  if (change.status !== undefined && !isReviewStatus(change.status))
    throw usageError(`unknown review status "${String(change.status)}"`);
  let tags = change.tags !== undefined ? normalizeTags(change.tags) : (current?.tags ?? []);
  if (change.addTags !== undefined) tags = normalizeTags([...tags, ...change.addTags]);
  if (change.removeTags !== undefined) {
    const removed = new Set(change.removeTags.map(foldTag));
    tags = tags.filter((t) => !removed.has(foldTag(t)));
  }
  return {
    status: change.status ?? current?.status ?? 'unreviewed',
    tags,
    note: change.note !== undefined ? checkNote(change.note) : (current?.note ?? ''),
  };
}

/** Same review content: status, note and tag set (ignoring case and order). */
export function sameContent(
  a: { status: ReviewStatus; tags: readonly string[]; note: string },
  b: { status: ReviewStatus; tags: readonly string[]; note: string },
): boolean {
  const set = (tags: readonly string[]) => [...new Set(tags.map(foldTag))].sort().join('\u0000');
  return a.status === b.status && a.note === b.note && set(a.tags) === set(b.tags);
}

const isEmpty = (s: { status: ReviewStatus; tags: readonly string[]; note: string }) =>
  s.status === 'unreviewed' && s.tags.length === 0 && s.note === '';

interface WriteState {
  entryId: string;
  bundleDigest: string | null;
  status: ReviewStatus;
  tags: string[];
  note: string;
  kind: AnnotationEvent['kind'];
  author: Reviewer;
  at: string;
  source: string | null;
}

/**
 * Appends the event and rewrites the current state. Must run inside a transaction. An event that
 * leaves nothing (unreviewed, no tags, no note) removes the current row: the entry is unannotated.
 */
export function writeAnnotation(ws: Workspace, state: WriteState): Annotation | null {
  const { db } = ws;
  const tagsJson = JSON.stringify(state.tags);
  const eventId = db
    .prepare(
      `INSERT INTO annotation_events (entry_id, bundle_digest, kind, status, tags, note, author_name, author_email, at, source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      state.entryId,
      state.bundleDigest,
      state.kind,
      state.status,
      tagsJson,
      state.note,
      state.author.name,
      state.author.email,
      state.at,
      state.source,
    ).lastInsertRowid;
  db.prepare('DELETE FROM annotation_tags WHERE entry_id = ?').run(state.entryId);
  if (isEmpty(state)) {
    db.prepare('DELETE FROM annotations WHERE entry_id = ?').run(state.entryId);
    return null;
  }
  db.prepare(
    `INSERT INTO annotations (entry_id, bundle_digest, status, tags, note, author_name, author_email, created_at, updated_at, event_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (entry_id) DO UPDATE SET bundle_digest = excluded.bundle_digest,
       status = excluded.status, tags = excluded.tags, note = excluded.note,
       author_name = excluded.author_name, author_email = excluded.author_email,
       updated_at = excluded.updated_at, event_id = excluded.event_id`,
  ).run(
    state.entryId,
    state.bundleDigest,
    state.status,
    tagsJson,
    state.note,
    state.author.name,
    state.author.email,
    state.at,
    state.at,
    eventId,
  );
  const insertTag = db.prepare(
    'INSERT OR IGNORE INTO annotation_tags (tag_folded, entry_id, tag) VALUES (?, ?, ?)',
  );
  for (const tag of state.tags) insertTag.run(foldTag(tag), state.entryId, tag);
  return getAnnotation(ws, state.entryId);
}

export interface AnnotateResult {
  annotation: Annotation | null;
  /** False when the change left everything as it was (nothing recorded). */
  changed: boolean;
}

/** Changes one entry's annotation. An entry id the workspace does not hold is rejected. */
export function annotate(
  ws: Workspace,
  entryId: string,
  change: AnnotationChange,
  author: Reviewer,
  at = new Date().toISOString(),
): AnnotateResult {
  return ws.db
    .transaction(() => {
      const digest = bundleDigestOf(ws, entryId);
      if (digest === undefined)
        throw rejectedError(`no entry with id ${entryId} in this workspace`);
      const result = changeOne(ws, entryId, digest, change, author, at);
      if (result.changed)
        appendReviewLog(ws, {
          actor: author,
          action: 'annotation.changed',
          at,
          details: {
            entryId,
            bundleDigest: digest,
            status: result.annotation?.status ?? 'unreviewed',
            tags: result.annotation?.tags ?? [],
            noteSha256: sha256(result.annotation?.note ?? ''),
          },
        });
      return result;
    })
    .immediate();
}

function changeOne(
  ws: Workspace,
  entryId: string,
  digest: string,
  change: AnnotationChange,
  author: Reviewer,
  at: string,
): AnnotateResult {
  const current = getAnnotation(ws, entryId);
  const next = applyChange(current, change);
  const before = current ?? { status: 'unreviewed' as const, tags: [], note: '' };
  if (sameContent(before, next) && (current === null || current.bundleDigest === digest))
    return { annotation: current, changed: false };
  const annotation = writeAnnotation(ws, {
    entryId,
    bundleDigest: digest,
    ...next,
    kind: isEmpty(next) ? 'clear' : 'set',
    author,
    at,
    source: null,
  });
  return { annotation, changed: true };
}

/** Removes an entry's annotation (recorded as a `clear` event: the history keeps what it was). */
export function clearAnnotation(
  ws: Workspace,
  entryId: string,
  author: Reviewer,
  at?: string,
): AnnotateResult {
  return annotate(ws, entryId, { status: 'unreviewed', tags: [], note: '' }, author, at);
}

export interface BulkResult {
  /** Entries the change was asked for. */
  requested: number;
  /** Entries whose annotation changed (the others already had it). */
  changed: number;
  /** Ids the workspace does not hold (nothing recorded for them). */
  missing: string[];
}

/**
 * One change on many entries in one transaction and one review log record. Ids the workspace does
 * not hold are skipped and listed.
 */
export function annotateMany(
  ws: Workspace,
  entryIds: readonly string[],
  change: AnnotationChange,
  author: Reviewer,
  details: Record<string, string | number> = {},
  at = new Date().toISOString(),
): BulkResult {
  return ws.db
    .transaction(() => {
      const unique = [...new Set(entryIds)];
      const missing: string[] = [];
      let changed = 0;
      for (const entryId of unique) {
        const digest = bundleDigestOf(ws, entryId);
        if (digest === undefined) {
          missing.push(entryId);
          continue;
        }
        if (changeOne(ws, entryId, digest, change, author, at).changed) changed++;
      }
      appendReviewLog(ws, {
        actor: author,
        action: 'annotations.bulk_changed',
        at,
        details: {
          ...details,
          requested: unique.length,
          changed,
          missing: missing.length,
          entryIdsSha256: idsFingerprint(unique),
          ...(unique.length <= 1000 ? { entryIds: unique } : {}),
          change: {
            ...(change.status !== undefined ? { status: change.status } : {}),
            ...(change.tags !== undefined ? { tags: [...change.tags] } : {}),
            ...(change.addTags !== undefined ? { addTags: [...change.addTags] } : {}),
            ...(change.removeTags !== undefined ? { removeTags: [...change.removeTags] } : {}),
            ...(change.note !== undefined ? { noteSha256: sha256(change.note) } : {}),
          },
        },
      });
      return { requested: unique.length, changed, missing };
    })
    .immediate();
}

/** Every event of one entry, oldest first (who changed what, when). */
export function annotationHistory(ws: Workspace, entryId: string): AnnotationEvent[] {
  const rows = ws.db
    .prepare(
      `SELECT id, entry_id, bundle_digest, kind, status, tags, note, author_name, author_email, at, source
       FROM annotation_events WHERE entry_id = ? ORDER BY id`,
    )
    .all(entryId) as {
    id: number;
    entry_id: string;
    bundle_digest: string | null;
    kind: AnnotationEvent['kind'];
    status: ReviewStatus;
    tags: string;
    note: string;
    author_name: string;
    author_email: string | null;
    at: string;
    source: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    entryId: r.entry_id,
    bundleDigest: r.bundle_digest,
    kind: r.kind,
    status: r.status,
    tags: JSON.parse(r.tags) as string[],
    note: r.note,
    author: { name: r.author_name, email: r.author_email },
    at: r.at,
    source: r.source,
  }));
}

const BATCH = 500;

/**
 * Current annotations of the given entries, streamed in batches (entries without one are left
 * out). For evidence packs of any size.
 */
export function* iterateAnnotations(
  ws: Workspace,
  entryIds: Iterable<string>,
): Generator<[string, Annotation]> {
  const statement = ws.db.prepare(
    `${SELECT_ANNOTATION} WHERE entry_id IN (SELECT value FROM json_each(?))`,
  );
  let batch: string[] = [];
  const flush = function* (): Generator<[string, Annotation]> {
    for (const row of statement.all(JSON.stringify(batch)) as AnnotationRow[])
      yield [row.entry_id, rowToAnnotation(row)];
    batch = [];
  };
  for (const id of entryIds) {
    batch.push(id);
    if (batch.length >= BATCH) yield* flush();
  }
  if (batch.length > 0) yield* flush();
}

/** Every current annotation, ordered by entry id. */
export function* allAnnotations(ws: Workspace): Generator<Annotation> {
  const rows = ws.db
    .prepare(`${SELECT_ANNOTATION} ORDER BY entry_id`)
    .iterate() as IterableIterator<AnnotationRow>;
  for (const row of rows) yield rowToAnnotation(row);
}

export interface AnnotationSummary {
  status: ReviewStatus;
  tags: string[];
  note: string;
  author: Reviewer;
  updatedAt: string;
}

/** For the export: the current annotation of each given entry that has one. */
export function annotationsFor(
  ws: Workspace,
  entryIds: Iterable<string>,
): Map<string, AnnotationSummary> {
  const out = new Map<string, AnnotationSummary>();
  for (const [id, a] of iterateAnnotations(ws, entryIds))
    out.set(id, {
      status: a.status,
      tags: a.tags,
      note: a.note,
      author: a.author,
      updatedAt: a.updatedAt,
    });
  return out;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** SHA-256 of the JSON array of the ids sorted: what a bulk change touched, in one value. */
function idsFingerprint(ids: readonly string[]): string {
  return sha256(JSON.stringify([...ids].sort()));
}
