import { afterEach, describe, expect, it } from 'vitest';
import type { DomainCheck } from '../../src/contract/cert-deploy-methods';
import { makeAlertsBench, T0, type AlertsBench } from '../helpers/alerts-fixtures';

// The "Certificate served wrong" rule reads the last TLS handshake check of each server (stored by
// the certificate checks) once a minute: raised while a domain is served wrong, cleared when a
// check finds every domain right.

let bench: AlertsBench | null = null;
afterEach(() => {
  bench?.close();
  bench = null;
});

const check = (serverId: string, domain: string, outcome: DomainCheck['outcome'], message: string): DomainCheck => ({
  serverId,
  domain,
  certificateId: null,
  expectedName: domain,
  expectedFingerprint: 'AA',
  servedFingerprint: outcome === 'ok' ? 'AA' : 'BB',
  servedSubject: 'CN=x',
  outcome,
  message,
  checkedAt: T0,
});

describe('certificate served wrong', () => {
  it('raises naming server, domain and the fingerprint served, and clears when all are right', () => {
    bench = makeAlertsBench(1);
    const [s] = bench.servers;
    const message = 'us-east-sw1 (127.0.10.11:5061) for test2.com serves CN=test1.com (SHA-256 BB), not test2.com (SHA-256 AA).';
    bench.store.certDeploy.replaceChecks(s!.id, [
      check(s!.id, 'test1.com', 'ok', 'fine'),
      check(s!.id, 'test2.com', 'wrong-certificate', message),
    ]);
    bench.engine.rebuild();
    bench.engine.checkPeriodic(bench.now.t);
    const served = () => bench!.store.alerts.open().filter((a) => a.kind === 'cert-served');
    expect(served().map((a) => [a.summary, a.value, a.severity])).toEqual([[message, 1, 'warning']]);

    bench.store.certDeploy.replaceChecks(s!.id, [check(s!.id, 'test1.com', 'ok', 'fine'), check(s!.id, 'test2.com', 'ok', 'fine')]);
    bench.now.t += 60_000;
    bench.engine.checkPeriodic(bench.now.t);
    expect(served()).toEqual([]);
    expect(bench.store.alerts.list({ state: 'all', limit: 10 }).alerts.find((a) => a.kind === 'cert-served')?.resolveNote).toBe(
      'Every checked domain is served its assigned certificate (2).',
    );
  });
});
