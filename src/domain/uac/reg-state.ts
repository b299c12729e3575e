import { UAC_FLAG, type UacDumpRecord } from './reg-dump';
import { parseRegistrar, type UpstreamFields } from './upstream';

// What each configured upstream's registration is doing on the server, from one uac.reg_dump.
// Kamailio keeps no reply code per registration: the reason is what its flags allow us to say,
// with where to look for the rest (its log names the reply: "authentication failed for <uuid>"
// or "got sip response N while registering").

export type UacState = 'registered' | 'registering' | 'waiting' | 'retrying' | 'failed' | 'not-loaded';

export interface UacConfigured extends UpstreamFields {
  id: string;
}

export interface UacUpstreamState {
  upstreamId: string;
  registrar: string;
  username: string;
  state: UacState;
  /** Null when registered; otherwise why not, in words. */
  reason: string | null;
  flags: number | null;
  /** Seconds until Kamailio sends the next REGISTER; null when not registered. */
  refreshInSec: number | null;
  /** The server runs other values than Switchyard holds (registrar, username or expiry). */
  stale: boolean;
}

export interface UacUnmanaged {
  uuid: string;
  username: string | null;
  proxy: string | null;
  registered: boolean;
}

/** States that pass by themselves within a timer interval: not worth a finding. */
export const TRANSIENT_STATES: ReadonlySet<UacState> = new Set<UacState>(['registering', 'waiting']);

export const UAC_STATE_LABEL: Readonly<Record<UacState, string>> = {
  registered: 'Registered',
  registering: 'Registering',
  waiting: 'Waiting',
  retrying: 'Not registered',
  failed: 'Not registered',
  'not-loaded': 'Not on server',
};

function stateOf(r: UacDumpRecord): { state: UacState; reason: string | null } {
  const has = (bit: number) => (r.flags & bit) !== 0;
  if (has(UAC_FLAG.online)) return { state: 'registered', reason: null };
  if (has(UAC_FLAG.disabled)) {
    return {
      state: 'failed',
      reason:
        `Kamailio gave up on it: the registrar refused the REGISTER or did not answer. Most often a wrong username or password (Kamailio logs "authentication failed for <${r.uuid}>"). ` +
        'It does not retry by itself: fix the credentials, then run Install.',
    };
  }
  if (has(UAC_FLAG.ongoing))
    return {
      state: 'registering',
      reason: has(UAC_FLAG.authSent)
        ? 'REGISTER sent with credentials, waiting for the registrar to answer.'
        : 'REGISTER sent, waiting for the registrar to answer.',
    };
  if (!has(UAC_FLAG.init))
    return { state: 'waiting', reason: "Loaded, waiting for its first REGISTER (Kamailio's uac timer, every reg_timer_interval seconds)." };
  return {
    state: 'retrying',
    reason:
      'The last REGISTER did not succeed (rejected, or no answer); Kamailio tries again after reg_retry_interval. Its log names the reply.',
  };
}

function differs(c: UacConfigured, r: UacDumpRecord): boolean {
  const registrar = parseRegistrar(c.registrar);
  return (
    (r.username !== null && r.username !== c.username.trim()) ||
    (registrar !== null && r.proxy !== null && r.proxy !== registrar.proxyUri) ||
    (r.expires !== null && r.expires !== c.expiry)
  );
}

/** Matches configured upstreams with the dump by l_uuid (Switchyard writes its id there). */
export function uacStates(
  configured: readonly UacConfigured[],
  dump: readonly UacDumpRecord[],
): { upstreams: UacUpstreamState[]; unmanaged: UacUnmanaged[] } {
  const byUuid = new Map(dump.map((r) => [r.uuid, r]));
  const upstreams = configured.map((c): UacUpstreamState => {
    const r = byUuid.get(c.id);
    const base = { upstreamId: c.id, registrar: c.registrar, username: c.username };
    if (!r) {
      return {
        ...base,
        state: 'not-loaded',
        reason: 'Kamailio on the server has no registration for it: run Install to push the upstream list (UAC Auth on).',
        flags: null,
        refreshInSec: null,
        stale: false,
      };
    }
    const { state, reason } = stateOf(r);
    return { ...base, state, reason, flags: r.flags, refreshInSec: state === 'registered' ? r.diffExpires : null, stale: differs(c, r) };
  });
  const ours = new Set(configured.map((c) => c.id));
  const unmanaged = dump
    .filter((r) => !ours.has(r.uuid))
    .map((r) => ({ uuid: r.uuid, username: r.username, proxy: r.proxy, registered: (r.flags & UAC_FLAG.online) !== 0 }));
  return { upstreams, unmanaged };
}
