// `switchyard probe` run as a user runs it, against a real kamailio and fping on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeCommand } from '../../src/cli/probe-commands';
import { runCli } from '../helpers/cli';
import { freePort } from '../helpers/free-port';
import { startKamailio, type Kamailio } from '../helpers/kamailio';

let kamailio: Kamailio;
beforeAll(async () => {
  kamailio = await startKamailio();
}, 30_000);
afterAll(async () => {
  await kamailio.stop();
});

interface ProbeJson {
  probes: { seq: number; ok: boolean; rttMs: number | null; code?: number }[];
  summary: { sent: number; received: number; lossPct: number; minMs: number | null; avgMs: number | null; maxMs: number | null };
}

describe('switchyard probe', () => {
  it('prints one line per SIP probe with its code and a summary, exit 0', async () => {
    const r = await runCli(['probe', 'sip', `127.0.0.1:${kamailio.ports.ok}`, '--count', '3', '--interval', '0.1']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^seq=\d \d+(\.\d+)? ms {2}200$/gm)).toHaveLength(3);
    expect(r.stdout).toMatch(/3 sent, 3 received, 0% loss; rtt min\/avg\/max = /);
  });

  it('gives JSON with a 503 kept and flagged as alive, over TCP too', async () => {
    const busy = await runCli(['probe', 'sip', `127.0.0.1:${kamailio.ports.busy}`, '--count', '2', '--interval', '0.1', '--json']);
    expect(busy.code).toBe(0);
    const parsed = JSON.parse(busy.stdout) as ProbeJson;
    expect(parsed.probes.map((p) => [p.seq, p.ok, p.code])).toEqual([[1, true, 503], [2, true, 503]]);
    expect(parsed.summary).toMatchObject({ sent: 2, received: 2, lossPct: 0 });
    expect(parsed.summary.minMs).toBeLessThanOrEqual(parsed.summary.maxMs ?? 0);
    const text = await runCli(['probe', 'sip', `127.0.0.1:${kamailio.ports.busy}`, '--count', '1']);
    expect(text.stdout).toContain('503 (flagged');
    const tcp = await runCli(['probe', 'sip', `127.0.0.1:${kamailio.ports.ok}`, '--transport', 'tcp', '--count', '2', '--interval', '0.1', '--json']);
    expect((JSON.parse(tcp.stdout) as ProbeJson).probes.every((p) => p.ok && p.code === 200)).toBe(true);
  });

  it('counts a silent port as loss and exits 1', async () => {
    const silent = await freePort();
    const r = await runCli(['probe', 'sip', `127.0.0.1:${silent}`, '--count', '2', '--interval', '0.1', '--deadline', '200', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      probes: [{ seq: 1, ok: false, rttMs: null }, { seq: 2, ok: false, rttMs: null }],
      summary: { sent: 2, received: 0, lossPct: 100, minMs: null, avgMs: null, maxMs: null },
    });
    const tcp = await runCli(['probe', 'tcp', `127.0.0.1:${silent}`, '--count', '1']);
    expect(tcp.code).toBe(1);
    expect(tcp.stdout).toMatch(/seq=1 lost/);
  });

  it('pings with fping on loopback', async () => {
    const r = await runCli(['probe', 'icmp', '127.0.0.1', '--count', '2', '--interval', '0.2', '--json']);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout) as ProbeJson;
    expect(parsed.summary).toMatchObject({ sent: 2, received: 2 });
    expect(parsed.summary.maxMs).toBeLessThan(50);
  });

  it('refuses bad input with exit 2 and names what is wrong, before any probe leaves', async () => {
    const spawned = await runCli(['probe', 'sip', '127.0.0.1:70000']);
    expect(spawned.code).toBe(2);
    expect(spawned.stderr).toMatch(/port must be 1–65535/);
    const cases: [string[], RegExp][] = [
      [['http', '127.0.0.1'], /kind: sip, icmp or tcp/],
      [['sip'], /TARGET/],
      [['sip', '[::1]:0'], /port must be 1–65535/],
      [['sip', '127.0.0.1', '--transport', 'sctp'], /--transport/],
      [['sip', '127.0.0.1', '--count', '0'], /--count/],
      [['sip', '127.0.0.1', '--interval', 'soon'], /--interval must be a number/],
      [['icmp', '127.0.0.1:5060'], /ICMP has no port/],
      [['tcp', '127.0.0.1', '--transport', 'udp'], /--transport is for sip/],
      [['sip', '127.0.0.1;reboot'], /TARGET/],
      [['sip', '127.0.0.1', '--transport', 'tls', '--tls-pin', 'abc'], /--tls-pin/],
    ];
    for (const [args, message] of cases) {
      let out = '';
      let err = '';
      const code = await probeCommand(args, { out: (t) => (out += t), err: (t) => (err += t) });
      expect(code, args.join(' ')).toBe(2);
      expect(err, args.join(' ')).toMatch(message);
      expect(out, args.join(' ')).toBe('');
    }
  });
});
