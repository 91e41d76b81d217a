// describeQuery: a one-line English summary of a query, for the filter bar's tooltip, the CLI's
// human output and evidence-pack manifests ("what population was this?"). Values typed by the
// user are quoted and escaped (show()) so the summary stays on one line.
import type { Clause, Query } from './ast';
import { queryFilters } from './filters';
import { formatIpMatch } from './ip';
import { show } from './messages';

function lastDay(exclusiveEnd: string): string {
  // The day before a YYYY-MM-DD; only used for printing, so plain UTC date arithmetic is right.
  const d = new Date(`${exclusiveEnd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function clauseText(c: Exclude<Clause, { kind: 'date' }>): string {
  switch (c.kind) {
    case 'text':
      return c.phrase ? `the phrase ${show(c.text)}` : show(c.text);
    case 'user':
      return `user ${show(c.value)}`;
    case 'action':
      return c.prefix ? `an action starting with ${c.value}` : `action ${c.value}`;
    case 'category':
      return `category ${c.value}`;
    case 'entity':
      return c.match.by === 'type'
        ? `a ${c.match.type}`
        : c.match.by === 'id'
          ? `${c.match.type} ${c.match.id}`
          : `entity ${show(c.match.label)}`;
    case 'ip':
      return c.match.form === 'exact' ? `IP ${c.match.address}` : `IP in ${formatIpMatch(c.match)}`;
    case 'status':
      return `status ${c.value.replace('_', '-')}`;
    case 'tag':
      return `tag ${show(c.value)}`;
  }
}

export function describeQuery(query: Query): string {
  const parts: string[] = [];
  const groups = new Map<string, string[]>();
  const excluded: string[] = [];
  for (const c of query.clauses) {
    if (c.kind === 'date') continue;
    if (c.negated) excluded.push(clauseText(c));
    else if (c.kind === 'text' || c.kind === 'tag') parts.push(clauseText(c));
    else groups.set(c.kind, [...(groups.get(c.kind) ?? []), clauseText(c)]);
  }
  for (const alternatives of groups.values()) parts.push(alternatives.join(' or '));
  const { days } = queryFilters(query);
  let text = parts.length === 0 ? 'all entries' : `entries with ${parts.join(', ')}`;
  const sep = parts.length === 0 ? '' : ',';
  if (days.from !== null && days.to !== null) {
    const last = lastDay(days.to);
    text += sep;
    text += days.from === last ? ` on ${last}` : ` from ${days.from} to ${last}`;
  } else if (days.from !== null) text += `${sep} from ${days.from}`;
  else if (days.to !== null) text += `${sep} up to ${lastDay(days.to)}`;
  if (days.from !== null || days.to !== null) text += " (tenant's time zone)";
  if (excluded.length > 0) text += `, but not ${excluded.join(', not ')}`;
  return text;
}
