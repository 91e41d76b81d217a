// Columns an evidence pack's entries.csv can hold (electron/core/export/fields.ts names them), in
// groups a reviewer chooses from. Review columns come with "include annotations".
export const EXPORT_FIELD_GROUPS: { id: string; label: string; fields: string[] }[] = [
  { id: 'time', label: 'Time (tenant zone and UTC)', fields: ['occurredAtLocal', 'occurredAtUtc'] },
  { id: 'seq', label: 'Sequence number', fields: ['seq'] },
  { id: 'id', label: 'Entry id', fields: ['id'] },
  { id: 'category', label: 'Category', fields: ['category'] },
  { id: 'action', label: 'Action', fields: ['action'] },
  {
    id: 'actor',
    label: 'User (name, id, e-mail, type)',
    fields: ['actorName', 'actorId', 'actorEmail', 'actorType'],
  },
  {
    id: 'entity',
    label: 'Entity (type, id, label)',
    fields: ['entityType', 'entityId', 'entityLabel'],
  },
  { id: 'changes', label: 'Changes', fields: ['changes'] },
  { id: 'ip', label: 'IP address', fields: ['ip'] },
  { id: 'userAgent', label: 'User agent', fields: ['userAgent'] },
  { id: 'metadata', label: 'Metadata', fields: ['metadata'] },
  { id: 'bundle', label: 'Source bundle id', fields: ['bundleId'] },
];

export const ANNOTATION_FIELDS = [
  'reviewStatus',
  'reviewTags',
  'reviewNote',
  'reviewAuthor',
  'reviewUpdatedAt',
];

/** The field list for exportPack, in the pack's documented column order. */
export function exportFields(groups: readonly string[], annotations: boolean): string[] {
  const chosen = EXPORT_FIELD_GROUPS.filter((g) => groups.includes(g.id)).flatMap((g) => g.fields);
  return annotations ? [...chosen, ...ANNOTATION_FIELDS] : chosen;
}
