// Screens are loaded when first shown, not with the page: the page's start-up then parses only
// what the screen on show needs (every screen up front cost about half a second of script
// start-up before the first fleet row).

/** A module's default export as loaded by a dynamic `import()`. */
export interface Loaded<T> {
  default: T;
}

/**
 * Wraps a dynamic import so it runs once. Once loaded it returns the value itself rather than a
 * promise, so an `{#await}` block shows it in the same frame (no empty flash when going back to a
 * screen already seen). A failed load (the host restarted with a new build) is tried again next time.
 */
export function lazy<T>(load: () => Promise<Loaded<T>>): () => T | Promise<T> {
  let value: { v: T } | null = null;
  let pending: Promise<T> | null = null;
  return () => {
    if (value !== null) return value.v;
    pending ??= load().then(
      (m) => {
        value = { v: m.default };
        return m.default;
      },
      (error: unknown) => {
        pending = null;
        throw error;
      },
    );
    return pending;
  };
}
