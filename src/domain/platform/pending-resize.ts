// The reference on Resize Capacity: "The update will be active in 15 minutes." Until then the
// server still carries its previous channel count, so the limits, failover fullness and the
// advisor count that one; the new size is shown beside it as pending, with the time it applies.

export const RESIZE_ACTIVE_AFTER_MS = 15 * 60_000;

export interface PendingResize {
  serverId: string;
  previousChannels: number;
  channels: number;
  requestedAt: number;
  activeAt: number;
}

export function isPending(resize: Pick<PendingResize, 'activeAt'>, now: number): boolean {
  return now < resize.activeAt;
}

/**
 * The resize to record after Resize Capacity succeeded at `now`. A second resize within the 15
 * minutes starts a new wait, and the server still carries what it carried before the first one.
 */
export function nextResize(
  server: { id: string; channels: number },
  previous: PendingResize | null,
  channels: number,
  now: number,
): PendingResize {
  const carried = previous !== null && isPending(previous, now) ? previous.previousChannels : server.channels;
  return { serverId: server.id, previousChannels: carried, channels, requestedAt: now, activeAt: now + RESIZE_ACTIVE_AFTER_MS };
}

/** The servers as they carry calls at `now`: a pending resize's previous channel count until it is active. */
export function withActiveChannels<T extends { id: string; channels: number }>(
  servers: readonly T[],
  resizes: readonly PendingResize[],
  now: number,
): T[] {
  const pending = new Map(resizes.filter((r) => isPending(r, now)).map((r) => [r.serverId, r]));
  return servers.map((s) => {
    const resize = pending.get(s.id);
    return resize === undefined ? s : { ...s, channels: resize.previousChannels };
  });
}
