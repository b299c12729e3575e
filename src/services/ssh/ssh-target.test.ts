import { describe, expect, it } from 'vitest';
import { parseProxyJump, parseSshConfig, resolveTarget } from './ssh-target';

const config = parseSshConfig(
  [
    'Host sip-*',
    '  User ops',
    '  IdentityFile ~/.ssh/sip_ed25519',
    'Host sip-east',
    '  HostName 10.1.0.5',
    '  Port 2200',
    '  ProxyJump bastion.example:2222',
    'Host *',
    '  Port 22',
    '  Match exec "touch /tmp/should-never-run"',
    '',
  ].join('\n'),
);

describe('resolveTarget', () => {
  it('honours HostName, Port, User, IdentityFile and ProxyJump from the ssh config', () => {
    expect(resolveTarget({ id: 's1', host: 'sip-east', auth: 'key' }, config, { homeDir: '/home/op' })).toEqual({
      id: 's1',
      alias: 'sip-east',
      host: '10.1.0.5',
      port: 2200,
      user: 'ops',
      auth: 'key',
      keyPath: '/home/op/.ssh/sip_ed25519',
      jumps: [{ host: 'bastion.example', port: 2222, user: null }],
    });
  });

  it('lets the server record win over the config', () => {
    const r = resolveTarget(
      { id: 's1', host: 'sip-east', port: 22, user: 'root', auth: 'key', keyPath: '/keys/k', jumpHost: 'none' },
      config,
    );
    expect(r).toMatchObject({ host: '10.1.0.5', port: 22, user: 'root', keyPath: '/keys/k', jumps: [] });
  });

  it('works with no config at all', () => {
    expect(resolveTarget({ id: 's1', host: '10.0.0.1', auth: 'password' }, null, { user: 'me' })).toMatchObject({
      host: '10.0.0.1',
      port: 22,
      user: 'me',
      jumps: [],
    });
  });
});

describe('parseProxyJump', () => {
  it('reads user, host, port, IPv6 brackets and chains', () => {
    expect(parseProxyJump('a@j1:2222,j2,[::1]:22')).toEqual([
      { host: 'j1', port: 2222, user: 'a' },
      { host: 'j2', port: null, user: null },
      { host: '::1', port: 22, user: null },
    ]);
    expect(() => parseProxyJump('bad:host:spec')).toThrow(/not \[user@\]host\[:port\]/);
  });
});
