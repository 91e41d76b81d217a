// Words for job events: what finished, what was refused and what to do about it.
import type { ExportResult, ImportResult, JobEvent, SyncResult } from '../../../../shared/api';
import { formatBytes, formatCount } from '../../components/Progress';

export const JOB_TITLES: Record<JobEvent['kind'], string> = {
  import: 'Opening bundle files',
  sync: 'Sync from Otesse',
  export: 'Evidence pack',
  index: 'Typo-tolerant index',
};

/** What to do after a failure, by job kind. */
const ADVICE: Record<JobEvent['kind'], string> = {
  import:
    'Nothing from a refused file was stored. Ask the sender for an intact copy signed by a trusted key (Settings › Trust store).',
  sync: 'Bundles verified before the failure are kept. Check the API URL, token and trust store in Settings, then Sync again: it resumes.',
  export: 'No pack was written. Try again; if it keeps failing, export a smaller query.',
  index: 'Search still works without typo tolerance.',
};

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

/** One line per outcome of a finished job. */
export function resultLines(event: JobEvent): { text: string; bad: boolean }[] {
  if (event.state === 'failed') {
    const message = event.error?.message ?? 'the job failed without saying why';
    if (event.kind === 'import')
      return [
        { text: `Refused ${message}`, bad: true },
        { text: ADVICE.import, bad: false },
      ];
    return [
      { text: message, bad: true },
      { text: ADVICE[event.kind], bad: false },
    ];
  }
  if (event.state === 'cancelled')
    return [
      { text: 'Cancelled. Nothing partial was stored; start it again to resume.', bad: false },
    ];
  if (event.state !== 'succeeded' || !event.result) return [];
  if (event.kind === 'import') {
    const r = event.result as ImportResult;
    const lines = [
      {
        text: `Imported ${plural(r.imported.length, 'bundle')} (${plural(r.entriesAdded, 'new entry', 'new entries')}).`,
        bad: false,
      },
    ];
    for (const refused of r.rejected)
      lines.push({ text: `Refused ${refused.name}: ${refused.reason}`, bad: true });
    if (r.rejected.length > 0) lines.push({ text: ADVICE.import, bad: false });
    return lines;
  }
  if (event.kind === 'sync') {
    const r = event.result as SyncResult;
    const lines = [
      {
        text: `Added ${plural(r.bundlesAdded, 'bundle')} and ${r.entriesAdded.toLocaleString('en-US')} entries.`,
        bad: false,
      },
    ];
    if (r.archived > 0)
      lines.push({
        text: `${plural(r.archived, 'bundle')} older than the plan's retention are archived: ask Otesse support for the files and open them here.`,
        bad: false,
      });
    for (const refused of r.rejected)
      lines.push({ text: `Refused ${refused.bundle}: ${refused.reason}`, bad: true });
    return lines;
  }
  if (event.kind === 'export') {
    const r = event.result as ExportResult;
    return [
      { text: `Wrote ${r.fileName} with ${plural(r.entries, 'entry', 'entries')}.`, bad: false },
    ];
  }
  return [{ text: 'Done.', bad: false }];
}

/** `bytesTotal: 645408` → `630.3 KiB total`, `bundlesAdded: 3` → `3 bundles added`. */
export function counterText(name: string, n: number): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  if (words.startsWith('bytes')) return `${formatBytes(n)} ${words.slice(5).trim()}`.trim();
  return `${formatCount(n)} ${words}`;
}
