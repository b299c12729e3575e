import { afterEach, describe, expect, it } from 'vitest';
import { makeAlertsBench, T0, type AlertsBench } from '../helpers/alerts-fixtures';

// The alert engine against a real SQLite store: rules with hysteresis, the most specific scope
// winning, flapping reported once, holds, reminders and what survives a restart.

let bench: AlertsBench;
afterEach(() => bench?.close());

const open = (b: AlertsBench) => b.store.alerts.open();
const notices = (b: AlertsBench) => b.store.alerts.waitingNotices().map((n) => `${n.what}:${n.item.subject.label}`);

describe('the default rule: a server down', () => {
  it('raises after three SIP losses in a row, not two, and clears after two answers', () => {
    bench = makeAlertsBench(1);
    const [s] = bench.servers;
    bench.feed(s!, 'sip-udp', null);
    bench.feed(s!, 'sip-udp', null);
    bench.feed(s!, 'icmp', 0.05); // another probe kind does not break the SIP streak
    bench.tick();
    expect(open(bench)).toHaveLength(0);
    bench.feed(s!, 'sip-udp', null);
    bench.tick();
    const [alert] = open(bench);
    expect(alert).toMatchObject({
      kind: 'consecutive-failures',
      state: 'firing',
      severity: 'critical',
      summary: 'SIP: 3 probes lost in a row',
      ruleSource: 'built-in default',
      subjectLabel: 'sw1 (127.0.20.1)',
    });
    expect(notices(bench)).toEqual(['firing:sw1 (127.0.20.1)']);
    bench.feed(s!, 'sip-udp', 0.4);
    bench.tick();
    expect(open(bench)).toHaveLength(1);
    bench.feed(s!, 'sip-udp', 0.4);
    bench.tick();
    expect(open(bench)).toHaveLength(0);
    expect(bench.store.alerts.get(alert!.id)).toMatchObject({ state: 'resolved', resolveNote: 'Recovered: 2 answers in a row.' });
    expect(notices(bench)).toEqual(['firing:sw1 (127.0.20.1)', 'resolved:sw1 (127.0.20.1)']);
  });

  it('the changes waiting to be grouped span from the oldest to the newest; none once batched', () => {
    bench = makeAlertsBench(2);
    const [a, b] = bench.servers;
    expect(bench.store.alerts.waitingSpan()).toBeNull();
    for (let i = 0; i < 3; i += 1) bench.feed(a!, 'sip-udp', null);
    bench.tick();
    bench.now.t += 5_000;
    for (let i = 0; i < 3; i += 1) bench.feed(b!, 'sip-udp', null);
    bench.tick();
    const waiting = bench.store.alerts.waitingNotices();
    expect(waiting).toHaveLength(2);
    expect(bench.store.alerts.waitingSpan()).toEqual({
      oldest: Math.min(...waiting.map((n) => n.at)),
      newest: Math.max(...waiting.map((n) => n.at)),
    });
    expect(bench.store.alerts.waitingSpan()!.newest - bench.store.alerts.waitingSpan()!.oldest).toBeGreaterThanOrEqual(5_000);
    bench.store.alerts.markBatched([waiting[0]!.id], bench.now.t);
    expect(bench.store.alerts.waitingSpan()).toEqual({ oldest: waiting[1]!.at, newest: waiting[1]!.at });
    bench.store.alerts.markBatched([waiting[1]!.id], bench.now.t);
    expect(bench.store.alerts.waitingSpan()).toBeNull();
  });

  it('an interleaved answer breaks the streak: no alert for scattered loss', () => {
    bench = makeAlertsBench(1);
    const [s] = bench.servers;
    for (let i = 0; i < 30; i += 1) bench.feed(s!, 'sip-udp', i % 3 === 2 ? 1 : null);
    bench.tick();
    expect(open(bench)).toHaveLength(0);
  });
});

describe('rules per scope', () => {
  it('the most specific scope wins, value by value', () => {
    bench = makeAlertsBench(2);
    const [s1, s2] = bench.servers;
    bench.store.alertRules.set('latency', 'fleet', null, { enabled: true, threshold: 100 }, T0, 'noc');
    bench.store.alertRules.set('latency', 'cluster', 'core', { threshold: 10 }, T0, 'noc');
    bench.store.alertRules.set('latency', 'server', s1!.id, { raiseAfter: 1, window: 1 }, T0, 'noc');
    bench.engine.rebuild();
    const rule = bench.engine.servers().get(s1!.id)!.rules.get('latency')!;
    expect(rule.params).toMatchObject({ enabled: true, threshold: 10, raiseAfter: 1, window: 1, clearAfter: 3 });
    expect(rule.sources).toMatchObject({
      enabled: { level: 'fleet' },
      threshold: { level: 'cluster', label: 'cluster core-us' },
      raiseAfter: { level: 'server', label: 'server sw1' },
      clearAfter: { level: 'default' },
    });
    bench.feed(s1!, 'sip-udp', 20);
    bench.feed(s2!, 'sip-udp', 20);
    bench.tick();
    expect(open(bench).map((a) => [a.subjectId, a.kind, a.ruleSource])).toEqual([[s1!.id, 'latency', 'server sw1']]);
  });

  it('N of M: three slow answers among five raise, lost probes count neither way', () => {
    bench = makeAlertsBench(1);
    const [s] = bench.servers;
    bench.store.alertRules.set('latency', 'fleet', null, { enabled: true, threshold: 50 }, T0, 'noc');
    bench.engine.rebuild();
    for (const rtt of [60, 10, null, 70, 10, null]) bench.feed(s!, 'sip-udp', rtt);
    bench.tick();
    expect(open(bench).filter((a) => a.kind === 'latency')).toHaveLength(0);
    bench.feed(s!, 'sip-udp', 80);
    bench.tick();
    const latency = open(bench).find((a) => a.kind === 'latency');
    expect(latency?.summary).toBe('SIP latency above 50.0 ms in 3 of the last 5 answers (last 80.0 ms)');
  });

  it('SIP loss: a share of the window reached raises; K answers clear only once below it', () => {
    bench = makeAlertsBench(1);
    const [s] = bench.servers;
    bench.store.alertRules.set('sip-loss', 'fleet', null, { enabled: true, threshold: 30, window: 8, clearAfter: 1 }, T0, 'noc');
    bench.store.alertRules.set('consecutive-failures', 'fleet', null, { enabled: false }, T0, 'noc');
    bench.engine.rebuild();
    for (const rtt of [1, null, 1, 1, null, 1, 1]) bench.feed(s!, 'sip-udp', rtt);
    bench.tick();
    expect(open(bench)).toHaveLength(0);
    bench.feed(s!, 'sip-udp', null);
    bench.tick();
    expect(open(bench)[0]?.summary).toBe('SIP: 3 of the last 8 probes lost (38 %, threshold 30 %)');
    bench.feed(s!, 'sip-udp', 1);
    bench.tick();
    expect(open(bench)).toHaveLength(1); // an answer, but still 3 of 8 lost
    bench.feed(s!, 'sip-udp', 1);
    bench.tick();
    expect(open(bench)).toHaveLength(0);
  });

  it('SIP answer class: 503 is counted apart from the other 5xx', () => {
    bench = makeAlertsBench(1);
    const [s] = bench.servers;
    bench.store.alertRules.set('sip-class', 'fleet', null, { enabled: true, raiseAfter: 2, window: 3 }, T0, 'noc');
    bench.engine.rebuild();
    for (let i = 0; i < 5; i += 1) bench.feed(s!, 'sip-udp', 1, 500);
    bench.tick();
    expect(open(bench)).toHaveLength(0);
    bench.feed(s!, 'sip-udp', 1, 503);
    bench.feed(s!, 'sip-udp', 1, 503);
    bench.tick();
    expect(open(bench)[0]).toMatchObject({ kind: 'sip-class', summary: 'SIP: 2 of the last 3 answers were 503 (last 503)', value: 503 });
  });
});

describe('flapping', () => {
  it('is reported once, stays open while it flaps, and resolves after a steady window', () => {
    bench = makeAlertsBench(1);
    const [s] = bench.servers;
    const cycle = () => {
      for (let i = 0; i < 3; i += 1) bench.feed(s!, 'sip-udp', null);
      bench.tick();
      for (let i = 0; i < 2; i += 1) bench.feed(s!, 'sip-udp', 1);
      bench.tick();
    };
    for (let i = 0; i < 6; i += 1) cycle();
    const all = bench.store.alerts.list({ state: 'all', limit: 100 }).alerts;
    expect(all).toHaveLength(3); // two ordinary alerts, then one that stays open as flapping
    expect(all[0]).toMatchObject({ flapping: true, state: 'firing' });
    expect(notices(bench)).toEqual([
      'firing:sw1 (127.0.20.1)',
      'resolved:sw1 (127.0.20.1)',
      'firing:sw1 (127.0.20.1)',
      'resolved:sw1 (127.0.20.1)',
      'flapping:sw1 (127.0.20.1)',
    ]);
    bench.now.t += 14 * 60_000;
    bench.tick();
    expect(open(bench)).toHaveLength(1);
    bench.now.t += 2 * 60_000;
    bench.tick();
    expect(open(bench)).toHaveLength(0);
    expect(notices(bench).at(-1)).toBe('resolved:sw1 (127.0.20.1)');
  });
});

describe('holds, reminders, acknowledgement', () => {
  it('a server in maintenance fires silently; when the grace ends and it is still down, it alerts', () => {
    bench = makeAlertsBench(1);
    const [s] = bench.servers;
    bench.store.holds.startMaintenance({
      serverId: s!.id,
      alias: 'sw1',
      runId: 'run-1',
      reason: 'Restart Server',
      startsAt: bench.now.t,
      graceMs: 60_000,
      createdBy: 'alice',
    });
    for (let i = 0; i < 5; i += 1) bench.feed(s!, 'sip-udp', null);
    bench.tick();
    expect(open(bench)).toHaveLength(1);
    expect(notices(bench)).toEqual([]);
    bench.store.holds.endRunMaintenance('run-1', bench.now.t);
    bench.now.t += 59_000;
    bench.tick();
    expect(notices(bench)).toEqual([]);
    bench.now.t += 2_000;
    bench.tick();
    expect(notices(bench)).toEqual(['firing:sw1 (127.0.20.1)']);
  });

  it('an alert that fired and recovered inside maintenance tells nobody', () => {
    bench = makeAlertsBench(1);
    const [s] = bench.servers;
    bench.store.holds.addSilence({
      level: 'zone',
      scopeId: 'zone-us',
      scopeLabel: 'zone US-East',
      startsAt: bench.now.t,
      endsAt: bench.now.t + 3_600_000,
      reason: 'carrier work',
      createdBy: 'bob',
    });
    for (let i = 0; i < 3; i += 1) bench.feed(s!, 'sip-udp', null);
    bench.tick();
    for (let i = 0; i < 2; i += 1) bench.feed(s!, 'sip-udp', 1);
    bench.tick();
    expect(bench.store.alerts.list({ state: 'all', limit: 10 }).alerts[0]).toMatchObject({ state: 'resolved', notifiedAt: null });
    expect(notices(bench)).toEqual([]);
  });

  it('reminds while firing and unacknowledged, not after acknowledgement', () => {
    bench = makeAlertsBench(1);
    const [s] = bench.servers;
    for (let i = 0; i < 3; i += 1) bench.feed(s!, 'sip-udp', null);
    bench.tick();
    bench.now.t += 60 * 60_000;
    bench.tick();
    expect(notices(bench)).toEqual(['firing:sw1 (127.0.20.1)', 'reminder:sw1 (127.0.20.1)']);
    const [alert] = open(bench);
    bench.store.transaction(() => bench.engine.book.acknowledge(new Set([alert!.id]), 'carol', 'on it', bench.now.t));
    bench.now.t += 3 * 60 * 60_000;
    bench.tick();
    expect(notices(bench)).toEqual(['firing:sw1 (127.0.20.1)', 'reminder:sw1 (127.0.20.1)', 'acknowledged:sw1 (127.0.20.1)']);
    expect(bench.store.alerts.get(alert!.id)).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'carol', ackNote: 'on it' });
  });
});

describe('restarts and fleet changes', () => {
  it('an open alert survives a restart and resolves from the new samples', () => {
    bench = makeAlertsBench(1);
    const [s] = bench.servers;
    for (let i = 0; i < 3; i += 1) bench.feed(s!, 'sip-udp', null);
    bench.tick();
    bench.engine.stop();
    bench.engine.start();
    for (let i = 0; i < 3; i += 1) bench.feed(s!, 'sip-udp', null);
    bench.tick();
    expect(bench.store.alerts.list({ state: 'all', limit: 10 }).total).toBe(1);
    bench.feed(s!, 'sip-udp', 1);
    bench.feed(s!, 'sip-udp', 1);
    bench.tick();
    expect(open(bench)).toHaveLength(0);
  });

  it('a stopped or deleted server, or a disabled rule, resolves its alerts saying why', () => {
    bench = makeAlertsBench(3);
    const [s1, s2, s3] = bench.servers;
    for (const s of [s1!, s2!, s3!]) for (let i = 0; i < 3; i += 1) bench.feed(s, 'sip-udp', null);
    bench.tick();
    bench.store.servers.update({ ...s1!, adminState: 'stopped' });
    bench.store.servers.delete(s2!.id);
    bench.store.alertRules.set('consecutive-failures', 'server', s3!.id, { enabled: false }, T0, 'noc');
    bench.engine.rebuild();
    const notes = bench.store.alerts.list({ state: 'all', limit: 10 }).alerts.map((a) => [a.subjectId, a.state, a.resolveNote]);
    expect(notes).toEqual(
      expect.arrayContaining([
        [s1!.id, 'resolved', 'Probes paused: the server is stopped or its test period ended.'],
        [s2!.id, 'resolved', 'The server was deleted.'],
        [s3!.id, 'resolved', 'The rule was disabled.'],
      ]),
    );
  });
});

describe('rules checked once a minute', () => {
  it('certificate expiry, pending update and APIBAN sync', () => {
    bench = makeAlertsBench(1, { apibanKey: true });
    const [s] = bench.servers;
    const DAY = 86_400_000;
    bench.store.certificates.insert({
      id: 'c1',
      name: 'sip.example.net',
      subject: 'CN=sip',
      issuer: 'CN=ca',
      serialNumber: '1',
      sans: { dns: ['sip.example.net'], ip: [] },
      notBefore: T0 - DAY,
      notAfter: T0 + 10 * DAY,
      fingerprint256: 'AA',
      chainPem: 'x',
      chainLength: 1,
      hasKey: false,
      importedAt: T0,
    });
    bench.store.certificates.assign(s!.id, 'c1', 'server', ['sip.example.net'], T0);
    bench.store.servers.update({ ...s!, updatePending: true });
    bench.store.apiban.setOutcome(T0, 'failed', 'HTTP 500 from the API');
    bench.engine.rebuild();
    bench.engine.checkPeriodic(bench.now.t);
    bench.tick();
    const kinds = () =>
      open(bench)
        .map((a) => a.kind)
        .sort();
    expect(kinds()).toEqual(['apiban-sync', 'cert-expiry']);
    expect(open(bench).find((a) => a.kind === 'cert-expiry')?.summary).toBe(
      'Certificate sip.example.net expires in 10 days (2026-12-11; warning from 14 days)',
    );
    bench.now.t += 73 * 3_600_000;
    bench.engine.checkPeriodic(bench.now.t);
    expect(kinds()).toEqual(['apiban-sync', 'cert-expiry', 'update-pending']);
    bench.store.apiban.setOutcome(bench.now.t, 'complete', 'ok');
    bench.store.servers.update({ ...s!, updatePending: false });
    bench.engine.rebuild();
    bench.engine.checkPeriodic(bench.now.t);
    expect(kinds()).toEqual(['cert-expiry']);
  });
});
