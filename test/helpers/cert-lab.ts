// A lab for the console's certificate screens: a real sshd and a real Kamailio with TLS behind it
// (see kamailio-tls.ts), a test CA with leaves for test1.com and test2.com (and an expired one),
// and a data folder whose known_hosts trusts the sshd and whose recipe book points the shipped
// `certificates` recipe at the lab's paths. `seed` then creates the server through the contract.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { startKamailioTls, type KamailioTls } from './kamailio-tls';
import { fixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from './sshd';
import { makeTestCa, type TestLeaf } from './test-certs';

export interface CertLab {
  sshd: Sshd;
  kam: KamailioTls;
  leaves: { test1: TestLeaf; test2: TestLeaf; expired: TestLeaf };
  /** Writes known_hosts and recipes.json into a data folder before `serve` opens it. */
  prepare(dataDir: string): void;
  /** The server's create input: 127.0.0.1, FQDN test1.com, TLS on the lab Kamailio's port. */
  serverInput(zoneId: string, base: Record<string, unknown> & { config: Record<string, unknown> }): Record<string, unknown>;
  stop(): Promise<void>;
}

export async function startCertLab(): Promise<CertLab> {
  const sshd = await startSshd({ hostKeys: ['ed25519'] });
  const kam = await startKamailioTls(sshd.workDir);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-cert-lab-'));
  const ca = makeTestCa(dir);
  const leaves = {
    test1: ca.leaf({ name: 'test1', cn: 'test1.com', sans: ['DNS:test1.com', 'DNS:sip.test1.com'], toDays: 365 }),
    test2: ca.leaf({ name: 'test2', cn: 'test2.com', sans: ['DNS:test2.com'], toDays: 120 }),
    expired: ca.leaf({ name: 'old', cn: 'old.test3.com', sans: ['DNS:old.test3.com'], fromDays: -400, toDays: -3 }),
  };
  return {
    sshd,
    kam,
    leaves,
    prepare(dataDir) {
      const { keyType, key } = hostPublicKey('ed25519');
      writeFileSync(path.join(dataDir, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${keyType} ${key}\n`);
      const book = defaultRecipeBook();
      if (!book.certificates) throw new Error('the shipped recipe book has no certificates entry');
      book.certificates.defaults = {
        ...book.certificates.defaults,
        dir: kam.certDir,
        tlsConfig: kam.tlsConfig,
        ctl: `tcp:127.0.0.1:${kam.ctlPort}`,
        webroot: path.join(sshd.workDir, 'www'),
      };
      writeFileSync(path.join(dataDir, 'recipes.json'), JSON.stringify(book));
    },
    serverInput(zoneId, base) {
      return {
        ...base,
        ip: '127.0.0.1',
        alias: 'lab-sbc1',
        zoneId,
        config: { ...base.config, webrtcTls: true, fqdn: 'test1.com', ports: { udp: 5060, tcp: 5061, tls: kam.tlsPort } },
        ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
      };
    },
    async stop() {
      await kam.stop();
      await sshd.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
