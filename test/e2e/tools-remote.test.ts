import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { defaultServerDraft } from '../../src/domain/fleet/defaults';
import { fixture, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { callHost, openSession, type Session } from './fixtures';

// A ping from a fleet server: the server's SSH settings point at a real sshd on loopback, the
// unknown host key is put to the operator in the UI, accepted, and the run streams in.

let sshd: Sshd;
let s: Session;
beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});
beforeEach(async () => {
  s = await openSession();
});
afterEach(async () => {
  await s.close();
});

async function labServer(): Promise<Server> {
  const key = path.join(s.host.dataDir, 'id_test');
  copyFileSync(fixture('user_ed25519'), key);
  chmodSync(key, 0o600);
  const zone = await callHost<{ id: string }>(s.host, 'fleet:create-zone', { name: 'Lab', description: '' });
  const created = await callHost<Server>(s.host, 'fleet:create-server', {
    ...defaultServerDraft(zone.data?.id ?? ''),
    ip: '127.0.0.1',
    alias: 'lab-sw1',
    ssh: { host: '127.0.0.1', port: sshd.port, user: TEST_USER, auth: 'key', keyPath: key, jumpHost: null },
  });
  if (!created.data) throw new Error(created.error?.message);
  return created.data;
}

describe('Tools from a fleet server over SSH', () => {
  test('the host-key prompt appears, is accepted, and the ping from the server runs live', async () => {
    const { page } = s;
    const server = await labServer();
    await s.open(`#/servers/${server.id}/tools`);
    await page.getByTestId('server-tools').waitFor();
    await page.getByLabel('Target').fill('127.0.0.2');
    await page.getByLabel('Count').fill('5');
    await page.getByLabel('Interval s').fill('0.3');
    await page.getByRole('button', { name: 'Run ping' }).click();

    const prompt = page.getByTestId('host-key-prompt');
    await prompt.waitFor();
    expect(await page.getByTestId('host-key-host').textContent()).toBe(`127.0.0.1:${sshd.port}`);
    expect(await page.getByTestId('host-key-fingerprint').textContent()).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    await page.getByRole('button', { name: 'Accept and connect' }).click();
    await prompt.waitFor({ state: 'detached' });

    await page.locator('[data-testid="ping-replies"] tr[data-seq]').first().waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('run-panel').getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    expect(await page.locator('[data-testid="ping-replies"] tr[data-seq]').count()).toBe(5);
    expect(await page.locator('[data-testid="run-panel"] h2').textContent()).toContain('from lab-sw1 (127.0.0.1)');
    expect(readFileSync(path.join(s.host.dataDir, 'known_hosts'), 'utf8')).toContain(`[127.0.0.1]:${sshd.port} `);

    // The Tools page's history has it, named by the server.
    await page.locator('nav.rail a[href="#/tools"]').click();
    await expect.poll(() => page.locator('[data-testid="tool-history"] li', { hasText: 'from lab-sw1' }).count()).toBe(1);
  });
});
