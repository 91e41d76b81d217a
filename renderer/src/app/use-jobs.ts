// Job events from the backend, kept by id (the newest event of a job replaces the older one).
import { useCallback, useEffect, useState } from 'react';
import type { AuditApi, JobEvent } from '../../../shared/api';

export function useJobs(api: AuditApi | null) {
  const [jobs, setJobs] = useState<JobEvent[]>([]);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [dataVersion, setDataVersion] = useState<Record<string, number>>({});

  useEffect(() => {
    if (!api) return;
    const apply = (event: JobEvent) => {
      setJobs((list) => {
        const old = list.find((j) => j.jobId === event.jobId);
        if (old && old.state !== 'running' && event.state === 'running') return list;
        if (
          event.state === 'succeeded' &&
          old?.state !== 'succeeded' &&
          event.workspaceId &&
          (event.kind === 'import' || event.kind === 'sync' || event.kind === 'index')
        ) {
          const ws = event.workspaceId;
          setDataVersion((v) => ({ ...v, [ws]: (v[ws] ?? 0) + 1 }));
        }
        return [event, ...list.filter((j) => j.jobId !== event.jobId)];
      });
    };
    const unsubscribe = api.subscribe(apply);
    void api.call('listJobs', {}).then((r) => {
      if (r.ok) for (const event of r.value) apply(event);
    });
    return unsubscribe;
  }, [api]);

  const dismissJob = useCallback(
    (jobId: string) => setDismissed((s) => new Set([...s, jobId])),
    [],
  );
  return { jobs: jobs.filter((j) => !dismissed.has(j.jobId)), dismissJob, dataVersion };
}
