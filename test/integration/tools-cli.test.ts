import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli';

const PING_FIXTURES = path.resolve('test/fixtures/ping');
const SIP_FIXTURES = path.resolve('test/fixtures/sip/rfc4475');
const SUMMARY_FIELDS = ['sent', 'received', 'lossPct', 'minMs', 'avgMs', 'maxMs', 'stddevMs'];
const HOP_FIELDS = ['hop', 'host', 'lossPct', 'sent', 'lastMs', 'avgMs', 'bestMs', 'worstMs', 'stddevMs'];

describe.concurrent('switchyard ping and mtr (CLI)', () => {
  it('ping 127.0.0.1 --count 2 --json: exit 0 with replies and the documented summary', async () => {
    const result = await runCli(['ping', '127.0.0.1', '--count', '2', '--interval', '0.2', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { replies: { seq: number; rttMs: number }[]; summary: Record<string, unknown> };
    expect(out.replies.map((r) => r.seq)).toEqual([1, 2]);
    expect(Object.keys(out.summary)).toEqual(expect.arrayContaining(SUMMARY_FIELDS));
    expect(out.summary).toMatchObject({ sent: 2, received: 2, lossPct: 0 });
    for (const key of ['minMs', 'avgMs', 'maxMs', 'stddevMs']) expect(out.summary[key]).toBeTypeOf('number');
  });

  it('ping in text mode prints each reply as it comes, then the summary', async () => {
    const result = await runCli(['ping', '127.0.0.2', '--count', '2', '--interval', '0.2']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^seq=1 {2}from 127\.0\.0\.2 {2}ttl=64 {2}time=[\d.]+ ms\nseq=2 /);
    expect(result.stdout).toMatch(/2 sent, 2 received, 0% loss\nrtt min\/avg\/max\/stddev = /);
  });

  it("ping ';rm -rf /' exits 2 with the reason", async () => {
    const result = await runCli(['ping', ';rm -rf /']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/The target ";rm -rf \/" contains ";"/);
  });

  it('bad counts and missing targets are usage errors (exit 2)', async () => {
    expect((await runCli(['ping', '127.0.0.1', '--count', '0'])).code).toBe(2);
    expect((await runCli(['ping', '127.0.0.1', '--count', 'many'])).code).toBe(2);
    expect((await runCli(['mtr'])).code).toBe(2);
    expect((await runCli(['ping', '-f', '127.0.0.1'])).code).toBe(2);
  });

  it('--from a server that is not in the fleet exits 2 and names it', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'switchyard-tools-cli-'));
    try {
      const result = await runCli(['ping', '127.0.0.1', '--from', 'no-such-server', '--data', data]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/No fleet server has the IP or alias "no-such-server"/);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('Ctrl-C cancels a long ping: the replies so far and their summary are printed, exit 1', async () => {
    const child = spawn(process.execPath, [BIN, 'ping', '127.0.0.1', '--count', '1000', '--interval', '0.2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // An impatient user presses Ctrl-C twice: still one clean stop, not a kill.
      if (/^seq=2 /m.test(stdout) && !interrupted) {
        interrupted = true;
        child.kill('SIGINT');
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(stdout).toMatch(/^\d+ sent, \d+ received, 0% loss$/m);
    expect(stdout).toMatch(/\(cancelled\)\n$/);
    expect(stderr).toMatch(/cancelled/);
  });

  it('mtr 127.0.0.1 --count 2 --json: exit 0 with the documented hop fields', async () => {
    const result = await runCli(['mtr', '127.0.0.1', '--count', '2', '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { hops: Record<string, unknown>[] };
    expect(out.hops).toHaveLength(1);
    expect(Object.keys(out.hops[0] ?? {})).toEqual(expect.arrayContaining(HOP_FIELDS));
    expect(out.hops[0]).toMatchObject({ hop: 1, host: '127.0.0.1', sent: 2, lossPct: 0 });
  });

  it('mtr in text mode prints live hop lines, then the table', async () => {
    const result = await runCli(['mtr', '127.0.0.1', '--count', '1']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^hop 1 {2}127\.0\.0\.1 {2}[\d.]+ ms$/m);
    expect(result.stdout).toMatch(/^HOP +HOST +LOSS +SENT +LAST +AVG +BEST +WORST +STDEV$/m);
  });
});

describe.concurrent('switchyard parse (CLI)', () => {
  it('parse auto of a Windows German ping in CP850 gives kind "ping" and its figures', async () => {
    const result = await runCli(['parse', 'auto', path.join(PING_FIXTURES, 'windows-de-ipv6.txt'), '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as {
      kind: string;
      format: string;
      language: string;
      replies: unknown[];
      summary: Record<string, unknown>;
    };
    expect(out).toMatchObject({ kind: 'ping', format: 'windows', language: 'de' });
    expect(out.replies).toHaveLength(4);
    expect(out.summary).toMatchObject({ sent: 4, received: 4, lossPct: 0, minMs: 11, maxMs: 18 });
  });

  it('parse ping prints the same object as `switchyard ping --json`', async () => {
    const result = await runCli(['parse', 'ping', path.join(PING_FIXTURES, 'recorded-linux-c4.txt'), '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(out).not.toHaveProperty('kind');
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['replies', 'summary']));
    expect(Object.keys(out.summary as object)).toEqual(expect.arrayContaining(SUMMARY_FIELDS));
  });

  it('parse mtr of a multi-hop report, from stdin', async () => {
    const text = readFileSync(path.resolve('test/fixtures/mtr/report-multipath-u56e.txt'), 'utf8');
    const result = await runCli(['parse', 'mtr', '-', '--json'], { input: text });
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { hops: { hop: number; host: string | null }[] };
    expect(out.hops.length).toBeGreaterThan(3);
    expect(out.hops.map((h) => h.hop)).toEqual(out.hops.map((_, i) => i + 1));
    expect(out.hops.some((h) => h.host === null)).toBe(true);
  });

  it('parse mtr of an interactive screen copied from a terminal, and parse auto of a flat hop-list JSON', async () => {
    const screen = await runCli(['parse', 'mtr', path.resolve('test/fixtures/mtr/screen-asn-ecmp-waiting.txt'), '--json']);
    expect(screen.code).toBe(0);
    const out = JSON.parse(screen.stdout) as { hops: Record<string, unknown>[] };
    expect(out.hops).toHaveLength(17);
    expect(out.hops[5]).toMatchObject({
      hop: 6,
      host: '74.125.52.232',
      hosts: ['74.125.52.232', '209.85.254.20'],
      lossPct: 88.9,
      sent: 19,
      avgMs: 146.5,
    });
    expect(out.hops[8]).toMatchObject({ hop: 9, sent: 18 });
    expect(out.hops[16]).toMatchObject({ hop: 17, host: null, lossPct: 100 });

    // Written in mtr085's --json layout (its report.c), not recorded output: see the fixtures README.
    const flat =
      '{"source":"box","args":"-j","targets":[{"destination":"192.0.2.80","data":[{"host":"10.0.0.1","hop":1,"up":1,"Loss%":0.0,"Snt":3,"Last":0.4,"Avg":0.5,"Best":0.4,"Wrst":0.7,"StDev":0.1},{"host":"???","hop":2,"up":0,"Loss%":100.0,"Snt":3}]}]}';
    const auto = await runCli(['parse', 'auto', '-', '--json'], { input: flat });
    expect(auto.code).toBe(0);
    expect(JSON.parse(auto.stdout)).toMatchObject({
      kind: 'mtr',
      format: 'json-hops',
      target: '192.0.2.80',
      hops: [
        { hop: 1, host: '10.0.0.1', avgMs: 0.5 },
        { hop: 2, host: null, lossPct: 100 },
      ],
    });
  });

  it('parse auto of an older mtr --json (hop numbers as strings), whole and cut short', async () => {
    const whole = await runCli(['parse', 'auto', path.resolve('test/fixtures/mtr/json-strings-yaru.json'), '--json']);
    expect(whole.code).toBe(0);
    const out = JSON.parse(whole.stdout) as { kind: string; hops: Record<string, unknown>[] };
    expect(out.kind).toBe('mtr');
    expect(out.hops.map((h) => [h.hop, h.host, h.lossPct, h.sent, h.avgMs])).toEqual([
      [1, '190.98.141.22', 0, 10, 2.47],
      [2, 'telecom-italia-et-15-0-17-1-0-grtwaseq5.net.telefonicaglobalsolutions.com', 0, 10, 2.4],
      [3, 'ae9.stoccolma1.sto.seabone.net', 20, 10, 267.74],
    ]);
    expect(Object.keys(out.hops[0] ?? {})).toEqual(expect.arrayContaining(HOP_FIELDS));

    const cut = await runCli(['parse', 'mtr', path.resolve('test/fixtures/mtr/json-strings-asn-cut.json'), '--json']);
    expect(cut.code).toBe(0);
    expect(JSON.parse(cut.stdout)).toMatchObject({ hops: [{ hop: 1, host: 'dns.google', worstMs: 134.47, stddevMs: 35.58 }] });
  });

  it('parse sip of a valid RFC 4475 message, and of one with a problem (still exit 0)', async () => {
    const valid = await runCli(['parse', 'sip', path.join(SIP_FIXTURES, '3.1.1.1-wsinv.sip'), '--json']);
    expect(valid.code).toBe(0);
    const msg = JSON.parse(valid.stdout) as Record<string, unknown>;
    expect(msg).toMatchObject({ kind: 'request', method: 'INVITE', valid: true });
    expect(Object.keys(msg)).toEqual(['kind', 'method', 'uri', 'headers', 'body', 'problems', 'valid']);
    expect((msg.headers as { name: string }[]).map((h) => h.name)).toContain('Call-ID');

    const broken = await runCli(['parse', 'sip', path.join(SIP_FIXTURES, '3.1.2.2-clerr.sip'), '--json']);
    expect(broken.code).toBe(0);
    const out = JSON.parse(broken.stdout) as { valid: boolean; problems: { code: string; severity: string; message: string }[] };
    expect(out.valid).toBe(false);
    expect(out.problems).toContainEqual(expect.objectContaining({ code: 'content-length-mismatch', severity: 'error' }));
  });

  it('parse auto of a SIP message says kind "sip" and keeps request/response as messageKind', async () => {
    const result = await runCli(['parse', 'auto', path.join(SIP_FIXTURES, '3.1.1.13-noreason.sip'), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ kind: 'sip', messageKind: 'response', status: 100 });
  });

  it('parse auto of random text exits 2 with a reason; so does parse ping of an mtr report', async () => {
    const notes = 'Dear support, the calls drop after 32 seconds. Regards, a customer\n';
    const random = await runCli(['parse', 'auto', '-', '--json'], { input: notes });
    expect(random.code).toBe(2);
    expect(random.stdout).toBe('');
    expect(random.stderr).toMatch(/cannot tell what this is: neither ping, mtr nor a SIP message/);

    const wrong = await runCli(['parse', 'ping', path.resolve('test/fixtures/mtr/recorded-report.txt')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/not ping output: it looks like mtr output/);

    const missing = await runCli(['parse', 'auto', path.join(PING_FIXTURES, 'no-such-file.txt')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read/);
    expect((await runCli(['parse', 'xml', '-'], { input: notes })).code).toBe(2);
  });

  it('text mode prints readable tables', async () => {
    const ping = await runCli(['parse', 'auto', path.join(PING_FIXTURES, 'windows-de-ipv6.txt')]);
    expect(ping.stdout).toMatch(/^ping \(windows, de\) to google\.de/);
    expect(ping.stdout).toMatch(/^SEQ +FROM +TTL +TIME MS +NOTE$/m);
    const sip = await runCli(['parse', 'sip', path.join(SIP_FIXTURES, '3.1.2.2-clerr.sip')]);
    expect(sip.stdout).toMatch(/^SIP request: INVITE sip:user@example\.com SIP\/2\.0$/m);
    expect(sip.stdout).toMatch(/content-length-mismatch/);
  });
});
