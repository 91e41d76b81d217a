// Re-checks an evidence pack offline, with only the pack and a trust store (docs/evidence-pack.md,
// "Verification"): the zip's structure and every file's CRC-32 and SHA-256, every source bundle's
// signature, every entry's inclusion in its bundle's signed Merkle root, and every CSV row against
// the signed entry it claims to show. Every problem is one line naming the file (and row or line).
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import type { Manifest } from '../../../shared/bundle';
import type { Entry } from '../../../shared/entry';
import { entryProblem } from '../../../shared/entry-schema';
import { checkManifest, bundleDigest, bundleIdOf, manifestBytes } from '../bundle/manifest';
import { leafHash, MerkleRootBuilder } from '../bundle/merkle';
import { verifyBytes } from '../bundle/keys';
import type { TrustStore } from '../bundle/trust-store';
import { quote } from '../bundle/untrusted';
import { isCanonical } from '../bundle/verifier';
import { CsvReader, CsvSyntaxError } from './csv-reader';
import { neutralizeCell, restoreCell, UTF8_BOM } from './csv-safety';
import { instantOfLocal, renderRow, type ExportAnnotation, type ExportField } from './fields';
import {
  ANNOTATION_CSV_COLUMNS,
  bundleManifestFile,
  bundleSignatureFile,
  FILE_NAMES,
  fingerprintOfAny,
  packManifestSchema,
  proofFile,
  type PackManifest,
} from './pack-manifest';
import { checkProof, checkProofHeader, type BundleProof } from './proofs';
import { ZipFormatError, ZipReader, type ZipFileEntry } from './zip-reader';

export interface PackVerdict {
  valid: boolean;
  problems: string[];
  entries: number;
  bundles: number;
}

/** Stop listing after this many problems (a damaged million-row pack would print millions). */
const MAX_PROBLEMS = 1000;

const proofSchema = z.strictObject({
  bundleId: z.string(),
  merkleRoot: z.string(),
  treeSize: z.number().int().nonnegative(),
  exported: z.number().int().nonnegative(),
  nodes: z.array(
    z.strictObject({
      level: z.number().int().nonnegative(),
      index: z.number().int().nonnegative(),
      hash: z.string(),
    }),
  ),
});

interface SourceBundle {
  id: string;
  manifest: Manifest;
  /** Exported leaves in entries.jsonl order (ascending): leaf index, line number, leaf hash. */
  indices: number[];
  lines: number[];
  hashes: Buffer;
}

/** A written cell is what neutralizeCell makes of its value (no formula left live). */
function isNeutralizedAsDocumented(cell: string): boolean {
  return neutralizeCell(restoreCell(cell)) === cell;
}

class Problems {
  readonly list: string[] = [];
  private dropped = 0;

  add(where: string, message: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push(`${where}: ${message}`);
    else this.dropped++;
  }

  final(): string[] {
    return this.dropped === 0
      ? this.list
      : [...this.list, `(and ${this.dropped} more problems not listed)`];
  }
}

export function verifyPack(path: string, trust: TrustStore): PackVerdict {
  const problems = new Problems();
  let zip: ZipReader;
  try {
    zip = new ZipReader(path);
  } catch (error) {
    if (error instanceof ZipFormatError) {
      return { valid: false, problems: [`${path}: ${error.message}`], entries: 0, bundles: 0 };
    }
    throw error;
  }
  try {
    return new PackCheck(zip, trust, problems).run();
  } finally {
    zip.close();
  }
}

class PackCheck {
  private readonly files = new Map<string, ZipFileEntry>();
  private readonly sha256 = new Map<string, string>();
  private manifest!: PackManifest;
  private bundles: SourceBundle[] = [];
  private entries = 0;

  constructor(
    private readonly zip: ZipReader,
    private readonly trust: TrustStore,
    private readonly problems: Problems,
  ) {
    for (const file of zip.files) this.files.set(file.name, file);
  }

  run(): PackVerdict {
    const damaged = this.checkFileIntegrity();
    const manifest = this.readManifest();
    if (manifest !== null) {
      this.manifest = manifest;
      this.checkFileList(damaged);
      this.readBundles();
      const annotations = this.readAnnotations();
      this.checkEntriesAndRows(annotations);
      this.checkProofs();
    }
    const list = this.problems.final();
    return {
      valid: list.length === 0,
      problems: list,
      entries: this.entries,
      bundles: this.bundles.length,
    };
  }

  /**
   * CRC-32 against the zip directory, and the SHA-256 of each file for checkFileList (one read);
   * returns the names of files whose bytes changed.
   */
  private checkFileIntegrity(): Set<string> {
    const damaged = new Set<string>();
    for (const file of this.zip.files) {
      let crc = 0;
      const hash = createHash('sha256');
      for (const chunk of this.zip.chunks(file)) {
        crc = crc32(chunk, crc);
        hash.update(chunk);
      }
      this.sha256.set(file.name, hash.digest('hex'));
      if (crc !== file.crc) {
        damaged.add(file.name);
        this.problems.add(
          file.name,
          'CRC-32 does not match the zip directory (bytes were altered)',
        );
      }
    }
    return damaged;
  }

  private readManifest(): PackManifest | null {
    const file = this.files.get(FILE_NAMES.manifest);
    if (file === undefined) {
      this.problems.add(FILE_NAMES.manifest, 'missing: this is not an evidence pack');
      return null;
    }
    let json: unknown;
    try {
      json = JSON.parse(this.zip.readAll(file).toString('utf8'));
    } catch {
      this.problems.add(FILE_NAMES.manifest, 'is not valid JSON');
      return null;
    }
    const parsed = packManifestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      this.problems.add(
        FILE_NAMES.manifest,
        `does not match the pack format at ${quote(issue.path.join('.'))}: ${issue.message}`,
      );
      return null;
    }
    return parsed.data;
  }

  /** Every file listed with its SHA-256, no file missing, none unlisted, none unexpected. */
  private checkFileList(damaged: Set<string>): void {
    const m = this.manifest;
    const listed = new Map<string, { size: number; sha256: string }>();
    for (const f of m.files) {
      if (listed.has(f.name))
        this.problems.add(FILE_NAMES.manifest, `lists ${quote(f.name)} twice`);
      listed.set(f.name, f);
    }
    for (const [name, f] of listed) {
      const file = this.files.get(name);
      if (file === undefined) {
        this.problems.add(name, 'listed in manifest.json but missing from the pack');
        continue;
      }
      if (damaged.has(name)) continue;
      if (file.size !== f.size || this.sha256.get(name) !== f.sha256)
        this.problems.add(
          name,
          'SHA-256 differs from the one in manifest.json (the file was altered)',
        );
    }
    const expected = new Set<string>([
      FILE_NAMES.readme,
      FILE_NAMES.entriesCsv,
      FILE_NAMES.entriesJsonl,
      ...(m.annotations ? [FILE_NAMES.annotationsCsv] : []),
      ...m.bundles.flatMap((b) => [
        proofFile(b.bundleId),
        bundleManifestFile(b.bundleId),
        bundleSignatureFile(b.bundleId),
      ]),
    ]);
    for (const name of expected)
      if (!listed.has(name))
        this.problems.add(name, 'expected in the pack but not listed in manifest.json');
    for (const name of this.files.keys()) {
      if (name === FILE_NAMES.manifest) continue;
      if (!listed.has(name)) this.problems.add(name, 'in the pack but not listed in manifest.json');
      else if (!expected.has(name) && name !== FILE_NAMES.reviewLog)
        this.problems.add(name, 'is not a file an evidence pack holds');
    }
    if (m.counts.bundles !== m.bundles.length)
      this.problems.add(FILE_NAMES.manifest, 'counts.bundles differs from the bundles listed');
  }

  private text(name: string): string | null {
    const file = this.files.get(name);
    if (file === undefined) {
      this.problems.add(name, 'missing from the pack');
      return null;
    }
    const bytes = this.zip.readAll(file);
    if (!isUtf8(bytes)) {
      this.problems.add(name, 'is not valid UTF-8');
      return null;
    }
    return bytes.toString('utf8');
  }

  /** Each source bundle's manifest must be signed by a trusted key. */
  private readBundles(): void {
    for (const listed of this.manifest.bundles) {
      const manifestName = bundleManifestFile(listed.bundleId);
      const text = this.text(manifestName);
      const signature = this.text(bundleSignatureFile(listed.bundleId));
      if (text === null || signature === null) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        this.problems.add(manifestName, 'is not valid JSON');
        continue;
      }
      const checked = checkManifest(value);
      if ('problem' in checked) {
        this.problems.add(manifestName, `not a bundle manifest: ${checked.problem}`);
        continue;
      }
      const manifest = checked.manifest;
      if (manifestBytes(manifest).toString('utf8') !== text) {
        this.problems.add(manifestName, 'is not the canonical (signed) form of the manifest');
        continue;
      }
      const key = this.trust.check(manifest.keyId, manifest.issuedAt);
      if (!key.ok) {
        this.problems.add(bundleSignatureFile(listed.bundleId), `${key.cause}: ${key.message}`);
        continue;
      }
      if (!verifyBytes(manifestBytes(manifest), signature, key.publicKey)) {
        this.problems.add(
          bundleSignatureFile(listed.bundleId),
          `Ed25519 signature does not verify with key ${quote(manifest.keyId)}`,
        );
        continue;
      }
      const digest = bundleDigest(manifest);
      if (bundleIdOf(manifest, digest) !== listed.bundleId || digest !== listed.digest) {
        this.problems.add(
          manifestName,
          'its digest does not match the bundle id it is filed under',
        );
        continue;
      }
      if (manifest.tenant.id !== this.manifest.tenant.id) {
        this.problems.add(manifestName, 'belongs to another tenant than the pack');
        continue;
      }
      if (manifest.firstSeq === null) {
        this.problems.add(manifestName, 'is an empty bundle: no entry can come from it');
        continue;
      }
      this.bundles.push({
        id: listed.bundleId,
        manifest,
        indices: [],
        lines: [],
        hashes: Buffer.alloc(0),
      });
    }
    this.bundles.sort((a, b) => a.manifest.firstSeq! - b.manifest.firstSeq!);
  }

  /** annotations.csv as id → annotation (restored cells). */
  private readAnnotations(): Map<string, ExportAnnotation> | null {
    if (!this.manifest.annotations) return null;
    const name = FILE_NAMES.annotationsCsv;
    const file = this.files.get(name);
    const out = new Map<string, ExportAnnotation>();
    if (file === undefined) return out;
    let header = true;
    let rowNumber = 0;
    for (const row of this.csvRows(name, file)) {
      rowNumber++;
      const cells = row.map(restoreCell);
      const live = row.findIndex((c) => !isNeutralizedAsDocumented(c));
      if (live !== -1)
        this.problems.add(
          name,
          `row ${rowNumber}: cell ${live + 1} is not neutralized as documented`,
        );
      if (header) {
        header = false;
        if (cells.join(',') !== ANNOTATION_CSV_COLUMNS.join(','))
          this.problems.add(name, `row 1: header is not ${ANNOTATION_CSV_COLUMNS.join(',')}`);
        continue;
      }
      if (cells.length !== ANNOTATION_CSV_COLUMNS.length) {
        this.problems.add(
          name,
          `row ${rowNumber}: ${cells.length} cells, expected ${ANNOTATION_CSV_COLUMNS.length}`,
        );
        continue;
      }
      const [id, , status, tags, note, author, updatedAt] = cells as string[];
      if (out.has(id!))
        this.problems.add(name, `row ${rowNumber}: entry ${quote(id)} annotated twice`);
      out.set(id!, {
        status: status || null,
        tags: tags === '' ? [] : tags!.split(', '),
        note: note || null,
        author: author || null,
        updatedAt: updatedAt || null,
      });
    }
    if (out.size !== this.manifest.counts.annotations)
      this.problems.add(
        name,
        `holds ${out.size} annotations, manifest.json says ${this.manifest.counts.annotations}`,
      );
    return out;
  }

  /** CSV rows of a file (BOM required), with syntax problems reported and the reading stopped. */
  private *csvRows(name: string, file: ZipFileEntry): Generator<string[]> {
    const reader = new CsvReader();
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let first = true;
    try {
      for (const chunk of this.zip.chunks(file)) {
        let text = decoder.decode(chunk, { stream: true });
        if (first) {
          first = false;
          if (!text.startsWith(UTF8_BOM))
            this.problems.add(name, 'does not start with a UTF-8 BOM');
          else text = text.slice(1);
        }
        yield* reader.push(text);
      }
      yield* reader.push(decoder.decode());
      reader.end();
    } catch (error) {
      if (error instanceof CsvSyntaxError) this.problems.add(name, error.message);
      else if (error instanceof TypeError) this.problems.add(name, 'is not valid UTF-8');
      else throw error;
    }
  }

  /** entries.jsonl lines (without LF), numbered from 1. */
  private *jsonlLines(file: ZipFileEntry): Generator<{ line: number; bytes: Buffer }> {
    let rest: Buffer = Buffer.alloc(0);
    let line = 0;
    for (const chunk of this.zip.chunks(file)) {
      const data = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
      let start = 0;
      for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a, start)) {
        yield { line: ++line, bytes: data.subarray(start, nl) };
        start = nl + 1;
      }
      rest = Buffer.from(data.subarray(start));
    }
    if (rest.length > 0)
      this.problems.add(FILE_NAMES.entriesJsonl, `line ${line + 1}: does not end with a line feed`);
  }

  /** The signed entry on one entries.jsonl line, placed in its bundle; null when it is not one. */
  private readEntry(
    line: number,
    bytes: Buffer,
    lastSeq: number,
  ): { entry: Entry; bundle: SourceBundle } | null {
    const where = FILE_NAMES.entriesJsonl;
    const at = `line ${line}`;
    if (!isUtf8(bytes)) return this.bad(where, `${at}: not valid UTF-8`);
    const text = bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.bad(where, `${at}: not valid JSON`);
    }
    const problem = entryProblem(value);
    if (problem !== null) return this.bad(where, `${at}: not an entry (${problem})`);
    if (!isCanonical(value, text)) return this.bad(where, `${at}: not the signed canonical form`);
    const entry = value as Entry;
    if (entry.seq <= lastSeq)
      return this.bad(where, `${at}: seq ${entry.seq} out of order or repeated`);
    const bundle = this.bundleOf(entry.seq);
    if (bundle === undefined)
      return this.bad(where, `${at}: seq ${entry.seq} is in none of the pack's signed bundles`);
    const occurred = Date.parse(entry.occurredAt);
    if (
      occurred < Date.parse(bundle.manifest.periodStart) ||
      occurred >= Date.parse(bundle.manifest.periodEnd)
    )
      return this.bad(where, `${at}: occurredAt lies outside the period of bundle ${bundle.id}`);
    addLeaf(bundle, entry.seq - bundle.manifest.firstSeq!, line, leafHash(bytes));
    return { entry, bundle };
  }

  private bad(where: string, message: string): null {
    this.problems.add(where, message);
    return null;
  }

  private bundleOf(seq: number): SourceBundle | undefined {
    let lo = 0;
    let hi = this.bundles.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = this.bundles[mid]!.manifest;
      if (seq < m.firstSeq!) hi = mid - 1;
      else if (seq > m.lastSeq!) lo = mid + 1;
      else return this.bundles[mid];
    }
    return undefined;
  }

  /**
   * entries.jsonl and entries.csv side by side: every line a signed entry of a pack bundle, every
   * CSV row (after the header) what that entry's row must say.
   */
  private checkEntriesAndRows(annotations: Map<string, ExportAnnotation> | null): void {
    const m = this.manifest;
    const fields = m.fields as ExportField[];
    const jsonlFile = this.files.get(FILE_NAMES.entriesJsonl);
    const csvFile = this.files.get(FILE_NAMES.entriesCsv);
    if (jsonlFile === undefined || csvFile === undefined) {
      if (jsonlFile === undefined)
        this.problems.add(FILE_NAMES.entriesJsonl, 'missing from the pack');
      if (csvFile === undefined) this.problems.add(FILE_NAMES.entriesCsv, 'missing from the pack');
      return;
    }
    const csv = FILE_NAMES.entriesCsv;
    const rows = this.csvRows(csv, csvFile);
    const header = rows.next();
    if (header.done === true) this.problems.add(csv, 'row 1: the header row is missing');
    else if (header.value.join('\n') !== fields.join('\n'))
      this.problems.add(csv, 'row 1: the header does not name the fields in manifest.json');
    const ids: string[] = [];
    let lastSeq = -1;
    let csvRowsSeen = 1;
    const noted = new Set<string>();
    for (const { line, bytes } of this.jsonlLines(jsonlFile)) {
      this.entries++;
      const placed = this.readEntry(line, bytes, lastSeq);
      const next = rows.next();
      if (next.done !== true) csvRowsSeen++;
      if (placed === null) continue;
      const { entry, bundle } = placed;
      lastSeq = entry.seq;
      ids.push(entry.id);
      const note = annotations?.get(entry.id);
      if (note !== undefined) noted.add(entry.id);
      if (next.done === true) continue;
      const mismatch = this.rowMismatch(next.value, entry, fields, bundle.id, note);
      if (mismatch !== null)
        this.problems.add(
          csv,
          `row ${line + 1}: does not say what its signed entry says (entries.jsonl line ${line}, seq ${entry.seq}): ${mismatch}`,
        );
    }
    let extra = 0;
    for (let r = rows.next(); r.done !== true; r = rows.next()) extra++;
    if (extra > 0 || csvRowsSeen - 1 !== this.entries)
      this.problems.add(
        csv,
        `has ${csvRowsSeen - 1 + extra} entry rows, entries.jsonl has ${this.entries} signed entries (rows added or removed)`,
      );
    if (this.entries !== m.counts.entries)
      this.problems.add(
        FILE_NAMES.entriesJsonl,
        `holds ${this.entries} entries, manifest.json says ${m.counts.entries}`,
      );
    const fingerprint = fingerprintOfAny(ids);
    if (typeof fingerprint !== 'string')
      this.problems.add(
        FILE_NAMES.entriesJsonl,
        `entry id ${quote(fingerprint.repeated)} appears more than once`,
      );
    else if (fingerprint !== m.entryIdsFingerprint)
      this.problems.add(
        FILE_NAMES.manifest,
        'entryIdsFingerprint does not match the entries in the pack',
      );
    if (m.selection.kind === 'query' && m.populationFingerprint !== m.entryIdsFingerprint)
      this.problems.add(
        FILE_NAMES.manifest,
        'a query export must have populationFingerprint = entryIdsFingerprint',
      );
    if (annotations !== null)
      for (const id of annotations.keys())
        if (!noted.has(id))
          this.problems.add(
            FILE_NAMES.annotationsCsv,
            `annotates ${quote(id)}, which is not in the pack`,
          );
  }

  /** Which columns of a CSV row differ from the row its signed entry gives, or null. */
  private rowMismatch(
    written: string[],
    entry: Entry,
    fields: readonly ExportField[],
    bundleId: string,
    note: ExportAnnotation | undefined,
  ): string | null {
    if (written.length !== fields.length)
      return `${written.length} cells, expected ${fields.length}`;
    // The local time is compared as the instant it names (see instantOfLocal).
    const expected = renderRow(entry, fields, { local: (ms) => `@${ms}`, bundleId }, note);
    const wrong: string[] = [];
    fields.forEach((field, i) => {
      const cell = written[i]!;
      // Compared as written, so a cell whose apostrophe was removed (a live formula) differs too.
      const same =
        field === 'occurredAtLocal'
          ? isNeutralizedAsDocumented(cell) &&
            `@${instantOfLocal(restoreCell(cell))}` === expected[i]
          : cell === neutralizeCell(expected[i] ?? '');
      if (!same) wrong.push(field);
    });
    return wrong.length === 0 ? null : `column${wrong.length > 1 ? 's' : ''} ${wrong.join(', ')}`;
  }

  /**
   * A whole bundle exported (the proof has no nodes): its root is recomputed leaf by leaf, in
   * O(log n) memory, which proves every leaf at once. Otherwise every leaf's audit path is rebuilt
   * from the proof's nodes and the exported leaves (checkProof).
   */
  private checkBundleProof(bundle: SourceBundle, proof: BundleProof, name: string): void {
    const { entryCount, merkleRoot } = bundle.manifest;
    const count = bundle.indices.length;
    const leafAt = (i: number) => bundle.hashes.subarray(i * 32, i * 32 + 32);
    if (count === entryCount && proof.nodes.length === 0) {
      const builder = new MerkleRootBuilder();
      for (let i = 0; i < count; i++) builder.addLeafHash(leafAt(i));
      for (const p of checkProofHeader(proof, count, merkleRoot, entryCount))
        this.problems.add(name, p);
      if (builder.root().toString('hex') !== merkleRoot)
        this.problems.add(
          FILE_NAMES.entriesJsonl,
          `lines ${bundle.lines[0]}–${bundle.lines[count - 1]}: the entries of bundle ${bundle.id} do not hash to its signed Merkle root (one of them was altered)`,
        );
      return;
    }
    const leaves = new Map<number, Buffer>();
    const lineOf = new Map<number, number>();
    bundle.indices.forEach((index, i) => {
      leaves.set(index, leafAt(i));
      lineOf.set(index, bundle.lines[i]!);
    });
    const result = checkProof(proof, leaves, merkleRoot, entryCount);
    for (const p of result.problems) this.problems.add(name, p);
    for (const leaf of result.leaves) {
      if (leaf.ok) continue;
      this.problems.add(
        FILE_NAMES.entriesJsonl,
        `line ${lineOf.get(leaf.index)}: not proven by ${name} against the signed Merkle root of bundle ${bundle.id}`,
      );
    }
  }

  /** Every exported entry proven against its bundle's signed root. */
  private checkProofs(): void {
    for (const bundle of this.bundles) {
      const name = proofFile(bundle.id);
      const text = this.text(name);
      if (text === null) continue;
      let proof: BundleProof;
      try {
        const parsed = proofSchema.safeParse(JSON.parse(text));
        if (!parsed.success) {
          this.problems.add(name, 'is not a proof file');
          continue;
        }
        proof = parsed.data;
      } catch {
        this.problems.add(name, 'is not valid JSON');
        continue;
      }
      if (proof.bundleId !== bundle.id) this.problems.add(name, 'names another bundle');
      this.checkBundleProof(bundle, proof, name);
      const listed = this.manifest.bundles.find((b) => b.bundleId === bundle.id);
      if (listed !== undefined && listed.exported !== bundle.indices.length)
        this.problems.add(
          FILE_NAMES.manifest,
          `bundle ${bundle.id}: says ${listed.exported} entries exported, the pack holds ${bundle.indices.length}`,
        );
    }
  }
}

/** Appends a leaf to a bundle's exported leaves (the hash buffer grows by doubling). */
function addLeaf(bundle: SourceBundle, index: number, line: number, hash: Buffer): void {
  const at = bundle.indices.length * 32;
  if (at + 32 > bundle.hashes.length) {
    const grown = Buffer.alloc(Math.max(1024, bundle.hashes.length * 2));
    bundle.hashes.copy(grown);
    bundle.hashes = grown;
  }
  hash.copy(bundle.hashes, at);
  bundle.indices.push(index);
  bundle.lines.push(line);
}
