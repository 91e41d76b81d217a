// Reviewer identity: flags, then AUDIT_DESK_REVIEWER, then the OS user; bad values are usage errors.
import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseReviewer, resolveReviewer } from './reviewer';

describe('parseReviewer', () => {
  it('reads "Name <email>", a bare name and a bare e-mail', () => {
    expect(parseReviewer('Dana Reyes <dana@example.com>')).toEqual({
      name: 'Dana Reyes',
      email: 'dana@example.com',
    });
    expect(parseReviewer('Dana Reyes')).toEqual({ name: 'Dana Reyes', email: null });
    expect(parseReviewer('dana@example.com')).toEqual({
      name: 'dana@example.com',
      email: 'dana@example.com',
    });
  });
});

describe('resolveReviewer', () => {
  const env = { AUDIT_DESK_REVIEWER: 'Lee Park <lee@example.com>' };

  it('flags first, then the environment, then the OS user name', () => {
    expect(resolveReviewer({ name: 'Dana', email: 'd@example.com' }, env)).toEqual({
      name: 'Dana',
      email: 'd@example.com',
    });
    // A name from the flags never borrows the environment's e-mail.
    expect(resolveReviewer({ name: 'Dana' }, env)).toEqual({ name: 'Dana', email: null });
    expect(resolveReviewer({}, env)).toEqual({ name: 'Lee Park', email: 'lee@example.com' });
    expect(resolveReviewer({}, {})).toEqual({ name: userInfo().username, email: null });
    expect(resolveReviewer({}, { AUDIT_DESK_REVIEWER: '  ' }).name).toBe(userInfo().username);
  });

  it('refuses a name with a newline, an overlong name and an e-mail without @', () => {
    for (const bad of [{ name: 'a\nb' }, { name: 'x'.repeat(201) }, { name: 'a', email: 'nope' }])
      expect(() => resolveReviewer(bad, {})).toThrow(expect.objectContaining({ kind: 'usage' }));
  });
});
