// A workspace's vocabulary as the app holds it while the workspace is open: loaded in the
// background at open (rebuilt in a worker first when the file is missing, stale or corrupt),
// rebuilt after each import or sync, and used only while it covers exactly the data in the
// database. Until then, or when an import has just changed the data, search runs without typo
// tolerance (expandWord gives nothing) and suggestions are empty: never answers from other data.
import { CoalescedRun } from './coalesced-run';
import type { Workspace } from '../workspace/database';
import { expandWord } from './expand';
import { suggest, type SuggestOptions } from './suggest';
import { Vocabulary } from './vocabulary';
import {
  buildVocabularyInWorker,
  type VocabularyBuildJob,
  type VocabularyBuildReport,
} from './vocabulary-build';
import { readVocabularyFileAsync } from './vocabulary-store';
import { readDataVersion, sameDataVersion } from './vocabulary-terms';
import type { Suggestion } from '../../../shared/api/types';

export type VocabularyState = 'idle' | 'loading' | 'building' | 'ready' | 'failed';

export interface LiveVocabularyOptions {
  ftsTable: string | null;
  /** How a build runs (default: in a worker thread). */
  build?: (job: VocabularyBuildJob) => Promise<VocabularyBuildReport>;
  /** Told of builds and failures (logs); never of entry content. */
  onEvent?: (event: { type: 'loaded' | 'built' | 'rebuilding' | 'failed'; detail: string }) => void;
}

export class LiveVocabulary {
  private vocabulary: Vocabulary | null = null;
  private readonly updates = new CoalescedRun(() => this.bringUpToDate());
  state: VocabularyState = 'idle';

  constructor(
    private readonly ws: Workspace,
    private readonly options: LiveVocabularyOptions,
  ) {}

  /** Starts loading (or building) in the background; the promise settles when it is usable. */
  open(): Promise<void> {
    return this.refresh();
  }

  /**
   * After an import or a sync: brings the vocabulary to the current data. Calls while one runs are
   * folded into one more run after it, so the last data always gets a vocabulary.
   */
  refresh(): Promise<void> {
    return this.updates.run();
  }

  /** The vocabulary, if it covers exactly the data now in the database. */
  current(): Vocabulary | null {
    const vocabulary = this.vocabulary;
    if (vocabulary === null) return null;
    return sameDataVersion(vocabulary.version, readDataVersion(this.ws.db)) ? vocabulary : null;
  }

  /** compileQuery's hook, or null while search has no typo tolerance. */
  expander(): ((word: string, isLastWord: boolean) => string[]) | null {
    const vocabulary = this.current();
    return vocabulary === null ? null : (word, isLast) => expandWord(vocabulary, word, isLast);
  }

  suggest(prefix: string, options?: SuggestOptions): Suggestion[] {
    const vocabulary = this.current();
    return vocabulary === null ? [] : suggest(vocabulary, prefix, options);
  }

  private async bringUpToDate(): Promise<void> {
    const dir = this.ws.dir;
    try {
      if (this.current() !== null) return;
      this.state = 'loading';
      let file = await readVocabularyFileAsync(dir, () => readDataVersion(this.ws.db));
      if (file.status !== 'ok') {
        this.state = 'building';
        this.options.onEvent?.({ type: 'rebuilding', detail: file.status });
        const build = this.options.build ?? buildVocabularyInWorker;
        const report = await build({ workspaceDir: dir, ftsTable: this.options.ftsTable });
        this.options.onEvent?.({
          type: 'built',
          detail: `${report.terms} terms in ${Math.round(report.collectMs + report.buildMs + report.writeMs)} ms`,
        });
        this.state = 'loading';
        file = await readVocabularyFileAsync(dir, () => readDataVersion(this.ws.db));
        // Data changed while building: the next refresh (the import's own) builds again.
        if (file.status !== 'ok') {
          this.state = this.vocabulary ? 'ready' : 'idle';
          return;
        }
      }
      this.vocabulary = await Vocabulary.fromData(file.data);
      this.state = 'ready';
      this.options.onEvent?.({ type: 'loaded', detail: `${this.vocabulary.terms.length} terms` });
    } catch (error) {
      this.state = 'failed';
      this.options.onEvent?.({ type: 'failed', detail: (error as Error).message });
    }
  }
}
