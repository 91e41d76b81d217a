// Import = verify and store in one pass inside one IMMEDIATE transaction per bundle: entries are
// inserted as the verifier releases them and the transaction commits only on a valid verdict, so a
// rejected bundle, an error or a crash at any point leaves nothing of it behind.
import { basename } from 'node:path';
import type { Manifest, Verdict, VerdictCause } from '../../../shared/bundle';
import { bundleIdOf, manifestBytes } from '../bundle/manifest';
import { verifyBundleFile } from '../bundle/read-file';
import type { TrustStore } from '../bundle/trust-store';
import type { VerifiedEntry } from '../bundle/verifier';
import { runtimeError } from '../errors';
import type { Workspace } from './database';
import { chainProblem } from './chain';
import { prepareImportStatements, type ImportStatements } from './import-statements';

export type BundleSource = 'file' | 'sync';

export interface ImportOptions {
  trust: TrustStore;
  /** Where the trust store came from, recorded with the keys it held. */
  trustSource: string;
  source: BundleSource;
  /** File name or API address, kept with the bundle. */
  sourceName?: string;
}

export type ImportOutcome =
  | { status: 'imported' | 'already_present'; bundleId: string; digest: string; entryCount: number }
  | { status: 'rejected'; cause: VerdictCause; message: string };

export function importBundleFile(ws: Workspace, path: string, options: ImportOptions): ImportOutcome {
  const { db } = ws;
  const statements = prepareImportStatements(db);
  let alreadyPresent = false;
  let bundleRef = 0;
  const knownActors = new Map<string, string>();
  const insertEntry = ({ entry, line, leafIndex }: VerifiedEntry) => {
    statements.insertEntry.run(
      entry.seq,
      entry.id,
      bundleRef,
      leafIndex,
      Date.parse(entry.occurredAt),
      entry.category,
      entry.action,
      entry.actor.id,
      entry.actor.type,
      entry.entity.type,
      entry.entity.id,
      entry.ip,
      line,
    );
    // Actors repeat on most entries: upsert only when this import has not seen them as they are.
    const { id, name, email, type } = entry.actor;
    const seenAs = `${name}\u0000${email ?? ''}\u0000${type}`;
    if (knownActors.get(id) !== seenAs) {
      knownActors.set(id, seenAs);
      statements.upsertActor.run(id, name, email, type);
    }
  };

  db.exec('BEGIN IMMEDIATE');
  let verdict: Verdict;
  try {
    verdict = verifyBundleFile(path, {
      trust: options.trust,
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
      onEntry: (entry) => {
        if (!alreadyPresent) insertEntry(entry);
      },
    });
  } catch (error) {
    db.exec('ROLLBACK');
    const conflict = constraintConflict(error);
    if (conflict !== undefined) return { status: 'rejected', cause: 'conflict', message: conflict };
    throw describeStorageError(error);
  }
  if (!verdict.valid || alreadyPresent) {
    db.exec('ROLLBACK');
    if (!verdict.valid) return { status: 'rejected', cause: verdict.cause, message: verdict.message };
    return { status: 'already_present', bundleId: verdict.bundleId, digest: verdict.digest, entryCount: verdict.manifest.entryCount };
  }
  try {
    recordTenant(statements, verdict.manifest);
    recordTrustDecision(statements, options, verdict.manifest.keyId);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw describeStorageError(error);
  }
  return { status: 'imported', bundleId: verdict.bundleId, digest: verdict.digest, entryCount: verdict.manifest.entryCount };
}

/** Reasons a verified bundle still cannot join this workspace's history. */
function refuseIntoWorkspace(statements: ImportStatements, manifest: Manifest, digest: string): Verdict | undefined {
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
  const overlapping = statements.bundleOverlapping.get({ start, end, firstSeq: manifest.firstSeq, lastSeq: manifest.lastSeq });
  if (overlapping !== undefined) {
    return {
      valid: false,
      cause: 'conflict',
      message: `bundle overlaps stored bundle ${overlapping.bundle_id} (same period or seq range, different content)`,
    };
  }
  const broken = chainProblem(manifest, digest, {
    predecessor: statements.bundleEndingAt.get(start),
    successor: statements.bundleStartingAt.get(end),
    earlier: statements.bundleEndingBy.get(start),
  });
  return broken === undefined ? undefined : { valid: false, cause: 'chain_link', message: broken };
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
  statements.upsertTenant.run(id, name, timeZone, plan);
}

function recordTrustDecision(statements: ImportStatements, options: ImportOptions, keyId: string): void {
  const key = options.trust.list().find((k) => k.keyId === keyId);
  if (key === undefined) return;
  statements.upsertTrustKey.run(key.keyId, key.publicKey, key.validFrom, key.validTo, key.revoked ? 1 : 0, options.trustSource, new Date().toISOString());
}

function constraintConflict(error: unknown): string | undefined {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' && message?.includes('entries.id')) {
    return 'an entry id in this bundle is already stored from another bundle';
  }
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' && message?.includes('entries.seq')) {
    return 'an entry seq in this bundle is already stored from another bundle';
  }
  return undefined;
}

function describeStorageError(error: unknown): Error {
  const code = (error as { code?: string }).code;
  if (code === 'SQLITE_FULL') return runtimeError('disk full: the import was rolled back, nothing was stored');
  if (code === 'SQLITE_BUSY') return runtimeError('workspace is busy in another process; try again when it has finished');
  if (code === 'SQLITE_READONLY') return runtimeError('workspace is read-only');
  if (code?.startsWith('SQLITE_IOERR')) return runtimeError(`storage I/O error (${code}): the import was rolled back`);
  return error instanceof Error ? error : new Error(String(error));
}
