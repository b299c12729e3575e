// SIP OPTIONS probes against a real kamailio on loopback, plus a scripted peer that sends what
// real networks send besides the answer (strays, echoes, garbage, late answers).
import dgram from 'node:dgram';
import { setMaxListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveStatus } from '../../src/domain/monitoring/status';
import { isFlaggedCode } from '../../src/domain/monitoring/sample';
import type { ProbeTarget } from '../../src/services/probes/check';
import { SipStreamCheck } from '../../src/services/probes/sip-stream';
import { SipUdpCheck } from '../../src/services/probes/sip-udp';
import { TcpConnectCheck } from '../../src/services/probes/tcp-connect';
import { freePort } from '../helpers/free-port';
import { startKamailio, type Kamailio } from '../helpers/kamailio';

let kam: Kamailio;
const signal = new AbortController().signal;
// Every probe in flight listens on the one signal, as in the scheduler.
setMaxListeners(0, signal);
const target = (port: number, extra: Partial<ProbeTarget> = {}): ProbeTarget => ({
  serverId: `s${port}`,
  host: '127.0.0.1',
  port,
  deadlineMs: 2_000,
  intervalMs: 5_000,
  ...extra,
});
// Sockets and timers alive in this process: a check must leave none behind once closed.
const handles = () => process.getActiveResourcesInfo().filter((r) => /UDPWRAP|TCPWRAP|TLSWRAP|Timeout/.test(r)).length;

beforeAll(async () => {
  kam = await startKamailio({ tls: true });
});
afterAll(async () => {
  await kam?.stop();
});

describe('SIP OPTIONS over UDP against kamailio', () => {
  it('gets 200 OK, a flagged 503 and an alive 302 through one shared socket; a silent port is a loss at the deadline', async () => {
    const before = handles();
    const udp = new SipUdpCheck({ version: '0.1.0' });
    const ok = await udp.check(target(kam.ports.ok), signal);
    expect(ok.code).toBe(200);
    expect(ok.rttMs).toBeGreaterThan(0);
    expect(ok.rttMs).toBeLessThan(500);

    const busy = await udp.check(target(kam.ports.busy), signal);
    expect(busy).toMatchObject({ code: 503 });
    expect(busy.rttMs).not.toBeNull();
    expect(isFlaggedCode(busy.code)).toBe(true);
    const samples = [0, 1, 2].map((i) => ({ serverId: 'b', kind: 'sip-udp' as const, at: i * 5_000, rttMs: busy.rttMs, code: 503 }));
    expect(deriveStatus({ adminState: 'running', expiresAt: null, now: 20_000, samples }).status).toBe('degraded');

    const moved = await udp.check(target(kam.ports.moved), signal);
    expect(moved).toMatchObject({ code: 302 });
    expect(isFlaggedCode(moved.code)).toBe(false);

    const silent = await freePort();
    const t0 = performance.now();
    const none = await udp.check(target(silent, { deadlineMs: 400 }), signal);
    const waited = performance.now() - t0;
    expect(none).toEqual({ rttMs: null, error: 'timeout' });
    expect(waited).toBeGreaterThanOrEqual(390);
    expect(waited).toBeLessThan(1_500);

    // Many probes at once share the socket and each gets its own server's answer.
    const ports = Array.from({ length: 60 }, (_, i) => [kam.ports.ok, kam.ports.busy, kam.ports.moved][i % 3] as number);
    const results = await Promise.all(ports.map((p, i) => udp.check(target(p, { serverId: `m${i}` }), signal)));
    expect(results.map((r) => r.code)).toEqual(ports.map((p) => (p === kam.ports.ok ? 200 : p === kam.ports.busy ? 503 : 302)));
    expect(udp.inFlight).toBe(0);
    await udp.close();
    expect(handles()).toBeLessThanOrEqual(before);
  });
});

describe('SIP OPTIONS over UDP against a scripted peer', () => {
  it('ignores strays, echoes, mismatched ids, provisional answers and garbage, and counts only the real final answer', async () => {
    const peer = dgram.createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
    const udp = new SipUdpCheck();
    const ourPort = await udp.localPort();
    peer.on('message', (msg, from) => {
      const text = msg.toString();
      const send = (s: string | Buffer) => peer.send(s, from.port, from.address);
      const answer = (status: string, edit: (s: string) => string = (s) => s) =>
        edit(text.replace(/^OPTIONS [^\r\n]+/, `SIP/2.0 ${status}`).replace(/Content-Length: 0/, 'Content-Length: 0'));
      send(msg); // our own request echoed back: a request, never an answer
      send(Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]));
      send(Buffer.alloc(65_000, 'A'));
      send(answer('200 OK', (s) => s.replace(/Call-ID: \S+/, 'Call-ID: someone-else')));
      send(answer('200 OK', (s) => s.replace(/CSeq: (\d+) OPTIONS/, 'CSeq: $1 INVITE')));
      send(answer('200 OK', (s) => s.replace(/branch=z9hG4bK[0-9a-f]+/, 'branch=z9hG4bKstray')));
      send(answer('100 Trying'));
      // The real answer, in compact form with odd case, after 150 ms.
      setTimeout(
        () =>
          send(
            answer('486 Busy Here', (s) =>
              s
                .replace(/^Call-ID:/m, 'i:')
                .replace(/^Via:/m, 'v:')
                .replace(/^CSeq:/m, 'cseq:'),
            ),
          ),
        150,
      );
    });
    const peerPort = peer.address().port;
    const result = await udp.check(target(peerPort), signal);
    expect(result.code).toBe(486);
    expect(result.rttMs).toBeGreaterThanOrEqual(140);
    expect(udp.dropped).toBeGreaterThanOrEqual(6);

    // A stray aimed straight at our socket, with nothing in flight, changes nothing.
    const stray = dgram.createSocket('udp4');
    await new Promise<void>((r) =>
      stray.send('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP x;branch=z9hG4bKx\r\n\r\n', ourPort, '127.0.0.1', () => r()),
    );
    stray.close();

    // An answer that comes after our deadline is a loss, and the late datagram is dropped.
    peer.removeAllListeners('message');
    peer.on('message', (msg, from) =>
      setTimeout(() => peer.send(msg.toString().replace(/^OPTIONS [^\r\n]+/, 'SIP/2.0 200 OK'), from.port, from.address), 300),
    );
    expect(await udp.check(target(peerPort, { deadlineMs: 200 }), signal)).toEqual({ rttMs: null, error: 'timeout' });
    await new Promise((r) => setTimeout(r, 250));
    expect(udp.inFlight).toBe(0);
    await udp.close();
    await new Promise<void>((r) => peer.close(() => r()));
  });
});

describe('SIP OPTIONS over TCP and TLS, and TCP connect', () => {
  it('keeps one TCP connection per server and reuses it', async () => {
    const before = handles();
    const tcp = new SipStreamCheck('tcp');
    for (let i = 0; i < 3; i += 1) expect(await tcp.check(target(kam.ports.ok), signal)).toMatchObject({ code: 200 });
    expect(tcp.connections).toBe(1);
    const refused = await tcp.check(target(await freePort(), { serverId: 'nobody' }), signal);
    expect(refused).toEqual({ rttMs: null, error: 'refused' });
    expect(tcp.connections).toBe(1);
    await tcp.close();
    expect(tcp.connections).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(handles()).toBeLessThanOrEqual(before);
  });

  it('refuses a self-signed certificate by default and accepts it only with the pinned fingerprint', async () => {
    const port = kam.ports.tls as number;
    const tls = new SipStreamCheck('tls');
    const refused = await tls.check(target(port), signal);
    expect(refused.rttMs).toBeNull();
    expect(refused.error).toMatch(/certificate not trusted/);

    const pinned = await tls.check(target(port, { serverId: 'pinned', tlsPinSha256: kam.tlsFingerprint }), signal);
    expect(pinned).toMatchObject({ code: 200 });
    expect(pinned.rttMs).toBeGreaterThan(0);
    // Lower case without colons is the same pin.
    const plain = (kam.tlsFingerprint ?? '').replace(/:/g, '').toLowerCase();
    expect(await tls.check(target(port, { serverId: 'plain', tlsPinSha256: plain }), signal)).toMatchObject({ code: 200 });

    const wrong = await tls.check(target(port, { serverId: 'wrong', tlsPinSha256: 'AB'.repeat(32) }), signal);
    expect(wrong).toEqual({ rttMs: null, error: 'certificate does not match the pinned fingerprint' });
    await tls.close();
  });

  it('times the TCP connect to the SIP port; refused is a loss', async () => {
    const check = new TcpConnectCheck();
    const up = await check.check(target(kam.ports.ok), signal);
    expect(up.rttMs).toBeGreaterThan(0);
    expect(await check.check(target(await freePort()), signal)).toEqual({ rttMs: null, error: 'refused' });
    await check.close();
  });
});
