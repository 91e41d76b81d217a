// Draws a reproducible audit sample from the current query (the population): fixed size,
// percentage, or statistical (confidence and margin), with a recorded seed.
import { useState, type FormEvent } from 'react';
import type { ApiError, ApiRequest, Sample } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { ErrorLine } from '../../components/Messages';
import { formatCount } from '../../components/Progress';

type Method = ApiRequest<'drawSample'>['method'];

function randomSeed(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function SampleDialog(props: {
  workspaceId: string;
  query: string;
  total: number;
  onClose: () => void;
}) {
  const api = useApi();
  const [kind, setKind] = useState<Method['kind']>('size');
  const [size, setSize] = useState(Math.min(25, props.total));
  const [percent, setPercent] = useState(10);
  const [confidence, setConfidence] = useState<90 | 95 | 99>(95);
  const [margin, setMargin] = useState(5);
  const [seed, setSeed] = useState(randomSeed);
  const [error, setError] = useState<ApiError | null>(null);
  const [sample, setSample] = useState<Sample | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const method: Method =
      kind === 'size'
        ? { kind, size }
        : kind === 'percent'
          ? { kind, percent }
          : { kind, confidence, margin };
    const r = await api.call('drawSample', {
      workspaceId: props.workspaceId,
      query: props.query,
      method,
      seed,
    });
    if (!r.ok) return setError(r.error);
    setSample(r.value);
  };
  return (
    <Dialog title="Draw an audit sample" onClose={props.onClose}>
      {sample ? (
        <div role="status">
          <p>
            Drew {formatCount(sample.entryIds.length)} of {formatCount(sample.population)} entries
            with seed <code>{sample.seed}</code>.
          </p>
          <p className="small muted">
            Population fingerprint <code className="break">{sample.populationFingerprint}</code>:
            the same query, seed and data draw the same sample. Work through it under Review.
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={props.onClose}>
              Close
            </button>
          </div>
        </div>
      ) : (
        <form className="form" onSubmit={(e) => void submit(e)}>
          <p>
            Population: {formatCount(props.total)} entries of{' '}
            <code>{props.query || '(all entries)'}</code>
          </p>
          <fieldset>
            <legend>Method</legend>
            <label className="check">
              <input
                type="radio"
                name="method"
                checked={kind === 'size'}
                onChange={() => setKind('size')}
              />
              Fixed size
            </label>
            <label className="check">
              <input
                type="radio"
                name="method"
                checked={kind === 'percent'}
                onChange={() => setKind('percent')}
              />
              Percentage
            </label>
            <label className="check">
              <input
                type="radio"
                name="method"
                checked={kind === 'statistical'}
                onChange={() => setKind('statistical')}
              />
              Statistical
            </label>
          </fieldset>
          {kind === 'size' ? (
            <label>
              Entries
              <input
                type="number"
                min={1}
                max={props.total}
                value={size}
                onChange={(e) => setSize(Number(e.target.value))}
              />
            </label>
          ) : kind === 'percent' ? (
            <label>
              Percent
              <input
                type="number"
                min={0.01}
                max={100}
                step="any"
                value={percent}
                onChange={(e) => setPercent(Number(e.target.value))}
              />
            </label>
          ) : (
            <>
              <label>
                Confidence
                <select
                  value={confidence}
                  onChange={(e) => setConfidence(Number(e.target.value) as 90 | 95 | 99)}
                >
                  <option value={90}>90 %</option>
                  <option value={95}>95 %</option>
                  <option value={99}>99 %</option>
                </select>
              </label>
              <label>
                Margin of error (points)
                <input
                  type="number"
                  min={0.1}
                  max={50}
                  step="any"
                  value={margin}
                  onChange={(e) => setMargin(Number(e.target.value))}
                />
              </label>
            </>
          )}
          <label>
            Seed (recorded; reuse it to redraw the same sample)
            <input value={seed} onChange={(e) => setSeed(e.target.value)} required />
          </label>
          <ErrorLine error={error} />
          <div className="actions">
            <button type="submit" className="primary">
              Draw sample
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
