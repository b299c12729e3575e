// Says what a snapshot file is, treating it as hostile. The 100-byte header is read here with no
// SQLite at all (magic, page size, journal mode, page count against the file's size); everything
// else runs in a worker thread with a deadline (snapshot-check-worker.ts), so a crafted file can
// cost a worker some seconds but never the host's main thread: health checks and pages keep
// answering, and a worker past its deadline is abandoned and the file refused.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { LATEST_VERSION } from './migrate';
import { SNAPSHOT_CHECK_WORKER_SOURCE } from './snapshot-check-worker';
import { expectedSchemas } from './snapshot-schema';
import type { SnapshotMetaRecord } from './snapshot-meta';
import { errorMessage } from '../../domain/error-message';

export type SnapshotProbe =
  | { kind: 'missing' }
  | { kind: 'not-sqlite'; looksLike: string | null }
  | { kind: 'corrupt'; detail: string }
  | { kind: 'foreign' }
  | { kind: 'unexpected-schema'; detail: string }
  | { kind: 'wal-mode' }
  | { kind: 'timeout'; ms: number }
  | { kind: 'live-database'; schemaVersion: number }
  | { kind: 'snapshot'; meta: SnapshotMetaRecord };

export interface CheckOptions {
  nativeBinding?: string;
  /** Run SQLite's quick_check over every page (opening does; listing does not). */
  quickCheck?: boolean;
  /** How long the worker may take; by default a few seconds plus time to read the file once. */
  deadlineMs?: number;
}

/** 16 GiB at the default 4 KiB page: far beyond any snapshot, far below what a header can claim. */
export const MAX_SNAPSHOT_PAGES = 4_194_304;
const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');
/** quick_check reads at well over this on a loaded machine; the deadline grows with the file. */
const READ_BYTES_PER_SECOND = 20 * 1024 * 1024;

/** Deadline for a file of this size: hostile small files are refused within the base time. */
export function checkDeadline(bytes: number, quickCheck: boolean): number {
  return quickCheck ? 5000 + Math.ceil((bytes / READ_BYTES_PER_SECOND) * 1000) : 3000;
}

/** The checks that need no SQLite: null when the file may go on to the worker. */
export function headerProblem(header: Buffer, size: number): SnapshotProbe | null {
  if (header.length < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) return { kind: 'not-sqlite', looksLike: looksLike(header) };
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return { kind: 'corrupt', detail: `its header gives a page size of ${raw}, which SQLite never writes` };
  }
  const write = header[18];
  const read = header[19];
  if (write === 2 || read === 2) return { kind: 'wal-mode' };
  if (write !== 1 || read !== 1) return { kind: 'corrupt', detail: `its header gives file format ${write}/${read}` };
  // The page count in the header counts only when it was written with the change counter beside it.
  const declared = header.readUInt32BE(28);
  const valid = declared > 0 && header.readUInt32BE(24) === header.readUInt32BE(92);
  const pages = valid ? declared : Math.floor(size / pageSize);
  if (pages > MAX_SNAPSHOT_PAGES)
    return { kind: 'corrupt', detail: `its header declares ${pages} pages, more than the ${MAX_SNAPSHOT_PAGES} a snapshot may have` };
  if (valid && size < pageSize * declared) {
    return { kind: 'corrupt', detail: `the file is ${size} bytes but its header says ${pageSize * declared}: it was cut short` };
  }
  return null;
}

function looksLike(header: Buffer): string | null {
  if (header.length >= 4) {
    const magic = header.readUInt32BE(0);
    if (magic === 0x377f0682 || magic === 0x377f0683) return 'a SQLite write-ahead log without its database';
    if (magic === 0x504b0304 || magic === 0x504b0506) return 'a ZIP archive';
    if (magic === 0xd9d505f9) return 'a SQLite rollback journal';
  }
  if (header.length >= 2 && header[0] === 0x1f && header[1] === 0x8b) return 'a gzip file';
  return null;
}

interface Prepared {
  probe: SnapshotProbe | null;
  size: number;
}

function readHeader(file: string): Prepared {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return { probe: { kind: 'not-sqlite', looksLike: 'a folder or device' }, size: 0 };
    size = stat.size;
  } catch {
    return { probe: { kind: 'missing' }, size: 0 };
  }
  const header = Buffer.alloc(100);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { probe: { kind: 'missing' }, size };
  }
  let read: number;
  try {
    read = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  return { probe: headerProblem(header.subarray(0, read), size), size };
}

let modulePath: string | null = null;

function workerOptions(nativeBinding: string | undefined, oneShot: object | null, transferList: MessagePort[] = []) {
  modulePath ??= createRequire(import.meta.url).resolve('better-sqlite3');
  return {
    eval: true,
    workerData: {
      modulePath,
      nativeBinding: nativeBinding ?? null,
      expected: expectedSchemas(),
      latest: LATEST_VERSION,
      maxPages: MAX_SNAPSHOT_PAGES,
      oneShot,
    },
    transferList,
    // A crafted file may try to make SQLite allocate without end: the worker dies, not the host.
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  };
}

function crashed(error: unknown): SnapshotProbe {
  return { kind: 'corrupt', detail: `checking it failed (${errorMessage(error)})` };
}

interface SharedWorker {
  worker: Worker;
  binding: string | undefined;
  next: number;
  waiting: Map<number, (probe: SnapshotProbe) => void>;
}

let shared: SharedWorker | null = null;
/** One check at a time, so each deadline runs from when its own check starts, not from a queue. */
let queue: Promise<unknown> = Promise.resolve();

function sharedWorker(nativeBinding: string | undefined): SharedWorker {
  if (shared !== null && shared.binding === nativeBinding) return shared;
  if (shared !== null) void shared.worker.terminate();
  const worker = new Worker(SNAPSHOT_CHECK_WORKER_SOURCE, workerOptions(nativeBinding, null));
  const entry: SharedWorker = { worker, binding: nativeBinding, next: 1, waiting: new Map() };
  worker.on('message', (message: { id: number; result: SnapshotProbe }) => {
    entry.waiting.get(message.id)?.(message.result);
    entry.waiting.delete(message.id);
  });
  const fail = (error: unknown) => {
    if (shared === entry) shared = null;
    for (const done of entry.waiting.values()) done(crashed(error));
    entry.waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the worker stopped with code ${code}`)));
  // Idle, it never keeps the process alive; a check in progress does, through its deadline timer.
  // (After the listeners: adding a message listener takes a reference again.)
  worker.unref();
  shared = entry;
  return entry;
}

function askWorker(file: string, options: CheckOptions, ms: number): Promise<SnapshotProbe> {
  return new Promise<SnapshotProbe>((resolve) => {
    const entry = sharedWorker(options.nativeBinding);
    const id = entry.next++;
    const timer = setTimeout(() => {
      // SQLite cannot be interrupted from here: the worker is abandoned and the next check starts a fresh one.
      entry.waiting.delete(id);
      if (shared === entry) shared = null;
      void entry.worker.terminate();
      resolve({ kind: 'timeout', ms });
    }, ms);
    entry.waiting.set(id, (probe) => {
      clearTimeout(timer);
      resolve(probe);
    });
    entry.worker.postMessage({ id, file, quickCheck: options.quickCheck === true });
  });
}

/** The check for the host: the main thread waits on a promise, never on SQLite. */
export async function checkSnapshotFile(file: string, options: CheckOptions = {}): Promise<SnapshotProbe> {
  const { probe, size } = readHeader(file);
  if (probe !== null) return probe;
  const ms = options.deadlineMs ?? checkDeadline(size, options.quickCheck === true);
  const turn = queue.then(() => askWorker(file, options, ms));
  queue = turn.catch(() => undefined);
  return turn;
}

/**
 * The same check for one-shot commands (the CLI, a host started on a snapshot before it listens):
 * the calling thread blocks, but only until the deadline, and the SQL still runs in the worker.
 */
export function checkSnapshotFileSync(file: string, options: CheckOptions = {}): SnapshotProbe {
  const { probe, size } = readHeader(file);
  if (probe !== null) return probe;
  const ms = options.deadlineMs ?? checkDeadline(size, options.quickCheck === true);
  const flag = new SharedArrayBuffer(4);
  const { port1: port, port2 } = new MessageChannel();
  const oneShot = { file, quickCheck: options.quickCheck === true, port: port2, flag };
  const worker = new Worker(SNAPSHOT_CHECK_WORKER_SOURCE, workerOptions(options.nativeBinding, oneShot, [port2]));
  try {
    const outcome = Atomics.wait(new Int32Array(flag), 0, 0, ms);
    if (outcome === 'timed-out') return { kind: 'timeout', ms };
    const received = receiveMessageOnPort(port);
    return received === undefined ? crashed(new Error('no answer')) : (received.message as SnapshotProbe);
  } finally {
    port.close();
    void worker.terminate();
  }
}
