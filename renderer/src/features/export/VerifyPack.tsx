// Verify an evidence pack in the app: the same checks as `audit-desk verify-pack`, each problem named.
import { useRef, useState } from 'react';
import type { ApiError, PackVerification } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { ErrorLine } from '../../components/Messages';
import { formatCount } from '../../components/Progress';

export function VerifyResult(props: { result: PackVerification }) {
  const r = props.result;
  return (
    <div className={r.valid ? 'verify-ok' : 'verify-bad'} role="status" data-testid="verify-result">
      <p>
        <strong>{r.valid ? 'Pack verified' : 'Pack NOT valid'}</strong>: {formatCount(r.entries)}{' '}
        entries from {formatCount(r.bundles)} bundles
        {r.valid ? '; every hash, signature and inclusion proof checks out.' : '.'}
      </p>
      {r.problems.length > 0 ? (
        <ul>
          {r.problems.slice(0, 200).map((p, i) => (
            <li key={i}>
              <code>{p.file}</code>
              {p.row !== undefined ? ` row ${p.row}` : ''}: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function VerifyPack() {
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const [result, setResult] = useState<PackVerification | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const check = async (file: File) => {
    setBusy(true);
    setResult(null);
    const uploaded = await api.upload(file.name, file);
    const r = uploaded.ok ? await api.call('verifyPack', { file: uploaded.value }) : uploaded;
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    setResult(r.value);
  };
  return (
    <section className="settings-section" aria-labelledby="verify-pack-title">
      <h2 id="verify-pack-title">Verify an evidence pack</h2>
      <p className="muted small">
        Checks file hashes, bundle signatures, inclusion proofs and every CSV row.
      </p>
      <button type="button" onClick={() => input.current?.click()} disabled={busy}>
        {busy ? 'Verifying…' : 'Choose pack…'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".zip"
        hidden
        aria-label="Evidence pack to verify"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void check(file);
          e.target.value = '';
        }}
      />
      <ErrorLine error={error} />
      {result ? <VerifyResult result={result} /> : null}
    </section>
  );
}
