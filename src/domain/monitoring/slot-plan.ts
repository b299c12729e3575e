// When each server is probed. Pure: the caller passes the time in, so tests drive it with an
// injected clock and get exact answers.
//
// Servers sharing an interval T are spread evenly: n servers sit T/n apart, so 1,000 servers at
// 5 s give exactly 200 probes a second. Adding or removing one re-spreads the group from the
// current moment on, moving each slot by at most about T/n: no burst, no starved server.

export const DEFAULT_INTERVAL_MS = 5_000;
export const MIN_INTERVAL_MS = 1_000;
export const MAX_INTERVAL_MS = 3_600_000;

export function clampInterval(ms: number | undefined, fallback = DEFAULT_INTERVAL_MS): number {
  const value = ms === undefined || !Number.isFinite(ms) ? fallback : Math.round(ms);
  return Math.min(Math.max(value, MIN_INTERVAL_MS), MAX_INTERVAL_MS);
}

/** The first time at or after `now` that falls on the phase, and at least T/2 after the last run. */
export function nextDue(phaseMs: number, intervalMs: number, now: number, lastRunAt: number | null): number {
  const offset = (((phaseMs - now) % intervalMs) + intervalMs) % intervalMs;
  let due = now + offset;
  if (lastRunAt !== null && due - lastRunAt < intervalMs / 2) due += intervalMs;
  return due;
}

/**
 * Where a server goes after its phase moved: the occurrence of the new phase nearest to one
 * interval after its last run, so the gap stays about T (never the 2T a plain "next occurrence
 * after now" gives when the phase moved just behind the clock). If that moment has just passed,
 * now; a server idle for long (new, resumed) takes the next occurrence.
 */
export function reslot(phaseMs: number, intervalMs: number, now: number, lastRunAt: number | null): number {
  if (lastRunAt === null) return nextDue(phaseMs, intervalMs, now, null);
  const expected = lastRunAt + intervalMs;
  const raw = (((phaseMs - expected) % intervalMs) + intervalMs) % intervalMs;
  const ideal = expected + (raw > intervalMs / 2 ? raw - intervalMs : raw);
  if (ideal >= now) return ideal;
  return now - ideal < intervalMs / 2 ? now : nextDue(phaseMs, intervalMs, now, lastRunAt);
}

interface Entry {
  intervalMs: number;
  phaseMs: number;
  lastRunAt: number | null;
  dueAt: number;
  /** Bumped whenever dueAt changes, so stale heap items are recognised and skipped. */
  generation: number;
}

interface HeapItem {
  dueAt: number;
  id: string;
  generation: number;
}

export interface SlotPlanOptions {
  defaultIntervalMs?: number;
}

export class SlotPlan {
  readonly #entries = new Map<string, Entry>();
  /** Members of each interval in the order they joined: the order phases are handed out in. */
  readonly #groups = new Map<number, string[]>();
  readonly #heap: HeapItem[] = [];
  readonly #defaultInterval: number;

  constructor(options: SlotPlanOptions = {}) {
    this.#defaultInterval = clampInterval(options.defaultIntervalMs, DEFAULT_INTERVAL_MS);
  }

  get size(): number {
    return this.#entries.size;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  phaseOf(id: string): number | undefined {
    return this.#entries.get(id)?.phaseMs;
  }

  intervalOf(id: string): number | undefined {
    return this.#entries.get(id)?.intervalMs;
  }

  dueAt(id: string): number | undefined {
    return this.#entries.get(id)?.dueAt;
  }

  /** Adds a server, or changes its interval; a server already planned at that interval is left alone. */
  set(id: string, now: number, intervalMs?: number): void {
    const interval = clampInterval(intervalMs, this.#defaultInterval);
    const existing = this.#entries.get(id);
    if (existing && existing.intervalMs === interval) return;
    if (existing) this.#leaveGroup(id, existing.intervalMs, now);
    const entry: Entry = { intervalMs: interval, phaseMs: 0, lastRunAt: existing?.lastRunAt ?? null, dueAt: now, generation: 0 };
    this.#entries.set(id, entry);
    const group = this.#groups.get(interval) ?? [];
    group.push(id);
    this.#groups.set(interval, group);
    this.#respread(interval, now);
  }

  /**
   * `set` for many servers at once (a fleet loaded, an interval changed for all): each touched
   * interval is re-spread once at the end. Calling `set` for each re-spreads the whole group every
   * time, which at 10,000 servers is 10,000 re-spreads of up to 10,000 members.
   */
  setMany(items: readonly { id: string; intervalMs?: number | undefined }[], now: number): void {
    const touched = new Set<number>();
    const leaving = new Map<number, Set<string>>();
    for (const { id, intervalMs } of items) {
      const interval = clampInterval(intervalMs, this.#defaultInterval);
      const existing = this.#entries.get(id);
      if (existing && existing.intervalMs === interval) continue;
      if (existing) {
        const left = leaving.get(existing.intervalMs) ?? new Set<string>();
        left.add(id);
        leaving.set(existing.intervalMs, left);
        touched.add(existing.intervalMs);
      }
      this.#entries.set(id, { intervalMs: interval, phaseMs: 0, lastRunAt: existing?.lastRunAt ?? null, dueAt: now, generation: 0 });
      const group = this.#groups.get(interval) ?? [];
      group.push(id);
      this.#groups.set(interval, group);
      touched.add(interval);
    }
    for (const [interval, ids] of leaving) {
      const group = (this.#groups.get(interval) ?? []).filter((id) => !ids.has(id));
      if (group.length === 0) this.#groups.delete(interval);
      else this.#groups.set(interval, group);
    }
    for (const interval of touched) if (this.#groups.has(interval)) this.#respread(interval, now);
  }

  remove(id: string, now: number): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#entries.delete(id);
    this.#leaveGroup(id, entry.intervalMs, now);
    return true;
  }

  /** The earliest time something is due, or null when nothing is planned. */
  nextWakeAt(): number | null {
    this.#dropStale();
    return this.#heap[0]?.dueAt ?? null;
  }

  /**
   * Everything due at `now`, each marked as run at its slot and given its next one. A caller
   * that wakes late (a suspended laptop) gets each server once, not a catch-up burst.
   */
  takeDue(now: number): string[] {
    const out: string[] = [];
    for (;;) {
      this.#dropStale();
      const top = this.#heap[0];
      if (!top || top.dueAt > now) break;
      this.#pop();
      const entry = this.#entries.get(top.id);
      if (!entry) continue;
      out.push(top.id);
      entry.lastRunAt = top.dueAt;
      // Strictly after now, so nothing runs twice in one wake; after a late wake (a suspended
      // laptop) the next slot on the phase, not a catch-up.
      const late = now - top.dueAt >= entry.intervalMs / 2;
      const next = late
        ? nextDue(entry.phaseMs, entry.intervalMs, now + 1, now)
        : reslot(entry.phaseMs, entry.intervalMs, now + 1, top.dueAt);
      this.#schedule(top.id, entry, next);
    }
    return out;
  }

  #leaveGroup(id: string, interval: number, now: number): void {
    const group = this.#groups.get(interval);
    if (!group) return;
    const at = group.indexOf(id);
    if (at >= 0) group.splice(at, 1);
    if (group.length === 0) this.#groups.delete(interval);
    else this.#respread(interval, now);
  }

  /**
   * Lays the group on an even grid that starts now: members in the order they are due next
   * (newcomers last), the k-th at now + first + k*T/n. Before now the old spread ran, after it
   * the new one does, so no second ever holds more than the larger share plus one. One server
   * joining or leaving moves each slot by at most T/n; closing a hole of k servers moves the
   * ones after it by up to k*T/n, once.
   */
  #respread(interval: number, now: number): void {
    const group = this.#groups.get(interval) ?? [];
    const n = group.length;
    const waiting: string[] = [];
    const fresh: string[] = [];
    for (const id of group) ((this.#entries.get(id)?.generation ?? 0) > 0 ? waiting : fresh).push(id);
    const dueOf = (id: string) => this.#entries.get(id)?.dueAt ?? now;
    waiting.sort((a, b) => dueOf(a) - dueOf(b) || (a < b ? -1 : 1));
    const order = [...waiting, ...fresh];
    const head = order[0];
    const first = head === undefined || waiting.length === 0 ? 0 : Math.min(Math.max(dueOf(head) - now, 0), Math.floor(interval / n));
    order.forEach((id, k) => {
      const entry = this.#entries.get(id);
      if (!entry) return;
      const due = now + first + Math.floor((k * interval) / n);
      entry.phaseMs = ((due % interval) + interval) % interval;
      this.#schedule(id, entry, due);
    });
    this.#groups.set(interval, order);
    // Every re-spread leaves stale items behind; rebuild before they outnumber live ones.
    if (this.#heap.length > 4 * this.#entries.size + 64) this.#rebuild();
  }

  #schedule(id: string, entry: Entry, dueAt: number): void {
    entry.dueAt = dueAt;
    entry.generation += 1;
    this.#push({ dueAt, id, generation: entry.generation });
  }

  #isStale(item: HeapItem): boolean {
    const entry = this.#entries.get(item.id);
    return !entry || entry.generation !== item.generation;
  }

  #dropStale(): void {
    while (this.#heap.length > 0 && this.#isStale(this.#heap[0] as HeapItem)) this.#pop();
  }

  #rebuild(): void {
    const live = this.#heap.filter((item) => !this.#isStale(item));
    this.#heap.length = 0;
    for (const item of live) this.#push(item);
  }

  #less(a: HeapItem, b: HeapItem): boolean {
    return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.id < b.id);
  }

  #push(item: HeapItem): void {
    const h = this.#heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(h[i] as HeapItem, h[parent] as HeapItem)) break;
      [h[i], h[parent]] = [h[parent] as HeapItem, h[i] as HeapItem];
      i = parent;
    }
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop();
    if (h.length === 0 || !last) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.#less(h[l] as HeapItem, h[m] as HeapItem)) m = l;
      if (r < h.length && this.#less(h[r] as HeapItem, h[m] as HeapItem)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m] as HeapItem, h[i] as HeapItem];
      i = m;
    }
  }
}
