import { describe, expect, it } from 'vitest';
import { parseUserAgent } from './user-agent';

describe('parseUserAgent', () => {
  it('reads browser, OS and device', () => {
    const ua =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
    const parsed = parseUserAgent(ua);
    expect(parsed.browser).toMatch(/Safari 17\.1/);
    expect(parsed.os).toMatch(/iOS 17\.1/);
    expect(parsed.device).toMatch(/iPhone.*mobile/);
  });
  it('never throws on junk', () => {
    expect(parseUserAgent('\u0000<script>').browser).toBe('unknown');
  });
});
