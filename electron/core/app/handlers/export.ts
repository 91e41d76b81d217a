// Evidence packs: exportPack as a job on its own connection (the export reads in one transaction
// while the reviewer keeps working), verifyPack against the trust the app uses for imports.
import type { ExportResult, PackVerification } from '../../../../shared/api';
import { formatQuery, parseQuery } from '../../../../shared/query';
import {
  chooseFields,
  EXPORT_CANCELLED,
  exportPack,
  verifyPack,
  type AnnotationSource,
  type ExportAnnotation,
  type ExportSelection,
} from '../../export';
import { AuditDeskError } from '../../errors';
import { annotationsFor } from '../../review/annotations';
import { appendReviewLog, reviewLogRecords } from '../../review/review-log';
import { getSample } from '../../review/sampling';
import type { Workspace } from '../../workspace/database';
import type { AppContext } from '../context';
import type { ActionLog } from '../review-log';
import type { Handlers } from '../dispatch';
import { ApiFailure, notFound } from '../errors';
import { parseOrFail } from '../query';
import { reviewerText } from '../review-mapping';
import { saveTarget } from '../save-target';
import { verificationTrust } from '../trust';

type ExportHandlers = Pick<Handlers, 'exportPack' | 'verifyPack'>;

export function exportHandlers(ctx: AppContext, log: ActionLog): ExportHandlers {
  return {
    exportPack: ({ workspaceId, selection, fields, annotations, destination }) => {
      ctx.registry.get(workspaceId);
      log.flush(workspaceId);
      const chosenFields = chooseFields(
        fields === undefined ? undefined : fields.join(','),
        annotations,
      );
      const query = 'query' in selection ? parseOrFail(selection.query) : null;
      if ('entryIds' in selection)
        throw new ApiFailure(
          'unsupported',
          'export a query or a sample (a list of entries cannot be exported yet)',
        );
      const reviewer = ctx.reviewer();
      // The destination first: a wrong one fails the call, not the job after all the work.
      const tenant = ctx.registry
        .connection(workspaceId)
        .db.prepare('SELECT tenant_id FROM tenant')
        .pluck()
        .get() as string | undefined;
      const fileName = `evidence-pack-${tenant ?? 'workspace'}-${new Date().toISOString().slice(0, 10)}.zip`;
      const target = saveTarget(ctx, destination, fileName);
      return ctx.jobs.start<ExportResult>({
        kind: 'export',
        workspaceId,
        unit: 'entries',
        // Reads only: it need not wait for an import, and an import need not wait for it.
        serializeOn: `export:${workspaceId}`,
        run: async ({ signal, progress }) => {
          const ws = ctx.registry.jobConnection(workspaceId);
          try {
            const exportSelection = selectionOf(
              ws,
              query,
              'sampleId' in selection ? selection.sampleId : null,
            );
            const result = await exportPack(ws, {
              out: target.path,
              selection: exportSelection,
              fields: chosenFields,
              annotations: annotations ? annotationSource(ws) : undefined,
              reviewLog: annotations
                ? { [Symbol.iterator]: () => reviewLogRecords(ws) }
                : undefined,
              reviewer: reviewerText(reviewer),
              appVersion: ctx.version,
              signal,
              onProgress: (done, total) =>
                progress({ done, total, message: `${done} of ${total} entries` }),
            }).catch((error: unknown) => {
              if (error instanceof AuditDeskError && error.message === EXPORT_CANCELLED)
                throw new ApiFailure('cancelled', 'cancelled by the user');
              throw error;
            });
            appendReviewLog(ws, {
              actor: reviewer,
              action: 'export.written',
              details: {
                file: target.name,
                entries: result.entries,
                bundles: result.bundles,
                selection:
                  'sampleId' in selection
                    ? { sampleId: selection.sampleId }
                    : { query: formatQuery(query!) },
                annotations,
              },
            });
            return {
              fileName: target.name,
              entries: result.entries,
              files: result.files.map((f) => f.name),
              downloadUrl: target.finish(),
            };
          } finally {
            ws.close();
          }
        },
      });
    },

    verifyPack: ({ file }) => {
      const known = ctx.files.resolve(file);
      const verdict = verifyPack(known.path, verificationTrust(ctx));
      const result: PackVerification = {
        valid: verdict.valid,
        problems: verdict.problems.map((message) => ({
          file: known.name,
          message: message.split(known.path).join(known.name),
        })),
        entries: verdict.entries,
        bundles: verdict.bundles,
      };
      return result;
    },
  };
}

function selectionOf(
  ws: Workspace,
  query: ReturnType<typeof parseOrFail> | null,
  sampleId: string | null,
): ExportSelection {
  if (query !== null) return { kind: 'query', query };
  const sample = /^\d{1,15}$/.test(sampleId ?? '') ? getSample(ws, Number(sampleId)) : null;
  if (sample === null) throw notFound('no such sample in this workspace');
  const parsed = parseQuery(sample.query);
  return {
    kind: 'sample',
    entryIds: sample.entryIds,
    seed: sample.seed,
    populationFingerprint: sample.populationFingerprint,
    populationSize: sample.population,
    query: parsed.ok ? parsed.query : null,
  };
}

function annotationSource(ws: Workspace): AnnotationSource {
  return {
    annotationsFor: (ids) => {
      const out = new Map<string, ExportAnnotation>();
      for (const [id, a] of annotationsFor(ws, ids))
        out.set(id, {
          status: a.status,
          tags: a.tags,
          note: a.note === '' ? null : a.note,
          author: reviewerText(a.author),
          updatedAt: a.updatedAt,
        });
      return out;
    },
  };
}
