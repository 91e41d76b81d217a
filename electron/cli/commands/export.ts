import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { formatQuery, parseQuery, type Query } from '../../../shared/query';
import { usageError } from '../../core/errors';
import {
  chooseFields,
  exportPack,
  type AnnotationSource,
  type ExportAnnotation,
} from '../../core/export';
import { annotationsFor } from '../../core/review/annotations';
import { appendReviewLog, reviewLogRecords } from '../../core/review/review-log';
import { resolveReviewer, type Reviewer } from '../../core/review/reviewer';
import { openWorkspace, type Workspace } from '../../core/workspace/database';
import { optionalString, requiredString } from '../args';
import type { Command } from '../command';

export const exportCommand: Command = {
  name: 'export',
  usage: 'export --workspace DIR [QUERY] --out PACK.zip [--fields a,b,...] [--annotations]',
  summary: 'writes an evidence pack: safe CSV, the signed entries, their proofs and a manifest',
  positionals: 'optional',
  options: {
    workspace: { type: 'string' },
    out: { type: 'string' },
    fields: { type: 'string' },
    annotations: { type: 'boolean' },
  },
  async run(args) {
    const query = parse(args.positionals.join(' '));
    const out = resolve(requiredString(args, 'out'));
    const withAnnotations = args.values.annotations === true;
    const fields = chooseFields(optionalString(args, 'fields'), withAnnotations);
    const reviewer = resolveReviewer({});
    const ws = openWorkspace(requiredString(args, 'workspace'));
    try {
      const review = withAnnotations ? reviewSource(ws) : undefined;
      const result = await exportPack(ws, {
        out,
        selection: { kind: 'query', query },
        fields,
        annotations: review?.annotations,
        reviewLog: review?.reviewLog,
        reviewer: reviewerText(reviewer),
        appVersion: appVersion(),
      });
      // The reviewer's log records the hand-over, as the app's export does.
      appendReviewLog(ws, {
        actor: reviewer,
        action: 'export.written',
        details: {
          file: basename(out),
          entries: result.entries,
          bundles: result.bundles,
          selection: { query: formatQuery(query) },
          annotations: withAnnotations,
        },
      });
      const files = result.files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256 }));
      return {
        json: { out: result.out, entries: result.entries, bundles: result.bundles, files },
        text: `wrote ${result.out}: ${result.entries} entries from ${result.bundles} bundles, ${files.length} files (query: ${formatQuery(query) || 'everything'})\n`,
        exitCode: 0,
      };
    } finally {
      ws.close();
    }
  },
};

function parse(text: string): Query {
  const parsed = parseQuery(text);
  if (!parsed.ok)
    throw usageError(`query error at column ${parsed.error.position + 1}: ${parsed.error.message}`);
  return parsed.query;
}

/** The review module's annotations and review log (electron/core/review), as the export takes them. */
function reviewSource(ws: Workspace): {
  annotations: AnnotationSource;
  reviewLog: Iterable<object>;
} {
  return {
    annotations: {
      annotationsFor: (ids) => {
        const found = annotationsFor(ws, ids);
        const out = new Map<string, ExportAnnotation>();
        for (const [id, a] of found)
          out.set(id, {
            status: a.status,
            tags: a.tags,
            note: a.note === '' ? null : a.note,
            author:
              a.author.email === null ? a.author.name : `${a.author.name} <${a.author.email}>`,
            updatedAt: a.updatedAt,
          });
        return out;
      },
    },
    reviewLog: { [Symbol.iterator]: () => reviewLogRecords(ws) },
  };
}

function appVersion(): string {
  try {
    const url = new URL('../../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function reviewerText(r: Reviewer): string {
  return r.email === null ? r.name : `${r.name} <${r.email}>`;
}
