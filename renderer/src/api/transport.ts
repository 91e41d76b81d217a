// Which AuditApi the renderer uses: the desktop preload's (`window.auditDesk.api`), else browser
// mode's HTTP transport with the page's token. Null when neither is available (a page opened
// without its token): the app then says how to open it properly.
import type { AuditApi } from '../../../shared/api';
import { HttpAuditApi, takeToken } from './http';

declare global {
  interface Window {
    readonly auditDesk?: { readonly version?: string; readonly api?: AuditApi };
  }
}

export function chooseApi(): AuditApi | null {
  const desktop = window.auditDesk?.api;
  if (desktop) return desktop;
  const token = takeToken();
  return token ? new HttpAuditApi(token) : null;
}
