// Which fleet the console shows: the live one, or a snapshot opened read-only. The switch swaps
// the store behind every service (see session-store.ts), stops background work while a snapshot
// is shown, and tells the UI to read everything again.
import path from 'node:path';
import type { AppInfo } from '../contract/app';
import { openSnapshot, type OpenedSnapshot } from '../services/snapshots/open-snapshot';
import type { SnapshotSessions } from '../services/snapshots/snapshots-service';
import type { SnapshotMetaRecord } from '../services/store/snapshot-file';
import type { Store } from '../services/store/store';
import { DomainError } from '../domain/errors';
import type { Background } from './background';
import type { EventBus } from './event-bus';

export interface SessionSwitchDeps {
  live: Store | null;
  /**
   * For a host started on a snapshot: an empty in-memory store the services are built over, so
   * their start-up housekeeping (marking interrupted runs, say) never touches the snapshot.
   */
  placeholder?: Store;
  bus: EventBus;
  background: Background;
  nativeBinding?: string;
  clock: () => number;
}

export class SessionSwitch implements SnapshotSessions {
  #opened: OpenedSnapshot | null = null;

  constructor(private readonly deps: SessionSwitchDeps) {}

  /** The store every service reads now. */
  get store(): Store {
    const store = this.#opened?.store ?? this.deps.live ?? this.deps.placeholder ?? null;
    if (store === null) throw new Error('No fleet is open.');
    return store;
  }

  get snapshot(): OpenedSnapshot | null {
    return this.#opened;
  }

  live(): Store | null {
    return this.deps.live;
  }

  /** What the host's info says about the open snapshot. */
  snapshotInfo(): AppInfo['snapshot'] {
    const s = this.#opened;
    return s === null ? null : { file: path.basename(s.file), takenAt: s.meta.takenAt, note: s.meta.note, version: s.meta.appVersion };
  }

  /** The one message every refused change carries while a snapshot is shown. */
  refusal(): string | null {
    const s = this.#opened;
    if (s === null) return null;
    const when = new Date(s.meta.takenAt).toISOString().replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, ' UTC');
    return `This is a snapshot taken ${when} (${path.basename(s.file)}): read-only. Return to the live fleet to change anything.`;
  }

  open(file: string): SnapshotMetaRecord {
    // Opened first: a file that cannot be opened leaves the console where it was.
    const next = openSnapshot(file, { now: this.deps.clock, ...(this.deps.nativeBinding ? { nativeBinding: this.deps.nativeBinding } : {}) });
    const previous = this.#opened;
    this.#opened = next;
    previous?.close();
    void this.deps.background.stop();
    this.#announce();
    return next.meta;
  }

  close(): void {
    if (this.deps.live === null) {
      throw new DomainError('read-only', 'This console was started on a snapshot: there is no live fleet to return to.');
    }
    if (this.#opened === null) return;
    this.#opened.close();
    this.#opened = null;
    void this.deps.background.start();
    this.#announce();
  }

  shutdown(): void {
    this.#opened?.close();
    this.#opened = null;
    this.deps.placeholder?.close();
  }

  #announce(): void {
    this.deps.bus.emit('app:changed', { mode: this.#opened === null ? 'live' : 'snapshot' });
    this.deps.bus.emit('fleet:changed', { entity: 'all' });
  }
}
