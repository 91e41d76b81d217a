import { desktopVersion } from '../api/desktop';

export function App() {
  const version = desktopVersion();
  return (
    <main className="placeholder">
      <h1>Audit Desk</h1>
      <p className="tagline">Offline review of signed Otesse activity logs.</p>
      <p>
        The review interface arrives in a later version. Until then, verify, import and search
        bundles with the command line: <code>npx audit-desk --help</code>
      </p>
      {version ? <p className="version">Version {version}</p> : null}
    </main>
  );
}
