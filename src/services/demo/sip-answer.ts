// The demo responder's reply to one SIP request, as a stateless proxy or UAS would build it
// (RFC 3261 section 8.2.6): every Via in order, From, Call-ID and CSeq copied, To copied with a
// tag added when it has none. Anything that is not a well-formed request with those headers gets
// no reply at all, the way a real server drops garbage, and the caller counts it.
import { headerValue, headerValues, parseSipMessage } from '../../domain/sip/message';

export type SipAnswer = { ok: true; method: string; text: string } | { ok: false; reason: string };

const REASON: Readonly<Record<number, string>> = { 200: 'OK', 503: 'Service Unavailable' };

/** A short stable tag for To: the same request always gets the same tag (retransmissions match). */
function tagOf(callId: string): string {
  let h = 2166136261;
  for (let i = 0; i < callId.length; i += 1) h = Math.imul(h ^ callId.charCodeAt(i), 16777619);
  return `sy${(h >>> 0).toString(16)}`;
}

export function sipAnswer(request: Uint8Array | string, code: number, userAgent = 'Switchyard demo'): SipAnswer {
  const parsed = parseSipMessage(request);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const m = parsed.message;
  if (m.kind !== 'request' || m.method === undefined) return { ok: false, reason: 'not a request' };
  const vias = headerValues(m, 'Via');
  const from = headerValue(m, 'From');
  const to = headerValue(m, 'To');
  const callId = headerValue(m, 'Call-ID');
  const cseq = headerValue(m, 'CSeq');
  if (vias.length === 0 || from === null || to === null || callId === null || cseq === null) {
    return { ok: false, reason: 'missing Via, From, To, Call-ID or CSeq' };
  }
  // ACK gets no answer (RFC 3261 section 17.2.1); a real server stays silent too.
  if (m.method === 'ACK') return { ok: false, reason: 'ACK needs no answer' };
  const toTagged = /;\s*tag=/i.test(to) ? to : `${to};tag=${tagOf(callId)}`;
  const lines = [
    `SIP/2.0 ${code} ${REASON[code] ?? 'Unknown'}`,
    ...vias.map((v) => `Via: ${v}`),
    `From: ${from}`,
    `To: ${toTagged}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq}`,
    ...(m.method === 'OPTIONS' && code === 200 ? ['Allow: INVITE, ACK, CANCEL, BYE, OPTIONS', 'Accept: application/sdp'] : []),
    `Server: ${userAgent}`,
    'Content-Length: 0',
  ];
  return { ok: true, method: m.method, text: `${lines.join('\r\n')}\r\n\r\n` };
}
