// How `serve` and `demo` wait to be stopped. Asked for before the `Switchyard listening on …` line
// is printed: whoever reads that line may send SIGTERM at once, and a signal that arrives before
// Node listens for it ends the process by default, without closing anything.

/** Resolves at the first SIGINT or SIGTERM; from the call on, neither ends the process. */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
