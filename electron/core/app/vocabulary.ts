// One live vocabulary (electron/core/search/vocabulary-live.ts) per open workspace: loaded in the
// background on first use, rebuilt as an `index` job after an import or a sync. Suggestions are
// empty while it loads; they never come from other data.
import { runtimeError } from '../errors';
import { FTS_TABLE } from '../search';
import { LiveVocabulary } from '../search/vocabulary-live';
import type { Workspace } from '../workspace/database';
import type { AppContext } from './context';

function ftsTableOf(ws: Workspace): string | null {
  const found = ws.db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(FTS_TABLE);
  return found === undefined ? null : FTS_TABLE;
}

export class Vocabularies {
  private readonly live = new Map<string, LiveVocabulary>();

  constructor(private readonly ctx: AppContext) {
    ctx.registry.onClose((id) => this.live.delete(id));
  }

  /** The workspace's vocabulary, starting its background load on first use. */
  of(workspaceId: string): LiveVocabulary {
    let live = this.live.get(workspaceId);
    if (live === undefined) {
      const ws = this.ctx.registry.connection(workspaceId);
      live = new LiveVocabulary(ws, { ftsTable: ftsTableOf(ws) });
      this.live.set(workspaceId, live);
      void live.open();
    }
    return live;
  }

  /** After entries were added: rebuild as an `index` job (one at a time per workspace). */
  refresh(workspaceId: string): void {
    this.ctx.jobs.start({
      kind: 'index',
      workspaceId,
      unit: 'entries',
      serializeOn: `index:${workspaceId}`,
      run: async ({ progress }) => {
        progress({ message: 'updating the search vocabulary' });
        const live = this.of(workspaceId);
        await live.refresh();
        if (live.state === 'failed') throw runtimeError('the search vocabulary could not be built');
        return { state: live.state };
      },
    });
  }
}
