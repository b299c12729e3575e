import { afterEach, describe, expect, it } from 'vitest';
import type { StoredAlert } from './alerts-repo';
import { openStore, type Store } from './store';

// How many alerts of a subject started since a time: flapping is decided from it at every raise,
// so it must count exactly its subject (a fleet-wide one has none) among thousands of others.

let store: Store | null = null;
afterEach(() => store?.close());

const T0 = Date.UTC(2026, 11, 3, 3, 0, 0);

function alert(
  kind: StoredAlert['kind'],
  subjectType: StoredAlert['subjectType'],
  subjectId: string | null,
  startedAt: number,
): Omit<StoredAlert, 'id'> {
  return {
    kind,
    subjectType,
    subjectId,
    subjectLabel: subjectId ?? 'fleet',
    serverId: subjectType === 'server' ? subjectId : null,
    ip: null,
    zoneId: null,
    zoneName: null,
    clusterId: null,
    clusterName: null,
    severity: 'warning',
    state: 'resolved',
    flapping: false,
    summary: 'x',
    value: null,
    threshold: null,
    ruleSource: 'built-in default',
    startedAt,
    updatedAt: startedAt,
    acknowledgedAt: null,
    acknowledgedBy: null,
    ackNote: null,
    resolvedAt: startedAt + 1,
    resolveNote: null,
    notifiedAt: null,
    lastNotifiedAt: null,
    notifications: 0,
  };
}

describe('alerts.startsSince', () => {
  it('counts the starts of one subject since a time, a fleet-wide subject (no id) included', () => {
    store = openStore({ file: ':memory:' });
    const repo = store.alerts;
    for (let i = 0; i < 500; i += 1) repo.insert(alert('consecutive-failures', 'server', `srv-${i}`, T0 + i));
    repo.insert(alert('consecutive-failures', 'server', 'srv-7', T0 + 1_000));
    repo.insert(alert('consecutive-failures', 'server', 'srv-7', T0 + 2_000));
    repo.insert(alert('latency', 'server', 'srv-7', T0 + 2_000));
    repo.insert(alert('apiban-sync', 'fleet', null, T0 + 10));
    repo.insert(alert('apiban-sync', 'fleet', null, T0 + 3_000));

    expect(repo.startsSince('consecutive-failures', 'server', 'srv-7', T0)).toBe(3);
    expect(repo.startsSince('consecutive-failures', 'server', 'srv-7', T0 + 8)).toBe(2);
    expect(repo.startsSince('consecutive-failures', 'server', 'srv-7', T0 + 2_001)).toBe(0);
    expect(repo.startsSince('latency', 'server', 'srv-7', T0)).toBe(1);
    expect(repo.startsSince('consecutive-failures', 'server', 'srv-499', T0)).toBe(1);
    expect(repo.startsSince('consecutive-failures', 'server', 'srv-500', T0)).toBe(0);
    expect(repo.startsSince('apiban-sync', 'fleet', null, T0)).toBe(2);
    expect(repo.startsSince('apiban-sync', 'fleet', null, T0 + 11)).toBe(1);
    // A server subject is never counted as the fleet's, nor the fleet's as a server's.
    expect(repo.startsSince('consecutive-failures', 'server', null, T0)).toBe(0);
    expect(repo.startsSince('apiban-sync', 'fleet', 'srv-7', T0)).toBe(0);
  });
});
