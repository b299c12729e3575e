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
    expect(parsed.probes.map((p) => [p.seq, p.ok, p.code])).toEqual([
      [1, true, 503],
      [2, true, 503],
    ]);
    expect(parsed.summary).toMatchObject({ sent: 2, received: 2, lossPct: 0 });
    expect(parsed.summary.minMs).toBeLessThanOrEqual(parsed.summary.maxMs ?? 0);
    const text = await runCli(['probe', 'sip', `127.0.0.1:${kamailio.ports.busy}`, '--count', '1']);
    expect(text.stdout).toContain('503 (flagged');
    const tcp = await runCli([
      'probe',
      'sip',
      `127.0.0.1:${kamailio.ports.ok}`,
      '--transport',
      'tcp',
      '--count',
      '2',
      '--interval',
      '0.1',
      '--json',
    ]);
    expect((JSON.parse(tcp.stdout) as ProbeJson).probes.every((p) => p.ok && p.code === 200)).toBe(true);
  });

  it('counts a silent port as loss and exits 1', async () => {
    const silent = await freePort();
    const r = await runCli(['probe', 'sip', `127.0.0.1:${silent}`, '--count', '2', '--interval', '0.1', '--deadline', '200', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      probes: [
        { seq: 1, ok: false, rttMs: null },
        { seq: 2, ok: false, rttMs: null },
      ],
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

describe('switchyard probe --nagios', () => {
  const perf = (lossPct: number, t = '100;500') => new RegExp(` \\| rtt=\\d+(\\.\\d+)?ms;${t};0 loss=${lossPct}%;20;60;0;100\\n$`);
  /** The command in this process (the probes still go to the real kamailio and fping); the bin is run once per test. */
  async function nagios(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await probeCommand([...args, '--nagios'], { out: (t) => (stdout += t), err: (t) => (stderr += t) });
    return { code, stdout, stderr };
  }

  it('answers OK, WARNING and CRITICAL from a real kamailio as the thresholds say, one line each', async () => {
    const ok = `127.0.0.1:${kamailio.ports.ok}`;
    const silent = await freePort();
    const quick = ['--count', '2', '--interval', '0.1'];
    // Thresholds far above any loopback round trip, even on a machine loaded many times over.
    const roomy = ['--warning', '5000', '--critical', '10000'];
    const [healthy, busy, slowish, tooSlow, tcp, icmp, dead] = await Promise.all([
      nagios(['sip', ok, ...quick, ...roomy]),
      nagios(['sip', `127.0.0.1:${kamailio.ports.busy}`, ...quick, ...roomy]),
      // Any real round trip exceeds 0 ms: the thresholds, not the server, decide the state.
      nagios(['sip', ok, ...quick, '--warning', '0', '--critical', '60000']),
      nagios(['sip', ok, ...quick, '--warning', '0', '--critical', '0']),
      nagios(['tcp', ok, ...quick, ...roomy]),
      nagios(['icmp', '127.0.0.1', ...quick, ...roomy]),
      nagios(['sip', `127.0.0.1:${silent}`, ...quick, '--deadline', '200']),
    ]);
    expect(healthy.code, healthy.stdout + healthy.stderr).toBe(0);
    expect(healthy.stdout).toMatch(new RegExp(`^SIP OK - ${ok} answered 200 in \\d+(\\.\\d+)? ms${perf(0, '5000;10000').source}`));
    expect(busy.code).toBe(1);
    expect(busy.stdout).toMatch(/^SIP WARNING - 127\.0\.0\.1:\d+ answered 503 in [\d.]+ ms \| rtt=/);
    expect(slowish.code).toBe(1);
    expect(slowish.stdout).toMatch(
      new RegExp(`^SIP WARNING - ${ok} answered 200 in [\\d.]+ ms \\(rtt > 0 ms\\)${perf(0, '0;60000').source}`),
    );
    expect(tooSlow.code).toBe(2);
    expect(tooSlow.stdout).toMatch(/^SIP CRITICAL - .* \(rtt > 0 ms\) \| /);
    expect(tcp.code).toBe(0);
    expect(tcp.stdout).toMatch(new RegExp(`^TCP OK - ${ok} answered in [\\d.]+ ms${perf(0, '5000;10000').source}`));
    expect(icmp.code).toBe(0);
    expect(icmp.stdout).toMatch(/^ICMP OK - 127\.0\.0\.1 answered in [\d.]+ ms \| /);
    expect(dead.code).toBe(2);
    expect(dead.stdout).toBe(
      `SIP CRITICAL - 127.0.0.1:${silent} did not answer 2 probes (100% loss) | rtt=U;100;500;0 loss=100%;20;60;0;100\n`,
    );
    for (const r of [healthy, busy, slowish, tooSlow, tcp, icmp, dead]) {
      expect(r.stdout.split('\n')).toHaveLength(2);
      expect(r.stderr).toBe('');
    }
    // And as Nagios runs it: the real command, its exit code and nothing else on stdout.
    const spawned = await runCli(['probe', 'sip', `127.0.0.1:${kamailio.ports.busy}`, '--count', '1', '--nagios', ...roomy]);
    expect(spawned.code).toBe(1);
    expect(spawned.stdout).toMatch(
      /^SIP WARNING - 127\.0\.0\.1:\d+ answered 503 in [\d.]+ ms \| rtt=[\d.]+ms;5000;10000;0 loss=0%;20;60;0;100\n$/,
    );
  }, 120_000);

  it('makes bad input UNKNOWN (exit 3), one line on stdout naming what is wrong, before any probe leaves', async () => {
    const cases: [string[], RegExp][] = [
      [['sip', '127.0.0.1:70000'], /^SIP UNKNOWN - TARGET "127\.0\.0\.1:70000": the port must be 1–65535\.$/],
      [['sip', '127.0.0.1', '--warning', '600'], /^SIP UNKNOWN - --warning \(600 ms\) must not exceed --critical \(500 ms\)\.$/],
      [['icmp', '127.0.0.1', '--critical-loss', '120'], /^ICMP UNKNOWN - --critical-loss must be 0–100, not 120\.$/],
      [['tcp', '127.0.0.1', '--warning', 'soon'], /^TCP UNKNOWN - --warning must be a number, not "soon"\.$/],
      [['sip', '127.0.0.1', '--bogus'], /^SIP UNKNOWN - .*--bogus/],
      [['http', '127.0.0.1'], /^PROBE UNKNOWN - probe needs a kind: sip, icmp or tcp, not "http"\.$/],
      [['sip', '127.0.0.1', '--json'], /^SIP UNKNOWN - --nagios and --json/],
    ];
    for (const [args, line] of cases) {
      const r = await nagios(args);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stdout.trimEnd(), args.join(' ')).toMatch(line);
      expect(r.stdout.split('\n'), args.join(' ')).toHaveLength(2);
      expect(r.stderr, args.join(' ')).toBe('');
    }
    // Thresholds without --nagios are a plain usage error, exit 2.
    let err = '';
    expect(await probeCommand(['sip', '127.0.0.1', '--warning', '5'], { out: () => undefined, err: (t) => (err += t) })).toBe(2);
    expect(err).toMatch(/--warning is a threshold for --nagios/);
    const spawned = await runCli(['probe', 'sip', '127.0.0.1:0', '--nagios']);
    expect(spawned).toEqual({ code: 3, stdout: 'SIP UNKNOWN - TARGET "127.0.0.1:0": the port must be 1–65535.\n', stderr: '' });
  }, 120_000);
});
