// Import = verify and store in one pass inside one IMMEDIATE transaction per bundle: entries are
// inserted as the verifier releases them and the transaction commits only on a valid verdict, so a
// rejected bundle, an error or a crash at any point leaves nothing of it behind. The full-text index
// row of each entry is written in the same transaction, so search is never behind the entries.
import { basename } from 'node:path';
import type { Manifest, Verdict, VerdictCause } from '../../../shared/bundle';
import { bundleIdOf, manifestBytes } from '../bundle/manifest';
import type { TrustStore } from '../bundle/trust-store';
import { writeCountRows } from '../search/counts-tally';
import { runtimeError } from '../errors';
import type { Workspace } from './database';
import { chainProblem } from './chain';
import { ACTOR_WIDTH, COL, ROW_WIDTH, type RowBatch } from './entry-row';
import { prepareImportStatements, type ImportStatements } from './import-statements';
import { verifyStreaming } from './verify-stream';

export type BundleSource = 'file' | 'sync';

export interface ImportOptions {
  trust: TrustStore;
  /** Where the trust store came from, recorded with the keys it held. */
  trustSource: string;
  source: BundleSource;
  /** File name or API address, kept with the bundle. */
  sourceName?: string;
  /** The file the caller will import next, if it knows: a large one is verified ahead, while this
   * one is stored and committed (verify-stream.ts). Only speed depends on it. */
  next?: string;
}

export type ImportOutcome =
  | { status: 'imported' | 'already_present'; bundleId: string; digest: string; entryCount: number }
  | { status: 'rejected'; cause: VerdictCause; message: string };

export interface ImportTuning {
  /** Verify in a worker thread from this file size on (tests lower it to exercise that path). */
  workerMinBytes?: number;
}

export async function importBundleFile(
  ws: Workspace,
  path: string,
  options: ImportOptions,
  tuning: ImportTuning = {},
): Promise<ImportOutcome> {
  const { db } = ws;
  if (db.inTransaction) throw runtimeError('another import into this workspace is still running');
  const statements = prepareImportStatements(db);
  let alreadyPresent = false;
  let bundleRef = 0;
  const storeRows = ({ rows, actors, counts }: RowBatch) => {
    if (alreadyPresent) return;
    const { insertEntry, insertFullText, upsertActor } = statements;
    const text = COL.fullText;
    for (let i = 0; i < rows.length; i += ROW_WIDTH) {
      try {
        insertEntry.run(
          rows[i + COL.seq],
          rows[i + COL.id],
          bundleRef,
          rows[i + COL.leafIndex],
          rows[i + COL.occurredAtMs],
          rows[i + COL.category],
          rows[i + COL.action],
          rows[i + COL.actorId],
          rows[i + COL.actorType],
          rows[i + COL.entityType],
          rows[i + COL.entityId],
          rows[i + COL.ip],
          rows[i + COL.line],
        );
      } catch (error) {
        throw explainConstraint(statements, error, {
          seq: rows[i + COL.seq] as number,
          id: rows[i + COL.id] as string,
          leafIndex: rows[i + COL.leafIndex] as number,
          bundleRef,
        });
      }
      insertFullText.run(
        rows[i + COL.seq],
        rows[i + text],
        rows[i + text + 1],
        rows[i + text + 2],
        rows[i + text + 3],
        rows[i + text + 4],
        rows[i + text + 5],
        rows[i + text + 6],
      );
    }
    for (let i = 0; i < actors.length; i += ACTOR_WIDTH)
      upsertActor.run(actors[i]!, actors[i + 1]!, actors[i + 2] ?? null, actors[i + 3]!);
    // Facet and histogram counts (migration 0006) of the days the batch closed, same transaction.
    writeCountRows(counts, statements);
  };

  try {
    db.exec('BEGIN IMMEDIATE'); // waits busy_timeout for another process's write lock, then SQLITE_BUSY
  } catch (error) {
    throw describeStorageError(error);
  }
  let verdict: Verdict;
  try {
    verdict = await verifyStreaming(
      path,
      options.trust,
      {
        onManifest: (manifest, digest, signature) => {
          if (statements.bundleByDigest.get(digest) !== undefined) {
            alreadyPresent = true; // still read to the end: a tampered copy must not pass as "present"
            return undefined;
          }
          const refusal = refuseIntoWorkspace(statements, manifest, digest);
          if (refusal !== undefined) return refusal;
          bundleRef = insertBundle(statements, { manifest, digest, signature }, path, options);
          return undefined;
        },
        onRows: storeRows,
      },
      tuning.workerMinBytes,
      options.next,
    );
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (error instanceof EntryConflict)
      return { status: 'rejected', cause: 'conflict', message: error.message };
    throw describeStorageError(error);
  }
  if (!verdict.valid || alreadyPresent) {
    db.exec('ROLLBACK');
    if (!verdict.valid)
      return { status: 'rejected', cause: verdict.cause, message: verdict.message };
    return {
      status: 'already_present',
      bundleId: verdict.bundleId,
      digest: verdict.digest,
      entryCount: verdict.manifest.entryCount,
    };
  }
  try {
    recordTenant(statements, verdict.manifest);
    recordTrustDecision(statements, options, verdict.manifest.keyId);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw describeStorageError(error);
  }
  return {
    status: 'imported',
    bundleId: verdict.bundleId,
    digest: verdict.digest,
    entryCount: verdict.manifest.entryCount,
  };
}

/** Reasons a verified bundle still cannot join this workspace's history. */
function refuseIntoWorkspace(
  statements: ImportStatements,
  manifest: Manifest,
  digest: string,
): Verdict | undefined {
  const tenant = statements.tenant.get();
  if (tenant !== undefined && tenant.tenant_id !== manifest.tenant.id) {
    return {
      valid: false,
      cause: 'tenant_mismatch',
      message: `bundle belongs to tenant "${manifest.tenant.id}", this workspace holds tenant "${tenant.tenant_id}"`,
    };
  }
  const start = Date.parse(manifest.periodStart);
  const end = Date.parse(manifest.periodEnd);
  const overlapping = statements.bundleOverlapping.get({
    start,
    end,
    firstSeq: manifest.firstSeq,
    lastSeq: manifest.lastSeq,
  });
  if (overlapping !== undefined) {
    return {
      valid: false,
      cause: 'conflict',
      message: `bundle overlaps stored bundle ${overlapping.bundle_id} (same period or seq range, different content)`,
    };
  }
  const broken = chainProblem(manifest, digest, {
    predecessors: statements.bundlesEndingAt.all(start),
    successors: statements.bundlesStartingAt.all(end),
    earlier: statements.bundleEndingBy.get(start),
    sibling: statements.bundleWithPrev.get(manifest.prevDigest, digest),
  });
  return broken === undefined ? undefined : { valid: false, ...broken };
}

function insertBundle(
  statements: ImportStatements,
  { manifest, digest, signature }: { manifest: Manifest; digest: string; signature: string },
  path: string,
  options: ImportOptions,
): number {
  const info = statements.insertBundle.run({
    bundle_id: bundleIdOf(manifest, digest),
    digest,
    period_start: Date.parse(manifest.periodStart),
    period_end: Date.parse(manifest.periodEnd),
    first_seq: manifest.firstSeq,
    last_seq: manifest.lastSeq,
    entry_count: manifest.entryCount,
    prev_digest: manifest.prevDigest,
    key_id: manifest.keyId,
    issued_at: manifest.issuedAt,
    manifest: manifestBytes(manifest).toString('utf8'),
    signature,
    verdict: 'valid',
    source: options.source,
    source_name: options.sourceName ?? basename(path),
    imported_at: new Date().toISOString(),
  });
  return Number(info.lastInsertRowid);
}

function recordTenant(statements: ImportStatements, manifest: Manifest): void {
  const { id, name, timeZone, plan } = manifest.tenant;
  statements.upsertTenant.run({
    id,
    name,
    timeZone,
    plan,
    periodStart: Date.parse(manifest.periodStart),
  });
}

function recordTrustDecision(
  statements: ImportStatements,
  options: ImportOptions,
  keyId: string,
): void {
  const key = options.trust.list().find((k) => k.keyId === keyId);
  if (key === undefined) return;
  statements.upsertTrustKey.run(
    key.keyId,
    key.publicKey,
    key.validFrom,
    key.validTo,
    key.revoked ? 1 : 0,
    options.trustSource,
    new Date().toISOString(),
  );
}

/** An entry that cannot be stored because its id or seq is taken; the import is rejected as `conflict`. */
class EntryConflict extends Error {}

/** File line of an entry: the magic line and the header come first (docs/bundle-format.md §7.3). */
const fileLine = (leafIndex: number) => leafIndex + 3;

/**
 * Names the entry a unique constraint refused and what already holds its id or seq. Read inside
 * the still-open transaction, so a duplicate within this same bundle is told apart from one stored
 * from another bundle. Other errors pass through unchanged.
 */
function explainConstraint(
  statements: ImportStatements,
  error: unknown,
  {
    seq,
    id,
    leafIndex,
    bundleRef,
  }: { seq: number; id: string; leafIndex: number; bundleRef: number },
): unknown {
  const { code, message } = error as { code?: string; message?: string };
  const byId = code === 'SQLITE_CONSTRAINT_UNIQUE' && message?.includes('entries.id');
  const bySeq = code === 'SQLITE_CONSTRAINT_PRIMARYKEY' && message?.includes('entries.seq');
  if (!byId && !bySeq) return error;
  const holder = byId ? statements.entryHolderById.get(id) : statements.entryHolderBySeq.get(seq);
  const what = byId ? `entry id "${id}"` : `entry seq ${seq}`;
  if (holder !== undefined && holder.bundle_ref === bundleRef) {
    return new EntryConflict(
      `${what} appears twice in this bundle (lines ${fileLine(holder.leaf_index)} and ${fileLine(leafIndex)})`,
    );
  }
  const from = holder === undefined ? 'another bundle' : `bundle ${holder.bundle_id}`;
  return new EntryConflict(`${what} on line ${fileLine(leafIndex)} is already stored from ${from}`);
}

function describeStorageError(error: unknown): Error {
  const code = (error as { code?: string }).code;
  if (code === 'SQLITE_FULL')
    return runtimeError('disk full: the import was rolled back, nothing was stored');
  if (code?.startsWith('SQLITE_BUSY'))
    return runtimeError('workspace is busy in another process; try again when it has finished');
  if (code?.startsWith('SQLITE_READONLY')) return runtimeError('workspace is read-only');
  if (code?.startsWith('SQLITE_IOERR'))
    return runtimeError(`storage I/O error (${code}): the import was rolled back`);
  return error instanceof Error ? error : new Error(String(error));
}
