import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isLoopback, parseListen, resolveTeamConfig } from './team-config';

const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-team-config-'));
const cert = path.join(dir, 'host.pem');
const key = path.join(dir, 'host.key');
writeFileSync(cert, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('team configuration', () => {
  it('is off (the loopback host) when nothing asks for it, and refuses team flags without --listen', () => {
    expect(resolveTeamConfig({}, dir)).toBeNull();
    expect(() => resolveTeamConfig({ tlsCert: cert }, dir)).toThrow('need --listen ADDRESS:PORT');
  });

  it('parses IPv4, bracketed IPv6 and refuses names and bad ports, naming the flag', () => {
    expect(parseListen('0.0.0.0:8443')).toEqual({ host: '0.0.0.0', port: 8443 });
    expect(parseListen('[::1]:443')).toEqual({ host: '::1', port: 443 });
    expect(() => parseListen('noc.example:443')).toThrow('"noc.example" is not an IP address');
    expect(() => parseListen('10.0.0.1')).toThrow('--listen must be ADDRESS:PORT');
    expect(() => parseListen('10.0.0.1:70000')).toThrow('not "10.0.0.1:70000"');
    expect(isLoopback('127.0.0.2') && isLoopback('::1') && !isLoopback('10.0.0.1')).toBe(true);
  });

  it('refuses an address off loopback without TLS, and a key without its certificate', () => {
    expect(() => resolveTeamConfig({ listen: '192.0.2.5:8443' }, dir)).toThrow('Refusing to serve 192.0.2.5:8443 without TLS');
    expect(() => resolveTeamConfig({ listen: '127.0.0.1:8443', tlsKey: key }, dir)).toThrow('--tls-cert and --tls-key go together');
    expect(() => resolveTeamConfig({ listen: '192.0.2.5:8443', tlsCert: key, tlsKey: key }, dir)).toThrow('--tls-cert: ');
    expect(() => resolveTeamConfig({ listen: '192.0.2.5:8443', tlsCert: path.join(dir, 'nope.pem'), tlsKey: key }, dir)).toThrow(
      'cannot read',
    );
  });

  it('allows loopback without TLS (behind a reverse proxy) and puts the public names first', () => {
    const config = resolveTeamConfig({ listen: '127.0.0.1:9000', trustProxy: true, names: ['NOC.example'] }, dir)!;
    expect(config).toMatchObject({ host: '127.0.0.1', port: 9000, tls: null, trustProxy: true, loopback: true });
    expect(config.names).toEqual(['noc.example', '127.0.0.1']);
    expect(() => resolveTeamConfig({ listen: '127.0.0.1:9000', names: ['bad name!'] }, dir)).toThrow('--public-name: "bad name!"');
  });

  it('reads team.json in the data folder (paths relative to it), with flags winning', () => {
    const data = mkdtempSync(path.join(dir, 'data-'));
    writeFileSync(
      path.join(data, 'team.json'),
      JSON.stringify({ listen: '192.0.2.5:8443', tlsCert: cert, tlsKey: '../host.key', names: ['noc.example'] }),
    );
    const fromFile = resolveTeamConfig({}, data)!;
    expect(fromFile).toMatchObject({ host: '192.0.2.5', port: 8443 });
    expect(fromFile.tls?.keyFile).toBe(key);
    expect(resolveTeamConfig({ listen: '192.0.2.6:9443' }, data)).toMatchObject({ host: '192.0.2.6', port: 9443 });
    writeFileSync(path.join(data, 'team.json'), JSON.stringify({ listen: '192.0.2.5:8443', tls: true }));
    expect(() => resolveTeamConfig({}, data)).toThrow(/team\.json: .*keys: listen, tlsCert, tlsKey, trustProxy, names/);
    writeFileSync(path.join(data, 'team.json'), '{ not json');
    expect(() => resolveTeamConfig({}, data)).toThrow('is not valid JSON');
  });
});
