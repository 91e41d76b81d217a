// The AuditApi for every component, and small helpers to call it.
import { createContext, useContext } from 'react';
import type { ApiMethod, ApiRequest, ApiResponses, ApiResult, AuditApi } from '../../../shared/api';

export const ApiContext = createContext<AuditApi | null>(null);

export function useApi(): AuditApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiContext');
  return api;
}

export type Call = <M extends ApiMethod>(
  method: M,
  request: ApiRequest<M>,
) => Promise<ApiResult<ApiResponses[M]>>;
