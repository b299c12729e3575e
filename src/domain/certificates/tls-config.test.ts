import { describe, expect, it } from 'vitest';
import { buildTlsConfig, defaultServerCertificate, domainClaimClash, type TlsEntry } from './tls-config';

const entry = (id: string, type: 'server' | 'client', domains: string[], dns: string[] = domains): TlsEntry => ({
  certificateId: id,
  name: `cert-${id}`,
  type,
  domains,
  sans: { dns, ip: [] },
  chainFile: `/etc/tls/${id}.pem`,
  keyFile: `/etc/tls/${id}.key`,
});

describe('tls.cfg for a server', () => {
  it('serves each matched domain by SNI, the FQDN certificate by default, client profiles with server_id', () => {
    const cfg = buildTlsConfig({
      serverLabel: 'sbc1 (192.0.2.1)',
      fqdn: 'sbc1.example.net',
      method: 'TLSv1.2+',
      entries: [
        entry('a', 'server', ['test1.com']),
        entry('b', 'server', ['*.test2.com', '192.0.2.1'], ['*.test2.com', 'sbc1.example.net']),
        entry('c', 'client', ['carrier.example']),
      ],
    });
    expect(cfg.defaultCertificateId).toBe('b');
    expect(cfg.text).toContain(
      '[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\ncertificate = /etc/tls/b.pem\nprivate_key = /etc/tls/b.key\n',
    );
    expect(cfg.text).toContain(
      '[server:any]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\ncertificate = /etc/tls/a.pem\nprivate_key = /etc/tls/a.key\nserver_name = test1.com\n',
    );
    expect(cfg.text).toContain('server_name = test2.com\nserver_name_mode = 2\n');
    expect(cfg.text).toContain(
      '[client:any]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\ncertificate = /etc/tls/c.pem\nprivate_key = /etc/tls/c.key\nserver_name = carrier.example\nserver_id = carrier.example\n',
    );
    expect(cfg.text.match(/^\[client:default\]$/gm)).toHaveLength(1);
    expect(cfg.notes).toEqual([
      '192.0.2.1 is an address, and SNI carries names only: clients reaching 192.0.2.1 get the default certificate (cert-b).',
    ]);
  });

  it('refuses a server with no Server certificate, and a domain that would break the file', () => {
    expect(() => buildTlsConfig({ serverLabel: 'sbc1', fqdn: null, method: 'TLSv1.2+', entries: [entry('c', 'client', [])] })).toThrow(
      /No Server certificate is assigned to sbc1/,
    );
    expect(() =>
      buildTlsConfig({ serverLabel: 'sbc1', fqdn: null, method: 'TLSv1.2+', entries: [entry('a', 'server', ['a.com\nprivate_key = /x'])] }),
    ).toThrow(/cannot be written into tls.cfg/);
  });

  it('defaults to the certificate covering the FQDN, else one with no domains, else the first', () => {
    expect(defaultServerCertificate([entry('a', 'server', ['x.com']), entry('b', 'server', [])], null)?.certificateId).toBe('b');
    expect(defaultServerCertificate([entry('a', 'server', ['x.com']), entry('b', 'server', ['y.com'])], 'y.com')?.certificateId).toBe('b');
    expect(defaultServerCertificate([entry('a', 'server', ['x.com'])], 'nothing.com')?.certificateId).toBe('a');
  });
});

describe('two certificates claiming one domain', () => {
  const existing = [{ certificateId: 'a', certificateName: 'one', type: 'server' as const, domains: ['test1.com'] }];
  it('finds the clash for the same type, ignoring case and the certificate itself', () => {
    expect(domainClaimClash(existing, { certificateId: 'b', type: 'server', domains: ['TEST1.com'] })).toEqual({
      domain: 'TEST1.com',
      otherCertificateId: 'a',
      otherName: 'one',
    });
    expect(domainClaimClash(existing, { certificateId: 'a', type: 'server', domains: ['test1.com'] })).toBeNull();
    expect(domainClaimClash(existing, { certificateId: 'b', type: 'client', domains: ['test1.com'] })).toBeNull();
  });
});
