import type { Plan, Tenant } from '../../../shared/bundle';
import type { Workspace } from './database';

/** The tenant this workspace holds (from its newest import), or null while it is empty. */
export function readTenant(ws: Workspace): Tenant | null {
  const row = ws.db
    .prepare('SELECT tenant_id, name, time_zone, plan FROM tenant WHERE singleton = 1')
    .get() as { tenant_id: string; name: string; time_zone: string; plan: Plan } | undefined;
  return row === undefined
    ? null
    : { id: row.tenant_id, name: row.name, timeZone: row.time_zone, plan: row.plan };
}
