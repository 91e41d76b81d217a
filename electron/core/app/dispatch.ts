// The one door from a transport (IPC or HTTP) into the handlers: the method name is allowlisted
// against API_REQUESTS, the request validated with its schema, and every failure answered as an
// ApiResult. Nothing thrown escapes; unexpected errors are reported to `onInternalError` (the app log)
// with secrets removed, and the caller sees only a code and one line.
import {
  API_REQUESTS,
  fail,
  ok,
  type ApiMethod,
  type ApiResponses,
  type ApiResult,
  type ApiValidRequest,
} from '../../../shared/api';
import { ApiFailure, cleanMessage, describeZodError, toApiError } from './errors';

export type Handler<M extends ApiMethod> = (
  request: ApiValidRequest<M>,
) => Promise<ApiResponses[M]> | ApiResponses[M];

export type Handlers = { [M in ApiMethod]: Handler<M> };

export interface DispatchOptions {
  /** Strings that must never appear in an answer (the API token, the server token). */
  secrets?: () => readonly string[];
  /** Called with errors that are not ours (bugs, I/O): for the app's own log, never the client. */
  onInternalError?: (method: string, error: unknown) => void;
}

export function isApiMethod(method: string): method is ApiMethod {
  return Object.prototype.hasOwnProperty.call(API_REQUESTS, method);
}

export async function dispatch(
  handlers: Handlers,
  method: string,
  rawRequest: unknown,
  options: DispatchOptions = {},
): Promise<ApiResult<unknown>> {
  if (!isApiMethod(method))
    return fail('invalid_request', `unknown method "${cleanMessage(method).slice(0, 60)}"`);
  const parsed = API_REQUESTS[method].safeParse(rawRequest ?? {});
  if (!parsed.success) return fail('invalid_request', describeZodError(parsed.error));
  try {
    const handler = handlers[method] as (request: unknown) => unknown;
    return ok(await handler(parsed.data));
  } catch (error) {
    const secrets = options.secrets?.() ?? [];
    const answer = toApiError(error, secrets);
    if (answer.code === 'runtime' && !(error instanceof ApiFailure))
      options.onInternalError?.(method, error);
    return { ok: false, error: answer };
  }
}
