import type { CallError } from '../../../contract/result';
import type { SnapshotDiff, SnapshotEntry, SnapshotMeta } from '../../../contract/snapshots-methods';
import { api, callError } from '../api';
import { router } from './router.svelte';
import { toasts } from './toasts.svelte';

export interface SaveProgress {
  file: string;
  pct: number;
}

/** The Snapshots page's state: the saved files, a save in progress, the open diff. */
class SnapshotsStore {
  #entries = $state.raw<SnapshotEntry[]>([]);
  #loading = $state(false);
  #listError = $state<string | null>(null);
  #saving = $state<SaveProgress | null>(null);
  #saveError = $state<CallError | null>(null);
  #openError = $state<string | null>(null);
  #diff = $state.raw<SnapshotDiff | null>(null);
  #diffError = $state<CallError | null>(null);
  #diffing = $state(false);
  #uploading = $state<string | null>(null);
  #subscribed = false;

  get entries() {
    return this.#entries;
  }
  get loading() {
    return this.#loading;
  }
  get listError() {
    return this.#listError;
  }
  get saving() {
    return this.#saving;
  }
  get saveError() {
    return this.#saveError;
  }
  get openError() {
    return this.#openError;
  }
  get diff() {
    return this.#diff;
  }
  get diffError() {
    return this.#diffError;
  }
  get diffing() {
    return this.#diffing;
  }
  /** The name of a file being sent to the host, while it is. */
  get uploading() {
    return this.#uploading;
  }

  async load(): Promise<void> {
    if (!this.#subscribed) {
      this.#subscribed = true;
      api.on('snapshots:progress', (p) => {
        if (this.#saving === null) return;
        this.#saving = { file: p.file, pct: p.done ? 100 : p.totalPages === 0 ? 0 : Math.floor((p.copiedPages / p.totalPages) * 100) };
      });
    }
    this.#loading = true;
    try {
      this.#entries = await api.call('snapshots:list', {});
      this.#listError = null;
    } catch (error) {
      this.#listError = callError(error).message;
    } finally {
      this.#loading = false;
    }
  }

  async save(name: string, note: string, rollupsOnly = false): Promise<SnapshotMeta | null> {
    this.#saving = { file: name, pct: 0 };
    this.#saveError = null;
    try {
      const meta = await api.call('snapshots:save', { ...(name.trim() === '' ? {} : { file: name.trim() }), note, rollupsOnly });
      toasts.ok(`Snapshot ${meta.file} saved.`);
      await this.load();
      return meta;
    } catch (error) {
      this.#saveError = callError(error);
      return null;
    } finally {
      this.#saving = null;
    }
  }

  async open(file: string): Promise<void> {
    this.#openError = null;
    try {
      await api.call('snapshots:open', { file });
      router.go('#/fleet');
    } catch (error) {
      this.#openError = callError(error).message;
    }
  }

  /** Desktop: the shell's file dialog picks a file from anywhere; cancelling leaves everything as it was. */
  async openChosen(): Promise<void> {
    this.#openError = null;
    try {
      const meta = await api.call('snapshots:open-file', {});
      if (meta === null) return;
      await this.load();
      router.go('#/fleet');
    } catch (error) {
      this.#openError = callError(error).message;
    }
  }

  /** Browser: sends a dropped or picked file to the host, which keeps it in its folder and opens it. */
  async upload(file: File): Promise<void> {
    this.#openError = null;
    this.#uploading = file.name;
    try {
      // Loaded when a file is chosen: its reply schema keeps zod out of the page's first scripts.
      const { uploadSnapshot } = await import('../snapshot-upload');
      await uploadSnapshot(file);
      await this.load();
      router.go('#/fleet');
    } catch (error) {
      this.#openError = callError(error).message;
    } finally {
      this.#uploading = null;
    }
  }

  async close(): Promise<void> {
    try {
      await api.call('snapshots:close', {});
    } catch (error) {
      toasts.error(callError(error).message);
    }
  }

  async compare(a: string, b: string): Promise<void> {
    this.#diffing = true;
    this.#diffError = null;
    try {
      this.#diff = await api.call('snapshots:diff', { a, b });
    } catch (error) {
      this.#diff = null;
      this.#diffError = callError(error);
    } finally {
      this.#diffing = false;
    }
  }
}

export const snapshots = new SnapshotsStore();
