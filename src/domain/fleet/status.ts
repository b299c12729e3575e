import type { AdminState, ServerStatus } from '../../contract/fleet';

/**
 * The status the fleet list shows before monitoring says more. Expired wins over everything: the
 * reference says the end of the test period disables the server, whatever else it is doing.
 */
export function baseStatus(server: { expiresAt: number | null; adminState: AdminState }, now: number): ServerStatus {
  if (isExpired(server.expiresAt, now)) return 'expired';
  if (server.adminState === 'stopped') return 'stopped';
  return 'unknown';
}

export function isExpired(expiresAt: number | null, now: number): boolean {
  return expiresAt !== null && expiresAt <= now;
}

/** True when the test period ends within `days` days from now (and has not ended yet). */
export function isExpiringSoon(expiresAt: number | null, now: number, days: number): boolean {
  return expiresAt !== null && expiresAt > now && expiresAt - now <= days * 86_400_000;
}
