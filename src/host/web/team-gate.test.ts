import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { hostAllowed, hostPart, originAllowed, viewOf } from './team-gate';

const req = (headers: Record<string, string>, remote = '192.0.2.50') =>
  ({ headers, socket: { remoteAddress: remote } }) as unknown as IncomingMessage;
const tls = { cert: Buffer.from(''), key: Buffer.from(''), certFile: '', keyFile: '' };
const names = ['noc.example', '192.0.2.1'];

describe('team gate', () => {
  it('ignores X-Forwarded-* unless the proxy is trusted', () => {
    const forged = req({ host: 'noc.example:8443', 'x-forwarded-for': '10.9.9.9', 'x-forwarded-host': 'evil.example' });
    expect(viewOf(forged, { trustProxy: false, tls })).toEqual({ host: 'noc.example', proto: 'https', address: '192.0.2.50' });
  });

  it('behind a trusted proxy, takes the address the proxy appended and the name the browser used', () => {
    const proxied = req(
      {
        host: '127.0.0.1:9000',
        'x-forwarded-for': '10.0.0.66, 198.51.100.4',
        'x-forwarded-host': 'NOC.example',
        'x-forwarded-proto': 'https',
      },
      '127.0.0.1',
    );
    expect(viewOf(proxied, { trustProxy: true, tls: null })).toEqual({ host: 'noc.example', proto: 'https', address: '198.51.100.4' });
  });

  it('accepts only the configured names, any port', () => {
    expect(hostPart('[::1]:8443')).toBe('::1');
    expect(hostPart('Noc.Example:443')).toBe('noc.example');
    expect(hostPart('evil.example/x')).toBe('');
    const view = (host: string) => ({ host: hostPart(host), proto: 'https' as const, address: 'x' });
    expect(hostAllowed(view('noc.example:8443'), names)).toBe(true);
    expect(hostAllowed(view('192.0.2.1'), names)).toBe(true);
    expect(hostAllowed(view('rebound.evil.example:8443'), names)).toBe(false);
    expect(hostAllowed(view(''), names)).toBe(false);
  });

  it('refuses another origin, another scheme and a cross-site fetch; lets a client without Origin through', () => {
    const view = { host: 'noc.example', proto: 'https' as const, address: 'x' };
    expect(originAllowed(req({ origin: 'https://noc.example:8443' }), view, names)).toBe(true);
    expect(originAllowed(req({}), view, names)).toBe(true);
    expect(originAllowed(req({ origin: 'https://evil.example' }), view, names)).toBe(false);
    expect(originAllowed(req({ origin: 'http://noc.example:8443' }), view, names)).toBe(false);
    expect(originAllowed(req({ origin: 'null' }), view, names)).toBe(false);
    expect(originAllowed(req({ 'sec-fetch-site': 'cross-site' }), view, names)).toBe(false);
  });
});
