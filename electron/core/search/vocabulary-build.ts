// Builds the vocabulary file of a workspace: the terms read in one read transaction, the index
// built, the file written atomically (vocabulary-store.ts). Runs in a worker thread in the app
// (vocabulary-worker.ts: tens of seconds of CPU at millions of entries must not block the main
// thread); tests and the benchmark may call buildVocabularyFile directly.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWorkerOnce, type OneShotMessage } from '../jobs/spawn-worker';
import { openWorkspace } from '../workspace/database';
import { Vocabulary } from './vocabulary';
import { removeStrayTempFiles, writeVocabularyFile } from './vocabulary-store';
import { collectTerms, type DataVersion } from './vocabulary-terms';

export interface VocabularyBuildJob {
  workspaceDir: string;
  /** The FTS5 table whose vocabulary gives the words (null: users, actions, labels and IPs only). */
  ftsTable: string | null;
}

export interface VocabularyBuildReport {
  version: DataVersion;
  terms: number;
  words: number;
  bytes: number;
  /** Milliseconds reading the terms, building the index, writing the file. */
  collectMs: number;
  buildMs: number;
  writeMs: number;
}

export type VocabularyWorkerMessage = OneShotMessage<VocabularyBuildReport>;

export function buildVocabularyFile({
  workspaceDir,
  ftsTable,
}: VocabularyBuildJob): VocabularyBuildReport {
  const started = performance.now();
  // Read-only: the build never writes the database, and runs beside an import without locking it.
  const ws = openWorkspace(workspaceDir, { readonly: true });
  let collected;
  try {
    collected = collectTerms(ws.db, { ftsTable });
  } finally {
    ws.close();
  }
  const readDone = performance.now();
  const vocabulary = Vocabulary.build(collected.terms, collected.version);
  const data = vocabulary.toData();
  const built = performance.now();
  removeStrayTempFiles(workspaceDir);
  const bytes = writeVocabularyFile(workspaceDir, data);
  return {
    version: collected.version,
    terms: collected.terms.length,
    words: collected.terms.filter((t) => t.kind === 'word').length,
    bytes,
    collectMs: readDone - started,
    buildMs: built - readDone,
    writeMs: performance.now() - built,
  };
}

const WORKER_URL = new URL(
  `./vocabulary-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

/** The same build in a worker thread of its own (started per build: builds are rare). */
export function buildVocabularyInWorker(job: VocabularyBuildJob): Promise<VocabularyBuildReport> {
  return runWorkerOnce(WORKER_URL, job, 'vocabulary');
}
