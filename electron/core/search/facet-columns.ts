// The facet columns of a workspace: per entry (indexed by seq) its category, action and actor as
// dictionary codes and its time, in typed arrays (~15 MB at 1M entries). Facets and the histogram
// of a query that the import's counts cannot answer tally its matching entries from these in one
// pass, instead of SQLite reading each matching row (seconds for a broad query at 1M entries).
// Read in one read transaction through the time index, which carries all four (migration 0004),
// with the data version it reflects: used only while the database holds exactly that data.
import type { Database } from 'better-sqlite3';
import { readDataVersion, type DataVersion } from './vocabulary-terms';

/** Seqs are dense in practice; past these the arrays would be mostly holes: SQL answers instead. */
export const MAX_COLUMN_SEQ = 50_000_000;
export const MAX_SEQ_PER_ENTRY = 4;

export type CodeArray = Uint8Array | Uint16Array | Uint32Array;

export interface FacetColumnsData {
  version: DataVersion;
  /** Arrays have maxSeq + 1 slots; slot 0 and seqs without an entry hold category code 0. */
  maxSeq: number;
  /** Entries read (equals version.entries for a consistent database). */
  entries: number;
  /** Code + 1 into `categories`; 0 = no entry has this seq. */
  category: Uint8Array;
  /** Code into `actions`. */
  action: CodeArray;
  /** Code into `actors` (actor ids). */
  actor: CodeArray;
  /** occurred_at, UTC ms. */
  occurredAt: Float64Array;
  categories: string[];
  actions: string[];
  actors: string[];
}

/** Why no columns were built (the SQL path answers then). */
export type FacetColumnsRead =
  { status: 'ok'; data: FacetColumnsData } | { status: 'unsuitable'; reason: string };

function codes(dictionary: Map<string, number>, value: string, into: string[]): number {
  let code = dictionary.get(value);
  if (code === undefined) {
    code = into.length;
    dictionary.set(value, code);
    into.push(value);
  }
  return code;
}

/** The narrowest array the dictionary's codes fit (a quarter of the memory for few values). */
function narrow(codesArray: Uint32Array, size: number): CodeArray {
  if (size <= 0x100) return Uint8Array.from(codesArray);
  return size <= 0x10000 ? Uint16Array.from(codesArray) : codesArray;
}

export function readFacetColumns(db: Database): FacetColumnsRead {
  return db.transaction((): FacetColumnsRead => {
    const version = readDataVersion(db);
    const maxSeq = version.maxSeq;
    if (maxSeq > MAX_COLUMN_SEQ || maxSeq > MAX_SEQ_PER_ENTRY * Math.max(version.entries, 1))
      return {
        status: 'unsuitable',
        reason: `seqs up to ${maxSeq} for ${version.entries} entries`,
      };
    const category = new Uint8Array(maxSeq + 1);
    const action = new Uint32Array(maxSeq + 1);
    const actor = new Uint32Array(maxSeq + 1);
    const occurredAt = new Float64Array(maxSeq + 1);
    const categories: string[] = [];
    const actions: string[] = [];
    const actors: string[] = [];
    const categoryCodes = new Map<string, number>();
    const actionCodes = new Map<string, number>();
    const actorCodes = new Map<string, number>();
    let entries = 0;
    // The covering time index: no table page is read (raw rows: no object per row).
    const rows = db
      .prepare(
        'SELECT seq, occurred_at, category, action, actor_id FROM entries INDEXED BY entries_by_time',
      )
      .raw()
      .iterate() as IterableIterator<[number, number, string, string, string]>;
    for (const [seq, at, cat, act, who] of rows) {
      if (!(seq >= 1 && seq <= maxSeq && Number.isInteger(seq)))
        return { status: 'unsuitable', reason: `seq ${seq} outside 1..${maxSeq}` };
      const c = codes(categoryCodes, cat, categories);
      if (c >= 0xff) return { status: 'unsuitable', reason: 'more than 254 categories' };
      category[seq] = c + 1;
      action[seq] = codes(actionCodes, act, actions);
      actor[seq] = codes(actorCodes, who, actors);
      occurredAt[seq] = at;
      entries++;
    }
    return {
      status: 'ok',
      data: {
        version,
        maxSeq,
        entries,
        category,
        action: narrow(action, actions.length),
        actor: narrow(actor, actors.length),
        occurredAt,
        categories,
        actions,
        actors,
      },
    };
  })();
}

/** The buffers a worker hands over without copying. */
export function transferList(data: FacetColumnsData): ArrayBuffer[] {
  return [data.category, data.action, data.actor, data.occurredAt].map(
    (a) => a.buffer as ArrayBuffer,
  );
}
