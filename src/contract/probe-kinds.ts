// The one list of probe kinds. Everything else about a kind is derived from this declaration:
// the contract's ProbeKindName (and the bound on how many a chart may ask for), the domain's
// PROBE_KINDS and SIP_KINDS, the stored code (services/store/sample-kinds.ts), the port the
// scheduler probes (services/probes/scheduler.ts), the label in status reasons
// (services/monitoring/live-state.ts), the CLI's `--kind` help and defaults.
//
// What cannot be derived is typed `Record<ProbeKind, …>`, so adding a kind here makes the compiler
// point at it: the check class (services/probes/checks.ts) and when a server gets the kind
// (services/monitoring/monitored-server.ts).
//
// The stored code is fixed forever. The database checks it too: migrations 002 (samples and
// rollups) and 014 (vantage samples) say `CHECK (kind BETWEEN 1 AND 5)`. A sixth kind needs a new
// migration that rebuilds those tables with the wider check (old migrations are never edited);
// probe-kinds-schema.test.ts reads a fresh database's schema and fails until it is there.
// No zod here: the CLI's command list reads the kinds, and a command must not load zod to print help.

/** Which of a server's SIP ports the kind probes; null for ICMP, which has no port. */
export type PortField = 'udp' | 'tcp' | 'tls';

export interface ProbeKindSpec {
  readonly name: string;
  /** The stored code: a small integer, never reused or renumbered. */
  readonly code: number;
  /** Words for people (status reasons, legends). */
  readonly label: string;
  readonly transport: 'udp' | 'tcp' | 'tls' | 'icmp';
  /** The server setting that gives the port (the reference's defaults: UDP 5060, TCP and TLS 5061). */
  readonly port: PortField | null;
  /** A SIP OPTIONS probe: its answer carries a response code. */
  readonly sip: boolean;
  /** Drawn on a chart when the caller names no kinds (contract default, CLI default). */
  readonly charted: boolean;
}

export const PROBE_KIND_LIST = [
  { name: 'sip-udp', code: 1, label: 'SIP UDP', transport: 'udp', port: 'udp', sip: true, charted: true },
  { name: 'sip-tcp', code: 2, label: 'SIP TCP', transport: 'tcp', port: 'tcp', sip: true, charted: false },
  { name: 'sip-tls', code: 3, label: 'SIP TLS', transport: 'tls', port: 'tls', sip: true, charted: false },
  { name: 'icmp', code: 4, label: 'ICMP', transport: 'icmp', port: null, sip: false, charted: true },
  { name: 'tcp', code: 5, label: 'TCP connect', transport: 'tcp', port: 'tcp', sip: false, charted: false },
] as const satisfies readonly ProbeKindSpec[];

type List = typeof PROBE_KIND_LIST;

export type ProbeKind = List[number]['name'];

// A mapped type over a generic tuple keeps it a tuple (zod's enum needs one to keep the literals).
type NamesOf<T extends readonly { name: string }[]> = { readonly [I in keyof T]: T[I] extends { name: infer N } ? N : never };

/** The names in declaration order. */
export const PROBE_KINDS = PROBE_KIND_LIST.map((k) => k.name) as unknown as NamesOf<List>;

/** Each kind's declaration by name. */
export const PROBE_KIND_SPEC: Readonly<Record<ProbeKind, ProbeKindSpec>> = Object.fromEntries(
  PROBE_KIND_LIST.map((k) => [k.name, k]),
) as Record<ProbeKind, ProbeKindSpec>;

export const SIP_KINDS: readonly ProbeKind[] = PROBE_KIND_LIST.filter((k) => k.sip).map((k) => k.name);

export const CHARTED_KINDS: readonly ProbeKind[] = PROBE_KIND_LIST.filter((k) => k.charted).map((k) => k.name);
