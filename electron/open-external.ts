// The only door to the user's browser. `shell.openExternal` hands a URL to the OS, which will happily
// run `file:`, `smb:` or custom-scheme handlers: so only https URLs to a short list of hosts pass.
// ESLint bans `openExternal` everywhere else (eslint.config.js).
import type { Shell } from 'electron';

/** Hosts (and their subdomains) the app may send the user to: its documentation and Otesse. */
export const EXTERNAL_HOSTS: readonly string[] = ['otesse.example', 'otesse.com'];

export const DOCS_URL = 'https://otesse.example/audit-desk/docs';

/** True for an https URL, without credentials or an explicit port, on an allowlisted host. */
export function isAllowedExternalUrl(
  candidate: string,
  hosts: readonly string[] = EXTERNAL_HOSTS,
): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return false;
  const host = url.hostname.toLowerCase();
  return hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

/** Opens an allowed URL in the default browser; anything else is refused and logged (not thrown). */
export async function openExternal(
  shell: Pick<Shell, 'openExternal'>,
  url: string,
  hosts: readonly string[] = EXTERNAL_HOSTS,
): Promise<boolean> {
  if (!isAllowedExternalUrl(url, hosts)) {
    console.warn('audit-desk: refused to open an external link that is not on the allowlist');
    return false;
  }
  await shell.openExternal(url);
  return true;
}
