// A progress bar with its numbers beside it (a bar alone says nothing about a 20-minute sync).
export function Progress(props: { done: number; total: number | null; label: string }) {
  const { done, total, label } = props;
  return total !== null && total > 0 ? (
    <progress className="progress" value={Math.min(done, total)} max={total} aria-label={label} />
  ) : (
    <progress className="progress" aria-label={label} />
  );
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatRate(rate: number | null, unit: string): string {
  if (rate === null) return '';
  if (unit === 'bytes') return `${formatBytes(rate)}/s`;
  return `${formatCount(Math.round(rate))} ${unit}/s`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
