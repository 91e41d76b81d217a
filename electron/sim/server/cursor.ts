// Opaque page cursors for `GET /v1/audit/bundles?after=`: base64url of the position and id of the
// last bundle of a page. A cursor stays valid while the server publishes newer bundles; one that
// does not name a listed bundle at its position is a 400, never a silent restart from the top.
const PREFIX = 'c1';

export function encodeCursor(index: number, bundleId: string): string {
  return Buffer.from(`${PREFIX}:${index}:${bundleId}`, 'utf8').toString('base64url');
}

/** The index after which the page starts, or null when `cursor` does not name bundle `ids[index]`. */
export function decodeCursor(cursor: string, ids: readonly string[]): number | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const match = /^c1:(\d{1,9}):(\S+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (match === null) return null;
  const index = Number(match[1]);
  const id = match[2]!;
  return ids[index] === id && encodeCursor(index, id) === cursor ? index : null;
}
