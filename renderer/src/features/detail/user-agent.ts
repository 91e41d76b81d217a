// A user agent as a reviewer reads it: browser, OS and device (ua-parser-js v1, MIT: a maintained
// rule set beats a hand-written one for the long tail of agents).
import UAParser from 'ua-parser-js';

export interface ParsedAgent {
  browser: string;
  os: string;
  device: string;
}

function join(...parts: (string | undefined)[]): string {
  return parts.filter((p) => p && p.trim() !== '').join(' ');
}

export function parseUserAgent(ua: string): ParsedAgent {
  const r = new UAParser(ua).getResult();
  const device = join(r.device.vendor, r.device.model);
  const type = r.device.type ?? 'desktop';
  return {
    browser: join(r.browser.name, r.browser.version) || 'unknown',
    os: join(r.os.name, r.os.version) || 'unknown',
    device: device ? `${device} (${type})` : type,
  };
}
