// A short list of entries by id (a sample batch, a finding's entries) with the detail pane beside
// it: the reviewer works through it with j/k and annotates in the pane.
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { EntryDetail } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { DetailPane } from '../detail/DetailPane';
import { STATUS_TEXT } from '../detail/AnnotationEditor';
import { formatCell } from '../logs/time';

function Row(props: {
  workspaceId: string;
  entryId: string;
  zone: string;
  selected: boolean;
  version: number;
  onSelect: () => void;
}) {
  const api = useApi();
  const [detail, setDetail] = useState<EntryDetail | null>(null);
  useEffect(() => {
    let live = true;
    void api
      .call('entryDetail', { workspaceId: props.workspaceId, entryId: props.entryId })
      .then((r) => {
        if (live && r.ok) setDetail(r.value);
      });
    return () => {
      live = false;
    };
  }, [api, props.workspaceId, props.entryId, props.version]);
  const e = detail?.entry;
  const status = detail?.annotation?.status ?? 'unreviewed';
  return (
    <li
      role="option"
      aria-selected={props.selected}
      className={`entry-item${props.selected ? ' selected' : ''}`}
      onClick={props.onSelect}
    >
      <span className={`badge status-badge status-${status}`}>{STATUS_TEXT[status]}</span>
      {e ? (
        <>
          <span className="muted">{formatCell(e.occurredAt, props.zone)}</span>
          <span>{e.action}</span>
          <span>{e.actor.name}</span>
          <span className="muted">{e.entity.label}</span>
        </>
      ) : (
        <code>{props.entryId}</code>
      )}
    </li>
  );
}

export function EntryList(props: {
  workspaceId: string;
  entryIds: readonly string[];
  zone: string;
  label: string;
  onChanged?: () => void;
}) {
  const [index, setIndex] = useState(0);
  const [version, setVersion] = useState(0);
  const selected = props.entryIds[index] ?? null;
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'j' || e.key === 'ArrowDown') {
      e.preventDefault();
      setIndex((i) => Math.min(props.entryIds.length - 1, i + 1));
    } else if (e.key === 'k' || e.key === 'ArrowUp') {
      e.preventDefault();
      setIndex((i) => Math.max(0, i - 1));
    }
  };
  return (
    <div className="entry-list-layout">
      <ul
        className="entry-list"
        role="listbox"
        aria-label={props.label}
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-activedescendant={undefined}
      >
        {props.entryIds.slice(0, 1000).map((id, i) => (
          <Row
            key={id}
            workspaceId={props.workspaceId}
            entryId={id}
            zone={props.zone}
            selected={i === index}
            version={version}
            onSelect={() => setIndex(i)}
          />
        ))}
      </ul>
      {selected ? (
        <DetailPane
          key={`${selected}-${version}`}
          workspaceId={props.workspaceId}
          entryId={selected}
          zone={props.zone}
          businessZone={props.zone}
          version={version}
          onQuery={() => undefined}
          onClose={() => setIndex(0)}
          onSaved={() => {
            setVersion((v) => v + 1);
            props.onChanged?.();
          }}
        />
      ) : null}
    </div>
  );
}
