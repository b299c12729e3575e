import { DEFAULT_KEEPALIVE_INTERVAL_SEC } from '../platform/keepalive';
import type { RegistrationSharing, SharingServer } from './sharing';

// The NAT keepalive traffic one server sends for the contacts registered on it: with UAC ping on,
// one OPTIONS per contact each interval (every second on the platform), each answered by the phone.
// A server sharing its location array pings the peers' registrations too; the array's total is on
// the Capacity page, which reads every server.

export interface OwnKeepalive {
  intervalSec: number;
  uacPing: boolean;
  pingsPerSecond: number;
  summary: string;
  /** The reference's advice on disabling UAC ping, when it applies to this server. */
  advice: string | null;
}

const rate = (n: number) => Math.round(n * 100) / 100;
const contacts = (n: number) => `${n} registered contact${n === 1 ? '' : 's'}`;

export function ownKeepalive(
  server: SharingServer,
  contactCount: number,
  sharing: RegistrationSharing,
  intervalSec = DEFAULT_KEEPALIVE_INTERVAL_SEC,
): OwnKeepalive {
  if (server.config.disableUacPing) {
    return {
      intervalSec,
      uacPing: false,
      pingsPerSecond: 0,
      summary: `UAC ping is disabled: no keepalive OPTIONS for the ${contacts(contactCount)}. UDP phones behind NAT must keep their mappings open themselves, or calls to them fail.`,
      advice: null,
    };
  }
  const pps = rate(contactCount / intervalSec);
  const every = intervalSec === 1 ? 'every second' : `every ${intervalSec} s`;
  const peers = sharing.mode === 'array-shared' && sharing.sharedWith.length > 0;
  const summary = `${contacts(contactCount)}: ${pps} OPTIONS ping${pps === 1 ? '' : 's'} per second from this server (one per contact ${every}), each answered.${
    peers
      ? ` With location array sharing it also pings the registrations of ${sharing.sharedWith.join(', ')}: the Capacity page adds up the array.`
      : ''
  }`;
  const advice =
    sharing.mode === 'array-shared' && contactCount > 0
      ? 'UAC location array sharing is on: the platform advises disabling UAC ping on this server for a performance gain, or clustering the servers instead.'
      : null;
  return { intervalSec, uacPing: true, pingsPerSecond: pps, summary, advice };
}
