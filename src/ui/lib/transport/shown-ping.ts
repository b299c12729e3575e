import { SHOWN_EVERY_MS, SHOWN_MESSAGE } from '../../../contract/events-shown';

// While the page is visible, it says "shown" on its events socket once a minute (and at once when
// the socket opens or the page comes back into view, unless it said so less than a minute ago). A
// team host takes that as use of a viewer's session, so a wall display stays signed in while it is
// on show; a hidden page says nothing and its session idles out as before (docs/team-host.md).

/** What the pinger needs of a socket: the browser's WebSocket and `ws` both have it. */
export interface ShownTarget {
  send(data: string): void;
}

export interface ShownPingOptions {
  now?: () => number;
  /** True while the page is visible; absent a document (Node, tests), never. */
  visible?: () => boolean;
  /** Calls `listener` when the page's visibility changes; returns the unsubscribe. */
  onVisibilityChange?: (listener: () => void) => () => void;
  every?: (run: () => void, ms: number) => () => void;
}

export interface ShownPing {
  /** The socket is open: say "shown" on it while the page is visible. */
  attach(target: ShownTarget): void;
  /** The socket closed (or the transport is done): stop. */
  detach(): void;
}

/** A timer's slack: a tick a few milliseconds early is still the minute's ping. */
const SLACK_MS = 1000;

interface DocumentLike {
  visibilityState?: string;
  addEventListener?(type: 'visibilitychange', listener: () => void): void;
  removeEventListener?(type: 'visibilitychange', listener: () => void): void;
}
const page = globalThis as { document?: DocumentLike };

export function createShownPing(options: ShownPingOptions = {}): ShownPing {
  const now = options.now ?? (() => Date.now());
  const visible = options.visible ?? (() => page.document?.visibilityState === 'visible');
  const onVisibilityChange =
    options.onVisibilityChange ??
    ((listener: () => void) => {
      const doc = page.document;
      doc?.addEventListener?.('visibilitychange', listener);
      return () => doc?.removeEventListener?.('visibilitychange', listener);
    });
  const every =
    options.every ??
    ((run: () => void, ms: number) => {
      const timer = setInterval(run, ms);
      return () => clearInterval(timer);
    });

  let target: ShownTarget | null = null;
  let lastSent: number | null = null;
  let stop: (() => void) | null = null;

  function maybeSend(): void {
    if (target === null || !visible()) return;
    const at = now();
    if (lastSent !== null && at - lastSent < SHOWN_EVERY_MS - SLACK_MS) return;
    lastSent = at;
    try {
      target.send(SHOWN_MESSAGE);
    } catch {
      // A socket closing under us: its 'close' detaches, and the next socket says it.
    }
  }

  return {
    attach(next) {
      target = next;
      if (stop === null) {
        const offTimer = every(maybeSend, SHOWN_EVERY_MS);
        const offVisibility = onVisibilityChange(maybeSend);
        stop = () => {
          offTimer();
          offVisibility();
        };
      }
      maybeSend();
    },
    detach() {
      target = null;
      stop?.();
      stop = null;
    },
  };
}
