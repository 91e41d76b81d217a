// The log table: a grid of every matching entry, virtualized (only the rows on screen exist in the
// DOM, so a million rows scroll like a hundred). Rows are selected and opened by entry id.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, type KeyboardEvent } from 'react';
import type { Entry } from '../../../../shared/entry';
import type { LogColumn } from '../../../../shared/settings';
import { cellText, COLUMN_TITLES } from './columns';
import type { SearchRows } from './use-search-rows';
import { zoneLabel } from './time';

export const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 44;
const rowHeight = () => ROW_HEIGHT;
const LOOKAHEAD_ROWS = 60;

export function LogTable(props: {
  rows: SearchRows;
  columns: readonly LogColumn[];
  zone: string;
  selectedId: string | null;
  onSelect: (id: string) => void;
  onOpen: () => void;
  onClose: () => void;
  gridRef: React.RefObject<HTMLDivElement | null>;
}) {
  const { rows, columns, zone, selectedId } = props;
  // The rows loaded so far plus a few placeholders while more exist: TanStack keeps a table of every
  // row it is given (O(rows) to build whenever the count changes), so handing it the whole total of
  // a million-entry query would cost a second at each new query. The scrollbar grows as pages load
  // (End or scrolling down fetches the next page); aria-rowcount still says the whole total.
  const total = rows.total ?? rows.entries.length;
  const count = Math.min(total, rows.entries.length + LOOKAHEAD_ROWS);
  // TanStack Virtual returns fresh functions each render by design; this component is not memoized.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    // The grid itself scrolls (keyboard-reachable); its header row is sticky above the rows.
    getScrollElement: () => props.gridRef.current,
    scrollPaddingStart: HEADER_HEIGHT,
    estimateSize: rowHeight,
    overscan: 15,
    // Positions as keys (the default): TanStack recomputes its per-row table (O(rows)) whenever
    // getItemKey changes, which at a million rows would cost a frame on every scroll. The data is
    // still kept by entry id (selection, detail, annotations); only DOM rows are reused by position.
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.length > 0 ? items[items.length - 1]!.index : 0;
  const { ensureLoaded } = rows;
  useEffect(() => {
    ensureLoaded(lastVisible + 200);
  }, [lastVisible, ensureLoaded]);

  const selectedIndex = selectedId === null ? -1 : (rows.indexById.get(selectedId) ?? -1);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const move = (delta: number) => {
    const target = Math.max(
      0,
      Math.min(rows.entries.length - 1, (selectedIndex < 0 ? -1 : selectedIndex) + delta),
    );
    const entry = rows.entries[target];
    if (entry) props.onSelect(entry.id);
    if (target + 1 >= rows.entries.length) ensureLoaded(target + 200);
  };
  const page = Math.max(
    1,
    Math.floor((props.gridRef.current?.clientHeight ?? 600) / ROW_HEIGHT) - 1,
  );
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(1),
      j: () => move(1),
      ArrowUp: () => move(-1),
      k: () => move(-1),
      PageDown: () => move(page),
      PageUp: () => move(-page),
      Home: () => move(-Infinity),
      End: () => move(rows.entries.length),
      Enter: props.onOpen,
      Escape: props.onClose,
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };

  const { onSelect, onOpen, gridRef } = props;
  const pick = useCallback(
    (id: string) => {
      onSelect(id);
      onOpen();
      gridRef.current?.focus({ preventScroll: true });
    },
    [onSelect, onOpen, gridRef],
  );

  return (
    <div
      id="log-grid"
      className="log-grid"
      role="grid"
      aria-label="Log entries"
      aria-rowcount={total + 1}
      aria-colcount={columns.length}
      aria-activedescendant={selectedId && selectedIndex >= 0 ? `row-${selectedIndex}` : undefined}
      tabIndex={0}
      ref={props.gridRef}
      onKeyDown={onKeyDown}
    >
      <div className="log-head" role="row" aria-rowindex={1} data-testid="log-head">
        {columns.map((c) => (
          <div
            key={c}
            role="columnheader"
            className={`cell col-${c}`}
            title={c === 'time' ? `Times in ${zoneLabel(zone)}` : undefined}
          >
            {c === 'time' ? (
              <>
                Time <span className="zone-label">({zoneLabel(zone)})</span>
              </>
            ) : (
              COLUMN_TITLES[c]
            )}
          </div>
        ))}
      </div>
      <div className="log-body" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const entry = rows.entries[item.index];
          return (
            <Row
              key={item.key}
              index={item.index}
              start={item.start}
              entry={entry}
              selected={entry !== undefined && entry.id === selectedId}
              columns={columns}
              zone={zone}
              onPick={pick}
            />
          );
        })}
      </div>
    </div>
  );
}

/**
 * One row, memoized: while scrolling only rows that come into view render (formatting thousands of
 * cells per second is what would drop frames).
 */
const Row = memo(function Row(props: {
  index: number;
  start: number;
  entry: Entry | undefined;
  selected: boolean;
  columns: readonly LogColumn[];
  zone: string;
  onPick: (id: string) => void;
}) {
  const { entry, index, selected, columns, zone } = props;
  return (
    <div
      id={`row-${index}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`log-row${selected ? ' selected' : ''}${index % 2 ? ' odd' : ''}`}
      style={{ transform: `translateY(${props.start}px)` }}
      data-entry-id={entry?.id}
      onClick={() => {
        if (entry) props.onPick(entry.id);
      }}
    >
      {entry ? (
        columns.map((c) => (
          <div
            key={c}
            role="gridcell"
            className={`cell col-${c}${c === 'action' ? ` cat-text-${entry.category}` : ''}`}
            title={c === 'time' ? `${entry.occurredAt} UTC` : undefined}
          >
            {cellText(entry, c, zone)}
          </div>
        ))
      ) : (
        <div role="gridcell" className="cell pending">
          Loading…
        </div>
      )}
    </div>
  );
});
