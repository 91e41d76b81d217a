// A workspace's facet columns as the app holds them while the workspace is open: read in a worker
// at open, read again after each import or sync, and used only while they cover exactly the data
// in the database (as vocabulary-live.ts does for the vocabulary). Until then, or when an import
// has just changed the data, facets and the histogram run in SQL: never counts of other data.
import { CoalescedRun } from './coalesced-run';
import type { Workspace } from '../workspace/database';
import {
  readFacetColumnsInWorker,
  type FacetColumnsBuilt,
  type FacetColumnsJob,
} from './facet-columns-build';
import { FacetColumns } from './facet-columns-query';
import { readDataVersion, sameDataVersion } from './vocabulary-terms';

/** `unsuitable`: seqs too sparse or too many for arrays (facet-columns.ts); SQL answers. */
export type FacetColumnsState = 'idle' | 'building' | 'ready' | 'unsuitable' | 'failed';

export interface LiveFacetColumnsOptions {
  /** How the columns are read (default: in a worker thread). */
  build?: (job: FacetColumnsJob) => Promise<FacetColumnsBuilt>;
  /** Told of builds and failures (logs); never of entry content. */
  onEvent?: (event: { type: 'built' | 'unsuitable' | 'failed'; detail: string }) => void;
}

/** What facets.ts and histogram.ts ask for: the columns if they cover the data now. */
export interface FacetColumnsSource {
  current(): FacetColumns | null;
}

export class LiveFacetColumns implements FacetColumnsSource {
  private columns: FacetColumns | null = null;
  private readonly updates = new CoalescedRun(() => this.bringUpToDate());
  state: FacetColumnsState = 'idle';
  /** Milliseconds of the last read in the worker (open to last row). */
  lastReadMs: number | null = null;

  constructor(
    private readonly ws: Workspace,
    private readonly options: LiveFacetColumnsOptions = {},
  ) {}

  /** Starts reading in the background; the promise settles when done (or failed). */
  open(): Promise<void> {
    return this.refresh();
  }

  /**
   * After an import or a sync: brings the columns to the current data. Calls while one runs are
   * folded into one more run after it, so the last data always gets its columns.
   */
  refresh(): Promise<void> {
    return this.updates.run();
  }

  /** Settles once a read going on now has ended (at once if none is); starts none. */
  whenRead(): Promise<void> {
    return this.updates.idle();
  }

  current(): FacetColumns | null {
    const columns = this.columns;
    if (columns === null) return null;
    return sameDataVersion(columns.data.version, readDataVersion(this.ws.db)) ? columns : null;
  }

  private async bringUpToDate(): Promise<void> {
    try {
      if (this.current() !== null) return;
      this.state = 'building';
      const build = this.options.build ?? readFacetColumnsInWorker;
      const built = await build({ workspaceDir: this.ws.dir });
      this.lastReadMs = built.readMs;
      if (built.read.status !== 'ok') {
        this.columns = null;
        this.state = 'unsuitable';
        this.options.onEvent?.({ type: 'unsuitable', detail: built.read.reason });
        return;
      }
      // Read from data an import has changed since: kept, but current() refuses it until the
      // import's own refresh reads again.
      this.columns = new FacetColumns(built.read.data);
      this.state = 'ready';
      this.options.onEvent?.({
        type: 'built',
        detail: `${built.read.data.entries} entries in ${Math.round(built.readMs)} ms`,
      });
    } catch (error) {
      this.state = 'failed';
      this.options.onEvent?.({ type: 'failed', detail: (error as Error).message });
    }
  }
}
