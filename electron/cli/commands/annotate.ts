import { REVIEW_STATUSES } from '../../../shared/query';
import { usageError } from '../../core/errors';
import { resolveReviewer, type Reviewer } from '../../core/review/reviewer';
import {
  annotate as annotateEntry,
  isReviewStatus,
  type Annotation,
  type AnnotationChange,
} from '../../core/review/annotations';
import { openWorkspace } from '../../core/workspace/database';
import { optionalString, requiredString } from '../args';
import type { Command, Options, ParsedArgs } from '../command';

// The reviewer identity flags shared by the review commands (docs/review.md "Reviewer identity").
export const REVIEWER_FLAGS = '[--reviewer-name NAME] [--reviewer-email EMAIL]';

export const REVIEWER_OPTIONS: Options = {
  'reviewer-name': { type: 'string' },
  'reviewer-email': { type: 'string' },
};

/** Flags first, then AUDIT_DESK_REVIEWER (`Name <email>`), then the OS user name. */
export function reviewerOf(args: ParsedArgs): Reviewer {
  const name = optionalString(args, 'reviewer-name');
  const email = optionalString(args, 'reviewer-email');
  return resolveReviewer({
    ...(name !== undefined ? { name } : {}),
    ...(email !== undefined ? { email } : {}),
  });
}

export const annotate: Command = {
  name: 'annotate',
  usage: `annotate --workspace DIR --entry ID [--status S] [--note TEXT] [--tag T]... [--remove-tag T]... [--clear] ${REVIEWER_FLAGS}`,
  summary: `records a review annotation on one entry (status ${REVIEW_STATUSES.join(', ')}; docs/review.md)`,
  positionals: 'none',
  options: {
    workspace: { type: 'string' },
    entry: { type: 'string' },
    status: { type: 'string' },
    note: { type: 'string' },
    tag: { type: 'string', multiple: true },
    'remove-tag': { type: 'string', multiple: true },
    clear: { type: 'boolean' },
    ...REVIEWER_OPTIONS,
  },
  run(args) {
    const entryId = requiredString(args, 'entry');
    const change = changeOf(args.values);
    const author = reviewerOf(args);
    const ws = openWorkspace(requiredString(args, 'workspace'));
    try {
      const { annotation, changed } = annotateEntry(ws, entryId, change, author);
      return {
        json: { entryId, changed, annotation },
        text: describe(entryId, annotation, changed),
        exitCode: 0,
      };
    } finally {
      ws.close();
    }
  },
};

function changeOf(values: Record<string, unknown>): AnnotationChange {
  const status = values.status;
  if (status !== undefined && !isReviewStatus(status))
    throw usageError(`--status must be one of ${REVIEW_STATUSES.join(', ')}`);
  const tags = (values.tag as string[] | undefined) ?? [];
  const removed = (values['remove-tag'] as string[] | undefined) ?? [];
  if (values.clear === true) {
    if (status !== undefined || values.note !== undefined || tags.length > 0 || removed.length > 0)
      throw usageError('--clear removes the annotation and takes no other change');
    return { status: 'unreviewed', tags: [], note: '' };
  }
  if (
    status === undefined &&
    values.note === undefined &&
    tags.length === 0 &&
    removed.length === 0
  )
    throw usageError('nothing to change: give --status, --note, --tag, --remove-tag or --clear');
  return {
    ...(status !== undefined ? { status } : {}),
    ...(typeof values.note === 'string' ? { note: values.note } : {}),
    ...(tags.length > 0 ? { addTags: tags } : {}),
    ...(removed.length > 0 ? { removeTags: removed } : {}),
  };
}

function describe(entryId: string, a: Annotation | null, changed: boolean): string {
  if (a === null) return `${entryId}: no annotation${changed ? ' (removed)' : ''}\n`;
  const lines = [
    `${entryId}: ${a.status}${a.tags.length > 0 ? `  tags: ${a.tags.join(', ')}` : ''}${changed ? '' : ' (unchanged)'}`,
    `  by ${a.author.name}${a.author.email ? ` <${a.author.email}>` : ''} at ${a.updatedAt}`,
  ];
  if (a.note !== '') lines.push(`  note: ${a.note.replace(/\s*\n\s*/g, ' ⏎ ')}`);
  return `${lines.join('\n')}\n`;
}
