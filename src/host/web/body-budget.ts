// A bound on request bodies held in memory at once. One body may be up to 64 MiB (a fleet import
// carries its text inline); without a bound, a client holding many such requests open could make
// the host buffer gigabytes. Each body reserves what it declares (Content-Length, or the whole
// per-body limit when it does not say) before a byte is read, and gives it back when it ends.

export interface BodyBudget {
  /** A release function, or null when the reservation does not fit right now. */
  reserve(bytes: number): (() => void) | null;
  /** Bytes reserved at this moment (for tests and the refusal message). */
  inUse(): number;
  readonly totalBytes: number;
}

export function createBodyBudget(totalBytes: number): BodyBudget {
  let used = 0;
  return {
    totalBytes,
    reserve(bytes) {
      const wanted = Math.max(0, bytes);
      if (used + wanted > totalBytes) return null;
      used += wanted;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        used -= wanted;
      };
    },
    inUse: () => used,
  };
}
