// Methods whose core module has not landed yet answer `unsupported` with a clear line, so the
// renderer can show "not available yet" instead of failing.
import type { Handlers } from '../dispatch';
import { unsupported } from '../errors';

export const PENDING_METHODS = ['facets', 'histogram'] as const;
type PendingMethod = (typeof PENDING_METHODS)[number];

const WHAT: Record<PendingMethod, string> = {
  facets: 'facet counts',
  histogram: 'the timeline histogram',
};

export function pendingHandlers(): Pick<Handlers, PendingMethod> {
  const handlers = {} as Record<PendingMethod, () => never>;
  for (const method of PENDING_METHODS)
    handlers[method] = () => {
      throw unsupported(`${WHAT[method]}: not available yet in this version`);
    };
  return handlers as unknown as Pick<Handlers, PendingMethod>;
}
