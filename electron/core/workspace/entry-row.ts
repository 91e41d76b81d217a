// One entry as the import stores it: the typed columns and the exact signed line. A flat tuple,
// because rows cross from the verifying worker to the storing thread by the hundred thousand.
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
  ];
}
