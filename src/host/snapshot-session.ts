// Which fleet the console shows: the live one, or a snapshot opened read-only. The switch swaps
// the store behind every service (see session-store.ts), stops background work while a snapshot
// is shown, and tells the UI to read everything again.
import path from 'node:path';
import type { AppInfo } from '../contract/app';
import type { EventName } from '../contract/events';
import { openSnapshot, openSnapshotChecked, type OpenedSnapshot } from '../services/snapshots/open-snapshot';
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
  /**
   * What is still going against the live fleet (tool runs, server actions, deployments), each as
   * the operator would name it. Their last writes would land in the read-only snapshot and be
   * lost, so a snapshot is not opened while any is going.
   */
  busy?: () => string[];
}

/**
 * The pushes a console showing a snapshot still hears: the switch itself and the snapshot area's
 * own. Everything else (samples, status changes, run updates, syncs) is about the live fleet, and
 * a new event is held back too until it is added here on purpose.
 */
const HEARD_ON_A_SNAPSHOT: ReadonlySet<EventName> = new Set<EventName>([
  'app:changed',
  'fleet:changed',
  'snapshots:progress',
  'ssh:host-key-prompt',
  'ssh:host-key-settled',
]);

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
    const when = new Date(s.meta.takenAt)
      .toISOString()
      .replace('T', ' ')
      .replace(/:\d\d\.\d{3}Z$/, ' UTC');
    return `This is a snapshot taken ${when} (${path.basename(s.file)}): read-only. Return to the live fleet to change anything.`;
  }

  async open(file: string): Promise<SnapshotMetaRecord> {
    this.assertIdle();
    // Opened first: a file that cannot be opened leaves the console where it was. The file is
    // checked in a worker with a deadline, so a crafted one never holds the host's main thread.
    const next = await openSnapshotChecked(file, this.#openOptions());
    // Background work ends before the store behind the services changes: probes in flight and the
    // samples they flush still go to the live fleet, never into the snapshot.
    try {
      await this.deps.background.stop();
      // A run started while background work was stopping is refused the same way.
      this.assertIdle();
    } catch (error) {
      next.close();
      if (this.#opened === null) void this.deps.background.start();
      throw error;
    }
    this.#show(next);
    return next.meta;
  }

  /** Throws the one message naming what is still going, if anything is. */
  assertIdle(): void {
    const going = this.deps.busy?.() ?? [];
    if (going.length === 0) return;
    const [count, verb, pronoun] = going.length === 1 ? ['1 run', 'is', 'it'] : [`${going.length} runs`, 'are', 'them'];
    throw new DomainError(
      'conflict',
      `${count} ${verb} still going (${going.join(', ')}): wait for ${pronoun} or cancel ${pronoun}, then open the snapshot.`,
    );
  }

  /**
   * A host started on a snapshot (`serve --snapshot`): nothing runs yet, so nothing to wait for,
   * and nothing listens yet, so the check may block start-up (until its deadline at most).
   */
  openAtStart(file: string): SnapshotMetaRecord {
    const next = this.#load(file);
    this.#show(next);
    return next.meta;
  }

  #load(file: string): OpenedSnapshot {
    return openSnapshot(file, this.#openOptions());
  }

  #openOptions() {
    return { now: this.deps.clock, ...(this.deps.nativeBinding ? { nativeBinding: this.deps.nativeBinding } : {}) };
  }

  #show(next: OpenedSnapshot): void {
    const previous = this.#opened;
    this.#opened = next;
    previous?.close();
    this.deps.bus.holdBack((name) => HEARD_ON_A_SNAPSHOT.has(name));
    this.#announce();
  }

  close(): void {
    if (this.deps.live === null) {
      throw new DomainError('read-only', 'This console was started on a snapshot: there is no live fleet to return to.');
    }
    if (this.#opened === null) return;
    this.#opened.close();
    this.#opened = null;
    this.deps.bus.holdBack(null);
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
