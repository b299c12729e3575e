import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { defaultServerDraft } from '../../src/domain/fleet/defaults';
import { fixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { callHost, openSession, type Session } from './fixtures';

// The Media path tool in Chromium: RTP "servers" are one real sshd listening on 127.0.0.2 (zone
// Bangalore) and 127.0.0.3 (zone New York); the SIP server sw1 is the same sshd on 127.0.0.4 and
// the carrier's end. Each RTP server runs the system's ping to the customer (127.0.0.5) and to
// sw1 over SSH. Without netem every loopback path is about as fast as the next, so the test checks
// that the zones are ranked by what was measured (whichever wins), and that one click sets the
// winner as sw1's media zone, which Server Config then shows.

let sshd: Sshd;
let s: Session;
beforeAll(async () => {
  sshd = await startSshd({ addresses: ['127.0.0.2', '127.0.0.3', '127.0.0.4'], hostKeys: ['ed25519'] });
});
afterAll(async () => {
  await sshd?.stop();
});
beforeEach(async () => {
  s = await openSession({ viewport: { width: 1600, height: 900 } });
});
afterEach(async () => {
  await s.close();
});

async function seed(): Promise<Server> {
  const { keyType, key } = hostPublicKey('ed25519');
  writeFileSync(
    path.join(s.host.dataDir, 'known_hosts'),
    ['127.0.0.2', '127.0.0.3', '127.0.0.4'].map((a) => `[${a}]:${sshd.port} ${keyType} ${key}\n`).join(''),
    { mode: 0o600 },
  );
  const must = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await callHost<T>(s.host, method, input);
    if (!r.ok || r.data === undefined) throw new Error(`${method}: ${r.error?.message}`);
    return r.data;
  };
  const blr = await must<{ id: string }>('fleet:create-zone', { name: 'Bangalore', description: '' });
  const ny = await must<{ id: string }>('fleet:create-zone', { name: 'New York', description: '' });
  await must('fleet:create-rtp', { ip: '127.0.0.2', alias: 'rtp-blr1', zoneId: blr.id });
  await must('fleet:create-rtp', { ip: '127.0.0.3', alias: 'rtp-ny1', zoneId: ny.id });
  await must('media:set-ssh', { port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null });
  return must<Server>('fleet:create-server', {
    ...defaultServerDraft(ny.id),
    ip: '127.0.0.4',
    alias: 'sw1',
    ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
  });
}

describe('Media path', () => {
  test('ranks the media zones by the measured path and sets the best one for the server', async () => {
    const { page } = s;
    const sw1 = await seed();
    await s.open('#/media');
    await page
      .getByTestId('media-rule')
      .getByText(/least latency/)
      .waitFor();

    // Bad input first: named beside its field, nothing measured.
    await page.getByLabel('Customer address').fill(';reboot');
    await page.getByLabel('For server').selectOption(sw1.id);
    await page.getByRole('button', { name: 'Measure media zones' }).click();
    await expect.poll(() => page.locator('#media-customer-error').textContent()).toMatch(/Customer address: /);
    expect(await page.getByTestId('media-ranking').count()).toBe(0);

    await page.getByLabel('Customer address').fill('127.0.0.5');
    await page.getByRole('button', { name: 'Measure media zones' }).click();
    const ranking = page.getByTestId('media-ranking');
    await ranking.waitFor({ timeout: 30_000 });

    const rows = ranking.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect((await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-zone')))).sort()).toEqual(['Bangalore', 'New York']);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-rank')))).toEqual(['1', '2']);
    // Rows are in the order of the media path figure shown (round trip customer → media → carrier).
    const paths = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.children[5]?.textContent)));
    expect(paths.every((p) => Number.isFinite(p) && p > 0)).toBe(true);
    expect(paths[0]).toBeLessThanOrEqual(paths[1] ?? 0);
    expect(await page.getByTestId('media-verdict').textContent()).toMatch(
      /^(Bangalore|New York) adds (no measurable latency to|nothing to|.* ms round trip to) the direct path/,
    );
    expect(await ranking.textContent()).toContain('Measured from sw1 (127.0.0.4) to the customer.');

    // One click sets the best zone as sw1's media zone.
    const best = (await rows.first().getAttribute('data-zone')) ?? '';
    await rows.first().getByRole('button', { name: 'Use this zone for sw1' }).click();
    await rows.first().getByTestId('chosen-zone').waitFor();
    const zones = await callHost<{ serverId: string; zoneId: string | null }[]>(s.host, 'media:zones', {});
    const named = await callHost<{ id: string; name: string }[]>(s.host, 'fleet:list-zones', {});
    expect(named.data?.find((z) => z.id === zones.data?.[0]?.zoneId)?.name).toBe(best);

    // Server Config shows it (reached in the same page, as an operator would from the link).
    await page.evaluate((hash) => void (location.hash = hash), `#/servers/${sw1.id}/config`);
    const select = page.getByLabel('Media zone');
    await expect.poll(async () => (await select.locator('option:checked').textContent())?.trim()).toBe(best);
  }, 40_000);
});
