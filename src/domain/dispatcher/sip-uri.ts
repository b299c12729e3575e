// The parts of a dispatcher destination's SIP URI that say where it sends: host, port and
// transport (`sip:10.0.0.5:5080;transport=tcp`, `sips:sw1.example.net`, `sip:[2001:db8::5]`).

export type SipTransport = 'udp' | 'tcp' | 'tls' | 'sctp' | 'ws' | 'wss';

export interface SipTarget {
  host: string;
  /** As written; null when the URI leaves it to the default for its transport. */
  port: number | null;
  transport: SipTransport;
  /** The port a request goes to: the written one, else 5060 (5061 for TLS). */
  effectivePort: number;
}

const TRANSPORTS = new Set<string>(['udp', 'tcp', 'tls', 'sctp', 'ws', 'wss']);

export function sipTarget(uri: string): SipTarget | null {
  const match = /^(sips?):(?:[^@;?]*@)?(\[[0-9A-Fa-f:.]+\]|[^:;?]+)(?::(\d{1,5}))?([;?].*)?$/i.exec(uri.trim());
  if (!match) return null;
  const secure = (match[1] ?? '').toLowerCase() === 'sips';
  const host = (match[2] ?? '').replace(/^\[|\]$/g, '').toLowerCase();
  const port = match[3] === undefined ? null : Number(match[3]);
  if (host === '' || (port !== null && (port < 1 || port > 65_535))) return null;
  const param = /;transport=([A-Za-z]+)/i.exec(match[4] ?? '')?.[1]?.toLowerCase();
  const transport = (param !== undefined && TRANSPORTS.has(param) ? param : secure ? 'tls' : 'udp') as SipTransport;
  return { host, port, transport, effectivePort: port ?? (transport === 'tls' || transport === 'wss' ? 5061 : 5060) };
}
