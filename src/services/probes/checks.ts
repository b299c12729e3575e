// The one map of probe kinds to their checks. The kinds are declared in contract/probe-kinds.ts;
// a new one there is a compile error here until it has its line and its class.
import type { ProbeKind } from '../../domain/monitoring/sample';
import type { Check } from './check';
import type { Clock } from './clock';
import { SipStreamCheck } from './sip-stream';
import { SipUdpCheck } from './sip-udp';
import { TcpConnectCheck } from './tcp-connect';

export interface CheckDeps {
  clock?: Clock;
  /** Switchyard's version for the SIP User-Agent. */
  version?: string;
  /** The ICMP check the detected backend gave (fping or ping); null when neither is installed. */
  icmp: Check | null;
}

export type CheckMap = Partial<Record<ProbeKind, Check>>;

const CHECK_TYPES: Record<ProbeKind, (deps: CheckDeps) => Check | null> = {
  'sip-udp': (d) => new SipUdpCheck({ ...opt(d) }),
  'sip-tcp': (d) => new SipStreamCheck('tcp', opt(d)),
  'sip-tls': (d) => new SipStreamCheck('tls', opt(d)),
  icmp: (d) => d.icmp,
  tcp: (d) => new TcpConnectCheck(d.clock),
};

/** Builds every check once; the scheduler shares them across all servers. */
export function createChecks(deps: CheckDeps): CheckMap {
  const out: CheckMap = {};
  for (const kind of Object.keys(CHECK_TYPES) as ProbeKind[]) {
    const check = CHECK_TYPES[kind](deps);
    if (check) out[kind] = check;
  }
  return out;
}

export async function closeChecks(checks: CheckMap): Promise<void> {
  await Promise.all(Object.values(checks).map((c) => c.close()));
}

function opt(d: CheckDeps): { clock?: Clock; version?: string } {
  return { ...(d.clock ? { clock: d.clock } : {}), ...(d.version ? { version: d.version } : {}) };
}
