// `switchyard serve --token-file FILE [--metrics]` through the real command: the file is made
// with mode 0600 on the first start and its token is the one the printed URL carries, the same
// token comes back at the next start (what a Prometheus credentials_file and a systemd unit rely
// on), and a file others may read, or one not holding a token, stops the host before it opens.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';
import { bearer, send } from '../helpers/web-client';

const tempDir = useTempDirs();
const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of running.splice(0)) await stop();
});

interface Serving {
  url: URL;
  port: number;
  token: string;
  stop(): Promise<void>;
}

/** Starts `switchyard serve` and resolves once it prints its URL. */
async function serve(args: string[]): Promise<Serving> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  running.push(stop);
  const url = await new Promise<URL>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const match = /^Switchyard listening on (\S+)$/.exec(line.trim());
      if (match?.[1]) resolve(new URL(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before listening:\n${stderr}`)));
  });
  return { url, port: Number(url.port), token: url.searchParams.get('token') ?? '', stop };
}

describe('serve --token-file', () => {
  it('makes the file 0600 on the first start, prints the same URL as ever, and keeps the token across restarts', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'switchyard.token');
    const first = await serve(['--data', path.join(dir, 'data'), '--token-file', file, '--metrics']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = readFileSync(file, 'utf8').trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(first.url.href).toBe(`http://127.0.0.1:${first.port}/?token=${token}`);
    // What Prometheus does with credentials_file: the file's content as a Bearer token.
    const scrape = await send(first.port, { path: '/metrics', headers: bearer(token) });
    expect(scrape.status).toBe(200);
    expect(scrape.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(scrape.body).toMatch(/^switchyard_build_info\{version="[^"]+"\} 1$/m);
    await first.stop();

    const second = await serve(['--data', path.join(dir, 'data'), '--token-file', file, '--metrics']);
    expect(second.token).toBe(token);
    expect((await send(second.port, { path: '/metrics', headers: bearer(token) })).status).toBe(200);
  });

  it('keeps a random token per start without it, and serves no /metrics without --metrics', async () => {
    const dir = tempDir();
    const first = await serve(['--data', dir]);
    expect((await send(first.port, { path: '/metrics', headers: bearer(first.token) })).status).toBe(404);
    await first.stop();
    const second = await serve(['--data', dir]);
    expect(second.token).toMatch(/^[0-9a-f]{64}$/);
    expect(second.token).not.toBe(first.token);
  });

  it('refuses a file others may read, and one not holding a token, before opening anything', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'switchyard.token');
    writeFileSync(file, `${'c'.repeat(64)}\n`);
    chmodSync(file, 0o644);
    const open = await runCli(['serve', '--data', path.join(dir, 'data'), '--port', '0', '--metrics', '--token-file', file]);
    expect(open.code).toBe(2);
    expect(open.stderr).toContain(`The token file ${file} can be read or changed by other users (mode 0644): run \`chmod 600 ${file}\``);
    expect(open.stdout).not.toContain('listening');
    expect(readFileSync(file, 'utf8')).toBe(`${'c'.repeat(64)}\n`);
    expect(() => statSync(path.join(dir, 'data'))).toThrow();

    writeFileSync(file, 'hunter2\n');
    chmodSync(file, 0o600);
    const shape = await runCli(['serve', '--data', path.join(dir, 'data'), '--port', '0', '--token-file', file]);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toContain('does not hold a Switchyard token');
  });

  it('refuses --metrics on a snapshot, which has no live probes', async () => {
    const dir = tempDir();
    const result = await runCli(['serve', '--data', dir, '--metrics', '--snapshot', path.join(dir, 'x.switchyard-snapshot')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--metrics exports the live fleet');
  });
});
