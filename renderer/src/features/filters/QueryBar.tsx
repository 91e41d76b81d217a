// The query bar: the language of docs/search.md, parsed on every keystroke by the shared parser so
// an error is underlined where it is (a mirror of the text behind the transparent input), with
// suggestions for the word at the caret from the workspace's vocabulary (users, actions, words).
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Suggestion } from '../../../../shared/api';
import type { QueryError } from '../../../../shared/query';
import { useApi } from '../../api/context';
import { insertSuggestion, wordAt } from './query-edit';

const KIND_LABEL: Record<Suggestion['kind'], string> = {
  user: 'user',
  action: 'action',
  entity: 'entity',
  ip: 'IP',
  word: 'word',
};

function Mirror(props: { text: string; error: QueryError | null; scrollLeft: number }) {
  const { text, error } = props;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.scrollLeft = props.scrollLeft;
  }, [props.scrollLeft, text]);
  if (!error) return <div className="query-mirror" ref={ref} aria-hidden="true" />;
  const start = Math.min(error.position, text.length);
  const end = Math.min(text.length, start + Math.max(1, error.length));
  const marked = text.slice(start, end) || ' ';
  return (
    <div className="query-mirror" ref={ref} aria-hidden="true">
      {text.slice(0, start)}
      <mark className="query-error-mark">{marked}</mark>
      {text.slice(end)}
    </div>
  );
}

export function QueryBar(props: {
  workspaceId: string;
  text: string;
  error: QueryError | null;
  summary: string;
  onChange: (text: string) => void;
  onCommit: () => void;
  onEscape: () => void;
  inputRef: React.RefObject<HTMLInputElement | null>;
}) {
  // Destructured: the hooks linter treats every later `props.x` as a ref read once a ref is in props.
  const { workspaceId, text, error, summary, onChange, onCommit, onEscape, inputRef } = props;
  const api = useApi();
  const listId = useId();
  const errorId = useId();
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(-1);
  const [word, setWord] = useState<{ start: number; end: number } | null>(null);
  const [scrollLeft, setScrollLeft] = useState(0);
  const request = useRef(0);

  const lookUp = (typed: string, caret: number) => {
    const w = wordAt(typed, caret);
    const prefix = typed.slice(w.start, caret).replace(/^-/, '');
    const mine = ++request.current;
    if (prefix.length < 1) {
      setSuggestions([]);
      return;
    }
    window.setTimeout(() => {
      if (mine !== request.current) return;
      void api.call('suggest', { workspaceId: workspaceId, prefix, limit: 8 }).then((r) => {
        if (mine !== request.current) return;
        setWord({ start: w.start, end: w.end });
        setSuggestions(r.ok ? r.value : []);
        setActive(-1);
      });
    }, 150);
  };

  const accept = (s: Suggestion) => {
    if (!word) return;
    const next = insertSuggestion(text, word.start, word.end, s.insert);
    onChange(next.text);
    setSuggestions([]);
    request.current++;
    requestAnimationFrame(() => {
      inputRef.current?.setSelectionRange(next.caret, next.caret);
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const open = suggestions.length > 0;
    if (e.key === 'ArrowDown' && open) {
      e.preventDefault();
      setActive((a) => (a + 1) % suggestions.length);
    } else if (e.key === 'ArrowUp' && open) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? suggestions.length - 1 : a - 1));
    } else if ((e.key === 'Enter' || e.key === 'Tab') && open && active >= 0) {
      e.preventDefault();
      accept(suggestions[active]!);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      setSuggestions([]);
      onCommit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (open) {
        setSuggestions([]);
        request.current++;
      } else onEscape();
    }
  };

  const open = suggestions.length > 0;
  return (
    <div className="query-bar">
      <label htmlFor="query-input" className="visually-hidden">
        Search query
      </label>
      <div className={`query-field${error ? ' has-error' : ''}`}>
        <Mirror text={text} error={error} scrollLeft={scrollLeft} />
        <input
          id="query-input"
          ref={inputRef}
          className="query-input"
          type="text"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={errorId}
          spellCheck={false}
          autoComplete="off"
          placeholder='Search: words, "phrases", user:, action:booking.*, category:, entity:, ip:, date:2026-01..  (press /)'
          value={text}
          onChange={(e) => {
            onChange(e.target.value);
            lookUp(e.target.value, e.target.selectionStart ?? e.target.value.length);
          }}
          onScroll={(e) => setScrollLeft(e.currentTarget.scrollLeft)}
          onKeyDown={onKeyDown}
          onBlur={() => window.setTimeout(() => setSuggestions([]), 150)}
        />
        {open ? (
          <ul className="suggestions" role="listbox" id={listId} aria-label="Suggestions">
            {suggestions.map((s, i) => (
              <li
                key={`${s.kind}:${s.insert}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(s);
                }}
              >
                <span className="suggestion-kind">{KIND_LABEL[s.kind]}</span>
                <span className="suggestion-label">{s.label}</span>
                {s.count !== null ? (
                  <span className="suggestion-count">{s.count.toLocaleString('en-US')}</span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <p
        id={errorId}
        className={error ? 'query-message error-line' : 'query-message muted'}
        aria-live="polite"
      >
        {error ? `${error.message} (at character ${error.position + 1})` : summary}
      </p>
    </div>
  );
}
