// The openExternal wrapper: https only, allowlisted hosts only, no credentials or ports; the shell is
// the only faked edge.
import { describe, expect, it, vi } from 'vitest';
import { DOCS_URL, isAllowedExternalUrl, openExternal } from './open-external';

describe('isAllowedExternalUrl', () => {
  it('allows https links to the allowlisted hosts and their subdomains', () => {
    expect(isAllowedExternalUrl(DOCS_URL)).toBe(true);
    expect(isAllowedExternalUrl('https://otesse.com/support?x=1#y')).toBe(true);
    expect(isAllowedExternalUrl('https://help.otesse.com/')).toBe(true);
    expect(isAllowedExternalUrl('https://OTESSE.COM/')).toBe(true);
  });

  it('refuses other schemes, hosts, look-alikes, credentials and ports', () => {
    for (const url of [
      'http://otesse.com/',
      'file:///etc/passwd',
      'smb://otesse.com/share',
      'javascript:alert(1)',
      'ms-msdt:/id PCWDiagnostic',
      'https://evil.example/',
      'https://otesse.com.evil.example/',
      'https://evilotesse.com/',
      'https://user:pass@otesse.com/',
      'https://otesse.com:8443/',
      'https://otesse.com@evil.example/',
      'not a url',
      '',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });
});

describe('openExternal', () => {
  it('hands allowed URLs to the shell and refuses the rest without calling it', async () => {
    const shell = { openExternal: vi.fn(async () => {}) };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await openExternal(shell, 'https://otesse.com/')).toBe(true);
    expect(await openExternal(shell, 'file:///bin/sh')).toBe(false);
    expect(shell.openExternal.mock.calls).toEqual([['https://otesse.com/']]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).not.toContain('/bin/sh');
    warn.mockRestore();
  });
});
