// SipUdpCheck reading answers in the forms real servers send, through real sockets on both
// engines: plain answers (read from the bytes), and folded, compact, Latin-1 and provisional ones
// (left to the text reader) give the same results; what is not the answer to our probe (a wrong
// Call-ID, a truncated answer, bytes that are not SIP) is dropped and counted, and the probe still
// ends with the real answer that follows.
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult, ProbeTarget } from '../../src/services/probes/check';
import { SipUdpCheck } from '../../src/services/probes/sip-udp';
import { loadSipMmsg } from '../../src/services/probes/sip-udp-addon';
import type { SipUdpEngine } from '../../src/services/probes/sip-udp-socket';

/** How the scripted peer answers one request: the datagrams it sends back, in order. */
type Form = (request: string) => (string | Buffer)[];

const answer = (request: string, status = '200 OK') => request.replace(/^OPTIONS [^\r\n]+/, `SIP/2.0 ${status}`);
const FORMS: Record<string, { form: Form; code: number; dropped: number }> = {
  plain: { form: (r) => [answer(r)], code: 200, dropped: 0 },
  'folded Via': { form: (r) => [answer(r, '202 Accepted').replace(/;branch=/, '\r\n ;branch=')], code: 202, dropped: 0 },
  'compact names, odd case': {
    form: (r) => [
      answer(r, '486 Busy Here')
        .replace(/^Via:/m, 'v:')
        .replace(/^Call-ID:/m, 'i:')
        .replace(/^CSeq:/m, 'CSEQ:')
        .replace(';branch=', ';Branch='),
    ],
    code: 486,
    dropped: 0,
  },
  'Latin-1 display name': { form: (r) => [Buffer.from(answer(r).replace(/^From: /m, 'From: "Jérôme" '), 'latin1')], code: 200, dropped: 0 },
  'provisional first': { form: (r) => [answer(r, '100 Trying'), answer(r, '503 Service Unavailable')], code: 503, dropped: 0 },
  'wrong Call-ID first': {
    form: (r) => [answer(r).replace(/^Call-ID: \S+/m, 'Call-ID: someone-else'), answer(r, '404 Not Found')],
    code: 404,
    dropped: 1,
  },
  'truncated first': {
    form: (r) => {
      const whole = answer(r);
      return [whole.slice(0, whole.indexOf('Call-ID')), whole];
    },
    code: 200,
    dropped: 1,
  },
  'non-SIP bytes first': { form: (r) => [Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]), answer(r)], code: 200, dropped: 1 },
};

const ENGINES: readonly SipUdpEngine[] = loadSipMmsg().addon === null ? ['node'] : ['mmsg', 'node'];
let peer: dgram.Socket;
let form: Form = (r) => [answer(r)];

beforeAll(async () => {
  peer = dgram.createSocket('udp4');
  peer.on('message', (msg, from) => {
    for (const datagram of form(msg.toString('latin1'))) peer.send(datagram, from.port, from.address);
  });
  await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
});
afterAll(async () => {
  await new Promise<void>((r) => peer.close(() => r()));
});

describe('SIP OPTIONS over UDP: the forms answers come in', () => {
  it.each(ENGINES)('gives each form the same result on the %s engine', async (engine) => {
    const udp = new SipUdpCheck({ engine });
    const target: ProbeTarget = { serverId: 'peer', host: '127.0.0.1', port: peer.address().port, deadlineMs: 2_000, intervalMs: 1_000 };
    for (const [name, expected] of Object.entries(FORMS)) {
      form = expected.form;
      const droppedBefore = udp.dropped;
      const result = await new Promise<ProbeResult>((resolve) => udp.start(target, (_t, r) => resolve(r)));
      expect(result.code, name).toBe(expected.code);
      expect(result.rttMs, name).toBeGreaterThanOrEqual(0);
      // The peer sends what is dropped before the answer, so it is counted by the time the probe ends.
      expect(udp.dropped - droppedBefore, name).toBe(expected.dropped);
    }
    expect(udp.inFlight).toBe(0);
    await udp.close();
  });
});
