import { describe, expect, it } from 'vitest';
import { cleanLine, REDACTED, redactorFor } from './redact';

const TOKEN = 'tok_SECRET_abcdefghijklmnopqrstuvwxyz';

describe('redactorFor', () => {
  const redact = redactorFor(TOKEN);
  it('replaces the token, and a start of it left at a cut', () => {
    expect(redact(`a ${TOKEN} b ${TOKEN}`)).toBe(`a ${REDACTED} b ${REDACTED}`);
    expect(redact(`cut here ${TOKEN.slice(0, 15)}`)).toBe(`cut here ${REDACTED}`);
    expect(redact(`"x-${TOKEN.slice(0, 20)}…`)).toBe(`"x-${REDACTED}…`);
    expect(redact('plain text')).toBe('plain text');
  });
});

describe('cleanLine', () => {
  it('redacts before it cuts, and keeps one line', () => {
    const line = cleanLine(`${'x'.repeat(290)}\n${TOKEN}`, 300, redactorFor(TOKEN));
    expect(line).not.toContain(TOKEN.slice(0, 6));
    expect(line).not.toContain('\n');
    expect(line.length).toBeLessThanOrEqual(301);
  });
});
