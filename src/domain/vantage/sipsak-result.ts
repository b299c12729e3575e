// What one `sipsak` OPTIONS run printed, read back into a sample's figures. The text comes from a
// vantage server (and, inside it, from whatever answered the OPTIONS), so it is read as hostile:
// bounded, matched by fixed patterns only, and anything not recognised is "unreadable", never a
// guess and never an exception.

export type SipsakResult =
  /** A final response: any code counts as alive (5xx/6xx are flagged by the sample's code). */
  | { kind: 'answered'; rttMs: number; code: number }
  /** No final response before the deadline, or the send failed (port unreachable, no route): loss. */
  | { kind: 'lost'; why: string };

/** Longer than any sipsak run's output the remote loop keeps (it cuts at 3,000 bytes). */
const MAX_TEXT = 8_000;
/** A round trip longer than a minute is no figure of ours (interval and timeout are at most 60 s). */
const MAX_RTT_MS = 60_000;

// sipsak's summary after the echoed message: "** reply received after 5.993 ms **" then, on the
// next line, the status line it matched ("   SIP/2.0 200 OK"). The whitespace class also takes
// the spaces the remote loop puts in place of line breaks.
const ANSWERED = /\*\* reply received after (\d{1,6}(?:\.\d{1,6})?) ms \*\*\s+SIP\/2\.0 ([1-6]\d\d)\b/g;
const TIMEOUT = /\*\* timeout after \d{1,6} ms\s?\*\*|\*\*\* giving up, no final response/;
// The system's words for the failed send (strerror), up to the break sipsak prints after them.
const SEND_FAILURE = /send failure: ([A-Za-z][A-Za-z,'-]*(?: [A-Za-z,'-]+){0,6})/;

export function parseSipsakOutput(text: string): SipsakResult | null {
  if (text.length > MAX_TEXT) return null;
  let last: RegExpExecArray | null = null;
  for (const m of text.matchAll(ANSWERED)) last = m;
  if (last) {
    const rttMs = Number(last[1]);
    const code = Number(last[2]);
    // A provisional answer is not final: sipsak waits on, so one here means the output was cut.
    if (!Number.isFinite(rttMs) || rttMs < 0 || rttMs > MAX_RTT_MS || code < 200) return null;
    return { kind: 'answered', rttMs, code };
  }
  if (TIMEOUT.test(text)) return { kind: 'lost', why: 'no answer before the deadline' };
  const failed = SEND_FAILURE.exec(text);
  if (failed) return { kind: 'lost', why: (failed[1] ?? '').replace(/ message received$/, '').toLowerCase() };
  return null;
}

/** The line the remote loop prints per OPTIONS sent: `switchyard-sip INDEX <sipsak's output on one line>`. */
const RESULT_LINE = /^switchyard-sip (\d{1,4}) (.*)$/s;

export interface SipLoopLine {
  /** The target's position in the argument list the loop was started with. */
  index: number;
  result: SipsakResult;
}

/** One line of the loop's stream; null for anything else (counted as unreadable by the caller). */
export function parseSipLoopLine(line: string): SipLoopLine | null {
  const m = RESULT_LINE.exec(line);
  if (!m) return null;
  const result = parseSipsakOutput(m[2] ?? '');
  return result === null ? null : { index: Number(m[1]), result };
}

/** The request URI sipsak is given: an IPv6 address in brackets, as a SIP URI needs it. */
export function sipUri(address: string, port: number): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return `sip:${host}:${port}`;
}
