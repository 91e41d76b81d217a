// The coverage map: over the workspace's whole period, which stretches are proven complete (signed,
// continuous seq and hash chain), where data is missing, where the chain breaks, and which bundles
// are archived beyond the plan's retention.
import { useEffect, useState } from 'react';
import type { ApiError, Coverage } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { ErrorLine } from '../../components/Messages';
import { localDay } from '../logs/time';

function pct(at: string, from: number, span: number): number {
  return ((Date.parse(at) - from) / span) * 100;
}

export function CoverageMap(props: { workspaceId: string; version: number; zone: string }) {
  const api = useApi();
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    void api.call('coverage', { workspaceId: props.workspaceId }).then((r) => {
      if (!live) return;
      if (r.ok) setCoverage(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, props.workspaceId, props.version]);
  if (error) return <ErrorLine error={error} />;
  if (!coverage || !coverage.from || !coverage.to) return null;
  const from = Date.parse(coverage.from);
  const span = Math.max(1, Date.parse(coverage.to) - from);
  const day = (iso: string) => localDay(iso, props.zone);
  const summary = coverage.complete
    ? `Proven complete from ${day(coverage.from)} to ${day(new Date(Date.parse(coverage.to) - 1).toISOString())}`
    : `${coverage.gaps.length} gap${coverage.gaps.length === 1 ? '' : 's'}, ${coverage.chainBreaks.length} chain break${coverage.chainBreaks.length === 1 ? '' : 's'}`;
  return (
    <div className="coverage" data-testid="coverage">
      <span className={`coverage-summary ${coverage.complete ? 'good' : 'bad'}`}>
        Coverage: {summary}
        {coverage.startsMidChain ? ' · starts mid-chain (earlier bundles not here)' : ''}
        {coverage.archived.bundles > 0
          ? ` · ${coverage.archived.bundles} archived bundle(s) beyond ${coverage.archived.retentionDays ?? '?'}-day retention`
          : ''}
      </span>
      <div className="coverage-bar" role="img" aria-label={`Coverage map: ${summary}`}>
        {coverage.proven.map((run) => (
          <span
            key={`p${run.from}`}
            className="cov-proven"
            title={`Proven: ${day(run.from)} → ${day(run.to)}, ${run.entries.toLocaleString('en-US')} entries in ${run.bundles} bundles`}
            style={{
              left: `${pct(run.from, from, span)}%`,
              width: `${Math.max(0.3, pct(run.to, from, span) - pct(run.from, from, span))}%`,
            }}
          />
        ))}
        {coverage.archived.before ? (
          <span
            className="cov-archived"
            title={`Archived (older than retention) before ${day(coverage.archived.before)}`}
            style={{
              left: '0%',
              width: `${Math.max(0, pct(coverage.archived.before, from, span))}%`,
            }}
          />
        ) : null}
        {coverage.gaps.map((gap) => (
          <span
            key={`g${gap.from}${gap.fromSeq ?? ''}`}
            className="cov-gap"
            title={`Missing: ${day(gap.from)} → ${day(gap.to)}${gap.fromSeq !== null ? ` (seq ${gap.fromSeq}–${gap.toSeq})` : ''}`}
            style={{
              left: `${pct(gap.from, from, span)}%`,
              width: `${Math.max(0.4, pct(gap.to, from, span) - pct(gap.from, from, span))}%`,
            }}
          />
        ))}
      </div>
      {coverage.chainBreaks.length > 0 || coverage.gaps.length > 0 ? (
        <details className="coverage-details">
          <summary>What is missing</summary>
          <ul>
            {coverage.gaps.map((gap) => (
              <li key={`gl${gap.from}${gap.fromSeq ?? ''}`}>
                Missing {gap.kind === 'seq' ? 'entries' : 'period'} {day(gap.from)} → {day(gap.to)}
                {gap.fromSeq !== null ? ` (seq ${gap.fromSeq}–${gap.toSeq})` : ''}, between{' '}
                {gap.afterBundle} and {gap.beforeBundle}. Sync again, or ask for the bundle files.
              </li>
            ))}
            {coverage.chainBreaks.map((b) => (
              <li key={`b${b.afterBundle}`}>
                Chain break between {b.afterBundle} and {b.beforeBundle}: the later bundle does not
                name the earlier one as its predecessor.
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
