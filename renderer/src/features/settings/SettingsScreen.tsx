// Settings: reviewer identity, the Otesse API (URL and token; the token is write-only), time
// display, theme, trust store and the unusual-activity thresholds. Saved through updateSettings.
import { useState, type FormEvent } from 'react';
import type { InsightThresholds, Settings } from '../../../../shared/settings';
import { THEMES, TIME_DISPLAYS } from '../../app/constants';
import { useApi } from '../../api/context';
import { useAppState } from '../../app/app-context';
import { ErrorLine } from '../../components/Messages';
import { VerifyPack } from '../export/VerifyPack';

const THRESHOLD_LABELS: Record<keyof InsightThresholds, string> = {
  newIpLookbackDays: 'New IP: days of login history that count as seen',
  failedLoginBurst: 'Failed logins that make a burst',
  failedLoginWindowMinutes: 'Failed-login window (minutes)',
  bulkActionCount: 'Deletions or cancellations that make a bulk action',
  bulkActionWindowMinutes: 'Bulk-action window (minutes)',
  financialBulkCount: 'Voids or refunds in a burst',
  financialBulkWindowMinutes: 'Void/refund burst window (minutes)',
  businessHoursStart: 'Business hours start (hour, tenant zone)',
  businessHoursEnd: 'Business hours end (hour, tenant zone)',
};

const TIME_TEXT = {
  business: "Business time zone (the tenant's)",
  utc: 'UTC',
  local: "This computer's zone",
};
const THEME_TEXT = { system: 'Follow the system', light: 'Light', dark: 'Dark' };

function Saved(props: { message: string | null; error: string | null }) {
  if (props.error) return <ErrorLine error={props.error} />;
  return props.message ? (
    <p className="notice good" role="status">
      {props.message}
    </p>
  ) : null;
}

function GeneralForm({ settings }: { settings: Settings }) {
  const { updateSettings } = useAppState();
  const [draft, setDraft] = useState(settings);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const failure = await updateSettings({
      reviewer: draft.reviewer,
      apiUrl: draft.apiUrl.trim(),
      timeDisplay: draft.timeDisplay,
      theme: draft.theme,
      trustStorePath: draft.trustStorePath.trim(),
      insightThresholds: draft.insightThresholds,
    });
    setError(failure);
    setMessage(failure ? null : 'Settings saved.');
  };
  const threshold = (key: keyof InsightThresholds, value: number) =>
    setDraft({ ...draft, insightThresholds: { ...draft.insightThresholds, [key]: value } });
  return (
    <form className="form settings-form" onSubmit={(e) => void submit(e)}>
      <section className="settings-section" aria-labelledby="reviewer-title">
        <h2 id="reviewer-title">Reviewer</h2>
        <p className="muted small">Recorded with every annotation and in the review log.</p>
        <label>
          Name
          <input
            value={draft.reviewer.name}
            autoComplete="name"
            onChange={(e) =>
              setDraft({ ...draft, reviewer: { ...draft.reviewer, name: e.target.value } })
            }
          />
        </label>
        <label>
          E-mail
          <input
            type="email"
            value={draft.reviewer.email}
            autoComplete="email"
            onChange={(e) =>
              setDraft({ ...draft, reviewer: { ...draft.reviewer, email: e.target.value } })
            }
          />
        </label>
      </section>
      <section className="settings-section" aria-labelledby="api-title">
        <h2 id="api-title">Otesse API</h2>
        <label>
          API URL
          <input
            type="url"
            value={draft.apiUrl}
            placeholder="https://api.otesse.com"
            onChange={(e) => setDraft({ ...draft, apiUrl: e.target.value })}
          />
        </label>
        <label>
          Trust store (empty: the Otesse keys shipped with the app)
          <input
            value={draft.trustStorePath}
            onChange={(e) => setDraft({ ...draft, trustStorePath: e.target.value })}
          />
        </label>
      </section>
      <section className="settings-section" aria-labelledby="display-title">
        <h2 id="display-title">Display</h2>
        <label>
          Times
          <select
            value={draft.timeDisplay}
            onChange={(e) =>
              setDraft({ ...draft, timeDisplay: e.target.value as Settings['timeDisplay'] })
            }
          >
            {TIME_DISPLAYS.map((t) => (
              <option key={t} value={t}>
                {TIME_TEXT[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Theme
          <select
            value={draft.theme}
            onChange={(e) => setDraft({ ...draft, theme: e.target.value as Settings['theme'] })}
          >
            {THEMES.map((t) => (
              <option key={t} value={t}>
                {THEME_TEXT[t]}
              </option>
            ))}
          </select>
        </label>
      </section>
      <section className="settings-section" aria-labelledby="thresholds-title">
        <h2 id="thresholds-title">Unusual-activity thresholds</h2>
        <div className="threshold-grid">
          {(Object.keys(THRESHOLD_LABELS) as (keyof InsightThresholds)[]).map((key) => (
            <label key={key}>
              {THRESHOLD_LABELS[key]}
              <input
                type="number"
                value={draft.insightThresholds[key]}
                onChange={(e) => threshold(key, Number(e.target.value))}
              />
            </label>
          ))}
        </div>
      </section>
      <Saved message={message} error={error} />
      <div className="actions">
        <button type="submit" className="primary">
          Save settings
        </button>
      </div>
    </form>
  );
}

function TokenForm() {
  const api = useApi();
  const { info, refreshInfo } = useAppState();
  const [token, setToken] = useState('');
  const [allowWeak, setAllowWeak] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const weakStore = info.mode === 'desktop' && !info.secureTokenStorage;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await api.call('setApiToken', {
      token: token.trim(),
      ...(weakStore ? { allowWeakStorage: allowWeak } : {}),
    });
    setToken('');
    if (!r.ok) {
      setError(r.error.message);
      setMessage(null);
      return;
    }
    setError(null);
    setMessage('Token stored (encrypted). It is never shown again.');
    await refreshInfo();
  };
  const clear = async () => {
    const r = await api.call('clearApiToken', {});
    setError(r.ok ? null : r.error.message);
    setMessage(r.ok ? 'Token removed.' : null);
    await refreshInfo();
  };
  return (
    <form
      className="form settings-section"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="token-title"
    >
      <h2 id="token-title">API token</h2>
      <p className="muted small" data-testid="token-state">
        {info.hasApiToken ? 'A token is stored.' : 'No token stored yet.'} The token is write-only:
        it is stored encrypted and never displayed.
      </p>
      <label>
        {info.hasApiToken ? 'Replace token' : 'Token'}
        <input
          type="password"
          value={token}
          autoComplete="off"
          onChange={(e) => setToken(e.target.value)}
        />
      </label>
      {weakStore ? (
        <label className="check">
          <input
            type="checkbox"
            checked={allowWeak}
            onChange={(e) => setAllowWeak(e.target.checked)}
          />
          This system has no secret store: store the token with weak protection anyway
        </label>
      ) : null}
      <Saved message={message} error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={!token.trim()}>
          Store token
        </button>
        {info.hasApiToken ? (
          <button type="button" onClick={() => void clear()}>
            Remove token
          </button>
        ) : null}
      </div>
    </form>
  );
}

export function SettingsScreen() {
  const { settings, info } = useAppState();
  return (
    <main className="page settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <GeneralForm settings={settings} />
      <TokenForm />
      <VerifyPack />
      <p className="muted small">Audit Desk {info.version}</p>
    </main>
  );
}
