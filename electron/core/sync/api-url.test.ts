// The API address: normalized for the cursor key, and never a way to leak the token.
import { describe, expect, it } from 'vitest';
import { apiEndpoint, normalizeApiUrl } from './api-url';
import { redactError, redactorFor } from './redact';

describe('normalizeApiUrl', () => {
  it('normalizes trailing slashes and keeps a path prefix', () => {
    expect(normalizeApiUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(normalizeApiUrl('https://api.otesse.com/prefix//')).toBe(
      'https://api.otesse.com/prefix',
    );
    expect(
      apiEndpoint('https://a.b/p', '/v1/audit/bundles', { after: 'x y', limit: '5' }).href,
    ).toBe('https://a.b/p/v1/audit/bundles?after=x+y&limit=5');
  });

  it('refuses credentials in the address, queries, other schemes and clear-text http off loopback', () => {
    expect(() => normalizeApiUrl('https://user:secret@api.otesse.com')).toThrow(
      /must not carry credentials/,
    );
    expect(() => normalizeApiUrl('https://api.otesse.com/?token=x')).toThrow(/without a query/);
    expect(() => normalizeApiUrl('ftp://api.otesse.com')).toThrow(/http\(s\)/);
    expect(() => normalizeApiUrl('not a url')).toThrow(/http\(s\) address/);
    expect(() => normalizeApiUrl('http://api.otesse.com')).toThrow(/in clear over http/);
    expect(normalizeApiUrl('http://localhost:1')).toBe('http://localhost:1');
    expect(normalizeApiUrl('http://[::1]:1')).toBe('http://[::1]:1');
  });
});

describe('redact', () => {
  it('scrubs the token from text and from error messages and stacks', () => {
    const redact = redactorFor('tok_SECRET123');
    expect(redact('a tok_SECRET123 b tok_SECRET123')).toBe('a [redacted token] b [redacted token]');
    const error = redactError(new Error('server said tok_SECRET123'), redact) as Error;
    expect(error.message).toBe('server said [redacted token]');
    expect(error.stack).not.toContain('tok_SECRET123');
  });
});
