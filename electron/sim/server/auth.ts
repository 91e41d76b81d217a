// Bearer tokens of one simulator run: one with the audit scope, one without (for testing 403).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const AUDIT_SCOPE = 'audit:read';

export type AuthResult = 'ok' | 'unauthorized' | 'forbidden';

export function newToken(label: 'audit' | 'noscope'): string {
  return `otsim_${label}_${randomBytes(24).toString('base64url')}`;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export class Tokens {
  private readonly full: Buffer;
  private readonly scopeless: Buffer;

  constructor(
    readonly token: string,
    readonly tokenWithoutScope: string,
  ) {
    this.full = digest(token);
    this.scopeless = digest(tokenWithoutScope);
  }

  /** Checks an Authorization header in constant time per token. */
  check(header: string | undefined): AuthResult {
    const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
    if (match === null) return 'unauthorized';
    const given = digest(match[1]!);
    if (timingSafeEqual(given, this.full)) return 'ok';
    if (timingSafeEqual(given, this.scopeless)) return 'forbidden';
    return 'unauthorized';
  }
}
