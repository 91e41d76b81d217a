// A background job run again for calls made while it runs, folded into one more run after it: the
// promise a call gets settles only after a run that started after the call. The live vocabulary
// and facet columns bring themselves up to the data this way after every import or sync.
export class CoalescedRun {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly job: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.job();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Settles when no run is going on (at once if none is), without asking for another. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
