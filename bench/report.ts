// Writing figures into docs/performance.md, shared by the ingest, search and export benchmarks.

/** Replaces the section between `<!-- bench:NAME:begin -->` and its end marker. */
export function writeSection(report: string, name: string, body: string): string {
  const begin = `<!-- bench:${name}:begin -->`;
  const end = `<!-- bench:${name}:end -->`;
  const start = report.indexOf(begin);
  const stop = report.indexOf(end);
  if (start === -1 || stop === -1)
    throw new Error(`docs/performance.md lacks the ${begin} / ${end} markers`);
  return `${report.slice(0, start)}${begin}\n${body}\n${report.slice(stop)}`;
}

export const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

/** The middle value (the upper middle for an even count). */
export const median = (values: number[]) =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
