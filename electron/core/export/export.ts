// Writes an evidence pack (docs/evidence-pack.md) from a workspace, streaming: entries are read in
// batches, each file of the zip is written as it is produced, and nothing holds all rows. Two
// passes over the chosen entries: entries.csv first, then entries.jsonl together with every
// source bundle's leaves (for the proofs). All reads happen in one read transaction, so an import
// committing meanwhile cannot make the files disagree. The zip is written to a temporary file and
// renamed at the end: a failed or cancelled export leaves no pack and no partial file.
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { describeQuery, formatQuery, queryFilters, type Query } from '../../../shared/query';
import { MerkleRootBuilder } from '../bundle/merkle';
import { runtimeError } from '../errors';
import { compileQuery } from '../search/compile';
import { actorResolver } from '../search/actors';
import type { Workspace } from '../workspace/database';
import { readTenant } from '../workspace/tenant';
import { csvRows, UTF8_BOM } from './csv-safety';
import { hashLeaf, type CsvResult } from './csv-render';
import { inlineRenderer, workerRenderer, type CsvRenderer } from './csv-renderer';
import {
  chooseFields,
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
import { TempFile } from './temp-file';
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
  /** Render the CSV in a worker thread (default: from WORKER_THRESHOLD entries). */
  renderInWorker?: boolean;
}

export interface ExportResult {
  out: string;
  entries: number;
  bundles: number;
  files: WrittenFile[];
  manifest: PackManifest;
}

/** A batch of chosen entries on its way to entries.csv; its leaf hashes go to the bundle's proof. */
interface Batch {
  result: Promise<CsvResult>;
  rows: number;
  onLeaves: (leaves: Buffer) => void;
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

const BATCH = 256;
const PAGE = 256;
/** From this many entries the CSV is rendered in a worker thread (starting one costs ~0.1 s). */
const WORKER_THRESHOLD = 20_000;
/** SQLite page cache during an export, in KiB (negative: a size, not a page count). */
const EXPORT_CACHE_SIZE = -4096;
/** CSV batches rendered ahead of the writer (bounds the memory they hold). */
const IN_FLIGHT = 4;

export const EXPORT_CANCELLED = 'export cancelled';

export async function exportPack(ws: Workspace, options: ExportOptions): Promise<ExportResult> {
  const tenant = readTenant(ws);
  if (tenant === null) throw runtimeError('the workspace holds no bundles yet: nothing to export');
  const annotate = options.annotations !== undefined;
  const fields = options.fields ?? chooseFields(undefined, annotate);
  const createdAt = (options.now?.() ?? new Date()).toISOString();
  const partial = `${options.out}.${process.pid}.partial`;
  const db = ws.db;
  // The export reads every page once, in order: a large page cache only holds pages never read
  // again (32 MiB of RSS at 1M entries). Restored at the end.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${EXPORT_CACHE_SIZE}`);
  db.exec('BEGIN');
  let fd: number | null = null;
  let jsonl: TempFile | null = null;
  let renderer: CsvRenderer | null = null;
  try {
    const chosen = chooseEntries(ws, options.selection, tenant.timeZone);
    const groups = groupByBundle(allBundles(ws), chosen.seqs);
    const total = chosen.seqs.length;
    let units = 0;
    const progress = async (n: number) => {
      units += n;
      options.onProgress?.(units, total);
      // Let timers and messages run (a cancel arrives through the event loop).
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) throw runtimeError(EXPORT_CANCELLED);
    };
    if (options.signal?.aborted) throw runtimeError(EXPORT_CANCELLED);
    options.onProgress?.(0, total);

    fd = writable(options.out, () => openSync(partial, 'w'));
    jsonl = writable(
      options.out,
      () => new TempFile(`${options.out}.${process.pid}.jsonl.partial`),
    );
    const zip = new ZipWriter(fd, new Date(createdAt));
    zip.addFile(FILE_NAMES.readme, readmeText());

    // One pass over the source bundles: entries.csv into the zip, entries.jsonl into a temporary
    // file (copied into the zip next), every bundle's leaves hashed for its proof.
    renderer =
      (options.renderInWorker ?? total >= WORKER_THRESHOLD) ? workerRenderer() : inlineRenderer();
    const render = renderer;
    const csv = zip.add(FILE_NAMES.entriesCsv);
    csv.write(UTF8_BOM + csvRows([fields]));
    const queue: Batch[] = [];
    const drain = async (keep: number) => {
      while (queue.length > keep) {
        const head = queue.shift()!;
        const result = await head.result;
        csv.write(result.csv);
        head.onLeaves(result.leaves);
        await progress(head.rows);
      }
    };
    let annotated = 0;
    const proofs: BundleProof[] = [];
    for (const group of groups) {
      const submit = async (raws: string[], ids: string[], onLeaves: (leaves: Buffer) => void) => {
        let notes: (ExportAnnotation | null)[] | null = null;
        if (options.annotations !== undefined) {
          const found = options.annotations.annotationsFor(ids);
          notes = ids.map((id) => found.get(id) ?? null);
          annotated += notes.filter((n) => n !== null).length;
        }
        const job = {
          raws,
          notes,
          fields: [...fields],
          timeZone: tenant.timeZone,
          bundleId: group.bundle.bundle_id,
        };
        const result = render.render(job);
        // Awaited in order by drain; if an earlier batch fails first, this one's failure must not
        // surface as an unhandled rejection.
        result.catch(() => {});
        queue.push({ result, rows: raws.length, onLeaves });
        await drain(IN_FLIGHT);
      };
      proofs.push(await readBundle(ws, group, jsonl, submit, () => drain(0)));
    }
    await drain(0);
    csv.end();
    await render.close();
    renderer = null;

    if (options.annotations !== undefined) {
      await writeAnnotations(zip, groups, options.annotations, db, options.signal);
    }
    const jsonlSha256 = jsonl.finish();
    zip.copyFile(FILE_NAMES.entriesJsonl, jsonl.chunks(), jsonlSha256);
    jsonl.remove();
    jsonl = null;
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
    writable(options.out, () => renameSync(partial, options.out));
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
    jsonl?.remove();
    await renderer?.close();
    throw error;
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
    db.pragma(`cache_size = ${cacheSize}`);
  }
}

/** File-system failures on the output as one line naming the pack, not a temporary file. */
function writable<T>(out: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    const why =
      code === 'ENOENT'
        ? 'its folder does not exist'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : code === 'ENOSPC'
              ? 'the disk is full'
              : code;
    throw runtimeError(`cannot write ${out}: ${why}`);
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
 * Reads every entry of the group's bundle in leaf order: hands the chosen ones on (`submit`, in
 * batches, rendered for entries.csv and hashed as leaves, in a worker for large exports) and writes
 * their lines to entries.jsonl; hashes the others here; then proves the chosen ones against the
 * bundle's signed root. The root recomputed from the stored lines must equal the signed one: that
 * proves the stored lines are the signed canonical bytes.
 */
async function readBundle(
  ws: Workspace,
  { bundle, seqs }: Group,
  jsonl: TempFile,
  submit: (raws: string[], ids: string[], onLeaves: (leaves: Buffer) => void) => Promise<void>,
  drained: () => Promise<void>,
): Promise<BundleProof> {
  const page = ws.db
    .prepare(
      'SELECT seq, leaf_index, id, raw FROM entries WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?',
    )
    .raw();
  // Every entry exported: the proof needs no node, so the root is computed leaf by leaf in
  // O(log n) memory (batches come back in order); otherwise all leaf hashes are kept to pick the
  // nodes the proof needs.
  const all = seqs.length === bundle.entry_count;
  const leaves = all ? null : Buffer.allocUnsafe(bundle.entry_count * 32);
  const streamed = new MerkleRootBuilder();
  const chosen: number[] = [];
  let raws: string[] = [];
  let ids: string[] = [];
  let positions: number[] = [];
  const send = async () => {
    const at = positions;
    await submit(raws, ids, (hashes) => {
      for (let i = 0; i < at.length; i++) {
        const leaf = hashes.subarray(i * 32, i * 32 + 32);
        if (leaves === null) streamed.addLeafHash(Buffer.from(leaf));
        else leaf.copy(leaves, at[i]! * 32);
      }
    });
    raws = [];
    ids = [];
    positions = [];
  };
  let next = 0; // index into seqs
  let position = 0;
  while (position < bundle.entry_count) {
    const rows = page.all(bundle.first_seq + position, bundle.last_seq, PAGE) as [
      seq: number,
      leafIndex: number,
      id: string,
      raw: string,
    ][];
    if (rows.length === 0) break;
    for (const [seq, leafIndex, id, raw] of rows) {
      if (seq !== bundle.first_seq + position || leafIndex !== position)
        throw damaged(bundle, 'is stored incompletely');
      if (seqs[next] === seq) {
        jsonl.write(raw);
        jsonl.write('\n');
        raws.push(raw);
        ids.push(id);
        positions.push(position);
        if (!all) chosen.push(position);
        next++;
        if (raws.length === BATCH) await send();
      } else {
        hashLeaf(raw).copy(leaves!, position * 32);
      }
      position++;
    }
  }
  if (raws.length > 0) await send();
  await drained();
  if (position !== bundle.entry_count) throw damaged(bundle, 'is stored incompletely');
  const signed = (JSON.parse(bundle.manifest) as { merkleRoot: string }).merkleRoot;
  const tree = leaves === null ? null : new MerkleLevels(leaves, bundle.entry_count);
  const root = tree === null ? streamed.root() : tree.root();
  if (root.toString('hex') !== signed)
    throw damaged(bundle, 'has stored entries that do not match its signed Merkle root');
  return tree === null
    ? {
        bundleId: bundle.bundle_id,
        merkleRoot: signed,
        treeSize: bundle.entry_count,
        exported: seqs.length,
        nodes: [],
      }
    : buildProof(bundle.bundle_id, tree, chosen);
}

function damaged(bundle: StoredBundle, what: string): Error {
  return runtimeError(`bundle ${bundle.bundle_id} ${what}: the workspace is damaged`);
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

function annotationRow(id: string, seq: number, a: ExportAnnotation): (string | null)[] {
  return [id, String(seq), a.status, a.tags.join(', '), a.note, a.author, a.updatedAt];
}
