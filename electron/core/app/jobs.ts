// Long operations (import, sync, export, index) as jobs: started by a call that answers at once with
// the job id, reported as JobEvents (progress at most every `progressIntervalMs`, every state change
// always), cancelled through an AbortController. Jobs that write to the same workspace run one after
// the other (one SQLite writer at a time); the next waits with the message "waiting".
import { randomBytes } from 'node:crypto';
import type { JobEvent, JobKind, JobProgress } from '../../../shared/api';
import { toApiError } from './errors';

export interface JobContext {
  signal: AbortSignal;
  /** Merges into the job's progress; emitted throttled. */
  progress(update: Partial<JobProgress>): void;
}

export interface JobSpec<T> {
  kind: JobKind;
  workspaceId: string | null;
  unit: JobProgress['unit'];
  /** Jobs with the same key run one after the other (default: the workspace id). */
  serializeOn?: string | null;
  run(context: JobContext): Promise<T>;
}

type Listener = (event: JobEvent) => void;

interface Job {
  event: JobEvent;
  controller: AbortController;
  lastEmit: number;
  pending: NodeJS.Timeout | null;
  samples: { at: number; done: number }[];
  finished: Promise<JobEvent>;
}

const RATE_WINDOW_MS = 5_000;
const KEPT_FINISHED = 50;

export class JobManager {
  private readonly jobs = new Map<string, Job>();
  private readonly listeners = new Set<Listener>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly options: {
      progressIntervalMs?: number;
      secrets?: () => readonly string[];
    } = {},
  ) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): JobEvent[] {
    return [...this.jobs.values()].map((j) => structuredClone(j.event));
  }

  /** Resolves with the job's final event (tests, the CLI). */
  async wait(jobId: string): Promise<JobEvent> {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new Error(`no job ${jobId}`);
    return job.finished;
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (job === undefined || job.event.state !== 'running') return false;
    job.controller.abort();
    return true;
  }

  start<T>(spec: JobSpec<T>): { jobId: string } {
    const jobId = `job_${randomBytes(8).toString('hex')}`;
    const controller = new AbortController();
    const event: JobEvent = {
      jobId,
      kind: spec.kind,
      workspaceId: spec.workspaceId,
      state: 'running',
      progress: {
        done: 0,
        total: null,
        unit: spec.unit,
        counters: {},
        rate: null,
        message: 'starting',
      },
    };
    let finish!: (event: JobEvent) => void;
    const finished = new Promise<JobEvent>((resolve) => (finish = resolve));
    const job: Job = { event, controller, lastEmit: 0, pending: null, samples: [], finished };
    this.jobs.set(jobId, job);
    this.prune();
    this.emit(job);

    const key = spec.serializeOn === undefined ? spec.workspaceId : spec.serializeOn;
    const before = key === null ? Promise.resolve() : (this.queues.get(key) ?? Promise.resolve());
    if (key !== null && this.queues.has(key))
      this.update(job, { message: 'waiting for another job on this workspace' });
    const context: JobContext = { signal: controller.signal, progress: (u) => this.update(job, u) };
    const done = before
      .catch(() => undefined)
      .then(async () => {
        if (controller.signal.aborted) throw abortError();
        this.update(job, { message: 'running' });
        return spec.run(context);
      })
      .then(
        (result) => this.end(job, { state: 'succeeded', result }),
        (error: unknown) => {
          if (controller.signal.aborted)
            return this.end(job, {
              state: 'cancelled',
              error: { code: 'cancelled', message: 'cancelled by the user' },
            });
          const { code, message } = toApiError(error, this.options.secrets?.() ?? []);
          return this.end(job, { state: 'failed', error: { code, message } });
        },
      )
      .then(() => finish(structuredClone(job.event)));
    if (key !== null) {
      this.queues.set(key, done);
      void done.then(() => {
        if (this.queues.get(key) === done) this.queues.delete(key);
      });
    }
    return { jobId };
  }

  /** Cancels every running job and waits for them to settle. */
  async close(): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.event.state === 'running');
    for (const job of running) job.controller.abort();
    await Promise.all(running.map((j) => j.finished));
  }

  private update(job: Job, update: Partial<JobProgress>): void {
    if (job.event.state !== 'running') return;
    const progress = { ...job.event.progress, ...update };
    if (update.counters) progress.counters = { ...job.event.progress.counters, ...update.counters };
    const now = Date.now();
    if (update.done !== undefined) {
      job.samples.push({ at: now, done: update.done });
      while (job.samples.length > 2 && now - job.samples[0]!.at > RATE_WINDOW_MS)
        job.samples.shift();
      const first = job.samples[0]!;
      const seconds = (now - first.at) / 1000;
      progress.rate =
        seconds >= 0.2
          ? Math.round(((update.done - first.done) / seconds) * 10) / 10
          : progress.rate;
    }
    job.event.progress = progress;
    const interval = this.options.progressIntervalMs ?? 100;
    if (now - job.lastEmit >= interval) this.emit(job);
    else if (job.pending === null)
      job.pending = setTimeout(() => this.emit(job), interval - (now - job.lastEmit));
  }

  private end(job: Job, end: Pick<JobEvent, 'state' | 'result' | 'error'>): void {
    job.event = { ...job.event, ...end };
    job.event.progress = { ...job.event.progress, message: end.state };
    this.emit(job);
  }

  private emit(job: Job): void {
    if (job.pending !== null) clearTimeout(job.pending);
    job.pending = null;
    job.lastEmit = Date.now();
    const event = structuredClone(job.event);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure (a closed connection) must not stop the job or other listeners.
      }
    }
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.event.state !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - KEPT_FINISHED)))
      this.jobs.delete(job.event.jobId);
  }
}

function abortError(): Error {
  const error = new Error('cancelled');
  error.name = 'AbortError';
  return error;
}
