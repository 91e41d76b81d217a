// Review: annotations (one entry, many, or every entry of a confirmed query), annotation files,
// audit samples, unusual-activity insights and the review log. The review core writes its own
// review-log records in the same transaction as each change.
import { readFileSync } from 'node:fs';
import type { MergeResult, ReviewLogView } from '../../../../shared/api';
import { AuditDeskError } from '../../errors';
import { annotate, annotateMany, type AnnotationChange } from '../../review/annotations';
import { annotateQuery } from '../../review/bulk';
import { decideFinding, fromThresholds, runInsights } from '../../review/insights';
import { reviewLogRecords, verifyWorkspaceLog } from '../../review/review-log';
import {
  drawAndStoreSample,
  listSamples,
  sampleProgress,
  type SampleMethod,
} from '../../review/sampling';
import { exportAnnotations, mergeAnnotations, parseAnnotationsFile } from '../../review/share';
import { retryWhileBusy } from '../busy';
import type { AppContext } from '../context';
import type { ActionLog } from '../review-log';
import type { Handlers } from '../dispatch';
import { ApiFailure, notFound } from '../errors';
import { parseOrFail, runQuery } from '../query';
import { reviewerText, toAnnotation, toFinding, toSample } from '../review-mapping';
import { saveTarget } from '../save-target';

type ReviewHandlers = Pick<
  Handlers,
  | 'annotate'
  | 'exportAnnotations'
  | 'importAnnotations'
  | 'drawSample'
  | 'listSamples'
  | 'insights'
  | 'dismissFinding'
  | 'reviewLog'
>;

/** Most review-log records one call returns (the newest); verification always covers them all. */
const MAX_LOG_RECORDS = 10_000;

export function reviewHandlers(ctx: AppContext, log: ActionLog): ReviewHandlers {
  // Every review call first writes the workspace's settled search, keeping the log in order.
  const ws = (id: string) => {
    const connection = ctx.registry.connection(id);
    log.flush(id);
    return connection;
  };
  return {
    annotate: async ({ workspaceId, target, status, addTags, removeTags, note }) => {
      const change: AnnotationChange = { status, addTags, removeTags, note };
      if (
        status === undefined &&
        addTags === undefined &&
        removeTags === undefined &&
        note === undefined
      )
        throw new ApiFailure('invalid_request', 'nothing to change: give a status, tags or a note');
      const db = ws(workspaceId);
      const reviewer = ctx.reviewer();
      if ('query' in target) {
        const query = parseOrFail(target.query);
        const result = await retryWhileBusy(() =>
          conflictOnRejected(() =>
            runQuery(() => annotateQuery(db, query, change, reviewer, target.expectedCount)),
          ),
        );
        return { count: result.requested - result.missing.length };
      }
      if (target.entryIds.length === 1) {
        const [entryId] = target.entryIds as [string];
        await retryWhileBusy(() =>
          notFoundOnRejected(() => annotate(db, entryId, change, reviewer)),
        );
        return { count: 1 };
      }
      const result = await retryWhileBusy(() =>
        annotateMany(db, target.entryIds, change, reviewer),
      );
      if (result.missing.length === result.requested)
        throw notFound('none of these entries is in this workspace');
      return { count: result.requested - result.missing.length };
    },

    exportAnnotations: async ({ workspaceId, destination }) => {
      const db = ws(workspaceId);
      const fileName = `annotations-${new Date().toISOString().slice(0, 10)}.json`;
      const target = saveTarget(ctx, destination, fileName);
      const { annotations } = await retryWhileBusy(() =>
        exportAnnotations(db, target.path, ctx.reviewer()),
      );
      return { fileName: target.name, count: annotations, downloadUrl: target.finish() };
    },

    importAnnotations: async ({ workspaceId, file, resolve }) => {
      const db = ws(workspaceId);
      const known = ctx.files.resolve(file);
      const document = parseAnnotationsFile(readFileSync(known.path, 'utf8'), known.name);
      const merged = await retryWhileBusy(() =>
        mergeAnnotations(db, document, ctx.reviewer(), {
          takeTheirs: resolve === 'theirs' ? 'all' : undefined,
          source: known.name,
        }),
      );
      ctx.files.releaseUpload(file);
      const result: MergeResult = {
        added: merged.added + merged.tookTheirs,
        identical: merged.identical,
        conflicts: merged.conflicts
          .filter((c) => c.resolved === null)
          .map((c) => ({
            entryId: c.entryId,
            mine: toAnnotation(c.mine ?? { ...c.theirs, status: 'unreviewed', tags: [], note: '' }),
            theirs: toAnnotation(c.theirs),
          })),
      };
      return result;
    },

    drawSample: async ({ workspaceId, query, method, seed }) => {
      const db = ws(workspaceId);
      const parsed = parseOrFail(query);
      const core: SampleMethod =
        method.kind === 'size'
          ? { method: 'size', size: method.size }
          : method.kind === 'percent'
            ? { method: 'percent', percent: method.percent }
            : {
                method: 'statistical',
                confidence: method.confidence,
                marginPercent: method.margin,
              };
      const stored = await retryWhileBusy(() =>
        runQuery(() => drawAndStoreSample(db, parsed, core, seed, ctx.reviewer())),
      );
      return toSample(stored, sampleProgress(db, stored.id));
    },

    listSamples: ({ workspaceId }) => {
      const db = ws(workspaceId);
      return listSamples(db).map((s) => toSample(s, sampleProgress(db, s.id)));
    },

    insights: ({ workspaceId, since }) => {
      const db = ws(workspaceId);
      const settings = fromThresholds(ctx.settings.get().insightThresholds);
      return runInsights(db, { since, settings, includeDismissed: true }).findings.map(toFinding);
    },

    dismissFinding: async ({ workspaceId, findingId, reason }) => {
      const db = ws(workspaceId);
      const settings = fromThresholds(ctx.settings.get().insightThresholds);
      const finding = runInsights(db, { settings, includeDismissed: true }).findings.find(
        (f) => f.key === findingId,
      );
      if (finding === undefined)
        throw notFound('no such finding (the data or the thresholds changed)');
      const decision = await retryWhileBusy(() =>
        decideFinding(db, finding, 'dismissed', reason, ctx.reviewer()),
      );
      return toFinding({ ...finding, dismissed: decision });
    },

    reviewLog: ({ workspaceId }) => {
      const db = ws(workspaceId);
      const verdict = verifyWorkspaceLog(db);
      const records: ReviewLogView['records'] = [];
      for (const r of reviewLogRecords(db)) {
        records.push({
          seq: r.seq,
          at: r.at,
          actor: reviewerText(r.actor),
          action: r.action,
          details: r.details,
          prevHash: r.prevHash,
          hash: r.hash,
        });
        if (records.length > MAX_LOG_RECORDS) records.shift();
      }
      return { records, valid: verdict.valid, problems: verdict.problems.map((p) => p.message) };
    },
  };
}

/** A bulk change refused because the count moved on: the state changed under the user. */
function conflictOnRejected<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof AuditDeskError && error.kind === 'rejected')
      throw new ApiFailure('conflict', error.message);
    throw error;
  }
}

function notFoundOnRejected<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof AuditDeskError && error.kind === 'rejected')
      throw notFound('no such entry in this workspace');
    throw error;
  }
}
