// The trust store an app import or sync uses: the one chosen in settings (trustStorePath), else the
// configured default ($AUDIT_DESK_TRUST or the pinned Otesse store), plus keys the workspace recorded
// at earlier imports that the store does not know (electron/core/workspace/trust.ts).
import { TrustStore } from '../bundle/trust-store';
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

/**
 * For evidence packs, which name no workspace: the configured store plus the keys any registered
 * workspace recorded at import (the same trust decisions the reviewer already made).
 */
export function verificationTrust(ctx: AppContext): TrustStore {
  const chosen = ctx.settings.get().trustStorePath.trim();
  const configured: ResolvedTrust =
    chosen === '' ? configuredTrust(undefined) : { ...loadTrust(chosen), explicit: false };
  const keys = new Map(configured.trust.list().map((k) => [k.keyId, k]));
  for (const entry of ctx.registry.list()) {
    try {
      for (const key of withRecordedKeys(
        configured,
        ctx.registry.connection(entry.id),
      ).trust.list())
        if (!keys.has(key.keyId)) keys.set(key.keyId, key);
    } catch {
      // An unreadable workspace adds no keys.
    }
  }
  return new TrustStore([...keys.values()]);
}
