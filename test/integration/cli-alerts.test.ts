// `switchyard silence` and `switchyard alerts` run as a user would, against a demo fleet in a
// folder of their own; alerts are written straight into the store as the running host would.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert, Silence } from '../../src/contract/alerts';
import type { StoredAlert } from '../../src/services/store/alerts-repo';
import { openStore } from '../../src/services/store/store';
import { main } from '../../src/cli/main';
import { runCli, type CliResult } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const DEMO = path.resolve('resources/demo-fleet.json');
const HOUR = 3_600_000;
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

type Run = (...args: string[]) => Promise<CliResult>;

/** `cli` spawns the binary in the test zone (for what prints times); `run` is the same in process. */
async function demoFleet(): Promise<{ data: string; cli: Run; run: Run }> {
  const data = tempDir();
  expect((await inProcess(['fleet', 'import', DEMO, '--data', data])).code).toBe(0);
  return { data, cli: (...args) => runCli([...args, '--data', data], { env }), run: (...args) => inProcess([...args, '--data', data]) };
}

function alertOn(data: string, alias: string, fields: Partial<StoredAlert>): number {
  const store = openStore({ file: path.join(data, 'switchyard.db') });
  try {
    const server = store.servers.list().find((s) => s.alias === alias);
    if (!server) throw new Error(`no ${alias} in the demo fleet`);
    const at = Date.now() - 10 * 60_000;
    return store.alerts.insert({
      kind: 'consecutive-failures',
      subjectType: 'server',
      subjectId: server.id,
      subjectLabel: `${alias} (${server.ip})`,
      serverId: server.id,
      ip: server.ip,
      zoneId: server.zoneId,
      zoneName: null,
      clusterId: server.clusterId,
      clusterName: null,
      severity: 'critical',
      state: 'firing',
      flapping: false,
      summary: 'SIP: 3 probes lost in a row',
      value: 3,
      threshold: 3,
      ruleSource: 'built-in default',
      startedAt: at,
      updatedAt: at,
      acknowledgedAt: null,
      acknowledgedBy: null,
      ackNote: null,
      resolvedAt: null,
      resolveNote: null,
      notifiedAt: null,
      lastNotifiedAt: null,
      notifications: 0,
      ...fields,
    }).id;
  } finally {
    store.close();
  }
}

/** "2026-05-04T20:00" in Kolkata (UTC+5:30) for a UTC time: what a user there would type. */
const kolkataText = (utc: number): string => new Date(utc + 5.5 * HOUR).toISOString().slice(0, 16);

describe('switchyard silence (CLI)', () => {
  it('silences a server by alias and by IP, a cluster and a zone; lists and ends them', async () => {
    const { cli, run } = await demoFleet();

    const byAlias = await cli('silence', 'us-east-sw1', '--for', '1h', '--reason', 'kernel upgrade');
    expect(byAlias.code, byAlias.stderr).toBe(0);
    expect(byAlias.stdout).toMatch(/Silenced server us-east-sw1\./);
    expect(byAlias.stdout).toMatch(/id\s+1\n/);
    expect(byAlias.stdout).toMatch(/until\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+5:30 \(1h from now\)/);
    expect(byAlias.stdout).toMatch(/reason\s+kernel upgrade/);
    expect(byAlias.stdout).toMatch(/by\s+\S+/);
    expect(byAlias.stdout).toMatch(/times in Asia\/(Kolkata|Calcutta)/);

    const byIp = await run('silence', '127.0.10.12', '--for', '1h30m', '--reason', 'carrier work', '--json');
    expect(byIp.code, byIp.stderr).toBe(0);
    const ipSilence = JSON.parse(byIp.stdout) as Silence;
    expect(ipSilence).toMatchObject({ scope: { level: 'server' }, scopeLabel: 'server us-east-sw2', reason: 'carrier work', active: true });
    expect(ipSilence.endsAt - ipSilence.startsAt).toBe(1.5 * HOUR);

    const cluster = JSON.parse(
      (await run('silence', '--cluster', 'CORE-EU', '--for', '2d', '--reason', 'migration', '--json')).stdout,
    ) as Silence;
    expect(cluster).toMatchObject({ scope: { level: 'cluster' }, scopeLabel: 'cluster core-eu' });

    // A local time without a zone is read in the user's zone.
    const until = Math.ceil(Date.now() / 60_000) * 60_000 + 3 * HOUR;
    const zone = JSON.parse(
      (await cli('silence', '--zone', 'uk-london', '--until', kolkataText(until), '--reason', 'DC move', '--json')).stdout,
    ) as Silence;
    expect(zone).toMatchObject({ scope: { level: 'zone' }, scopeLabel: 'zone UK-London', endsAt: until });

    const listed = await cli('silence', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+STATE\s+SCOPE\s+FROM\s+UNTIL\s+BY\s+REASON/);
    for (const label of ['server us-east-sw1', 'server us-east-sw2', 'cluster core-eu', 'zone UK-London'])
      expect(listed.stdout).toContain(label);
    expect(listed.stdout).toMatch(/4 silence\(s\)/);

    const ended = await cli('silence', 'end', '1');
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toMatch(/Ended silence 1 on server us-east-sw1/);
    const active = JSON.parse((await run('silence', 'list', '--json')).stdout) as Silence[];
    expect(active.map((s) => s.id).sort()).toEqual([2, 3, 4]);
    const all = JSON.parse((await run('silence', 'list', '--all', '--json')).stdout) as Silence[];
    expect(all.find((s) => s.id === 1)).toMatchObject({ active: false, endedAt: expect.any(Number) });

    const again = await run('silence', 'end', '1', '--json');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/ID: Silence 1 has already ended/);
    expect((await run('silence', 'end', '99')).stderr).toMatch(/ID: Silence 99 does not exist/);
  }, 120_000);

  it('refuses bad input with exit 2, naming the flag', async () => {
    const { data, cli } = await demoFleet();
    const cases: [string[], RegExp][] = [
      [['silence', 'us-east-sw1', '--for', '1x', '--reason', 'r'], /--for: "1x" is not a duration/],
      [['silence', 'us-east-sw1', '--for', '1h'], /--reason: is required/],
      [['silence', 'us-east-sw1', '--for', '1h', '--reason', '  '], /--reason: is required/],
      [['silence', 'us-east-sw1', '--reason', 'r'], /--for: is required/],
      [['silence', 'us-east-sw1', '--for', '1h', '--until', '+2h', '--reason', 'r'], /--for and --until/],
      [['silence', 'us-east-sw1', '--until', 'tomorrow', '--reason', 'r'], /--until: "tomorrow" is not a time/],
      [['silence', 'us-east-sw1', '--until', '-1h', '--reason', 'r'], /--until: The end of a silence must be in the future/],
      [['silence', 'foo', '--for', '1h', '--reason', 'r'], /SERVER: no server with alias or IP "foo"/],
      [
        ['silence', '--cluster', 'nope', '--for', '1h', '--reason', 'r'],
        /--cluster: no cluster named "nope" \(clusters: core-eu, core-us\)/,
      ],
      [['silence', '--zone', 'mars', '--for', '1h', '--reason', 'r'], /--zone: no zone named "mars"/],
      [['silence', 'us-east-sw1', '--zone', 'US-East', '--for', '1h', '--reason', 'r'], /one of SERVER, --cluster NAME or --zone NAME/],
      [['silence', 'us-east-sw1', 'extra', '--for', '1h', '--reason', 'r'], /unexpected "extra"/],
      [['silence', 'us-east-sw1', '--for', '1h', '--reason', 'r', '--bogus'], /--bogus/],
      [['silence', 'end', 'abc'], /ID: "abc" is not a silence id/],
      [['silence', 'list', '--for', '1h'], /--for/],
      [['alerts', '--json', '--csv'], /not both/],
      [['alerts', 'extra'], /unexpected "extra"/],
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
    expect(JSON.parse((await inProcess(['silence', 'list', '--all', '--json', '--data', data])).stdout)).toEqual([]);
    const helps = await Promise.all(
      [['silence'], ['silence', 'list'], ['silence', 'end'], ['alerts']].map((command) => inProcess([...command, '--help'])),
    );
    for (const help of helps) {
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage:\n {2}switchyard (silence|alerts)/);
    }
  }, 120_000);
});

describe('switchyard alerts (CLI)', () => {
  it('lists open alerts newest first, shows them held by a silence, and resolved ones with --all', async () => {
    const { data, cli, run } = await demoFleet();
    expect((await run('alerts')).stdout).toBe('No open alerts.\n');
    const older = alertOn(data, 'us-east-sw1', {
      startedAt: Date.now() - 2 * HOUR,
      severity: 'warning',
      state: 'acknowledged',
      summary: 'SIP loss 12% over 20 probes',
    });
    const newer = alertOn(data, 'us-east-sw3', {});
    const resolved = alertOn(data, 'eu-west-sw1', { state: 'resolved', resolvedAt: Date.now() });

    const text = await cli('alerts');
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATE\s+SEVERITY\s+KIND\s+SUBJECT\s+SINCE\s+SUMMARY\s+HELD$/);
    expect(lines[1]).toMatch(
      new RegExp(
        `^${newer}\\s+firing\\s+critical\\s+consecutive-failures\\s+us-east-sw3 \\(127\\.0\\.10\\.13\\)\\s+\\S+ \\S+ UTC\\+5:30\\s+SIP: 3 probes lost in a row$`,
      ),
    );
    expect(lines[2]).toMatch(new RegExp(`^${older}\\s+acknowledged\\s+warning`));
    expect(text.stdout).not.toContain('eu-west-sw1');
    expect(text.stdout).toMatch(/2 alert\(s\); times in Asia/);

    expect((await run('silence', '--cluster', 'core-us', '--for', '1h', '--reason', 'maintenance window')).code).toBe(0);
    const held = await cli('alerts');
    expect(held.stdout.split('\n')[1]).toMatch(/silence until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+5:30$/);
    const asJson = JSON.parse((await cli('alerts', '--json')).stdout) as Alert[];
    expect(asJson.map((a) => a.id)).toEqual([newer, older]);
    expect(asJson[0]?.held).toMatchObject({ kind: 'silence', reason: 'maintenance window' });

    const all = JSON.parse((await run('alerts', '--all', '--json')).stdout) as Alert[];
    expect(all.map((a) => a.id).sort()).toEqual([older, newer, resolved].sort());
    expect(all.find((a) => a.id === resolved)?.held).toBeNull();

    const csv = await cli('alerts', '--csv');
    expect(csv.code).toBe(0);
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/^id,kind,severity,state,/);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain('silence: maintenance window');
  }, 120_000);
});
