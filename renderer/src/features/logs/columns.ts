// The log view's columns: header text and the cell text of an entry.
import type { Change, Entry, JsonValue } from '../../../../shared/entry';
import type { LogColumn } from '../../../../shared/settings';
import { formatCell } from './time';

export const COLUMN_TITLES: Record<LogColumn, string> = {
  time: 'Time',
  user: 'User',
  action: 'Action',
  entity: 'Entity',
  changes: 'Changes',
  ip: 'IP address',
};

/** A JSON value in one short line. */
export function shortValue(value: JsonValue): string {
  if (value === null) return '∅';
  if (typeof value === 'string') return value.replace(/\s+/g, ' ');
  return JSON.stringify(value);
}

function changeText(c: Change): string {
  return `${c.field}: ${shortValue(c.old)} → ${shortValue(c.new)}`;
}

export function changesSummary(changes: readonly Change[]): string {
  if (changes.length === 0) return '';
  const first = changes.slice(0, 3).map(changeText).join('; ');
  return changes.length > 3 ? `${first}; +${changes.length - 3} more` : first;
}

export function cellText(entry: Entry, column: LogColumn, zone: string): string {
  switch (column) {
    case 'time':
      return formatCell(entry.occurredAt, zone);
    case 'user':
      return entry.actor.name || entry.actor.id;
    case 'action':
      return entry.action;
    case 'entity':
      return entry.entity.label || `${entry.entity.type} ${entry.entity.id}`;
    case 'changes':
      return changesSummary(entry.changes);
    case 'ip':
      return entry.ip ?? '';
  }
}
