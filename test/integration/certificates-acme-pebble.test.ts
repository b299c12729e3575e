import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHost, createMemorySecretStore, type HostApp } from '../../src/host/app';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { fetchServedChain } from '../../src/services/certificates/tls-probe';
import { call, draft } from '../helpers/fleet-fixtures';
import { startKamailioTls, type KamailioTls } from '../helpers/kamailio-tls';
import { startPebble, startWebroot, type Pebble } from '../helpers/pebble';
import { fixture as sshFixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { freePort } from '../helpers/free-port';
import { until } from '../helpers/until';

// Certificates requested over ACME from a real ACME server (Debian's pebble) whose validation
// authority really fetches the HTTP-01 answer: Switchyard writes it over SSH under the server's
// webroot, which a real web server (Python's http.server) serves on the port pebble validates.
// DNS-01 goes through a hook program of the operator's, here one that sets TXT records in
// pebble-challtestsrv, pebble's DNS server. The issued certificate is installed on a real
// Kamailio and checked by a TLS handshake for the FQDN.

const DOMAIN = 'sbc1.switchyard.test';
let sshd: Sshd;
let kam: KamailioTls;
let pebble: Pebble;
let web: { stop(): Promise<void> } | null = null;
let webroot: string;
let httpPort: number;
let dir: string;
let app: HostApp;
let serverId: string;
let offset = 0;

const served = async (): Promise<string> => {
  const chain = await fetchServedChain('127.0.0.1', kam.tlsPort, DOMAIN);
  if (!Array.isArray(chain)) throw new Error(chain.error);
  return chain[0]?.fingerprint256 ?? '';
};

beforeAll(async () => {
  sshd = await startSshd({ hostKeys: ['ed25519'] });
  kam = await startKamailioTls(sshd.workDir);
  httpPort = await freePort();
  pebble = await startPebble({ httpPort });
  webroot = path.join(sshd.workDir, 'www');
  mkdirSync(webroot, { mode: 0o777 });
  chmodSync(webroot, 0o777);
  web = await startWebroot(webroot, httpPort);
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-acme-'));
  const data = mkdtempSync(path.join(dir, 'data-'));
  const { keyType, key } = hostPublicKey('ed25519');
  writeFileSync(path.join(data, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${keyType} ${key}\n`);
  const book = defaultRecipeBook();
  if (!book.certificates) throw new Error('the shipped book lost its certificates entry');
  book.certificates.defaults = {
    ...book.certificates.defaults,
    dir: kam.certDir,
    tlsConfig: kam.tlsConfig,
    ctl: `tcp:127.0.0.1:${kam.ctlPort}`,
    webroot,
  };
  writeFileSync(path.join(data, 'recipes.json'), JSON.stringify(book));
  // The DNS-01 hook an operator would write for their DNS provider; this one's provider is challtestsrv.
  const hook = path.join(dir, 'dns-hook');
  writeFileSync(
    hook,
    `#!/bin/sh\nexec python3 - "$@" <<'PY'\nimport json, sys, urllib.request\naction, domain, record, value = sys.argv[1:5]\nbody = {'host': record + '.', 'value': value} if action == 'set' else {'host': record + '.'}\nurllib.request.urlopen(urllib.request.Request('${pebble.dnsManagement}/' + ('set-txt' if action == 'set' else 'clear-txt'), data=json.dumps(body).encode(), method='POST'))\nPY\n`,
  );
  chmodSync(hook, 0o755);
  // Alerts on: the host's background set runs, and with it the daily check and ACME renewal.
  app = openHost({ dataDir: data, clock: () => Date.now() + offset, log: () => {}, alerts: true, secrets: createMemorySecretStore() });
  await call(app, 'acme:save-settings', {
    directoryUrl: pebble.directoryUrl,
    email: 'noc@switchyard.test',
    caPem: pebble.httpsCaPem,
    dnsHook: hook,
  });
  const zone = await call(app, 'fleet:create-zone', { name: 'Lab', description: '' });
  const base = draft(zone.id, { ip: '127.0.0.1', alias: 'lab-sbc1' });
  const server = await call(app, 'fleet:create-server', {
    ...base,
    config: { ...base.config, fqdn: DOMAIN, ports: { ...base.config.ports, tls: kam.tlsPort } },
    ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: sshFixture('user_ed25519'), jumpHost: null },
  });
  serverId = server.id;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await web?.stop();
  await pebble?.stop();
  await kam?.stop();
  await sshd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('ACME against a real pebble', () => {
  let first = '';

  it('requests a certificate for the FQDN with HTTP-01 answered on the server, installs it and sees it served', async () => {
    const result = await call(app, 'acme:request', { serverId, challenge: 'http-01' });
    expect(result, result.message).toMatchObject({ state: 'issued', domain: DOMAIN, challenge: 'http-01' });
    expect(result.renewAt).toBe((result.notAfter ?? 0) - 30 * 86_400_000);
    const cert = (await call(app, 'certs:list', {})).find((c) => c.id === result.certificateId);
    expect(cert?.sans.dns).toEqual([DOMAIN]);
    expect(cert?.chainLength).toBeGreaterThan(1);
    first = cert?.fingerprint256 ?? '';
    expect(await served()).toBe(first);
    const status = await call(app, 'certs:deploy-status', { serverId });
    expect(status.install?.state).toBe('installed');
    expect(status.checks.map((c) => [c.domain, c.outcome])).toEqual([
      [DOMAIN, 'ok'],
      [null, 'ok'],
    ]);
    expect((await call(app, 'acme:settings', {})).accountKeySet).toBe(true);
  }, 90_000);

  it('an ACME server that refuses (nobody answers HTTP-01) is a clear message; nothing is imported or installed', async () => {
    await web?.stop();
    web = null;
    const before = (await call(app, 'certs:list', {})).length;
    // A name never validated before: pebble reuses an account's valid authorization about 1 time
    // in 100 even with PEBBLE_AUTHZREUSE=0 (it reuses unless a draw from 0–99 exceeds the
    // percentage), and a reused one would need no answer at all.
    const result = await call(app, 'acme:request', { serverId, challenge: 'http-01', domain: `refused.${DOMAIN}` });
    expect(result.state).toBe('failed');
    expect(result.message).toMatch(/^refused\.sbc1\.switchyard\.test: The ACME server refused: .*Nothing was imported or installed\.$/s);
    expect((await call(app, 'certs:list', {})).length).toBe(before);
    expect(await served()).toBe(first);
    web = await startWebroot(webroot, httpPort);
  }, 90_000);

  it('DNS-01 through the operator hook, then renewal 30 days before expiry by the background, replacing the old one', async () => {
    const dns = await call(app, 'acme:request', { serverId, challenge: 'dns-01' });
    expect(dns, dns.message).toMatchObject({ state: 'issued', challenge: 'dns-01' });
    const second = (await call(app, 'certs:list', {})).find((c) => c.id === dns.certificateId);
    expect(await served()).toBe(second?.fingerprint256);
    // The first certificate was replaced on the server and, assigned nowhere else, deleted.
    expect((await call(app, 'certs:list', {})).some((c) => c.fingerprint256 === first)).toBe(false);

    // Twenty days before expiry: the background's next pass renews it (same challenge, same name).
    offset = (dns.notAfter ?? 0) - 20 * 86_400_000 - Date.now();
    await app.background.stop();
    void app.background.start();
    const renewed = await until(
      'the renewal',
      async () => {
        const row = (await call(app, 'acme:list', {}))[0];
        return row && row.state === 'issued' && row.certificateId !== dns.certificateId && row.finishedAt !== null ? row : null;
      },
      60_000,
    );
    const third = (await call(app, 'certs:list', {})).find((c) => c.id === renewed.certificateId);
    expect(await served()).toBe(third?.fingerprint256);
    expect((await call(app, 'certs:for-server', { serverId })).assignments.map((a) => a.certificateId)).toEqual([renewed.certificateId]);
  }, 120_000);
});
