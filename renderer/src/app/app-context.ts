// What every screen may read: app info, settings (with their update), the workspace list and jobs.
import { createContext, useContext } from 'react';
import type { AppInfo, JobEvent, Settings, WorkspaceSummary } from '../../../shared/api';
import type { SettingsPatch } from '../../../shared/settings';

export interface AppState {
  info: AppInfo;
  settings: Settings;
  updateSettings(patch: SettingsPatch): Promise<string | null>;
  refreshInfo(): Promise<void>;
  workspaces: WorkspaceSummary[];
  refreshWorkspaces(): Promise<void>;
  /** Latest event of every job seen this session, newest first. */
  jobs: JobEvent[];
  dismissJob(jobId: string): void;
  /** Counts finished imports/syncs per workspace: views reload their data when it changes. */
  dataVersion: Record<string, number>;
}

export const AppContext = createContext<AppState | null>(null);

export function useAppState(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useAppState outside AppContext');
  return state;
}
