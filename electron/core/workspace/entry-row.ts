// One entry as the import stores it: the typed columns, the exact signed line and the texts of its
// full-text index row. A flat tuple, because rows cross from the verifying worker to the storing
// thread by the hundred thousand; the texts are built on the verifying side so that the storing
// thread (the import's bottleneck) only hands them to SQLite.
import { fullTextColumns } from '../search/full-text';
import type { VerifiedEntry } from '../bundle/verifier';

export type EntryRow = [
  seq: number,
  id: string,
  leafIndex: number,
  occurredAtMs: number,
  category: string,
  action: string,
  actorId: string,
  actorType: string,
  entityType: string,
  entityId: string,
  ip: string | null,
  line: string,
  actorName: string,
  actorEmail: string | null,
  // FTS_COLUMNS of electron/core/search/full-text.ts, in order
  ftsAction: string,
  ftsActor: string,
  ftsEntity: string,
  ftsChanges: string | null,
  ftsIp: string | null,
  ftsAgent: string | null,
  ftsMetadata: string | null,
];

export function toEntryRow({ entry, line, leafIndex }: VerifiedEntry): EntryRow {
  const { actor, entity } = entry;
  return [
    entry.seq,
    entry.id,
    leafIndex,
    Date.parse(entry.occurredAt),
    entry.category,
    entry.action,
    actor.id,
    actor.type,
    entity.type,
    entity.id,
    entry.ip,
    line,
    actor.name,
    actor.email,
    ...fullTextColumns(entry),
  ];
}
