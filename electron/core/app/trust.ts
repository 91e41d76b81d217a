// The trust store an app import or sync uses: the one chosen in settings (trustStorePath), else the
// configured default ($AUDIT_DESK_TRUST or the pinned Otesse store), plus keys the workspace recorded
// at earlier imports that the store does not know (electron/core/workspace/trust.ts).
import type { Workspace } from '../workspace/database';
import {
  configuredTrust,
  loadTrust,
  withRecordedKeys,
  type ResolvedTrust,
} from '../workspace/trust';
import type { AppContext } from './context';

export function trustFor(ctx: AppContext, ws: Workspace): ResolvedTrust {
  const chosen = ctx.settings.get().trustStorePath.trim();
  const configured: ResolvedTrust =
    chosen === '' ? configuredTrust(undefined) : { ...loadTrust(chosen), explicit: false };
  return withRecordedKeys(configured, ws);
}
