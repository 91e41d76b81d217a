// Old → new values side by side. Strings show as text (newlines kept), other JSON pretty-printed;
// an object compared key by key shows only what changed inside it.
import type { Change, JsonValue } from '../../../../shared/entry';

function show(value: JsonValue): string {
  if (value === null) return '(empty)';
  if (typeof value === 'string') return value === '' ? '(empty text)' : value;
  return JSON.stringify(value, null, 2);
}

function isObject(v: JsonValue): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Flattens a change of two objects into per-key changes (`settings.color`). */
export function expandChange(change: Change): Change[] {
  if (!isObject(change.old) || !isObject(change.new)) return [change];
  const keys = [...new Set([...Object.keys(change.old), ...Object.keys(change.new)])].sort();
  const out: Change[] = [];
  for (const key of keys) {
    const a = change.old[key] ?? null;
    const b = change.new[key] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b))
      out.push({ field: `${change.field}.${key}`, old: a, new: b });
  }
  return out.length > 0 ? out : [change];
}

export function ChangesDiff(props: { changes: readonly Change[] }) {
  if (props.changes.length === 0) return <p className="muted">No field changes recorded.</p>;
  const rows = props.changes.flatMap(expandChange);
  return (
    <table className="diff">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c, i) => (
          <tr key={`${c.field}-${i}`}>
            <th scope="row">{c.field}</th>
            <td className="diff-old">
              <pre>{show(c.old)}</pre>
            </td>
            <td className="diff-new">
              <pre>{show(c.new)}</pre>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
