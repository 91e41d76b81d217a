// Rendering batches of signed entry lines as entries.csv text: in the exporting thread for small
// exports, in a worker thread (csv-worker.ts) for large ones, so that the second core renders CSV
// while the first reads, hashes and writes.
import { hash } from 'node:crypto';
import type { Entry } from '../../../shared/entry';
import { csvRows } from './csv-safety';
import { localTimeFormatter, rowRenderer, type ExportAnnotation, type ExportField } from './fields';

export interface CsvJob {
  /** Signed entry lines (canonical JSON), in export order. */
  raws: string[];
  /** The annotation of each line's entry, or null. */
  notes: (ExportAnnotation | null)[] | null;
  fields: ExportField[];
  timeZone: string;
  bundleId: string;
}

const formatters = new Map<string, (ms: number) => string>();
let lastFields: { key: string; list: ExportField[] } | null = null;

/** The same array for the same field names (jobs from a worker arrive as new arrays). */
function fieldList(fields: ExportField[]): ExportField[] {
  const key = fields.join(',');
  if (lastFields?.key !== key) lastFields = { key, list: fields };
  return lastFields.list;
}

/** CSV rows (each ending in CRLF) of one batch. */
export function renderCsvBatch(job: CsvJob): string {
  let local = formatters.get(job.timeZone);
  if (local === undefined) {
    local = localTimeFormatter(job.timeZone);
    formatters.set(job.timeZone, local);
  }
  const ctx = { local, bundleId: job.bundleId };
  const render = rowRenderer(fieldList(job.fields));
  const rows = job.raws.map((raw, i) =>
    render(JSON.parse(raw) as Entry, ctx, job.notes?.[i] ?? undefined),
  );
  return csvRows(rows);
}

/** What rendering a batch gives: its CSV and the RFC 6962 leaf hashes of its lines (32 bytes each). */
export interface CsvResult {
  csv: string | Buffer;
  leaves: Buffer;
}

/** The leaf hashes of a batch's lines, in one buffer of its own (it may be transferred). */
export function leafHashes(raws: readonly string[]): Buffer {
  const out = Buffer.allocUnsafeSlow(raws.length * 32);
  raws.forEach((raw, i) => hashLeaf(raw).copy(out, i * 32));
  return out;
}

/** RFC 6962 leaf hash of a line, through one reused buffer (a million lines, no allocation each). */
let leafInput = Buffer.allocUnsafe(1 << 16);
export function hashLeaf(line: string): Buffer {
  const needed = 1 + Buffer.byteLength(line, 'utf8');
  if (needed > leafInput.length) leafInput = Buffer.allocUnsafe(needed);
  leafInput[0] = 0x00;
  const n = leafInput.write(line, 1, 'utf8');
  return hash('sha256', leafInput.subarray(0, n + 1), 'buffer');
}
