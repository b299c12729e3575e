// The one message a page sends on its events socket: "still shown", while the page is visible.
// A team host takes it as use of a viewer's session, so a wall display stays signed in while it is
// on show (idle expiry refreshed; the 12-hour limit still holds). See docs/team-host.md.

/** The whole message, a text frame. */
export const SHOWN_MESSAGE = 'shown';

/** A visible page sends it this often (and once when its socket opens or it becomes visible again). */
export const SHOWN_EVERY_MS = 60_000;

/** The host heeds at most one per socket this often; more are counted against the socket's small budget. */
export const SHOWN_MIN_GAP_MS = 20_000;
