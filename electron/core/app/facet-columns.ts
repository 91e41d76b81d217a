// One live set of facet columns (electron/core/search/facet-columns-live.ts) per open workspace:
// read in a worker on first use, read again after an import or a sync. Facets and the histogram
// run in SQL until they are ready, and whenever the data has changed since they were read.
import type { Query } from '../../../shared/query';
import { countable } from '../search/counts';
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

  /**
   * The workspace's columns for a query, once a read going on now has ended, when the query needs
   * them: anything the counts tables do not answer (countable) costs SQL up to seconds at 1M entries,
   * which would hold the server's one thread; waiting for the read (about a second, in a worker)
   * leaves it free for the page, suggestions and the other calls meanwhile.
   */
  async forQuery(workspaceId: string, query: Query): Promise<LiveFacetColumns> {
    const live = this.of(workspaceId);
    if (!countable(query)) await live.whenRead();
    return live;
  }

  /** After entries were added: read again in the background (a second of work at 1M entries). */
  refresh(workspaceId: string): void {
    void this.of(workspaceId).refresh();
  }
}
