import { describe, expect, it } from 'vitest';
import { assignmentField, diffCertificates, type PictureCertificate } from './certificate-diff';

const FP_A = 'AA:11';
const FP_B = 'BB:22';
const FP_C = 'CC:33';

function cert(fingerprint256: string, name: string, assignments: PictureCertificate['assignments'] = []): PictureCertificate {
  return { fingerprint256, name, assignments };
}

describe('diffCertificates', () => {
  it('finds nothing between a list and itself', () => {
    const list = [cert(FP_A, 'edge', [{ serverIp: '127.0.10.1', type: 'server', domains: ['sip.example.net'] }])];
    expect(diffCertificates(list, list)).toEqual({ added: [], removed: [], changed: [] });
  });

  it('keys by fingerprint: a renamed certificate is changed, not removed and added', () => {
    const d = diffCertificates([cert(FP_A, 'edge'), cert(FP_B, 'old')], [cert(FP_A, 'edge-2026'), cert(FP_C, 'new')]);
    expect(d.added).toEqual([{ fingerprint: FP_C, label: 'new' }]);
    expect(d.removed).toEqual([{ fingerprint: FP_B, label: 'old' }]);
    expect(d.changed).toEqual([{ fingerprint: FP_A, label: 'edge-2026', fields: [{ field: 'name', old: 'edge', new: 'edge-2026' }] }]);
  });

  it('names each assignment by server IP and use, with its SIP domains as the value', () => {
    const before = cert(FP_A, 'edge', [
      { serverIp: '127.0.10.1', type: 'server', domains: ['b.example.net', 'a.example.net'] },
      { serverIp: '127.0.10.2', type: 'client', domains: [] },
    ]);
    const after = cert(FP_A, 'edge', [
      { serverIp: '127.0.10.1', type: 'server', domains: ['a.example.net'] },
      { serverIp: '127.0.10.1', type: 'client', domains: [] },
    ]);
    const [changed] = diffCertificates([before], [after]).changed;
    expect(changed?.fields).toEqual([
      { field: assignmentField('127.0.10.1', 'client'), old: null, new: '(no SIP domains)' },
      { field: assignmentField('127.0.10.1', 'server'), old: 'a.example.net, b.example.net', new: 'a.example.net' },
      { field: assignmentField('127.0.10.2', 'client'), old: '(no SIP domains)', new: null },
    ]);
  });

  it('does not see a change in the order domains were stored', () => {
    const one = cert(FP_A, 'edge', [{ serverIp: '127.0.10.1', type: 'server', domains: ['x.net', 'y.net'] }]);
    const two = cert(FP_A, 'edge', [{ serverIp: '127.0.10.1', type: 'server', domains: ['y.net', 'x.net'] }]);
    expect(diffCertificates([one], [two]).changed).toEqual([]);
  });
});
