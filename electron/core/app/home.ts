// Where the app keeps its workspaces, registry and settings when no folder is given: $AUDIT_DESK_HOME,
// else the platform's per-user data folder (the desktop shell may pass Electron's userData instead).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const HOME_ENV = 'AUDIT_DESK_HOME';

export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[HOME_ENV]?.trim();
  if (fromEnv) return resolve(fromEnv);
  if (process.platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'audit-desk');
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'audit-desk');
  return join(env.XDG_DATA_HOME?.trim() || join(homedir(), '.local', 'share'), 'audit-desk');
}
