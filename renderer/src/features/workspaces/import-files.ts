// Opening bundle files in the browser: each file's bytes go to the backend (upload), then one import
// job verifies and stores them all. Progress and refusals arrive as job events (JobsPanel).
import type { AuditApi, FileRef } from '../../../../shared/api';

export async function importFiles(
  api: AuditApi,
  workspaceId: string,
  files: readonly File[],
): Promise<string | null> {
  if (files.length === 0) return null;
  const refs: FileRef[] = [];
  for (const file of files) {
    const uploaded = await api.upload(file.name, file);
    if (!uploaded.ok) return `${file.name}: ${uploaded.error.message}`;
    refs.push(uploaded.value);
  }
  const started = await api.call('importBundles', { workspaceId, files: refs });
  return started.ok ? null : started.error.message;
}

/** Files from a drop event (none when something other than files was dropped). */
export function droppedFiles(event: { dataTransfer: DataTransfer | null }): File[] {
  return event.dataTransfer ? [...event.dataTransfer.files] : [];
}
