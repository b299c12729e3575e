// Reads fping's output a batch at a time. fping prints and flushes one line per result, so a
// stream left flowing wakes Node a thousand times a second for a thousand targets; that alone
// cost three times fping's own CPU. Instead the stream holds at most one chunk (a high-water
// mark of one byte): once a chunk waits unread, Node stops reading the pipe, fping's lines
// gather in the kernel, and each drain takes all of them in one read.
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { getDefaultHighWaterMark, setDefaultHighWaterMark } from 'node:stream';
import type { Clock, TimerHandle } from './clock';

/** Lines of about 80 bytes: keep what waits in the pipe well under its 64 KiB. */
const BYTES_PER_DRAIN = 16_384;
const LINE_BYTES = 80;

/** Calls `spawn` with streams that buffer one chunk; the default is restored at once. */
export function spawnBatched(spawn: () => ChildProcess): ChildProcess {
  const before = getDefaultHighWaterMark(false);
  setDefaultHighWaterMark(false, 1);
  try {
    return spawn();
  } finally {
    setDefaultHighWaterMark(false, before);
  }
}

/** How often to drain for `linesPerSecond`: rarely enough to batch, often enough that fping never blocks. */
export function drainEveryMs(linesPerSecond: number): number {
  const ms = (1_000 * BYTES_PER_DRAIN) / Math.max(1, linesPerSecond * LINE_BYTES);
  return Math.round(Math.min(250, Math.max(20, ms)));
}

/** Splits chunks into whole lines, keeping a partial last line for the next chunk. */
export class LineSplitter {
  #rest = '';

  push(chunk: string, onLine: (line: string) => void): void {
    const text = this.#rest === '' ? chunk : this.#rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (nl > start) onLine(text.slice(start, nl));
      start = nl + 1;
    }
    this.#rest = start < text.length ? text.slice(start) : '';
  }
}

/**
 * Drains `stream` every `everyMs` (read by the clock) into `onLine`, until it ends or `stop()`.
 * The stream stays paused throughout; nothing reads it between drains.
 */
export function drainPeriodically(stream: Readable, clock: Clock, everyMs: () => number, onLine: (line: string) => void): { stop(): void } {
  const lines = new LineSplitter();
  let timer: TimerHandle | null = null;
  let stopped = false;
  stream.setEncoding('latin1');
  stream.pause();
  const drain = () => {
    timer = null;
    if (stopped) return;
    for (let chunk = stream.read() as string | null; chunk !== null; chunk = stream.read() as string | null) lines.push(chunk, onLine);
    timer = clock.setTimer(drain, everyMs());
  };
  const stop = () => {
    stopped = true;
    if (timer) clock.clearTimer(timer);
    timer = null;
  };
  stream.once('end', stop);
  stream.once('close', stop);
  timer = clock.setTimer(drain, everyMs());
  return { stop };
}
