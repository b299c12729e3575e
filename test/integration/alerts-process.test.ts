import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openHost } from '../../src/host/app';
import { ensureSecretsKey, openKeyFileSecretStore, readSecretsKey } from '../../src/services/secrets/key-file-secret-store';
import { ROOT } from '../e2e/fixtures';
import { runCli } from '../helpers/cli';
import { call, draft } from '../helpers/fleet-fixtures';
import { freePort } from '../helpers/free-port';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { useTempDirs } from '../helpers/temp-dir';
import { until } from '../helpers/until';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

// `switchyard serve` as a service runs it, with no browser attached: it alerts by itself, a
// SIGTERM ends it cleanly with what was not delivered kept for the next start, and a kill -9 in
// the middle of a delivery never records as sent what was not, nor sends twice what was.

const tempDir = useTempDirs();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface Prepared {
  dataDir: string;
  keyFile: string;
}

/** A data folder with one server nobody answers and a webhook channel, its URL under the key file. */
async function prepare(receiver: WebhookReceiver): Promise<Prepared> {
  const dir = tempDir();
  const dataDir = path.join(dir, 'data');
  const keyFile = ensureSecretsKey(path.join(dir, 'etc', 'secrets.key'));
  const secrets = openKeyFileSecretStore({ file: path.join(dataDir, 'secrets.enc.json'), key: readSecretsKey(keyFile) });
  const app = openHost({ dataDir, secrets, log: () => undefined });
  await call(app, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 300 });
  const zone = await call(app, 'fleet:create-zone', { name: 'Loopback', description: '' });
  const silent = await freePort();
  await call(
    app,
    'fleet:create-server',
    draft(zone.id, {
      ip: '127.0.0.1',
      alias: 'quiet',
      config: { ...draft(zone.id).config, ports: { udp: silent, tcp: silent, tls: silent } },
    }),
  );
  const channel = await call(app, 'alerts:save-channel', {
    name: 'hook',
    config: { kind: 'webhook', preset: 'generic', timeoutMs: 60_000 },
    secrets: { url: receiver.url('/hook') },
  });
  await call(app, 'alerts:save-route', { channelId: channel.id, severities: ['critical'] });
  await app.close();
  return { dataDir, keyFile };
}

function deliveries(dataDir: string): { id: number; state: string; attempts: number }[] {
  const db = new Database(path.join(dataDir, 'switchyard.db'), { readonly: true });
  try {
    return db.prepare("SELECT id, state, attempts FROM alert_deliveries WHERE channel_name = 'hook' ORDER BY id").all() as {
      id: number;
      state: string;
      attempts: number;
    }[];
  } finally {
    db.close();
  }
}

async function serve(p: Prepared): Promise<ServeProcess> {
  const proc = await startServe(['--data', p.dataDir, '--secrets-key', p.keyFile]);
  cleanups.push(() => proc.stop(3_000));
  return proc;
}

const deliveryIds = (r: WebhookReceiver) => r.requests.map((q) => q.headers['x-switchyard-delivery']);

describe('serve as a service', () => {
  it('alerts with no browser attached; SIGTERM exits 0 and keeps the undelivered for the next start', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    receiver.answer('hang');
    const p = await prepare(receiver);
    const first = await serve(p);
    await until('the webhook to be called', () => receiver.requests.length > 0, 20_000);
    const id = deliveryIds(receiver)[0];
    const { code, signal } = await first.stop();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(deliveries(p.dataDir)).toEqual([{ id: Number(id), state: 'pending', attempts: 1 }]);

    receiver.answer({ status: 200, body: 'ok' });
    const second = await serve(p);
    await until('the kept delivery to be sent', () => deliveries(p.dataDir)[0]?.state === 'sent', 20_000);
    expect(deliveryIds(receiver).slice(0, 2)).toEqual([id, id]);
    await second.stop();
  }, 90_000);

  it('kill -9 mid-delivery: sent again after the restart, and never again once recorded as sent', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    receiver.answer('hang');
    const p = await prepare(receiver);
    const first = await serve(p);
    await until('the webhook to be called', () => receiver.requests.length > 0, 20_000);
    const id = deliveryIds(receiver)[0];
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    // Killed between sending and hearing back: not recorded as sent.
    expect(deliveries(p.dataDir)).toEqual([{ id: Number(id), state: 'sending', attempts: 1 }]);

    receiver.answer({ status: 200, body: 'ok' });
    const second = await serve(p);
    await until('the delivery to be sent after the restart', () => deliveries(p.dataDir)[0]?.state === 'sent', 20_000);
    second.child.kill('SIGKILL');
    await second.exited;
    const before = receiver.requests.length;
    const third = await serve(p);
    // An observation window, not a wait for something: a resend would come within the first ticks.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(
      deliveryIds(receiver)
        .slice(before)
        .filter((d) => d === id),
    ).toEqual([]);
    expect(deliveries(p.dataDir).find((d) => d.id === Number(id))).toMatchObject({ state: 'sent', attempts: 2 });
    await third.stop();
  }, 90_000);
});

describe('--secrets-key', () => {
  it('refuses a key file other users can read, before anything opens', async () => {
    const dir = tempDir();
    const loose = path.join(dir, 'loose.key');
    writeFileSync(loose, `${'ab'.repeat(32)}\n`);
    chmodSync(loose, 0o644);
    const result = await runCli(['serve', '--data', path.join(dir, 'data'), '--secrets-key', loose]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--secrets-key: ${loose} can be read by other users (mode 644)`);
    expect(existsSync(path.join(dir, 'data', 'switchyard.db'))).toBe(false);
  });
});

describe('the systemd unit', () => {
  const unit = readFileSync(path.join(ROOT, 'resources/systemd/switchyard.service'), 'utf8');

  it('is a unit systemd accepts, for a dedicated user, restarted on failure', () => {
    expect(
      execFileSync('systemd-analyze', ['verify', path.join(ROOT, 'resources/systemd/switchyard.service')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ).toBe('');
    expect(unit).toMatch(/^User=switchyard$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^LoadCredential=secrets-key:/m);
  });

  it('its ExecStart runs as written (with this checkout and a temp folder) and stops cleanly on SIGTERM', async () => {
    const exec = /^ExecStart=(.+)$/m.exec(unit)?.[1] ?? '';
    const [node, script, ...args] = exec.split(/\s+/);
    expect([node, script]).toEqual(['/usr/bin/node', '/opt/switchyard/bin/switchyard.js']);
    const dir = tempDir();
    const credentials = path.join(dir, 'credentials');
    ensureSecretsKey(path.join(credentials, 'secrets-key'));
    // StateDirectory=switchyard: systemd makes /var/lib/switchyard (0700) before the start.
    mkdirSync(path.join(dir, 'state'), { mode: 0o700 });
    const port = await freePort();
    const rewritten = args.map((a) => a.replace('/var/lib/switchyard', path.join(dir, 'state')).replace(/^8470$/, String(port)));
    expect(rewritten.slice(0, 1)).toEqual(['serve']);
    const proc = await startServe(
      rewritten.slice(1).filter((a, i, all) => !(a === '--port' || all[i - 1] === '--port')),
      { CREDENTIALS_DIRECTORY: credentials },
    );
    cleanups.push(() => proc.stop(3_000));
    expect(proc.stderr()).not.toMatch(/memory/i);
    expect(await proc.stop()).toEqual({ code: 0, signal: null });
  }, 60_000);
});
