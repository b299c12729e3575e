import { X509Certificate, createHash } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTeamFixture, type TeamFixture } from '../helpers/team-host';
import { createVethNetns, vethUnavailable, type VethNetns } from '../helpers/veth-netns';
import { CHROMIUM_ARGS, ensureRendererBuilt, ROOT } from './fixtures';

// Done-when of team mode: a second machine (a network namespace joined to this one by a veth
// pair) reaches the team host over its own address, signs in and sees the fleet — first with
// curl, then with Chromium running inside that namespace on the real console. The host is the
// team web host over the fake composition root (the transport is under test, not the fleet).

const unavailable = vethUnavailable();
let desk: VethNetns;
let team: TeamFixture;
let browser: Browser | null = null;

beforeAll(async () => {
  if (unavailable !== null) return;
  ensureRendererBuilt();
  desk = createVethNetns();
  team = await startTeamFixture({
    flags: { listen: `${desk.hostAddress}:0` },
    sans: ['DNS:noc.test', `IP:${desk.hostAddress}`],
    staticDir: path.join(ROOT, 'out/renderer'),
  });
  writeFileSync(path.join(team.dir, 'ca.pem'), team.ca);
});
afterAll(async () => {
  await browser?.close();
  await team?.close();
  desk?.remove();
});

describe.skipIf(unavailable !== null)('a second machine on the team host', () => {
  it('signs in with curl from the other namespace and lists the fleet; the audit has its address', async () => {
    const url = `https://${desk.hostAddress}:${team.port}`;
    const jar = path.join(team.dir, 'jar.txt');
    const curl = (...args: string[]) => desk.run(['curl', '-sS', '--max-time', '10', '--cacert', path.join(team.dir, 'ca.pem'), ...args]);
    const signedIn = JSON.parse(
      await curl(
        '-c',
        jar,
        '-H',
        'content-type: application/json',
        '-d',
        JSON.stringify({ name: 'ana', password: PASSWORD }),
        `${url}/api/sign-in`,
      ),
    );
    expect(signedIn).toEqual({ ok: true, data: { account: 'ana', role: 'operator' } });
    const listed = JSON.parse(
      await curl('-b', jar, '-H', 'content-type: application/json', '-d', '{"method":"fleet:list-servers","input":{}}', `${url}/api/call`),
    );
    expect(listed.ok).toBe(true);
    expect(listed.data.map((server: { alias: string }) => server.alias)).toContain('sbc-fra-1');
    expect(team.audit.entries.at(-1)).toMatchObject({ kind: 'sign-in', account: 'ana', address: desk.deskAddress });
    expect(team.callers.at(-1)).toEqual({ account: 'ana', role: 'operator', address: desk.deskAddress });
    // The same port in plain http says what to do instead of hanging.
    const plain = await desk.run(['curl', '-sS', '--max-time', '10', `http://${desk.hostAddress}:${team.port}/`]);
    expect(plain).toContain('speaks HTTPS only');
  });

  it('Chromium inside the other namespace signs in on the sign-in page and sees the fleet', async () => {
    // Playwright talks to Chromium over a pipe, which `ip netns exec` keeps: the browser's network is the desk's.
    const wrapper = path.join(team.dir, 'chromium-in-desk.sh');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${desk.exec.join(' ')} /usr/bin/chromium "$@"\n`);
    chmodSync(wrapper, 0o755);
    // Trust exactly this host's key (as a pinned SPKI), not every certificate.
    const spki = new X509Certificate(readFileSync(path.join(team.dir, 'host.pem'))).publicKey.export({ type: 'spki', format: 'der' });
    const pin = createHash('sha256').update(spki).digest('base64');
    browser = await chromium.launch({ executablePath: wrapper, args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${pin}`] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const failures: string[] = [];
    page.on('response', (r) => void (r.status() >= 400 && failures.push(`${r.status()} ${r.url()}`)));
    await page.goto(`https://${desk.hostAddress}:${team.port}/`);
    await page.getByLabel('Account').fill('vic');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/', { timeout: 20_000 });
    await page.getByText('sbc-fra-1').first().waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="live-indicator"][data-state="open"]').waitFor({ timeout: 20_000 });
    expect(failures).toEqual([]);
    expect(team.audit.entries.filter((entry) => entry.kind === 'sign-in').at(-1)).toMatchObject({
      account: 'vic',
      address: desk.deskAddress,
    });
  });
});
