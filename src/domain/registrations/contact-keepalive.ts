import type { UlContact } from './ul-dump';

// Whether each registered contact still answers the server's NAT keepalives, from what usrloc
// keeps per contact when its keepalive is on (`ka_mode`): the time of the last answer
// (`Last-Keepalive`, also set by each REGISTER) and that answer's round trip (`KA-Roundtrip`, µs,
// 0 until one is answered). The reference: "From this ping, we can monitor the latency of the
// connection and discern if NAT has destroyed the connection".
//
// Kamailio does not say how often it pings (usrloc's timer interval is a start-up parameter), so a
// contact is not judged against a guessed interval but against its neighbours: the newest answer
// any contact gave is the last keepalive round. A contact whose last answer is older than that
// round by more than ROUND_SPREAD_SEC missed a round the others answered: its NAT mapping (or the
// phone) is gone. With no answer from any contact the server's keepalive cannot be judged at all.

/** A round's answers arrive over a second or two (sending, round trips, the clock's second boundary). */
export const ROUND_SPREAD_SEC = 2;

export type KeepaliveState = 'answering' | 'silent' | 'not-yet' | 'unknown';

export interface ContactKeepalive {
  state: KeepaliveState;
  /** Round trip of the last answered keepalive in ms (µs precision); null when none was answered. */
  roundtripMs: number | null;
  /** UTC ms of the last answer, or of the last REGISTER when no answer came since. */
  lastAnswerAt: number | null;
  /** For a silent contact: seconds since it last answered (or registered). */
  silentForSec: number | null;
}

export interface KeepaliveHealth {
  /** Some contact answered a keepalive: the server runs usrloc keepalive. */
  observed: boolean;
  /** UTC ms of the newest answer: the last keepalive round. */
  lastRoundAt: number | null;
  answering: number;
  silent: number;
  notYet: number;
  summary: string;
}

const answered = (c: Pick<UlContact, 'kaRoundtripUs'>): boolean => (c.kaRoundtripUs ?? 0) > 0;

/** The last keepalive round as this server's clock saw it (Unix seconds), or null when none was answered. */
export function lastRound(contacts: readonly Pick<UlContact, 'kaRoundtripUs' | 'lastKeepalive'>[]): number | null {
  let newest: number | null = null;
  for (const c of contacts)
    if (answered(c) && c.lastKeepalive !== null && (newest === null || c.lastKeepalive > newest)) newest = c.lastKeepalive;
  return newest;
}

/**
 * One contact against the server's last round (`round`, Unix seconds; null: none answered) and the
 * server's clock (`now`, Unix seconds; null: unknown, the round stands in).
 */
export function contactKeepalive(
  c: Pick<UlContact, 'kaRoundtripUs' | 'lastKeepalive'>,
  round: number | null,
  now: number | null,
): ContactKeepalive {
  const roundtripMs = answered(c) ? Math.round(c.kaRoundtripUs ?? 0) / 1000 : null;
  const lastAnswerAt = c.lastKeepalive === null || c.lastKeepalive <= 0 ? null : c.lastKeepalive * 1000;
  if (round === null || c.lastKeepalive === null || c.lastKeepalive <= 0)
    return { state: 'unknown', roundtripMs, lastAnswerAt, silentForSec: null };
  if (round - c.lastKeepalive > ROUND_SPREAD_SEC) {
    return { state: 'silent', roundtripMs, lastAnswerAt, silentForSec: Math.max(0, Math.max(now ?? round, round) - c.lastKeepalive) };
  }
  return { state: answered(c) ? 'answering' : 'not-yet', roundtripMs, lastAnswerAt, silentForSec: null };
}

const contactsWord = (n: number) => `${n} contact${n === 1 ? '' : 's'}`;

/** The counts and the sentence the registrations view shows above the table. */
export function keepaliveHealth(states: readonly ContactKeepalive[], round: number | null, now: number | null): KeepaliveHealth {
  const count = (s: KeepaliveState) => states.filter((k) => k.state === s).length;
  const answering = count('answering');
  const silent = count('silent');
  const notYet = count('not-yet');
  if (round === null) {
    return {
      observed: false,
      lastRoundAt: null,
      answering,
      silent,
      notYet,
      summary:
        states.length === 0
          ? 'No contacts registered, so no keepalives to judge.'
          : "No contact has answered a keepalive: either this server's usrloc keepalive is off (ka_mode 0; UAC ping may come from nathelper instead), or every contact stopped answering.",
    };
  }
  const age = now === null ? null : Math.max(0, now - round);
  const parts = [`${contactsWord(answering)} answered the last keepalive round${age === null ? '' : ` (${age} s ago, server clock)`}`];
  if (silent > 0)
    parts.push(`${contactsWord(silent)} stopped answering: NAT may have closed the mapping, or the phone went away without unregistering`);
  if (notYet > 0) parts.push(`${contactsWord(notYet)} registered since and not pinged yet`);
  return { observed: true, lastRoundAt: round * 1000, answering, silent, notYet, summary: `${parts.join('; ')}.` };
}
