// Quick filters above the table: date presets in the business time zone, a custom range, and an
// entity type. Each one only edits the query text.
import { useState, type FormEvent } from 'react';
import { DATE_PRESETS, presetDays } from '../logs/time';
import { currentRange, dayRange, replaceKind, setDates, termFor } from './query-edit';

const ENTITY_TYPES = ['booking', 'customer', 'invoice', 'user', 'settings', 'zone', 'template'];

export function QuickFilters(props: {
  query: string;
  zone: string;
  onQuery: (text: string) => void;
}) {
  const range = currentRange(props.query);
  const [custom, setCustom] = useState(false);
  const [from, setFrom] = useState(range?.from ?? '');
  const [to, setTo] = useState(range?.to ?? '');
  const [entity, setEntity] = useState('');
  const presets = DATE_PRESETS.map((p) => ({ ...p, days: presetDays(p.id, props.zone) }));
  const applyCustom = (e: FormEvent) => {
    e.preventDefault();
    if (!from && !to) return props.onQuery(setDates(props.query, null));
    const spec =
      from && to
        ? dayRange(from, to)
        : { op: 'range' as const, from: from || null, to: to || null };
    props.onQuery(setDates(props.query, spec));
  };
  return (
    <div className="quick-filters" role="toolbar" aria-label="Quick filters">
      <span className="qf-label" title={`Days in ${props.zone}`}>
        Dates
      </span>
      {presets.map((p) => {
        const on = range?.from === p.days.from && range?.to === p.days.to;
        return (
          <button
            key={p.id}
            type="button"
            className={`chip${on ? ' on' : ''}`}
            aria-pressed={on}
            title={`${p.days.from} to ${p.days.to} (${props.zone})`}
            onClick={() =>
              props.onQuery(setDates(props.query, on ? null : dayRange(p.days.from, p.days.to)))
            }
          >
            {p.label}
          </button>
        );
      })}
      <button
        type="button"
        className={`chip${custom ? ' on' : ''}`}
        aria-expanded={custom}
        onClick={() => {
          setFrom(range?.from ?? '');
          setTo(range?.to ?? '');
          setCustom(!custom);
        }}
      >
        Custom…
      </button>
      {range ? (
        <button
          type="button"
          className="chip"
          onClick={() => props.onQuery(setDates(props.query, null))}
        >
          Any date
        </button>
      ) : null}
      {custom ? (
        <form className="custom-range" onSubmit={applyCustom}>
          <label>
            From
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            To
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="submit">Apply</button>
        </form>
      ) : null}
      <form
        className="entity-filter"
        onSubmit={(e) => {
          e.preventDefault();
          const value = entity.trim();
          if (value) props.onQuery(replaceKind(props.query, termFor('entity', value)));
        }}
      >
        <label>
          Entity
          <input
            list="entity-types"
            value={entity}
            placeholder="booking, booking:1234…"
            onChange={(e) => setEntity(e.target.value)}
          />
        </label>
        <datalist id="entity-types">
          {ENTITY_TYPES.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </form>
    </div>
  );
}
