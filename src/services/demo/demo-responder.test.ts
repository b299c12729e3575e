// The demo responder over real sockets on loopback, asked by the probes the console itself uses:
// each behaviour gives the answer a probe would see from a real server of that kind.
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipStreamCheck } from '../probes/sip-stream';
import { SipUdpCheck } from '../probes/sip-udp';
import { FLAP_UP_MS } from './demo-behaviour';
import { demoTls } from './demo-fleet';
import { startDemoResponder, type DemoResponder, type DemoTarget } from './demo-responder';

// Addresses no other test uses, on a high port picked per run, so a parallel run elsewhere cannot collide.
const PORT = 20_000 + Math.floor(Math.random() * 20_000);
const TARGETS: DemoTarget[] = [
  { address: '127.0.77.1', udpPort: PORT, tcpPort: null, tlsPort: PORT + 1, behaviour: 'fast' },
  { address: '127.0.77.2', udpPort: PORT, tcpPort: PORT + 2, tlsPort: null, behaviour: 'slow' },
  { address: '127.0.77.3', udpPort: PORT, tcpPort: null, tlsPort: null, behaviour: 'error' },
  { address: '127.0.77.4', udpPort: PORT, tcpPort: PORT + 2, tlsPort: null, behaviour: 'silent' },
  { address: '127.0.77.5', udpPort: PORT, tcpPort: null, tlsPort: null, behaviour: 'flapping' },
];

let responder: DemoResponder;
let clock = 0;
const udp = new SipUdpCheck();
const tls = demoTls();

const probe = (host: string, deadlineMs = 1_000) =>
  udp.check({ serverId: host, host, port: PORT, deadlineMs, intervalMs: 1_000 }, new AbortController().signal);

function raw(host: string, text: string): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(null);
    }, 500);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg.toString('latin1'));
    });
    socket.send(text, PORT, host);
  });
}

beforeAll(async () => {
  responder = await startDemoResponder({ targets: TARGETS, tls, now: () => clock });
  expect(responder.skipped).toEqual([]);
});

afterAll(async () => {
  await udp.close();
  await responder.close();
});

describe('demo responder', () => {
  it('answers a fast server at once with 200', async () => {
    const r = await probe('127.0.77.1');
    expect(r.code).toBe(200);
    expect(r.rttMs).not.toBeNull();
    expect(r.rttMs!).toBeLessThan(100);
  });

  it('answers the slow server after about 150 ms', async () => {
    const r = await probe('127.0.77.2');
    expect(r.code).toBe(200);
    expect(r.rttMs!).toBeGreaterThanOrEqual(135);
  });

  it('answers the overloaded server with 503', async () => {
    const r = await probe('127.0.77.3');
    expect(r.code).toBe(503);
  });

  it('never answers the silent server, on UDP, and refuses its TCP port', async () => {
    const r = await probe('127.0.77.4', 400);
    expect(r.rttMs).toBeNull();
    expect(responder.listening).not.toContain(`tcp 127.0.77.4:${PORT + 2}`);
    expect(responder.listening).toContain(`tcp 127.0.77.2:${PORT + 2}`);
  });

  it('lets the flapping server answer for a minute, then go silent', async () => {
    clock = FLAP_UP_MS - 1_000;
    expect((await probe('127.0.77.5')).code).toBe(200);
    clock = FLAP_UP_MS + 1_000;
    expect((await probe('127.0.77.5', 400)).rttMs).toBeNull();
    clock = 0;
  });

  it('answers over TLS with the demo certificate, accepted by its pin, and over TCP', async () => {
    const tlsCheck = new SipStreamCheck('tls');
    const tcpCheck = new SipStreamCheck('tcp');
    try {
      const viaTls = await tlsCheck.check(
        { serverId: 'a', host: '127.0.77.1', port: PORT + 1, deadlineMs: 2_000, intervalMs: 1_000, tlsPinSha256: tls.pin },
        new AbortController().signal,
      );
      expect(viaTls.code).toBe(200);
      const viaTcp = await tcpCheck.check(
        { serverId: 'b', host: '127.0.77.2', port: PORT + 2, deadlineMs: 2_000, intervalMs: 1_000 },
        new AbortController().signal,
      );
      expect(viaTcp.code).toBe(200);
    } finally {
      await tlsCheck.close();
      await tcpCheck.close();
    }
  });

  it('echoes every Via, From, To (tagged), Call-ID and CSeq of the request', async () => {
    const request = [
      'OPTIONS sip:127.0.77.1 SIP/2.0',
      'Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKproxy',
      'v: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKabc;rport',
      'From: <sip:probe@127.0.0.1>;tag=f1',
      'To: <sip:127.0.77.1>',
      'Call-ID: demo-call-1',
      'CSeq: 7 OPTIONS',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const answer = await raw('127.0.77.1', request);
    expect(answer).not.toBeNull();
    const lines = answer!.split('\r\n');
    expect(lines[0]).toBe('SIP/2.0 200 OK');
    expect(lines.filter((l) => l.startsWith('Via: '))).toEqual([
      'Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKproxy',
      'Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKabc;rport',
    ]);
    expect(lines).toContain('From: <sip:probe@127.0.0.1>;tag=f1');
    expect(lines.find((l) => l.startsWith('To: '))).toMatch(/^To: <sip:127\.0\.77\.1>;tag=\w+$/);
    expect(lines).toContain('Call-ID: demo-call-1');
    expect(lines).toContain('CSeq: 7 OPTIONS');
  });

  it('ignores and counts datagrams that are not SIP requests, and keeps answering', async () => {
    const before = responder.stats().malformed;
    expect(await raw('127.0.77.1', 'hello, not SIP')).toBeNull();
    expect(await raw('127.0.77.1', 'SIP/2.0 200 OK\r\nCall-ID: x\r\n\r\n')).toBeNull();
    expect(await raw('127.0.77.1', 'OPTIONS sip:x SIP/2.0\r\nCall-ID: no-via\r\n\r\n')).toBeNull();
    expect(responder.stats().malformed).toBe(before + 3);
    expect((await probe('127.0.77.1')).code).toBe(200);
  });

  it('skips an address:port another program holds instead of failing', async () => {
    const second = await startDemoResponder({ targets: [TARGETS[0]!], tls });
    try {
      expect(second.listening).toEqual([]);
      expect(second.skipped).toEqual([`udp 127.0.77.1:${PORT}: EADDRINUSE`, `tls 127.0.77.1:${PORT + 1}: EADDRINUSE`]);
    } finally {
      await second.close();
    }
  });
});
