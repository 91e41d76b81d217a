// Rendering batches of signed entry lines as entries.csv text: in the exporting thread for small
// exports, in a worker thread (csv-worker.ts) for large ones, so that the second core renders CSV
// while the first reads, hashes and writes.
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
