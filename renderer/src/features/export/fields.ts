// Fields an evidence pack can hold (docs/export.md of the export issue names them); all by default.
export const EXPORT_FIELDS: { id: string; label: string }[] = [
  { id: 'occurredAt', label: 'Time (tenant zone and UTC)' },
  { id: 'seq', label: 'Sequence number' },
  { id: 'id', label: 'Entry id' },
  { id: 'category', label: 'Category' },
  { id: 'action', label: 'Action' },
  { id: 'actor', label: 'User (name, id, e-mail, type)' },
  { id: 'entity', label: 'Entity (type, id, label)' },
  { id: 'changes', label: 'Changes' },
  { id: 'ip', label: 'IP address' },
  { id: 'userAgent', label: 'User agent' },
  { id: 'metadata', label: 'Metadata' },
];
