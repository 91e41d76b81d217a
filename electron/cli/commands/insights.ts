import { runInsights, type Finding } from '../../core/review/insights';
import { appendReviewLog } from '../../core/review/review-log';
import { openWorkspace } from '../../core/workspace/database';
import { isoInstant, optionalString, requiredString } from '../args';
import type { Command } from '../command';
import { REVIEWER_FLAGS, REVIEWER_OPTIONS, reviewerOf } from './annotate';

export const insights: Command = {
  name: 'insights',
  usage: `insights --workspace DIR [--since ISO] [--include-dismissed] ${REVIEWER_FLAGS}`,
  summary:
    'runs the unusual-activity rules: findings to review, high severity first (docs/review.md)',
  positionals: 'none',
  options: {
    workspace: { type: 'string' },
    since: { type: 'string' },
    'include-dismissed': { type: 'boolean' },
    ...REVIEWER_OPTIONS,
  },
  run(args) {
    const since =
      optionalString(args, 'since') === undefined ? undefined : isoInstant(args, 'since');
    const reviewer = reviewerOf(args);
    const ws = openWorkspace(requiredString(args, 'workspace'));
    try {
      const result = runInsights(ws, {
        ...(since !== undefined ? { since } : {}),
        includeDismissed: args.values['include-dismissed'] === true,
      });
      appendReviewLog(ws, {
        actor: reviewer,
        action: 'insights.run',
        details: {
          since: result.since,
          findings: result.findings.length,
          dismissed: result.dismissed,
        },
      });
      return {
        json: {
          since: result.since,
          timeZone: result.timeZone,
          scanned: result.scanned,
          dismissed: result.dismissed,
          findings: result.findings,
        },
        text: describe(
          result.findings,
          args.values['include-dismissed'] === true ? 0 : result.dismissed,
        ),
        exitCode: 0,
      };
    } finally {
      ws.close();
    }
  },
};

function describe(findings: Finding[], dismissed: number): string {
  const lines = findings.map((f) =>
    `${f.severity.toUpperCase().padEnd(6)}  ${f.rule.padEnd(22)}  ${f.summary}  [${f.entryIds.length} entr${f.entryIds.length === 1 ? 'y' : 'ies'}]${f.dismissed ? ' (dismissed)' : ''}`.replace(
      /[\r\n]+/g,
      ' ',
    ),
  );
  return `${lines.join('\n')}${lines.length > 0 ? '\n' : ''}${findings.length} findings${dismissed > 0 ? ` (${dismissed} dismissed not shown)` : ''}\n`;
}
