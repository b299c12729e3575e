import { describe, expect, it } from 'vitest';
import { MAX_LISTED_ITEMS } from '../notice';
import { renderGeneric } from './generic';
import { HOSTILE_ALIAS, HOSTILE_SUMMARY, hostile, mixed, oneAlert, storm, testBatch } from './sample-batches';

describe('generic webhook body', () => {
  it('describes one alert with ISO times and the channel', () => {
    const body = renderGeneric(oneAlert());
    expect(body).toMatchObject({
      switchyard: 'alerts',
      version: 1,
      deliveryId: 1234,
      test: false,
      title: 'FIRING 1 — Server down: edge-1',
      createdAt: '2025-03-01T02:59:58.000Z',
      channel: { id: 3, name: 'NOC' },
      counts: { firing: 1, resolved: 0, reminder: 0, flapping: 0, acknowledged: 0 },
      omitted: 0,
    });
    expect(body.alerts).toEqual([
      {
        id: 812,
        what: 'firing',
        kind: 'consecutive-failures',
        kindLabel: 'Server down',
        severity: 'critical',
        subject: { type: 'server', id: 'edge-1', label: 'edge-1' },
        serverId: 'edge-1',
        ip: '203.0.113.10',
        zone: 'us-east',
        cluster: 'edge',
        summary: 'SIP: 3 probes lost in a row',
        value: 3,
        threshold: 3,
        ruleSource: 'fleet default',
        startedAt: '2025-03-01T02:59:41.000Z',
        at: '2025-03-01T02:59:41.000Z',
        resolvedAt: null,
        acknowledgedBy: null,
        ackNote: null,
      },
    ]);
    expect(body.groups).toEqual([
      {
        kind: 'consecutive-failures',
        kindLabel: 'Server down',
        dedupKey: 'switchyard-route-7-consecutive-failures',
        firing: 1,
        acknowledged: 0,
        severity: 'critical',
      },
    ]);
  });

  it('lists at most the maximum from a storm, most urgent first, and counts the rest', () => {
    const body = renderGeneric(storm(1000));
    expect(body.alerts).toHaveLength(MAX_LISTED_ITEMS);
    expect(body.omitted).toBe(1000 - MAX_LISTED_ITEMS);
    expect(body.counts).toEqual({ firing: 900, resolved: 100, reminder: 0, flapping: 0, acknowledged: 0 });
    expect(body.alerts.every((a) => a.what === 'firing' && a.severity === 'critical')).toBe(true);
    expect(JSON.stringify(body).length).toBeLessThan(40_000);
  });

  it('marks a test and carries its made-up alert', () => {
    const body = renderGeneric(testBatch());
    expect(body.test).toBe(true);
    expect(body.title).toBe('Switchyard test message: this channel works');
    expect(body.alerts).toHaveLength(1);
  });

  it('carries resolutions and acknowledgements with who and when', () => {
    const body = renderGeneric(mixed());
    expect(body.counts).toMatchObject({ firing: 1, resolved: 1, acknowledged: 1 });
    expect(body.alerts.map((a) => a.what)).toEqual(['firing', 'acknowledged', 'resolved']);
    expect(body.alerts.find((a) => a.what === 'resolved')?.resolvedAt).toBe('2025-03-01T03:00:41.000Z');
    expect(body.alerts.find((a) => a.what === 'acknowledged')).toMatchObject({ acknowledgedBy: 'maria', ackNote: 'carrier ticket #4471' });
  });

  it('keeps hostile text as data: JSON escapes it, nothing is lost', () => {
    const body = renderGeneric(hostile());
    const parsed = JSON.parse(JSON.stringify(body)) as typeof body;
    expect(parsed.alerts[0]?.subject.label).toBe(HOSTILE_ALIAS);
    expect(parsed.alerts[0]?.summary).toBe(HOSTILE_SUMMARY);
  });
});
