// The timeline: entries per bucket stacked by category (buckets aligned in the tenant's zone by the
// backend). Dragging across it (brushing) sets the date range of the query to the local days it
// covers; a click on one bar selects its day(s). Drawn as SVG with CSS classes (no inline <style>).
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { ApiError, Histogram as HistogramData, HistogramBucket } from '../../../../shared/api';
import { CATEGORIES } from '../../../../shared/entry';
import { cacheKey, cachedAnswer, callCached } from '../../api/answer-cache';
import { useApi } from '../../api/context';
import { SETTLE_MS } from '../../app/constants';
import { ErrorLine } from '../../components/Messages';
import { bucketLabel, localDay } from '../logs/time';

const HEIGHT = 96;
const AXIS = 16;

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    // The content box: the padding around the chart is not drawing space.
    const observer = new ResizeObserver((entries) =>
      setWidth(Math.max(200, Math.floor(entries[0]?.contentRect.width ?? el.clientWidth))),
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/** Local days [from, to] (inclusive) that buckets a..b cover in the zone. */
export function bucketDays(
  buckets: readonly HistogramBucket[],
  a: number,
  b: number,
  zone: string,
): { from: string; to: string } {
  const lo = Math.max(0, Math.min(a, b));
  const hi = Math.min(buckets.length - 1, Math.max(a, b));
  return {
    from: localDay(buckets[lo]!.start, zone),
    to: localDay(Date.parse(buckets[hi]!.end) - 1, zone),
  };
}

export function Histogram(props: {
  workspaceId: string;
  query: string;
  version: number;
  zone: string;
  onRange: (from: string, to: string) => void;
}) {
  const api = useApi();
  const boxRef = useRef<HTMLDivElement>(null);
  const width = useWidth(boxRef);
  const [data, setData] = useState<HistogramData | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [brush, setBrush] = useState<{ a: number; b: number } | null>(null);
  const targetBuckets = Math.max(20, Math.min(240, Math.floor(width / 8)));

  useEffect(() => {
    let live = true;
    const request = { workspaceId: props.workspaceId, query: props.query, targetBuckets };
    // Asked once typing pauses (they matter less than the table and would compete with it), unless
    // the answer is at hand.
    const cached = cachedAnswer<'histogram'>(cacheKey(props.version, 'histogram', request));
    const timer = window.setTimeout(
      () => {
        void callCached(api, props.version, 'histogram', request).then((r) => {
          if (!live) return;
          if (r.ok) {
            setData(r.value);
            setError(null);
          } else if (r.error.code !== 'bad_query') setError(r.error);
        });
      },
      cached ? 0 : SETTLE_MS,
    );
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [api, props.workspaceId, props.query, props.version, targetBuckets]);

  const buckets = data?.buckets ?? [];
  const n = buckets.length;
  const barWidth = n > 0 ? width / n : width;
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const indexAt = (e: PointerEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return Math.max(0, Math.min(n - 1, Math.floor(((e.clientX - rect.left) / rect.width) * n)));
  };
  const finish = () => {
    if (brush && n > 0) {
      const days = bucketDays(buckets, brush.a, brush.b, props.zone);
      props.onRange(days.from, days.to);
    }
    setBrush(null);
  };
  const lo = brush ? Math.min(brush.a, brush.b) : 0;
  const hi = brush ? Math.max(brush.a, brush.b) : 0;
  const first = buckets[0];
  const last = buckets[n - 1];

  if (error)
    return (
      <div className="histogram" ref={boxRef}>
        <ErrorLine error={error} />
      </div>
    );
  // Nothing to draw (an empty workspace or query): the empty state below says what to do.
  if (data && n === 0) return <div className="histogram" ref={boxRef} />;
  // Keyboard brushing: ←/→ move a one-bucket selection, Shift+←/→ widen it, Enter filters, Esc drops.
  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    if (n === 0) return;
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step !== 0) {
      e.preventDefault();
      const clamp = (i: number) => Math.max(0, Math.min(n - 1, i));
      setBrush((b) =>
        !b
          ? { a: n - 1, b: n - 1 }
          : e.shiftKey
            ? { a: b.a, b: clamp(b.b + step) }
            : { a: clamp(b.b + step), b: clamp(b.b + step) },
      );
    } else if (e.key === 'Enter' && brush) {
      e.preventDefault();
      finish();
    } else if (e.key === 'Escape' && brush) {
      e.preventDefault();
      setBrush(null);
    }
  };
  const selection =
    brush && n > 0
      ? `${bucketLabel(buckets[lo]!.start, data!.unit, props.zone)} to ${bucketLabel(buckets[hi]!.start, data!.unit, props.zone)}`
      : '';

  return (
    <div className="histogram" ref={boxRef}>
      <svg
        width={width}
        height={HEIGHT + AXIS}
        role="img"
        tabIndex={n > 0 ? 0 : undefined}
        onKeyDown={onKeyDown}
        onBlur={() => setBrush(null)}
        aria-label={
          data
            ? `Timeline: entries per ${data.unit} in ${data.timeZone}. Drag across it, or use the arrow keys (Shift widens) and Enter, to filter by those dates.${selection ? ` Selected: ${selection}.` : ''}`
            : 'Timeline'
        }
        data-testid="histogram"
        className={brush ? 'brushing' : undefined}
        onPointerDown={(e) => {
          if (n === 0) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          const i = indexAt(e);
          setBrush({ a: i, b: i });
        }}
        onPointerMove={(e) => {
          if (brush) setBrush({ a: brush.a, b: indexAt(e) });
        }}
        onPointerUp={finish}
        onPointerCancel={() => setBrush(null)}
      >
        {buckets.map((bucket, i) => {
          let y = HEIGHT;
          return (
            <g key={bucket.start} transform={`translate(${i * barWidth},0)`}>
              <title>
                {`${bucketLabel(bucket.start, data!.unit, props.zone)}: ${bucket.total.toLocaleString('en-US')} entries`}
              </title>
              <rect className="hist-hit" x={0} y={0} width={barWidth} height={HEIGHT} />
              {CATEGORIES.map((c) => {
                const count = bucket.byCategory[c] ?? 0;
                if (count === 0) return null;
                const h = (count / max) * (HEIGHT - 4);
                y -= h;
                return (
                  <rect
                    key={c}
                    className={`cat-fill-${c}`}
                    x={0.5}
                    y={y}
                    width={Math.max(1, barWidth - 1)}
                    height={h}
                  />
                );
              })}
            </g>
          );
        })}
        {brush ? (
          <rect
            className="hist-brush"
            x={lo * barWidth}
            y={0}
            width={(hi - lo + 1) * barWidth}
            height={HEIGHT}
          />
        ) : null}
        <line className="hist-axis" x1={0} x2={width} y1={HEIGHT + 0.5} y2={HEIGHT + 0.5} />
        {first && last ? (
          <>
            <text className="hist-label" x={2} y={HEIGHT + 12}>
              {bucketLabel(first.start, data!.unit, props.zone)}
            </text>
            <text className="hist-label" x={width - 2} y={HEIGHT + 12} textAnchor="end">
              {bucketLabel(last.start, data!.unit, props.zone)}
            </text>
          </>
        ) : null}
      </svg>
      <ul className="legend" aria-label="Categories">
        {CATEGORIES.map((c) => (
          <li key={c}>
            <span className={`swatch cat-bg-${c}`} aria-hidden="true" />
            {c}
          </li>
        ))}
      </ul>
    </div>
  );
}
