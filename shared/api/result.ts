// Every AuditApi call answers `{ok: true, value}` or `{ok: false, error}`: the renderer never sees a
// thrown exception, a stack trace or a raw SQL/file-system message, only a code it can act on and one
// line it can show.

export const API_ERROR_CODES = [
  /** The request did not match its schema (a bug in the caller, or a hostile page). */
  'invalid_request',
  /** The query text is not valid syntax: `position` says where. */
  'bad_query',
  /** No such workspace, entry, sample, job... */
  'not_found',
  /** A bundle, pack or file was refused (verification verdict, wrong format). */
  'rejected',
  /** The operation conflicts with the current state (workspace busy, name taken, merge conflicts). */
  'conflict',
  /** Not allowed in this mode (e.g. a desktop-only operation in browser mode). */
  'unsupported',
  /** The job was cancelled by the user. */
  'cancelled',
  /** Network, disk or another runtime failure. */
  'runtime',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiError {
  code: ApiErrorCode;
  /** One line for the user: what happened and, where possible, what to do. Never a secret. */
  message: string;
  /** For `bad_query`: 0-based offset of the problem in the query text. */
  position?: number;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): ApiResult<T> => ({ ok: true, value });
export const fail = <T = never>(
  code: ApiErrorCode,
  message: string,
  position?: number,
): ApiResult<T> => ({
  ok: false,
  error: position === undefined ? { code, message } : { code, message, position },
});
