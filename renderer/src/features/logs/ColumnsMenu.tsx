// Which columns the log view shows and in which order, saved in settings (settings.columns).
import { useState } from 'react';
import type { LogColumn } from '../../../../shared/settings';
import { LOG_COLUMNS } from '../../app/constants';
import { useAppState } from '../../app/app-context';
import { Dialog } from '../../components/Dialog';
import { COLUMN_TITLES } from './columns';

export function ColumnsDialog(props: { onClose: () => void }) {
  const { settings, updateSettings } = useAppState();
  // Shown at once, saved behind (a checkbox must not wait for the settings round trip).
  const [shown, setShown] = useState<LogColumn[]>(settings.columns);
  const hidden = LOG_COLUMNS.filter((c) => !shown.includes(c));
  const save = (columns: LogColumn[]) => {
    if (columns.length === 0) return;
    setShown(columns);
    void updateSettings({ columns });
  };
  const move = (i: number, delta: number) => {
    const next = [...shown];
    const j = i + delta;
    if (j < 0 || j >= next.length) return;
    [next[i], next[j]] = [next[j]!, next[i]!];
    save(next);
  };
  return (
    <Dialog title="Columns" onClose={props.onClose}>
      <p className="muted small">Shown columns, in order. Your choice is remembered.</p>
      <ol className="column-list">
        {shown.map((c, i) => (
          <li key={c}>
            <label>
              <input
                type="checkbox"
                checked
                disabled={shown.length === 1}
                onChange={() => save(shown.filter((x) => x !== c))}
              />
              {COLUMN_TITLES[c]}
            </label>
            <button
              type="button"
              aria-label={`Move ${COLUMN_TITLES[c]} up`}
              disabled={i === 0}
              onClick={() => move(i, -1)}
            >
              ↑
            </button>
            <button
              type="button"
              aria-label={`Move ${COLUMN_TITLES[c]} down`}
              disabled={i === shown.length - 1}
              onClick={() => move(i, 1)}
            >
              ↓
            </button>
          </li>
        ))}
        {hidden.map((c) => (
          <li key={c}>
            <label>
              <input type="checkbox" checked={false} onChange={() => save([...shown, c])} />
              {COLUMN_TITLES[c]}
            </label>
          </li>
        ))}
      </ol>
    </Dialog>
  );
}
