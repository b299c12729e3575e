import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/services/ssh/connect';
import { exec } from '../../src/services/ssh/exec';
import { parseSshConfig } from '../../src/services/ssh/ssh-target';
import { clientSetup, type ClientSetup } from '../helpers/ssh-client';
import { fixture, startSshd, type Sshd } from '../helpers/sshd';

// ~/.ssh/config honoured end to end: an alias resolved to HostName/Port/User/IdentityFile, and
// its ProxyJump reached through a second real sshd with forwardOut, every hop's key verified.

let jump: Sshd;
let target: Sshd;
let client: ClientSetup;

beforeAll(async () => {
  [jump, target] = await Promise.all([
    startSshd({ addresses: ['127.0.0.2'], hostKeys: ['ecdsa'] }),
    startSshd({ addresses: ['127.0.0.3'], hostKeys: ['ed25519'] }),
  ]);
  client = clientSetup('accept');
});
afterAll(async () => {
  await Promise.all([jump?.stop(), target?.stop()]);
  client?.cleanup();
});

describe('ProxyJump through a second sshd', () => {
  it('connects to a config alias through its jump host and verifies both host keys', async () => {
    const config = parseSshConfig(
      [
        'Host sip-target',
        '  HostName 127.0.0.3',
        `  Port ${target.port}`,
        '  User switchyard-test',
        `  IdentityFile ${fixture('user_ed25519')}`,
        '  ProxyJump jumpbox',
        'Host jumpbox',
        '  HostName 127.0.0.2',
        `  Port ${jump.port}`,
        '',
      ].join('\n'),
    );
    const conn = await connect({ id: 'srv-jump', host: 'sip-target', auth: 'key' }, client.options({ sshConfig: config }));
    const result = await exec(conn, ['sh', '-c', 'echo "$SSH_CONNECTION"']);
    conn.close();

    expect(result.code).toBe(0);
    // The third field is the address the target sshd was reached on.
    expect(result.stdout.split(' ')[2]).toBe('127.0.0.3');
    expect(client.prompts.map((p) => `${p.host}:${p.port} ${p.keyType}`)).toEqual([
      `127.0.0.2:${jump.port} ecdsa-sha2-nistp256`,
      `127.0.0.3:${target.port} ssh-ed25519`,
    ]);
    // The jump sshd authenticated us: the session really went through it.
    expect(jump.logs()).toMatch(/Accepted publickey for switchyard-test/);
    expect(target.logs()).toMatch(/Accepted publickey for switchyard-test/);
  });

  it('refuses the whole chain when the jump host key is refused', async () => {
    const refusing = clientSetup('refuse');
    try {
      const error = await connect(
        {
          id: 'srv-jump',
          host: '127.0.0.3',
          port: target.port,
          user: 'switchyard-test',
          auth: 'key',
          keyPath: fixture('user_ed25519'),
          jumpHost: `switchyard-test@127.0.0.2:${jump.port}`,
        },
        refusing.options(),
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'host-key-refused' });
      expect(refusing.prompts.map((p) => p.host)).toEqual(['127.0.0.2']);
    } finally {
      refusing.cleanup();
    }
  });
});
