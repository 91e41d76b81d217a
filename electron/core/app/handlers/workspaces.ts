// Workspaces: list, create, rename, delete (with the name repeated), coverage.
import type { WorkspaceSummary } from '../../../../shared/api';
import { computeCoverage } from '../../workspace/coverage';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';
import { ApiFailure } from '../errors';
import type { ActionLog } from '../review-log';
import { summarize, unreadableSummary } from '../summary';

type WorkspaceHandlers = Pick<
  Handlers,
  'listWorkspaces' | 'createWorkspace' | 'renameWorkspace' | 'deleteWorkspace' | 'coverage'
>;

export function summaryOf(ctx: AppContext, id: string): WorkspaceSummary {
  const entry = ctx.registry.get(id);
  try {
    return summarize(entry, ctx.registry.connection(id));
  } catch {
    return unreadableSummary(entry);
  }
}

export function workspaceHandlers(ctx: AppContext, log: ActionLog): WorkspaceHandlers {
  return {
    listWorkspaces: () => ctx.registry.list().map((entry) => summaryOf(ctx, entry.id)),
    createWorkspace: ({ name }) => summaryOf(ctx, ctx.registry.create(name).id),
    renameWorkspace: ({ workspaceId, name }) =>
      summaryOf(ctx, ctx.registry.rename(workspaceId, name).id),
    deleteWorkspace: ({ workspaceId, confirmName }) => {
      const entry = ctx.registry.get(workspaceId);
      if (entry.name !== confirmName)
        throw new ApiFailure(
          'invalid_request',
          'the confirmation does not match the workspace name; type the name exactly to delete it',
        );
      if (ctx.jobs.list().some((j) => j.workspaceId === workspaceId && j.state === 'running'))
        throw new ApiFailure(
          'conflict',
          'a job is still running on this workspace; cancel it first',
        );
      ctx.registry.remove(workspaceId);
      return { deleted: true };
    },
    coverage: ({ workspaceId }) => {
      const ws = ctx.registry.connection(workspaceId);
      log.opening(workspaceId, ws);
      return computeCoverage(ws);
    },
  };
}
