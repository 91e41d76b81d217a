// Who is reviewing: the name and e-mail recorded with every annotation, sample, dismissal and review
// log record. The caller passes it (settings in the app; flags, env or the OS user in the CLI).
import { userInfo } from 'node:os';
import { usageError } from '../errors';

export interface Reviewer {
  name: string;
  email: string | null;
}

export const REVIEWER_ENV = 'AUDIT_DESK_REVIEWER';
const MAX_NAME = 200;
const MAX_EMAIL = 320;

/** Trimmed, non-empty, one line, bounded; an empty e-mail is null. */
export function checkReviewer(reviewer: Reviewer): Reviewer {
  const name = reviewer.name.trim();
  const email = reviewer.email?.trim() ?? '';
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001f\u007f]/;
  if (name === '') throw usageError('the reviewer needs a name');
  if (name.length > MAX_NAME || control.test(name))
    throw usageError(`a reviewer name is one line of at most ${MAX_NAME} characters`);
  if (email.length > MAX_EMAIL || control.test(email) || (email !== '' && !email.includes('@')))
    throw usageError('a reviewer e-mail is one address like dana@example.com');
  return { name, email: email === '' ? null : email };
}

/** `Dana Reyes <dana@example.com>`, `Dana Reyes` or `dana@example.com`. */
export function parseReviewer(text: string): Reviewer {
  const angle = /^(.*)<([^<>]*)>\s*$/.exec(text);
  if (angle !== null) {
    const email = angle[2]!.trim();
    return { name: angle[1]!.trim() || email, email };
  }
  const trimmed = text.trim();
  return trimmed.includes('@') && !trimmed.includes(' ')
    ? { name: trimmed, email: trimmed }
    : { name: trimmed, email: null };
}

/**
 * The CLI's reviewer: --reviewer-name / --reviewer-email, else AUDIT_DESK_REVIEWER
 * (`Name <email>`), else the operating system's user name without an e-mail.
 */
export function resolveReviewer(
  flags: { name?: string; email?: string },
  env: NodeJS.ProcessEnv = process.env,
): Reviewer {
  const fromEnv = env[REVIEWER_ENV]?.trim() ? parseReviewer(env[REVIEWER_ENV]) : null;
  const name = flags.name ?? fromEnv?.name ?? osUserName();
  const email = flags.email ?? (flags.name === undefined ? (fromEnv?.email ?? null) : null);
  return checkReviewer({ name, email });
}

function osUserName(): string {
  try {
    return userInfo().username || 'unknown reviewer';
  } catch {
    return 'unknown reviewer';
  }
}
