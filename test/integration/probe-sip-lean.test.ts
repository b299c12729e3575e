// SipUdpCheck's lean path (start / cancelAll) against a real kamailio: answers reported once
// through `done`, losses found by the sweep, cancelAll silencing everything in flight, and the
// request on the wire still the builder's, with fresh identifiers per probe.
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSipMessage, headerValue, matchKey } from '../../src/domain/sip/message';
import type { ProbeResult, ProbeTarget } from '../../src/services/probes/check';
import { SipUdpCheck } from '../../src/services/probes/sip-udp';
import { freePort } from '../helpers/free-port';
import { startKamailio, type Kamailio } from '../helpers/kamailio';

let kam: Kamailio;
const target = (port: number, extra: Partial<ProbeTarget> = {}): ProbeTarget => ({
  serverId: `s${port}`,
  host: '127.0.0.1',
  port,
  deadlineMs: 2_000,
  intervalMs: 1_000,
  ...extra,
});
const handles = () => process.getActiveResourcesInfo().filter((r) => /UDPWRAP|Timeout/.test(r)).length;

/** start() as a promise for the test, counting how often `done` is called. */
function started(check: SipUdpCheck, t: ProbeTarget, calls: ProbeResult[] = []): Promise<ProbeResult> {
  return new Promise((resolve) =>
    check.start(t, (back, result) => {
      expect(back).toBe(t);
      calls.push(result);
      resolve(result);
    }),
  );
}

beforeAll(async () => {
  kam = await startKamailio();
});
afterAll(async () => {
  await kam?.stop();
});

describe('SIP OPTIONS over UDP, lean path', () => {
  it('reports 200 and 503 once each, a silent port as a loss after the deadline, and leaves nothing behind', async () => {
    const before = handles();
    const udp = new SipUdpCheck({ version: '0.1.0' });
    const calls: ProbeResult[] = [];
    for (let round = 0; round < 3; round += 1) {
      const [ok, busy] = await Promise.all([started(udp, target(kam.ports.ok), calls), started(udp, target(kam.ports.busy), calls)]);
      expect(ok).toMatchObject({ code: 200 });
      expect(ok.rttMs).toBeGreaterThan(0);
      expect(busy).toMatchObject({ code: 503 });
    }
    const silent = await freePort();
    const t0 = performance.now();
    expect(await started(udp, target(silent, { deadlineMs: 300 }), calls)).toEqual({ rttMs: null, error: 'timeout' });
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 150));
    expect(calls).toHaveLength(7);
    expect(udp.inFlight).toBe(0);
    await udp.close();
    expect(handles()).toBeLessThanOrEqual(before);
  });

  it('cancelAll ends every probe in flight without a result; the next probes work', async () => {
    const udp = new SipUdpCheck();
    const silent = await freePort();
    let reported = 0;
    for (let i = 0; i < 20; i += 1) udp.start(target(silent, { serverId: `x${i}`, deadlineMs: 200 }), () => (reported += 1));
    // Before the targets are even prepared, and again once they are sent.
    udp.cancelAll();
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 20; i += 1) udp.start(target(silent, { serverId: `x${i}`, deadlineMs: 200 }), () => (reported += 1));
    expect(udp.inFlight).toBe(20);
    udp.cancelAll();
    expect(udp.inFlight).toBe(0);
    await new Promise((r) => setTimeout(r, 400));
    expect(reported).toBe(0);
    expect(await started(udp, target(kam.ports.ok))).toMatchObject({ code: 200 });
    await udp.close();
  });

  it('sends the builder request with a fresh branch, Call-ID and CSeq each probe, and a fixed From tag per target', async () => {
    const peer = dgram.createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
    const seen: string[] = [];
    peer.on('message', (msg, from) => {
      seen.push(msg.toString());
      peer.send(msg.toString().replace(/^OPTIONS [^\r\n]+/, 'SIP/2.0 200 OK'), from.port, from.address);
    });
    const udp = new SipUdpCheck({ version: '3.1.4' });
    for (let i = 0; i < 3; i += 1) expect(await started(udp, target(peer.address().port))).toMatchObject({ code: 200 });
    const parsed = seen.map((text) => {
      const result = parseSipMessage(text);
      if (!result.ok) throw new Error(result.reason);
      return result.message;
    });
    const keys = parsed.map(matchKey);
    expect(new Set(keys.map((k) => k.branch)).size).toBe(3);
    expect(new Set(keys.map((k) => k.callId)).size).toBe(3);
    expect(new Set(keys.map((k) => k.cseq)).size).toBe(3);
    for (const [i, message] of parsed.entries()) {
      expect(message.method).toBe('OPTIONS');
      expect(keys[i]?.branch).toMatch(/^z9hG4bK[0-9a-f]+$/);
      expect(headerValue(message, 'Via')).toMatch(/;rport$/);
      expect(headerValue(message, 'Max-Forwards')).toBe('70');
      expect(headerValue(message, 'User-Agent')).toBe('Switchyard/3.1.4');
      expect(headerValue(message, 'Content-Length')).toBe('0');
      expect(headerValue(message, 'From')).toBe(headerValue(parsed[0]!, 'From'));
      expect(headerValue(message, 'From')).toMatch(/;tag=[0-9a-f]{16}$/);
    }
    await udp.close();
    await new Promise<void>((r) => peer.close(() => r()));
  });
});
