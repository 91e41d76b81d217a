// The workspaces the app knows, by opaque id: `<home>/registry.json` (names, ids, demo flag, and the
// folder of workspaces registered from elsewhere, e.g. `serve --workspace DIR`), and the workspace
// folders themselves under `<home>/workspaces/<id>/`. The renderer only ever sees ids.
// Each workspace keeps one long-lived connection for reads and short writes (search, annotations);
// jobs (import, sync) open their own connection, so a search never sees an import's open transaction.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { openWorkspace, type Workspace } from '../workspace/database';
import { writeFileAtomic } from './atomic-write';
import { conflict, notFound } from './errors';

export const REGISTRY_FILE = 'registry.json';
export const WORKSPACES_DIR = 'workspaces';

const entrySchema = z.object({
  id: z.string().regex(/^ws_[a-z0-9]{8,40}$/),
  name: z.string().min(1).max(200),
  isDemo: z.boolean(),
  /** Absolute folder of a workspace registered from outside the home; null: `<home>/workspaces/<id>`. */
  externalDir: z.string().nullable(),
  createdAt: z.string(),
});
export type RegistryEntry = z.infer<typeof entrySchema>;

const fileSchema = z.object({
  version: z.literal(1),
  /** Set once the demo workspace was offered, so deleting it does not bring it back. */
  demoOffered: z.boolean(),
  workspaces: z.array(entrySchema),
});
type RegistryFile = z.infer<typeof fileSchema>;

const newId = () => `ws_${randomBytes(8).toString('hex')}`;

export class WorkspaceRegistry {
  readonly home: string;
  /** True when this home had no registry yet (a first run). */
  readonly firstRun: boolean;
  private data: RegistryFile;
  private readonly open = new Map<string, Workspace>();
  private readonly closing: ((id: string) => void)[] = [];

  constructor(home: string) {
    this.home = resolve(home);
    mkdirSync(join(this.home, WORKSPACES_DIR), { recursive: true });
    const file = join(this.home, REGISTRY_FILE);
    this.firstRun = !existsSync(file);
    this.data = this.firstRun
      ? { version: 1, demoOffered: false, workspaces: [] }
      : this.read(file);
  }

  list(): RegistryEntry[] {
    return this.data.workspaces.map((w) => ({ ...w }));
  }

  get demoOffered(): boolean {
    return this.data.demoOffered;
  }

  markDemoOffered(): void {
    this.data.demoOffered = true;
    this.save();
  }

  get(id: string): RegistryEntry {
    const found = this.data.workspaces.find((w) => w.id === id);
    if (found === undefined) throw notFound('no such workspace (it may have been deleted)');
    return { ...found };
  }

  dirOf(entry: RegistryEntry): string {
    return entry.externalDir ?? join(this.home, WORKSPACES_DIR, entry.id);
  }

  /** A new, empty workspace in the home. */
  create(name: string, options: { isDemo?: boolean } = {}): RegistryEntry {
    this.checkNameFree(name);
    const entry: RegistryEntry = {
      id: newId(),
      name,
      isDemo: options.isDemo ?? false,
      externalDir: null,
      createdAt: new Date().toISOString(),
    };
    openWorkspace(this.dirOf(entry), { create: true }).close();
    this.data.workspaces.push(entry);
    this.save();
    return { ...entry };
  }

  /** Registers (or finds) a workspace folder outside the home, creating it when missing or empty. */
  registerExternal(dir: string, name?: string): RegistryEntry {
    const absolute = resolve(dir);
    const known = this.data.workspaces.find((w) => w.externalDir === absolute);
    if (known !== undefined) return { ...known };
    openWorkspace(absolute, { create: true }).close();
    const base = name ?? (absolute.split(/[\\/]/).filter(Boolean).pop() || 'Workspace');
    const entry: RegistryEntry = {
      id: newId(),
      name: this.freeName(base.slice(0, 200)),
      isDemo: false,
      externalDir: absolute,
      createdAt: new Date().toISOString(),
    };
    this.data.workspaces.push(entry);
    this.save();
    return { ...entry };
  }

  rename(id: string, name: string): RegistryEntry {
    const entry = this.data.workspaces.find((w) => w.id === id);
    if (entry === undefined) throw notFound('no such workspace (it may have been deleted)');
    if (entry.name !== name) this.checkNameFree(name);
    entry.name = name;
    this.save();
    return { ...entry };
  }

  /**
   * Forgets a workspace; a workspace in the home is deleted with its folder, one registered from
   * elsewhere keeps its folder (the app did not create it, so it does not destroy it).
   */
  remove(id: string): void {
    const entry = this.get(id);
    this.closeConnection(id);
    this.data.workspaces = this.data.workspaces.filter((w) => w.id !== id);
    this.save();
    if (entry.externalDir === null) rmSync(this.dirOf(entry), { recursive: true, force: true });
  }

  /** The workspace's shared connection (opened on first use). */
  connection(id: string): Workspace {
    const cached = this.open.get(id);
    if (cached !== undefined) return cached;
    const ws = openWorkspace(this.dirOf(this.get(id)));
    // Never wait for a lock synchronously here: that would stop the event loop (busy.ts).
    ws.db.pragma('busy_timeout = 0');
    this.open.set(id, ws);
    return ws;
  }

  /** A connection of its own for a job; the job closes it. */
  jobConnection(id: string): Workspace {
    return openWorkspace(this.dirOf(this.get(id)));
  }

  /** Told before a workspace's shared connection closes (holders of it let go). */
  onClose(listener: (id: string) => void): void {
    this.closing.push(listener);
  }

  closeConnection(id: string): void {
    for (const listener of this.closing) listener(id);
    this.open.get(id)?.close();
    this.open.delete(id);
  }

  close(): void {
    for (const id of [...this.open.keys()]) this.closeConnection(id);
  }

  private checkNameFree(name: string): void {
    const folded = name.trim().toLowerCase();
    if (this.data.workspaces.some((w) => w.name.trim().toLowerCase() === folded))
      throw conflict(`a workspace named "${name}" already exists; choose another name`);
  }

  private freeName(base: string): string {
    const taken = new Set(this.data.workspaces.map((w) => w.name.toLowerCase()));
    if (!taken.has(base.toLowerCase())) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base} (${n})`.toLowerCase())) return `${base} (${n})`;
  }

  private save(): void {
    writeFileAtomic(join(this.home, REGISTRY_FILE), `${JSON.stringify(this.data, null, 2)}\n`);
  }

  /**
   * A damaged registry is kept aside and rebuilt from the workspace folders, so a hand edit gone
   * wrong never hides a reviewer's workspaces.
   */
  private read(file: string): RegistryFile {
    try {
      return fileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      renameSync(file, `${file}.damaged-${Date.now()}`);
      const folders = readdirSync(join(this.home, WORKSPACES_DIR), { withFileTypes: true });
      const rebuilt: RegistryFile = {
        version: 1,
        demoOffered: true,
        workspaces: folders
          .filter((f) => f.isDirectory() && /^ws_[a-z0-9]{8,40}$/.test(f.name))
          .map((f) => ({
            id: f.name,
            name: f.name,
            isDemo: false,
            externalDir: null,
            createdAt: new Date().toISOString(),
          })),
      };
      this.data = rebuilt;
      this.save();
      return rebuilt;
    }
  }
}
