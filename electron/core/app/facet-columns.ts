// One live set of facet columns (electron/core/search/facet-columns-live.ts) per open workspace:
// read in a worker on first use, read again after an import or a sync. Facets and the histogram
// run in SQL until they are ready, and whenever the data has changed since they were read.
import { LiveFacetColumns } from '../search/facet-columns-live';
import type { AppContext } from './context';

export class FacetColumnsHolder {
  private readonly live = new Map<string, LiveFacetColumns>();

  constructor(private readonly ctx: AppContext) {
    ctx.registry.onClose((id) => this.live.delete(id));
  }

  /** The workspace's columns, starting their background read on first use. */
  of(workspaceId: string): LiveFacetColumns {
    let live = this.live.get(workspaceId);
    if (live === undefined) {
      live = new LiveFacetColumns(this.ctx.registry.connection(workspaceId));
      this.live.set(workspaceId, live);
      void live.open();
    }
    return live;
  }

  /** After entries were added: read again in the background (a second of work at 1M entries). */
  refresh(workspaceId: string): void {
    void this.of(workspaceId).refresh();
  }
}
