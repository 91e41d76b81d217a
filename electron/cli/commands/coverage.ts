import { computeCoverage, type Coverage } from '../../core/workspace/coverage';
import { openWorkspace } from '../../core/workspace/database';
import { requiredString } from '../args';
import type { Command } from '../command';

export const coverage: Command = {
  name: 'coverage',
  usage: 'coverage --workspace DIR',
  summary: 'periods proven complete, seq gaps, chain breaks and archived bundles',
  positionals: 'none',
  options: { workspace: { type: 'string' } },
  run(args) {
    const ws = openWorkspace(requiredString(args, 'workspace'));
    try {
      const report = computeCoverage(ws);
      return { json: report, text: describe(report), exitCode: 0 };
    } finally {
      ws.close();
    }
  },
};

function describe(c: Coverage): string {
  const lines = [
    `${c.tenant ? `${c.tenant.name} (${c.tenant.id}, ${c.tenant.timeZone}, ${c.tenant.plan})` : 'empty workspace'}`,
    `${c.entries} entries in ${c.bundles} bundles${c.from ? `, ${c.from} – ${c.to}` : ''}`,
    c.complete ? 'complete: every period proven, no gaps, no chain breaks' : 'NOT complete',
    ...c.proven.map(
      (p) => `  proven  ${p.from} – ${p.to}  (${p.bundles} bundles, ${p.entries} entries)`,
    ),
    ...c.gaps.map(
      (g) =>
        `  GAP     ${g.from} – ${g.to}${g.fromSeq !== null || g.toSeq !== null ? `  seq ${g.fromSeq ?? '?'}–${g.toSeq ?? '?'} missing` : ''}`,
    ),
    ...c.chainBreaks.map((b) => `  BREAK   between ${b.afterBundle} and ${b.beforeBundle}`),
  ];
  if (c.startsMidChain)
    lines.push('  the first stored bundle continues an earlier one that is not in this workspace');
  if (c.archived.bundles > 0) {
    lines.push(
      `  archived: ${c.archived.bundles} bundles (${c.archived.entries} entries) older than the ${c.archived.retentionDays}-day retention`,
    );
  }
  return `${lines.join('\n')}\n`;
}
