// Words for job events: what finished, what was refused and what to do about it.
import type { ExportResult, ImportResult, JobEvent, SyncResult } from '../../../../shared/api';

export const JOB_TITLES: Record<JobEvent['kind'], string> = {
  import: 'Opening bundle files',
  sync: 'Sync from Otesse',
  export: 'Evidence pack',
  index: 'Typo-tolerant index',
};

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

/** One line per outcome of a finished job. */
export function resultLines(event: JobEvent): { text: string; bad: boolean }[] {
  if (event.state === 'failed')
    return [{ text: event.error?.message ?? 'The job failed without saying why.', bad: true }];
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
    if (r.rejected.length > 0)
      lines.push({
        text: 'Refused files were not stored. Ask the sender for an intact copy signed by a trusted key.',
        bad: false,
      });
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
