// `switchyard monitor series|events` run as a user would, over samples and status changes written
// into a demo fleet's store the way the probing host writes them.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Series, StatusEvent } from '../../src/contract/monitoring-methods';
import type { Sample } from '../../src/domain/monitoring/sample';
import { openStore } from '../../src/services/store/store';
import { main } from '../../src/cli/main';
import { runCli, type CliResult } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const DEMO = path.resolve('resources/demo-fleet.json');
const MINUTE = 60_000;
// Half-hour offset, no daylight saving: the printed times prove the local zone is used.
const env = { TZ: 'Asia/Kolkata' };

/**
 * The CLI's own entry in process, output captured: the same code as the binary without the
 * seconds each process start costs, for set-up and the long list of refusals.
 */
async function inProcess(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}
const LOCAL_TIME = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+5:30/;

interface Seeded {
  data: string;
  cli: (...args: string[]) => ReturnType<typeof runCli>;
  /** First sample, 20 minutes ago on a whole minute. */
  t0: number;
  sw1: string;
}

/** Six SIP and six ICMP probes of us-east-sw1 ten seconds apart: the fourth SIP one lost, the last a 503. */
async function seeded(): Promise<Seeded> {
  const data = tempDir();
  expect((await inProcess(['fleet', 'import', DEMO, '--data', data])).code).toBe(0);
  const t0 = Math.floor(Date.now() / MINUTE) * MINUTE - 20 * MINUTE;
  const store = openStore({ file: path.join(data, 'switchyard.db') });
  try {
    const byAlias = (alias: string) => store.servers.list().find((s) => s.alias === alias) ?? expect.fail(`no ${alias}`);
    const sw1 = byAlias('us-east-sw1');
    const lb1 = byAlias('us-east-lb1');
    const samples: Sample[] = [];
    for (let i = 0; i < 6; i += 1) {
      const at = t0 + i * 10_000;
      samples.push(
        i === 3
          ? { serverId: sw1.id, kind: 'sip-udp', at, rttMs: null }
          : { serverId: sw1.id, kind: 'sip-udp', at, rttMs: 1.5 * (i + 1), code: i === 5 ? 503 : 200 },
      );
      samples.push({ serverId: sw1.id, kind: 'icmp', at, rttMs: 0.25 });
    }
    store.samples.insertBatch(samples);
    const event = (server: typeof sw1, at: number, from: string, to: string, reason: string) => ({
      serverId: server.id,
      alias: server.alias,
      ip: server.ip,
      at,
      from,
      to,
      reason,
    });
    store.statusEvents.append([
      event(sw1, t0, 'unknown', 'online', ''),
      event(lb1, t0 + 5_000, 'unknown', 'online', ''),
      event(sw1, t0 + 30_000, 'online', 'degraded', '=SIP UDP: 1 lost, "of 4"'),
    ]);
    return { data, cli: (...args) => runCli([...args, '--data', data], { env }), t0, sw1: sw1.id };
  } finally {
    store.close();
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('switchyard monitor series (CLI)', () => {
  it('prints stored samples as a table, CSV and the contract Series', async () => {
    const { data, cli, t0, sw1 } = await seeded();

    // The default: the last hour, SIP UDP and ICMP.
    const text = await cli('monitor', 'series', 'us-east-sw1');
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^us-east-sw1 \(127\.0\.10\.11\), .* UTC\+5:30 to .* UTC\+5:30: samples, one row per .* step and kind; times in Asia\//,
    );
    expect(lines[2]).toMatch(/^TIME\s+KIND\s+COUNT\s+LOST\s+LOSS %\s+MIN ms\s+MEDIAN ms\s+MAX ms\s+SIP$/);
    const rows = lines.slice(3);
    expect(rows).toHaveLength(12);
    for (const row of rows) expect(row).toMatch(LOCAL_TIME);
    expect(rows.filter((r) => /icmp\s+1\s+0\s+0\.0\s+0\.250\s+0\.250\s+0\.250\s+—$/.test(r))).toHaveLength(6);
    expect(rows[0]).toMatch(/sip-udp\s+1\s+0\s+0\.0\s+1\.50\s+1\.50\s+1\.50\s+200$/);
    expect(rows[6]).toMatch(/sip-udp\s+1\s+1\s+100\.0\s+—\s+—\s+—\s+—$/);
    expect(rows[10]).toMatch(/sip-udp\s+1\s+0\s+0\.0\s+9\.00\s+9\.00\s+9\.00\s+503$/);

    // An explicit range in UTC, one kind, as CSV: one row per point, with a header.
    const from = t0 - MINUTE;
    const to = t0 + 2 * MINUTE;
    const csv = await cli('monitor', 'series', '127.0.10.11', '--kind', 'sip-udp', '--from', iso(from), '--to', iso(to), '--csv');
    expect(csv.code, csv.stderr).toBe(0);
    const csvRows = csv.stdout.trimEnd().split('\r\n');
    expect(csvRows[0]).toBe('time,kind,count,lost,loss_pct,min_ms,median_ms,max_ms,mean_ms,flagged,sip_code');
    expect(csvRows).toHaveLength(7);
    expect(csvRows[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+05:30,sip-udp,1,0,0,1\.5,1\.5,1\.5,1\.5,0,200$/);
    expect(csvRows[4]).toMatch(/,sip-udp,1,1,100,,,,,0,$/);
    expect(csvRows[6]).toMatch(/,sip-udp,1,0,0,9,9,9,9,1,503$/);

    // JSON is exactly what the store answers the console for the same question.
    const json = await inProcess([
      'monitor',
      'series',
      'us-east-sw1',
      '--kind',
      'icmp',
      '--kind',
      'sip-udp,icmp',
      '--from',
      iso(from),
      '--to',
      iso(to),
      '--json',
      '--data',
      data,
    ]);
    expect(json.code, json.stderr).toBe(0);
    const series = JSON.parse(json.stdout) as Series;
    const store = openStore({ file: path.join(data, 'switchyard.db') });
    try {
      expect(series).toEqual(JSON.parse(JSON.stringify(store.samples.series(sw1, ['icmp', 'sip-udp'], from, to, 2_000))));
    } finally {
      store.close();
    }
    expect(Object.keys(series.points).sort()).toEqual(['icmp', 'sip-udp']);
    expect(series.points['sip-udp']?.map((p) => p.lost)).toEqual([0, 0, 0, 1, 0, 0]);

    // Relative times, and a local time with no zone (read in the user's zone, UTC+5:30).
    const local = new Date(t0 + 5.5 * 60 * MINUTE).toISOString().slice(0, 16);
    const relative = JSON.parse((await cli('monitor', 'series', 'us-east-sw1', '--from', local, '--to', '-1m', '--json')).stdout) as Series;
    expect(relative.from).toBe(t0);
    expect(relative.points.icmp).toHaveLength(6);

    const none = await inProcess(['monitor', 'series', 'us-east-sw1', '--kind', 'tcp', '--data', data]);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^us-east-sw1 \(127\.0\.10\.11\): no tcp samples from /);
  }, 120_000);

  it('refuses bad input with exit 2, naming the flag', async () => {
    const { data, cli } = await seeded();
    const cases: [string[], RegExp][] = [
      [['monitor', 'series', 'nope'], /SERVER: no server with alias or IP "nope"/],
      [['monitor', 'series', 'us-east-sw1', '--kind', 'sip'], /--kind: "sip" is not a probe kind/],
      [['monitor', 'series', 'us-east-sw1', '--from', 'yesterday'], /--from: "yesterday" is not a time/],
      [['monitor', 'series', 'us-east-sw1', '--from', '2026-02-30T10:00'], /--from: "2026-02-30T10:00" is not a time/],
      [['monitor', 'series', 'us-east-sw1', '--from', '-10m', '--to', '-20m'], /--to: .* is not after --from/],
      [['monitor', 'series', 'us-east-sw1', '--json', '--csv'], /not both/],
      [['monitor', 'series', 'us-east-sw1', 'extra'], /also got "extra"/],
      [['monitor', 'series', 'us-east-sw1', '--bogus'], /--bogus/],
      [['monitor', 'series'], /needs a SERVER/],
      [['monitor', 'events', '--server', 'nope'], /--server: no server with alias or IP "nope"/],
      [['monitor', 'events', '--limit', 'ten'], /--limit: "ten" is not a whole number/],
      [['monitor', 'events', '--limit', '5000'], /--limit: "5000"/],
      [['monitor', 'events', 'extra'], /takes no arguments/],
      [['monitor', 'nonsense'], /Unknown monitor command "nonsense"/],
      [['monitor'], /monitor needs a command/],
    ];
    for (const [args, message] of cases) {
      const result = await inProcess([...args, '--data', data]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    // And the real binary exits 2 with the same words.
    const [args, message] = cases[0] as [string[], RegExp];
    const spawned = await cli(...args);
    expect(spawned.code).toBe(2);
    expect(spawned.stderr).toMatch(message);
    const helps = await Promise.all(
      [
        ['monitor', '--help'],
        ['monitor', 'series', '--help'],
        ['monitor', 'events', '--help'],
      ].map((args) => inProcess(args)),
    );
    for (const help of helps) {
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage:\n {2}switchyard monitor (series|events)/);
    }
  }, 120_000);
});

describe('switchyard monitor events (CLI)', () => {
  it('prints the status-change log newest first, for one server or all, as text, CSV and JSON', async () => {
    const { data, cli, t0 } = await seeded();

    const text = await cli('monitor', 'events');
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+SERVER\s+IP\s+CHANGE\s+REASON$/);
    expect(lines[1]).toMatch(/UTC\+5:30\s+us-east-sw1\s+127\.0\.10\.11\s+online → degraded\s+=SIP UDP: 1 lost, "of 4"$/);
    expect(lines[2]).toMatch(/us-east-lb1\s+127\.0\.10\.1\s+unknown → online$/);
    expect(lines[3]).toMatch(/us-east-sw1\s+127\.0\.10\.11\s+unknown → online$/);
    expect(lines[4]).toMatch(/^3 status change\(s\), newest first; times in Asia\//);

    const json = JSON.parse(
      (await inProcess(['monitor', 'events', '--server', 'US-EAST-SW1', '--json', '--data', data])).stdout,
    ) as StatusEvent[];
    expect(json.map((e) => [e.at, e.to])).toEqual([
      [t0 + 30_000, 'degraded'],
      [t0, 'online'],
    ]);

    const csv = await cli('monitor', 'events', '--server', '127.0.10.11', '--limit', '1', '--csv');
    expect(csv.code, csv.stderr).toBe(0);
    // The reason is quoted, and defused: a spreadsheet must not run it as a formula.
    expect(csv.stdout).toMatch(
      /^time,server,ip,from,to,reason\r\n\d{4}-\d\d-\d\dT\d\d:\d\d:30\.000\+05:30,us-east-sw1,127\.0\.10\.11,online,degraded,"'=SIP UDP: 1 lost, ""of 4"""\r\n$/,
    );
  }, 120_000);
});
