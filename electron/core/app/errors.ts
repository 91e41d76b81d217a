// How anything thrown below a handler becomes an ApiError: the renderer gets a code and one clean
// line, never a stack trace, an absolute path, an SQL message or a secret.
import { z } from 'zod';
import type { ApiError, ApiErrorCode } from '../../../shared/api';
import { AuditDeskError } from '../errors';

/** Thrown by handlers to answer a specific code (not_found, conflict, unsupported...). */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly position?: number,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export const notFound = (message: string) => new ApiFailure('not_found', message);
export const conflict = (message: string) => new ApiFailure('conflict', message);
export const unsupported = (message: string) => new ApiFailure('unsupported', message);

const MAX_MESSAGE = 500;
// Absolute paths (POSIX and Windows) anywhere in a message: the renderer never learns where files live.
const POSIX_PATH = /(^|[\s"'(=])\/(?:[^\s"'():]+\/)*[^\s"'():]*/g;
const WINDOWS_PATH = /(^|[\s"'(=])[A-Za-z]:\\[^\s"'()]*/g;

/**
 * One line, no listed secrets, bounded length, and no paths unless `keepPaths` (query errors, whose
 * text is the user's own query: `ip:10.0.0.0/33` must keep its slash).
 */
export function cleanMessage(
  message: string,
  secrets: readonly string[] = [],
  keepPaths = false,
): string {
  let text = message.replace(/\s*\n\s*/g, ' ').trim();
  for (const secret of secrets)
    if (secret.length >= 4) text = text.split(secret).join('[redacted]');
  if (!keepPaths) text = text.replace(POSIX_PATH, '$1<path>').replace(WINDOWS_PATH, '$1<path>');
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

/** The first problem of a failed schema check, naming the field but never echoing the value. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid request';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'request';
  return cleanMessage(`invalid request: ${where}: ${issue.message}`);
}

export function toApiError(error: unknown, secrets: readonly string[] = []): ApiError {
  if (error instanceof ApiFailure) {
    const message = cleanMessage(error.message, secrets, error.code === 'bad_query');
    return error.position === undefined
      ? { code: error.code, message }
      : { code: error.code, message, position: error.position };
  }
  if (error instanceof z.ZodError)
    return { code: 'invalid_request', message: describeZodError(error) };
  if (error instanceof AuditDeskError) {
    const code: ApiErrorCode =
      error.kind === 'usage'
        ? 'invalid_request'
        : error.kind === 'rejected'
          ? 'rejected'
          : 'runtime';
    return { code, message: cleanMessage(error.message, secrets) };
  }
  const sqlite = (error as { code?: unknown }).code;
  if (typeof sqlite === 'string' && sqlite.startsWith('SQLITE_BUSY'))
    return {
      code: 'conflict',
      message: 'the workspace is busy (an import or sync is writing); try again shortly',
    };
  if (error instanceof Error && error.name === 'AbortError')
    return { code: 'cancelled', message: 'cancelled' };
  // Anything else is a bug or an environment failure: say so without its internals.
  return {
    code: 'runtime',
    message: 'internal error: the operation failed (details are in the app log)',
  };
}
