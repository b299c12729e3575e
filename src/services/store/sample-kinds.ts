import type { ProbeKind } from '../../domain/monitoring/sample';

/** Probe kinds as stored: small integers, fixed forever (migration 002 checks 1..5). */
export const KIND_CODE: Readonly<Record<ProbeKind, number>> = { 'sip-udp': 1, 'sip-tcp': 2, 'sip-tls': 3, icmp: 4, tcp: 5 };

export const KIND_OF_CODE: ReadonlyMap<number, ProbeKind> = new Map(
  (Object.entries(KIND_CODE) as [ProbeKind, number][]).map(([kind, code]) => [code, kind]),
);
