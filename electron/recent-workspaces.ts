// Recently used workspaces for File > Open Recent, learnt from the API calls that succeed (a call
// naming a workspace means the user is working in it), kept in a small JSON file in userData.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { ApiResult } from '../shared/api';
import type { RecentWorkspace } from './menu';

const MAX_RECENT = 10;
const fileSchema = z.array(z.object({ id: z.string().min(1).max(200), name: z.string().max(200) }));

function isSummary(value: unknown): value is RecentWorkspace {
  const v = value as Partial<RecentWorkspace> | null;
  return typeof v?.id === 'string' && typeof v.name === 'string';
}

export class RecentWorkspaces {
  #items: RecentWorkspace[];

  constructor(private readonly file: string | null) {
    this.#items = file ? RecentWorkspaces.#read(file) : [];
  }

  static #read(file: string): RecentWorkspace[] {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data.slice(0, MAX_RECENT) : [];
    } catch {
      return [];
    }
  }

  list(): readonly RecentWorkspace[] {
    return this.#items;
  }

  /**
   * Learns from one successful API call; answers whether the list changed (the menu is rebuilt).
   * Only workspaces whose name is known (from list/create/rename answers) are listed.
   */
  observe(method: string, request: unknown, result: ApiResult<unknown>): boolean {
    if (!result.ok) return false;
    const value = result.value;
    const workspaceId = (request as { workspaceId?: unknown } | null)?.workspaceId;
    const before = JSON.stringify(this.#items);
    if (method === 'listWorkspaces' && Array.isArray(value)) {
      const known = new Map(value.filter(isSummary).map((w) => [w.id, w.name]));
      this.#items = this.#items
        .filter((w) => known.has(w.id))
        .map((w) => ({ id: w.id, name: known.get(w.id) ?? w.name }));
    } else if ((method === 'createWorkspace' || method === 'renameWorkspace') && isSummary(value)) {
      this.#touch({ id: value.id, name: value.name });
    } else if (method === 'deleteWorkspace' && typeof workspaceId === 'string') {
      this.#items = this.#items.filter((w) => w.id !== workspaceId);
    } else if (typeof workspaceId === 'string') {
      const known = this.#items.find((w) => w.id === workspaceId);
      if (known) this.#touch(known);
      else this.#pendingId = workspaceId;
    }
    if (method === 'listWorkspaces' && Array.isArray(value) && this.#pendingId) {
      const named = value.filter(isSummary).find((w) => w.id === this.#pendingId);
      if (named) this.#touch({ id: named.id, name: named.name });
      this.#pendingId = null;
    }
    const changed = JSON.stringify(this.#items) !== before;
    if (changed) this.#save();
    return changed;
  }

  /** A workspace used before its name was known: named by the next listWorkspaces answer. */
  #pendingId: string | null = null;

  #touch(workspace: RecentWorkspace): void {
    this.#items = [workspace, ...this.#items.filter((w) => w.id !== workspace.id)].slice(
      0,
      MAX_RECENT,
    );
  }

  #save(): void {
    if (!this.file) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(this.#items), { mode: 0o600 });
      renameSync(temp, this.file);
    } catch {
      // Best effort: the list is a convenience.
    }
  }
}
