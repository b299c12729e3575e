import { statSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDeploy } from '../../src/contract/cert-deploy-methods';
import type { HostApp } from '../../src/host/app';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { fetchServedChain } from '../../src/services/certificates/tls-probe';
import { runCli } from '../helpers/cli';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { startKamailioTls, type KamailioTls } from '../helpers/kamailio-tls';
import { fixture as sshFixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { makeTestCa, type TestCa } from '../helpers/test-certs';
import { makeChainCa } from '../helpers/test-cert-chain';
import { until } from '../helpers/until';

// Certificates installed on a real Kamailio (tls module) through the real test sshd with the
// shipped `certificates` recipe — only its paths and control socket point into the test's folders —
// and checked by real TLS handshakes per SNI name. Nothing here is a stand-in.

let sshd: Sshd;
let kam: KamailioTls;
let dir: string;
let ca: TestCa;
let app: HostApp;
let serverId: string;

const fp = async (sni: string | null): Promise<string> => {
  const chain = await fetchServedChain('127.0.0.1', kam.tlsPort, sni);
  if (!Array.isArray(chain)) throw new Error(chain.error);
  return chain[0]?.fingerprint256 ?? '';
};

async function importCert(pem: string, keyPem: string): Promise<{ id: string; fingerprint256: string; name: string }> {
  return call(app, 'certs:import', { pem, keyPem });
}

async function settled(): Promise<ServerDeploy> {
  return until(
    'the install and its check to end',
    async () => {
      const status = await call(app, 'certs:deploy-status', { serverId });
      return !status.running && status.install?.state !== 'running' ? status : null;
    },
    30_000,
  );
}

beforeAll(async () => {
  sshd = await startSshd({ hostKeys: ['ed25519'] });
  kam = await startKamailioTls(sshd.workDir);
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-certs-kam-'));
  ca = makeTestCa(mkdtempSync(path.join(dir, 'ca-')));
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
    webroot: path.join(sshd.workDir, 'www'),
  };
  writeFileSync(path.join(data, 'recipes.json'), JSON.stringify(book));
  app = openTestHost(data, Date.now);
  const zone = await call(app, 'fleet:create-zone', { name: 'Lab', description: '' });
  const base = draft(zone.id, { ip: '127.0.0.1', alias: 'lab-sbc1' });
  const server = await call(app, 'fleet:create-server', {
    ...base,
    config: { ...base.config, fqdn: 'test1.com', ports: { ...base.config.ports, tls: kam.tlsPort } },
    ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: sshFixture('user_ed25519'), jumpHost: null },
  });
  serverId = server.id;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await kam?.stop();
  await sshd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('certificates installed on a real Kamailio over SSH', () => {
  let one: { id: string; fingerprint256: string; name: string };
  let two: { id: string; fingerprint256: string; name: string };

  it('serves test1.com and test2.com each its own certificate by SNI; other names get the default', async () => {
    expect(await fp('test1.com')).toBe(kam.bootstrapFingerprint);
    const leaf1 = ca.leaf({ name: 'one', cn: 'test1.com', sans: ['DNS:test1.com'], toDays: 90 });
    const leaf2 = ca.leaf({ name: 'two', cn: 'test2.com', sans: ['DNS:test2.com'], toDays: 90 });
    one = await importCert(leaf1.certPem, leaf1.keyPem);
    two = await importCert(leaf2.certPem, leaf2.keyPem);
    await call(app, 'certs:assign', { serverId, certificateId: one.id, type: 'server', domains: ['test1.com'], install: false });
    await call(app, 'certs:assign', { serverId, certificateId: two.id, type: 'server', domains: ['test2.com'] });
    const status = await settled();
    expect(status.install, `${status.install?.message}\n${kam.logs().slice(-3000)}`).toMatchObject({ state: 'installed' });
    expect(status.install?.message).toContain('without a restart');

    expect(await fp('test1.com')).toBe(one.fingerprint256);
    expect(await fp('test2.com')).toBe(two.fingerprint256);
    // A name no profile matches: Kamailio falls back to [server:default], here the certificate
    // covering the server's FQDN (test1.com); a client sending no SNI name gets the same.
    expect(await fp('test3.com')).toBe(one.fingerprint256);
    expect(await fp(null)).toBe(one.fingerprint256);

    expect(status.checks.map((c) => [c.domain, c.outcome, c.servedFingerprint])).toEqual([
      ['test1.com', 'ok', one.fingerprint256],
      ['test2.com', 'ok', two.fingerprint256],
      [null, 'ok', one.fingerprint256],
    ]);

    // What landed on the server: the key 0600, tls.cfg with one SNI profile per domain.
    expect(statSync(path.join(kam.certDir, `${one.id}.key`)).mode & 0o777).toBe(0o600);
    const cfg = readFileSync(kam.tlsConfig, 'utf8');
    expect(cfg).toContain('[server:default]');
    expect(cfg.match(/^server_name = /gm)).toHaveLength(2);
    expect(cfg).toContain('server_name = test2.com');
    expect(cfg).not.toContain('BEGIN');
  }, 60_000);

  it('refuses a second certificate claiming test1.com on the same server, naming both', async () => {
    const leaf = ca.leaf({ name: 'three', cn: 'other.test1.com', sans: ['DNS:test1.com', 'DNS:x.test1.com'], toDays: 90 });
    const three = await importCert(leaf.certPem, leaf.keyPem);
    const refused = await call(app, 'certs:assign', {
      serverId,
      certificateId: three.id,
      type: 'server',
      domains: ['x.test1.com', 'test1.com'],
    }).catch((e: { error: { code: string; message: string } }) => e.error);
    expect(refused).toMatchObject({ code: 'conflict' });
    expect((refused as { message: string }).message).toContain(
      'test1.com is already matched on lab-sbc1 by test1.com; other.test1.com cannot claim it',
    );
    expect((await call(app, 'certs:for-server', { serverId })).assignments).toHaveLength(2);
  });

  it('reloads without dropping the listener: an open TLS connection keeps answering, a new handshake gets the new certificate', async () => {
    const socket = tls.connect({ host: '127.0.0.1', port: kam.tlsPort, servername: 'test2.com', rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', () => resolve()).once('error', reject));
    const answers: string[] = [];
    socket.on('data', (d: Buffer) => answers.push(d.toString()));
    const options = (n: number): string =>
      [
        `OPTIONS sip:test2.com SIP/2.0`,
        `Via: SIP/2.0/TLS 127.0.0.1:5099;branch=z9hG4bKkeep${n}`,
        'Max-Forwards: 70',
        'From: <sip:t@test2.com>;tag=1',
        'To: <sip:test2.com>',
        `Call-ID: keep-${n}`,
        `CSeq: ${n} OPTIONS`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    socket.write(options(1));
    await until('the first answer on the open connection', () => answers.join('').includes('SIP/2.0 200'));

    const leaf = ca.leaf({ name: 'two-b', cn: 'test2.com', sans: ['DNS:test2.com'], toDays: 60 });
    const twoB = await importCert(leaf.certPem, leaf.keyPem);
    await call(app, 'certs:unassign', { serverId, certificateId: two.id, type: 'server', install: false });
    await call(app, 'certs:assign', { serverId, certificateId: twoB.id, type: 'server', domains: ['test2.com'] });
    const status = await settled();
    expect(status.install?.state).toBe('installed');
    expect(await fp('test2.com')).toBe(twoB.fingerprint256);

    socket.write(options(2));
    await until('an answer on the connection opened before the reload', () => (answers.join('').match(/SIP\/2\.0 200/g) ?? []).length >= 2);
    expect(socket.destroyed).toBe(false);
    socket.destroy();
    // The unassigned certificate's files are gone from the server.
    expect(() => statSync(path.join(kam.certDir, `${two.id}.key`))).toThrow();
    two = twoB;
  }, 60_000);

  it('a reload Kamailio refuses puts the previous files back and says so; the old certificates stay served', async () => {
    const before = readFileSync(kam.tlsConfig, 'utf8');
    const bookFile = path.join(path.dirname(app.store.file), 'recipes.json');
    const book = JSON.parse(readFileSync(bookFile, 'utf8')) as ReturnType<typeof defaultRecipeBook>;
    if (!book.certificates) throw new Error('no certificates entry');
    // A TLS method Kamailio does not know: it refuses to load the new tls.cfg.
    book.certificates.defaults.method = 'TLSv9';
    writeFileSync(bookFile, JSON.stringify(book));
    try {
      const status = await call(app, 'certs:install', { serverId });
      expect(status.install?.state).toBe('refused');
      expect(status.install?.message).toMatch(
        /refused the new TLS configuration .*The previous files were put back; Kamailio keeps serving the configuration it had\./,
      );
      expect(readFileSync(kam.tlsConfig, 'utf8')).toBe(before);
      expect(await fp('test1.com')).toBe(one.fingerprint256);
      expect(await fp('test2.com')).toBe(two.fingerprint256);
      expect(status.checks.every((c) => c.outcome === 'ok')).toBe(true);
    } finally {
      book.certificates.defaults.method = 'TLSv1.2+';
      writeFileSync(bookFile, JSON.stringify(book));
    }
  }, 60_000);

  it('finds drift: another certificate served for a domain, an expired one, a missing intermediate', async () => {
    // Someone swaps the two certificates in tls.cfg by hand and reloads.
    const cfg = readFileSync(kam.tlsConfig, 'utf8');
    const swapped = cfg.replaceAll(one.id, 'SWAP').replaceAll(two.id, one.id).replaceAll('SWAP', two.id);
    writeFileSync(kam.tlsConfig, swapped);
    expect(kam.reload()).toContain('reloaded');
    let status = await call(app, 'certs:check', { serverId });
    const wrong = status.checks.find((c) => c.domain === 'test2.com');
    expect(wrong).toMatchObject({ outcome: 'wrong-certificate', servedFingerprint: one.fingerprint256 });
    expect(wrong?.message).toContain(`lab-sbc1 (127.0.0.1:${kam.tlsPort}) for test2.com serves`);
    expect(wrong?.message).toContain(one.fingerprint256);

    // An expired certificate and one whose intermediate the server stops sending.
    const old = ca.leaf({ name: 'old', cn: 'old.test', sans: ['DNS:old.test'], fromDays: -30, toDays: -1 });
    const expired = await importCert(old.certPem, old.keyPem);
    const chained = makeChainCa(mkdtempSync(path.join(dir, 'chain-'))).leaf('chained', ['chained.test']);
    const withChain = await call(app, 'certs:import', { pem: `${chained.certPem}${chained.intermediatePem}`, keyPem: chained.keyPem });
    await call(app, 'certs:assign', { serverId, certificateId: expired.id, type: 'server', domains: ['old.test'], install: false });
    status = await call(app, 'certs:assign', { serverId, certificateId: withChain.id, type: 'server', domains: ['chained.test'] }).then(
      () => settled(),
    );
    expect(status.install?.state).toBe('installed');
    const byDomain = new Map(status.checks.map((c) => [c.domain, c]));
    expect(byDomain.get('test2.com')?.outcome).toBe('ok');
    expect(byDomain.get('chained.test')?.outcome).toBe('ok');
    expect(byDomain.get('old.test')).toMatchObject({ outcome: 'expired', servedFingerprint: expired.fingerprint256 });
    expect(byDomain.get('old.test')?.message).toContain('expired on');

    writeFileSync(path.join(kam.certDir, `${withChain.id}.pem`), chained.certPem);
    expect(kam.reload()).toContain('reloaded');
    status = await call(app, 'certs:check', { serverId });
    const missing = status.checks.find((c) => c.domain === 'chained.test');
    expect(missing).toMatchObject({ outcome: 'missing-intermediate', servedFingerprint: withChain.fingerprint256 });
    expect(missing?.message).toContain('without its intermediate CN=Switchyard Chain Intermediate');

    // The same check from the command line: one line per domain, exit 1 while one is wrong.
    const data = path.dirname(app.store.file);
    const cli = await runCli(['certs', 'check', 'lab-sbc1', '--data', data]);
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stdout).toMatch(/chained\.test\s+missing-intermediate\s+served /);
    expect(cli.stdout).toMatch(/test1\.com\s+ok\s+served /);
    const json = await runCli(['certs', 'status', 'lab-sbc1', '--json', '--data', data]);
    expect((JSON.parse(json.stdout) as ServerDeploy[])[0]?.checks.length).toBe(status.checks.length);
    const install = await runCli(['certs', 'install', 'lab-sbc1', '--data', data]);
    expect(install.code).toBe(2);
    expect(install.stderr).toContain("needs the certificates' private keys: give --secrets-key FILE");
  }, 120_000);

  it('a certificate whose key this console no longer holds is refused before the server is touched', async () => {
    const leaf = ca.leaf({ name: 'nokey', cn: 'nokey.test', sans: ['DNS:nokey.test'], toDays: 90 });
    const nokey = await call(app, 'certs:import', { pem: leaf.certPem });
    const before = readFileSync(kam.tlsConfig, 'utf8');
    await call(app, 'certs:assign', { serverId, certificateId: nokey.id, type: 'server', domains: ['nokey.test'], install: false });
    const status = await call(app, 'certs:install', { serverId });
    expect(status.install).toMatchObject({ state: 'failed', step: 'Preparing' });
    expect(status.install?.message).toContain('The private key of nokey.test is not in this console');
    expect(readFileSync(kam.tlsConfig, 'utf8')).toBe(before);
    await call(app, 'certs:unassign', { serverId, certificateId: nokey.id, type: 'server', install: false });
  }, 30_000);
});
