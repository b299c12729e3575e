import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, ROOT } from '../e2e/fixtures';
import { BIN, runCli } from '../helpers/cli';
import { draft } from '../helpers/fleet-fixtures';
import { freePort } from '../helpers/free-port';
import { signIn, teamCall, teamEvents } from '../helpers/team-host';
import { until } from '../helpers/until';
import { makeTestCa } from '../helpers/test-certs';

// `switchyard serve` in team mode as a user starts it: the refusals before anything listens, and
// a host configured by team.json in the data folder, signed in to with an account made by
// `switchyard user add` (the real accounts store and its scrypt hashes).

const PASSWORD = 'a long enough password 42';
let dir: string;
let ca: string;

beforeAll(() => {
  ensureRendererBuilt();
  dir = mkdtempSync(path.join(tmpdir(), 'switchyard-team-cli-'));
  const lab = makeTestCa(path.join(dir, 'ca'));
  const leaf = lab.leaf({ name: 'host', cn: 'noc.test', sans: ['DNS:noc.test', 'IP:127.0.0.1'], toDays: 30 });
  writeFileSync(path.join(dir, 'host.pem'), leaf.certPem);
  writeFileSync(path.join(dir, 'host.key'), leaf.keyPem);
  ca = lab.caPem;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('switchyard serve --listen', () => {
  it('refuses an address off loopback without TLS, before opening anything', async () => {
    const data = path.join(dir, 'no-tls');
    const result = await runCli(['serve', '--data', data, '--listen', '0.0.0.0:18443']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Refusing to serve 0.0.0.0:18443 without TLS');
    expect(result.stderr).toContain('--tls-cert FILE and --tls-key FILE');
  });

  it('refuses to start with no account, saying how to make the first', async () => {
    const data = path.join(dir, 'no-account');
    const result = await runCli([
      'serve',
      '--data',
      data,
      '--listen',
      '127.0.0.1:0',
      '--tls-cert',
      path.join(dir, 'host.pem'),
      '--tls-key',
      path.join(dir, 'host.key'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('switchyard user add NAME --role admin');
  });

  it('serves from team.json with accounts made by `user add`: each call runs as its account and role, and every client hears the changes', async () => {
    const data = path.join(dir, 'team');
    for (const [name, role] of [
      ['ana', 'admin'],
      ['olga', 'operator'],
      ['vic', 'viewer'],
    ]) {
      const added = await runCli(['user', 'add', name!, '--role', role!, '--password-stdin', '--data', data], { input: `${PASSWORD}\n` });
      expect(added.code, added.stderr).toBe(0);
    }
    writeFileSync(
      path.join(data, 'team.json'),
      JSON.stringify({
        listen: '127.0.0.1:0',
        tlsCert: path.join(dir, 'host.pem'),
        tlsKey: path.join(dir, 'host.key'),
        names: ['noc.test'],
      }),
    );
    const child = spawn(process.execPath, [BIN, 'serve', '--data', data], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const match = /^Switchyard listening on (https:\/\/\S+)$/.exec(line.trim());
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${stderr}`)));
      });
      const port = Number(new URL(url).port);
      expect(url).toBe(`https://noc.test:${port}/`);
      const cookie = await signIn({ ca, port }, 'ana', PASSWORD);
      const listed = await teamCall({ ca, port }, cookie, 'fleet:list-servers');
      expect(JSON.parse(listed.body).ok).toBe(true);
      const audit = JSON.parse((await teamCall({ ca, port }, cookie, 'audit:list', { kind: 'sign-in' })).body) as {
        data: { entries: { kind: string; account: string; address: string | null }[] };
      };
      expect(audit.data.entries[0]).toMatchObject({ kind: 'sign-in', account: 'ana', address: '127.0.0.1' });

      const fixture = { ca, port };
      const ok = async (cookie: string, method: string, input: unknown = {}) => {
        const reply = JSON.parse((await teamCall(fixture, cookie, method, input)).body) as { ok: boolean; data: never; error?: unknown };
        expect(reply.ok, `${method}: ${JSON.stringify(reply.error)}`).toBe(true);
        return reply.data;
      };
      // The admin sets up a server whose SSH port nobody listens on: a run really starts and fails at connect.
      const zone: { id: string } = await ok(cookie, 'fleet:create-zone', { name: 'EU', description: '' });
      const sshPort = await freePort();
      const server: { id: string } = await ok(
        cookie,
        'fleet:create-server',
        draft(zone.id, { ip: '127.0.0.1', alias: 'sw-team', ssh: { ...draft(zone.id).ssh, port: sshPort } }),
      );

      // A viewer (the wall display) is signed in with the live event socket open.
      const vic = await signIn(fixture, 'vic', PASSWORD);
      const socket = await teamEvents(fixture, { cookie: vic, origin: `https://noc.test:${port}` });
      if (!('opened' in socket)) throw new Error(`the viewer's event socket was refused (${socket.refused})`);
      const heard: { channel?: string; event?: string }[] = [];
      socket.opened.on('message', (raw: Buffer) => heard.push(JSON.parse(raw.toString()) as { channel?: string }));

      // The viewer changes nothing: refused by role, before anything runs.
      for (const [method, input] of [
        ['actions:run', { action: 'restart', serverIds: [server.id], confirmation: '1' }],
        ['alerts:create-silence', { scope: { level: 'fleet' }, for: '30m', reason: 'not mine to set' }],
        ['fleet:delete-servers', { ids: [server.id] }],
      ] as const) {
        const refused = JSON.parse((await teamCall(fixture, vic, method, input)).body) as {
          ok: boolean;
          error: { code: string; message: string };
        };
        expect(refused.ok).toBe(false);
        expect(refused.error.code).toBe('forbidden');
        expect(refused.error.message).toMatch(/^Viewer accounts cannot /);
      }
      const runsBefore: { total: number } = await ok(vic, 'actions:list-runs', {});
      expect(runsBefore.total).toBe(0);
      const refusals: { entries: { kind: string; detail: string }[] } = await ok(vic, 'audit:list', { account: 'vic' });
      expect(refusals.entries.filter((e) => e.kind === 'refused').map((e) => e.detail)).toEqual([
        expect.stringMatching(/^Viewer accounts cannot .*fleet:delete-servers/),
        expect.stringMatching(/^Viewer accounts cannot .*alerts:create-silence/),
        expect.stringMatching(/^Viewer accounts cannot .*actions:run/),
      ]);

      // The operator silences the fleet and runs an action; both are theirs in the audit log and the run.
      const olga = await signIn(fixture, 'olga', PASSWORD);
      const silencedAt = Date.now();
      await ok(olga, 'alerts:create-silence', { scope: { level: 'fleet' }, for: '30m', reason: 'carrier maintenance' });
      await until('the viewer to hear the silence', () => heard.some((m) => JSON.stringify(m).includes('holds')), 5_000);
      const heardWithin = Date.now() - silencedAt;
      expect(heardWithin).toBeLessThan(5_000);
      const run: { id: string; account: string; address: string } = await ok(olga, 'actions:run', {
        action: 'restart',
        serverIds: [server.id],
        confirmation: '1',
      });
      expect(run).toMatchObject({ account: 'olga', address: '127.0.0.1' });
      await until('the run to end', async () => (await ok(vic, 'actions:get-run', { id: run.id }))['status'] !== 'running', 30_000);
      const byOlga: { entries: { kind: string; account: string; address: string | null; detail: string }[] } = await ok(vic, 'audit:list', {
        account: 'olga',
      });
      expect(byOlga.entries.map((e) => e.kind)).toEqual(['action-run', 'silence', 'sign-in']);
      expect(byOlga.entries[0]).toMatchObject({ account: 'olga', address: '127.0.0.1', detail: 'Restart Server on sw-team' });
      // And the operator cannot do an admin's work.
      const adminOnly = JSON.parse((await teamCall(fixture, olga, 'fleet:delete-servers', { ids: [server.id] })).body) as {
        error: { code: string };
      };
      expect(adminOnly.error.code).toBe('forbidden');
      socket.opened.close();
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    // Five CLI starts (three user adds, serve, and its host opening) and a run: generous for a loaded machine.
  }, 180_000);
});
