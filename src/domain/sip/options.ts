import { z } from 'zod';
import { invalid } from '../errors';
import { isHostname } from '../fleet/hostname';
import { canonicalIp, isIpv6 } from '../fleet/ip';
import { BRANCH_COOKIE } from './check-via';
import { cryptoRandomHex, type RandomHex } from './random';

export const SipTransport = z.enum(['udp', 'tcp', 'tls']);
export type SipTransport = z.infer<typeof SipTransport>;

const port = z.number().int().min(1).max(65535);

export const OptionsParams = z.object({
  /** The server probed: host name, IPv4 or IPv6 address (brackets optional). */
  host: z.string().min(1).max(255),
  port,
  transport: SipTransport,
  /** Our side, for Via, From and Contact: the address and port the socket is bound to. */
  localHost: z.string().min(1).max(255),
  localPort: port,
  /** RFC 3261 section 8.1.1.5: below 2^31. */
  cseq: z.number().int().min(0).max(2147483647).default(1),
  /** Switchyard's version, for the User-Agent header. */
  version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/, 'a version such as 1.2.3'),
});
export type OptionsParams = z.input<typeof OptionsParams>;

export interface OptionsRequest {
  /** The request, CRLF line ends, ready to send as one datagram or TCP/TLS write. */
  text: string;
  requestUri: string;
  /** What the answer must echo: top Via branch, Call-ID and CSeq. */
  branch: string;
  callId: string;
  fromTag: string;
  cseq: number;
  method: 'OPTIONS';
}

/**
 * Builds a SIP OPTIONS probe (RFC 3261 section 11). The User-Agent is always Switchyard's own:
 * servers and fail2ban rules treat scanner agents (friendly-scanner, sipvicious, sipcli) as
 * attacks, and a monitoring console must never look like one. Throws a DomainError for a bad
 * parameter; identifiers come from `random` so tests can fix them.
 */
export function buildOptions(input: OptionsParams, random: RandomHex = cryptoRandomHex): OptionsRequest {
  const parsed = OptionsParams.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(String(issue?.path[0] ?? 'options'), issue?.message ?? 'invalid OPTIONS parameters');
  }
  const params = parsed.data;
  const target = `${uriHost(params.host, 'host')}:${params.port}`;
  const local = `${uriHost(params.localHost, 'localHost')}:${params.localPort}`;
  const transport = params.transport;
  const requestUri = `sip:${target};transport=${transport}`;
  const branch = `${BRANCH_COOKIE}${hex(random, 12)}`;
  const callId = hex(random, 16);
  const fromTag = hex(random, 8);
  const lines = [
    `OPTIONS ${requestUri} SIP/2.0`,
    // rport (RFC 3581) asks the server to answer to the address and port the probe came from,
    // which is what gets answers back through NAT.
    `Via: SIP/2.0/${transport.toUpperCase()} ${local};branch=${branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:switchyard@${local}>;tag=${fromTag}`,
    `To: <sip:${target}>`,
    `Call-ID: ${callId}`,
    `CSeq: ${params.cseq} OPTIONS`,
    `Contact: <sip:switchyard@${local};transport=${transport}>`,
    'Accept: application/sdp',
    `User-Agent: Switchyard/${params.version}`,
    'Content-Length: 0',
  ];
  return { text: `${lines.join('\r\n')}\r\n\r\n`, requestUri, branch, callId, fromTag, cseq: params.cseq, method: 'OPTIONS' };
}

/** A host as it appears in a SIP URI: IPv6 in brackets, IP addresses in canonical form. */
function uriHost(text: string, field: string): string {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const ip = canonicalIp(bare);
  if (ip !== null) return isIpv6(ip) ? `[${ip}]` : ip;
  if (bare === text && isHostname(text)) return text;
  throw invalid(field, `${JSON.stringify(text)} is not a host name or an IP address`);
}

function hex(random: RandomHex, bytes: number): string {
  const value = random(bytes);
  // Whatever the source, only hex reaches the wire: nothing injected into a header line.
  if (!/^[0-9a-f]+$/i.test(value)) throw new Error('the random source returned something other than hex');
  return value.toLowerCase();
}
