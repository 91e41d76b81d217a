// Writes an evidence pack (docs/evidence-pack.md) from a workspace, streaming: entries are read in
// batches, each file of the zip is written as it is produced, and nothing holds all rows. Two
// passes over the chosen entries: entries.csv first, then entries.jsonl together with every
// source bundle's leaves (for the proofs). All reads happen in one read transaction, so an import
// committing meanwhile cannot make the files disagree. The zip is written to a temporary file and
// renamed at the end: a failed or cancelled export leaves no pack and no partial file.
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import type { Entry } from '../../../shared/entry';
import { describeQuery, formatQuery, queryFilters, type Query } from '../../../shared/query';
import { leafHash } from '../bundle/merkle';
import { runtimeError } from '../errors';
import { compileQuery } from '../search/compile';
import { actorResolver } from '../search/actors';
import type { Workspace } from '../workspace/database';
import { readTenant } from '../workspace/tenant';
import { csvRows, UTF8_BOM } from './csv-safety';
import {
  chooseFields,
  localTimeFormatter,
  renderRow,
  type AnnotationSource,
  type ExportAnnotation,
  type ExportField,
} from './fields';
import {
  ANNOTATION_CSV_COLUMNS,
  bundleManifestFile,
  bundleSignatureFile,
  FILE_NAMES,
  fingerprintOf,
  IdFingerprint,
  PACK_FORMAT,
  PACK_FORMAT_VERSION,
  proofFile,
  readmeText,
  type PackManifest,
  type PackSelection,
} from './pack-manifest';
import { buildProof, MerkleLevels, type BundleProof } from './proofs';
import { ZipWriter, type WrittenFile } from './zip-writer';

export type ExportSelection =
  | { kind: 'query'; query: Query }
  | {
      /** An audit sample: its entry ids, and how it was drawn (recorded in manifest.json). */
      kind: 'sample';
      entryIds: readonly string[];
      seed: string;
      populationFingerprint: string;
      populationSize?: number | null;
      query?: Query | null;
    };

export interface ExportOptions {
  /** Path of the zip to write (replaced if it exists, only once the pack is complete). */
  out: string;
  selection: ExportSelection;
  /** Columns of entries.csv (default: every entry field, and the annotation fields with annotations). */
  fields?: readonly ExportField[];
  /** With annotations: annotation columns in entries.csv, and annotations.csv. */
  annotations?: AnnotationSource;
  /** Records of the reviewer's review log, written as review-log.jsonl. */
  reviewLog?: Iterable<object>;
  reviewer?: string | null;
  appVersion: string;
  now?: () => Date;
  /** Called after every batch: entries done (both passes averaged) of the total. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ExportResult {
  out: string;
  entries: number;
  bundles: number;
  files: WrittenFile[];
  manifest: PackManifest;
}

interface StoredBundle {
  ref: number;
  bundle_id: string;
  digest: string;
  first_seq: number;
  last_seq: number;
  entry_count: number;
  manifest: string;
  signature: string;
}

/** A source bundle and the seqs of its chosen entries (ascending). */
interface Group {
  bundle: StoredBundle;
  seqs: number[];
}

const BATCH = 1000;
const PAGE = 4096;

export const EXPORT_CANCELLED = 'export cancelled';

export async function exportPack(ws: Workspace, options: ExportOptions): Promise<ExportResult> {
  const tenant = readTenant(ws);
  if (tenant === null) throw runtimeError('the workspace holds no bundles yet: nothing to export');
  const annotate = options.annotations !== undefined;
  const fields = options.fields ?? chooseFields(undefined, annotate);
  const createdAt = (options.now?.() ?? new Date()).toISOString();
  const partial = `${options.out}.${process.pid}.partial`;
  const db = ws.db;
  db.exec('BEGIN');
  let fd: number | null = null;
  try {
    const chosen = chooseEntries(ws, options.selection, tenant.timeZone);
    const groups = groupByBundle(allBundles(ws), chosen.seqs);
    const total = chosen.seqs.length;
    let units = 0;
    const progress = async (n: number) => {
      units += n;
      options.onProgress?.(Math.floor(units / 2), total);
      // Let timers and messages run (a cancel arrives through the event loop).
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) throw runtimeError(EXPORT_CANCELLED);
    };
    if (options.signal?.aborted) throw runtimeError(EXPORT_CANCELLED);
    options.onProgress?.(0, total);

    fd = openSync(partial, 'w');
    const zip = new ZipWriter(fd, new Date(createdAt));
    zip.addFile(FILE_NAMES.readme, readmeText());

    const rowsOf = db.prepare(
      'SELECT seq, raw FROM entries WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq',
    );
    const local = localTimeFormatter(tenant.timeZone);

    // Pass 1: entries.csv.
    const csv = zip.add(FILE_NAMES.entriesCsv);
    csv.write(UTF8_BOM + csvRows([fields]));
    let annotated = 0;
    for (const group of groups) {
      for (let i = 0; i < group.seqs.length; i += BATCH) {
        const seqs = group.seqs.slice(i, i + BATCH);
        const entries = (rowsOf.all(JSON.stringify(seqs)) as { raw: string }[]).map(
          (r) => JSON.parse(r.raw) as Entry,
        );
        const notes = options.annotations?.annotationsFor(entries.map((e) => e.id));
        const ctx = { local, bundleId: group.bundle.bundle_id };
        const rows = entries.map((e) => {
          const note = notes?.get(e.id);
          if (note !== undefined) annotated++;
          return renderRow(e, fields, ctx, note);
        });
        csv.write(csvRows(rows));
        await progress(seqs.length);
      }
    }
    csv.end();

    if (options.annotations !== undefined) {
      await writeAnnotations(zip, groups, options.annotations, db, options.signal);
    }

    // Pass 2: entries.jsonl, and the proofs from every source bundle's leaves.
    const jsonl = zip.add(FILE_NAMES.entriesJsonl);
    const proofs: BundleProof[] = [];
    for (const group of groups) {
      proofs.push(await writeBundleEntries(ws, group, (raw) => jsonl.write(`${raw}\n`), progress));
    }
    jsonl.end();
    for (const proof of proofs)
      zip.addFile(proofFile(proof.bundleId), `${JSON.stringify(proof)}\n`);
    for (const { bundle } of groups) {
      zip.addFile(bundleManifestFile(bundle.bundle_id), bundle.manifest);
      zip.addFile(bundleSignatureFile(bundle.bundle_id), bundle.signature);
    }
    let reviewLogCount = 0;
    if (options.reviewLog !== undefined) {
      const log = zip.add(FILE_NAMES.reviewLog);
      for (const record of options.reviewLog) {
        log.write(`${JSON.stringify(record)}\n`);
        reviewLogCount++;
      }
      log.end();
    }

    const manifest: PackManifest = {
      format: PACK_FORMAT,
      formatVersion: PACK_FORMAT_VERSION,
      createdAt,
      appVersion: options.appVersion,
      reviewer: options.reviewer ?? null,
      tenant,
      timeZone: tenant.timeZone,
      selection: selectionRecord(options.selection),
      fields: [...fields],
      annotations: annotate,
      counts: {
        entries: total,
        bundles: groups.length,
        annotations: annotated,
        reviewLog: reviewLogCount,
      },
      populationFingerprint:
        options.selection.kind === 'sample'
          ? options.selection.populationFingerprint
          : chosen.fingerprint,
      entryIdsFingerprint: chosen.fingerprint,
      bundles: groups.map(({ bundle, seqs }) => ({
        bundleId: bundle.bundle_id,
        digest: bundle.digest,
        firstSeq: bundle.first_seq,
        lastSeq: bundle.last_seq,
        entryCount: bundle.entry_count,
        exported: seqs.length,
      })),
      files: [...zip.files],
    };
    zip.addFile(FILE_NAMES.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
    zip.end();
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(partial, options.out);
    options.onProgress?.(total, total);
    return {
      out: options.out,
      entries: total,
      bundles: groups.length,
      files: [...zip.files],
      manifest,
    };
  } catch (error) {
    if (fd !== null) closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
  }
}

function selectionRecord(selection: ExportSelection): PackSelection {
  if (selection.kind === 'query') {
    return {
      kind: 'query',
      query: formatQuery(selection.query),
      description: describeQuery(selection.query),
      filters: queryFilters(selection.query),
    };
  }
  return {
    kind: 'sample',
    query: selection.query == null ? null : formatQuery(selection.query),
    seed: selection.seed,
    populationSize: selection.populationSize ?? null,
    populationFingerprint: selection.populationFingerprint,
  };
}

/** The seqs of the chosen entries, ascending, and the fingerprint of their ids. */
function chooseEntries(
  ws: Workspace,
  selection: ExportSelection,
  timeZone: string,
): { seqs: number[]; fingerprint: string } {
  if (selection.kind === 'query') {
    const condition = compileQuery(selection.query, timeZone, actorResolver(ws.db));
    const seqs = ws.db
      .prepare(`SELECT seq FROM entries WHERE ${condition.sql} ORDER BY seq`)
      .pluck()
      .all(...condition.params) as number[];
    // Ids in UTF-8 byte order straight from the id index (BINARY collation compares bytes).
    const fingerprint = new IdFingerprint();
    const ids = ws.db
      .prepare(`SELECT id FROM entries WHERE ${condition.sql} ORDER BY id`)
      .pluck()
      .iterate(...condition.params) as IterableIterator<string>;
    for (const id of ids) fingerprint.add(id);
    return { seqs, fingerprint: fingerprint.digest() };
  }
  const wanted = [...new Set(selection.entryIds)];
  const lookup = ws.db.prepare(
    'SELECT id, seq FROM entries WHERE id IN (SELECT value FROM json_each(?))',
  );
  const seqs: number[] = [];
  for (let i = 0; i < wanted.length; i += BATCH) {
    const ids = wanted.slice(i, i + BATCH);
    const found = lookup.all(JSON.stringify(ids)) as { id: string; seq: number }[];
    if (found.length !== ids.length) {
      const have = new Set(found.map((f) => f.id));
      const missing = ids.find((id) => !have.has(id))!;
      throw runtimeError(`entry ${JSON.stringify(missing)} of the sample is not in the workspace`);
    }
    for (const f of found) seqs.push(f.seq);
  }
  seqs.sort((a, b) => a - b);
  return { seqs, fingerprint: fingerprintOf(wanted) };
}

function allBundles(ws: Workspace): StoredBundle[] {
  return ws.db
    .prepare(
      `SELECT ref, bundle_id, digest, first_seq, last_seq, entry_count, manifest, signature
       FROM bundles WHERE entry_count > 0 ORDER BY first_seq`,
    )
    .all() as StoredBundle[];
}

function groupByBundle(bundles: StoredBundle[], seqs: readonly number[]): Group[] {
  const groups: Group[] = [];
  let b = 0;
  for (const seq of seqs) {
    while (b < bundles.length && bundles[b]!.last_seq < seq) b++;
    const bundle = bundles[b];
    if (bundle === undefined || seq < bundle.first_seq)
      throw runtimeError(`entry seq ${seq} belongs to no stored bundle: the workspace is damaged`);
    const last = groups[groups.length - 1];
    if (last?.bundle === bundle) last.seqs.push(seq);
    else groups.push({ bundle, seqs: [seq] });
  }
  return groups;
}

/**
 * Reads every entry of the group's bundle in leaf order, writes the chosen ones, and proves them
 * against the bundle's signed root. The root recomputed from the stored lines must equal the
 * signed one: that proves the stored lines are the signed canonical bytes.
 */
async function writeBundleEntries(
  ws: Workspace,
  { bundle, seqs }: Group,
  write: (raw: string) => void,
  progress: (n: number) => Promise<void>,
): Promise<BundleProof> {
  const page = ws.db.prepare(
    'SELECT seq, leaf_index, raw FROM entries WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?',
  );
  const leaves = Buffer.allocUnsafe(bundle.entry_count * 32);
  const chosen: number[] = [];
  let next = 0; // index into seqs
  let position = 0;
  while (position < bundle.entry_count) {
    const rows = page.all(bundle.first_seq + position, bundle.last_seq, PAGE) as {
      seq: number;
      leaf_index: number;
      raw: string;
    }[];
    if (rows.length === 0) break;
    let written = 0;
    for (const row of rows) {
      if (row.seq !== bundle.first_seq + position || row.leaf_index !== position)
        throw runtimeError(
          `bundle ${bundle.bundle_id} is stored incompletely: the workspace is damaged`,
        );
      leaves.set(leafHash(Buffer.from(row.raw, 'utf8')), position * 32);
      if (seqs[next] === row.seq) {
        write(row.raw);
        chosen.push(position);
        next++;
        written++;
      }
      position++;
    }
    if (written > 0) await progress(written);
  }
  if (position !== bundle.entry_count)
    throw runtimeError(
      `bundle ${bundle.bundle_id} is stored incompletely: the workspace is damaged`,
    );
  const tree = new MerkleLevels(leaves, bundle.entry_count);
  const signed = (JSON.parse(bundle.manifest) as { merkleRoot: string }).merkleRoot;
  if (tree.root().toString('hex') !== signed)
    throw runtimeError(
      `stored entries of bundle ${bundle.bundle_id} do not match its signed Merkle root: the workspace is damaged`,
    );
  return buildProof(bundle.bundle_id, tree, chosen);
}

async function writeAnnotations(
  zip: ZipWriter,
  groups: Group[],
  source: AnnotationSource,
  db: Workspace['db'],
  signal: AbortSignal | undefined,
): Promise<void> {
  const idsOf = db.prepare(
    'SELECT seq, id FROM entries WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq',
  );
  const file = zip.add(FILE_NAMES.annotationsCsv);
  file.write(UTF8_BOM + csvRows([ANNOTATION_CSV_COLUMNS]));
  for (const group of groups) {
    for (let i = 0; i < group.seqs.length; i += BATCH) {
      const rows = idsOf.all(JSON.stringify(group.seqs.slice(i, i + BATCH))) as {
        seq: number;
        id: string;
      }[];
      const notes = source.annotationsFor(rows.map((r) => r.id));
      const lines = rows.flatMap((r) => {
        const a = notes.get(r.id);
        return a === undefined ? [] : [annotationRow(r.id, r.seq, a)];
      });
      file.write(csvRows(lines));
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw runtimeError(EXPORT_CANCELLED);
    }
  }
  file.end();
}

export function annotationRow(id: string, seq: number, a: ExportAnnotation): (string | null)[] {
  return [id, String(seq), a.status, a.tags.join(', '), a.note, a.author, a.updatedAt];
}
