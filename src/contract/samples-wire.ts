import type { ServerStatus } from './fleet';
import type { LastProbe, SamplesPush } from './monitoring-methods';

// The samples push as it travels on the web host's events socket. A team host sends it to every
// signed-in page each second: with 1,000 servers the object form is ~310 KB, written and encrypted
// once per client. Packed as one array per server, with times as offsets from the push's first
// time and round trips to 1 µs (what the store keeps), it is well under half that. The Electron
// transport passes objects and never sees this form; `unpackSamplesPush` gives back the contract's
// `SamplesPush` exactly, up to that rounding.

/** Marks a packed samples message: `{"event":"monitoring:samples","wire":SAMPLES_WIRE,"payload":…}`. */
export const SAMPLES_WIRE = 'samples/1';

/** Times as offsets from `t`; a probe absent is a null time (its round trip and code are null too). */
type PackedUpdate = [
  serverId: string,
  status: ServerStatus,
  reason: string,
  sipRttMs: number | null,
  sipCode: number | null,
  sipAt: number | null,
  icmpRttMs: number | null,
  icmpCode: number | null,
  icmpAt: number | null,
  sipLossPct: number | null,
  icmpLossPct: number | null,
  addedSip: (number | null)[],
  addedIcmp: (number | null)[],
];
export interface PackedSamplesPush {
  t: number;
  u: PackedUpdate[];
}

// A record, so the compiler names this list when a status is added (no zod here: the page's first
// script reads it).
const STATUSES: Record<ServerStatus, true> = { unknown: true, online: true, degraded: true, down: true, stopped: true, expired: true };
const isStatus = (v: unknown): v is ServerStatus => typeof v === 'string' && Object.hasOwn(STATUSES, v);

const rtt = (ms: number | null): number | null => (ms === null ? null : Math.round(ms * 1000) / 1000);
const pct = (value: number | null): number | null => (value === null ? null : Math.round(value * 100) / 100);

export function packSamplesPush(push: SamplesPush): PackedSamplesPush {
  let t = Infinity;
  for (const u of push.updates) {
    if (u.sip) t = Math.min(t, u.sip.at);
    if (u.icmp) t = Math.min(t, u.icmp.at);
  }
  if (!Number.isFinite(t)) t = 0;
  return {
    t,
    u: push.updates.map((u) => [
      u.serverId,
      u.status,
      u.reason,
      u.sip ? rtt(u.sip.rttMs) : null,
      u.sip?.code ?? null,
      u.sip ? u.sip.at - t : null,
      u.icmp ? rtt(u.icmp.rttMs) : null,
      u.icmp?.code ?? null,
      u.icmp ? u.icmp.at - t : null,
      pct(u.sipLossPct),
      pct(u.icmpLossPct),
      u.addedSip.map(rtt),
      u.addedIcmp.map(rtt),
    ]),
  };
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const numOrNull = (v: unknown): v is number | null => v === null || isNum(v);
const spark = (v: unknown): v is (number | null)[] => Array.isArray(v) && v.every(numOrNull);

function probe(rttMs: unknown, code: unknown, at: unknown, t: number): LastProbe | null | undefined {
  if (at === null) return rttMs === null && code === null ? null : undefined;
  if (!isNum(at) || !numOrNull(rttMs) || !numOrNull(code) || (code !== null && !Number.isInteger(code))) return undefined;
  return { rttMs, code, at: t + at };
}

/**
 * The contract's form of a packed push, or a reason it is not one (a page drops such a message
 * and says why in its console rather than drawing half of it).
 */
export function unpackSamplesPush(packed: unknown): { ok: true; push: SamplesPush } | { ok: false; reason: string } {
  if (typeof packed !== 'object' || packed === null) return { ok: false, reason: 'not an object' };
  const { t, u } = packed as { t?: unknown; u?: unknown };
  if (!isNum(t)) return { ok: false, reason: 't is not a number' };
  if (!Array.isArray(u)) return { ok: false, reason: 'u is not a list' };
  const updates: SamplesPush['updates'] = [];
  for (const [i, row] of u.entries()) {
    const bad = (what: string) => ({ ok: false as const, reason: `update ${i + 1}: ${what}` });
    if (!Array.isArray(row) || row.length !== 13) return bad('not a list of 13 fields');
    const [serverId, status, reason, sipRtt, sipCode, sipAt, icmpRtt, icmpCode, icmpAt, sipLoss, icmpLoss, addedSip, addedIcmp] =
      row as unknown[];
    if (typeof serverId !== 'string' || serverId === '') return bad('server id missing');
    if (!isStatus(status)) return bad(`unknown status ${JSON.stringify(status)}`);
    if (typeof reason !== 'string') return bad('reason is not text');
    const sip = probe(sipRtt, sipCode, sipAt, t);
    const icmp = probe(icmpRtt, icmpCode, icmpAt, t);
    if (sip === undefined) return bad('SIP probe malformed');
    if (icmp === undefined) return bad('ICMP probe malformed');
    if (!numOrNull(sipLoss) || !numOrNull(icmpLoss)) return bad('loss is not a number');
    if (!spark(addedSip) || !spark(addedIcmp)) return bad('added round trips malformed');
    updates.push({
      serverId,
      status,
      reason,
      sip,
      icmp,
      sipLossPct: sipLoss,
      icmpLossPct: icmpLoss,
      addedSip,
      addedIcmp,
    });
  }
  return { ok: true, push: { updates } };
}
