// Recent answers of read-only calls whose cost grows with the workspace (facets, histogram): going
// back to a query seen a moment ago (clearing the bar, undoing a filter) shows its counts at once
// instead of asking the backend again. Keys include the data version, so imports invalidate them.
import type { ApiMethod, ApiRequest, ApiResponses, ApiResult, AuditApi } from '../../../shared/api';

const LIMIT = 64;
const answers = new Map<string, unknown>();

export function cacheKey(version: number, method: ApiMethod, request: unknown): string {
  return `${version}|${method}|${JSON.stringify(request)}`;
}

export function cachedAnswer<M extends ApiMethod>(key: string): ApiResponses[M] | undefined {
  return answers.get(key) as ApiResponses[M] | undefined;
}

/** Calls through the cache: a success is remembered (the oldest forgotten past the limit). */
export async function callCached<M extends ApiMethod>(
  api: AuditApi,
  version: number,
  method: M,
  request: ApiRequest<M>,
): Promise<ApiResult<ApiResponses[M]>> {
  const key = cacheKey(version, method, request);
  const hit = cachedAnswer<M>(key);
  if (hit !== undefined) return { ok: true, value: hit };
  const result = await api.call(method, request);
  if (result.ok) {
    answers.set(key, result.value);
    if (answers.size > LIMIT) answers.delete(answers.keys().next().value!);
  }
  return result;
}
