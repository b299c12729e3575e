import { describe, expect, it } from 'vitest';
import { groupAction, renderPagerDuty } from './pagerduty';
import { hostile, mixed, oneAlert, sampleBatch, sampleItem, storm, testBatch } from './sample-batches';

const KEY = 'R0UT1NGKEY0000000000000000000000';

describe('PagerDuty events', () => {
  it('picks the action from what is still open in the group', () => {
    expect(groupAction({ firing: 2, acknowledged: 1 })).toBe('trigger');
    expect(groupAction({ firing: 0, acknowledged: 1 })).toBe('acknowledge');
    expect(groupAction({ firing: 0, acknowledged: 0 })).toBe('resolve');
  });

  it('triggers one incident per group with a full payload', () => {
    const [event, ...rest] = renderPagerDuty(oneAlert(), KEY);
    expect(rest).toEqual([]);
    expect(event).toEqual({
      routing_key: KEY,
      event_action: 'trigger',
      dedup_key: 'switchyard-route-7-consecutive-failures',
      payload: {
        summary: 'Server down (1 firing): edge-1 — SIP: 3 probes lost in a row',
        source: 'switchyard',
        severity: 'critical',
        timestamp: '2025-03-01T02:59:41.000Z',
        component: 'edge-1',
        group: 'edge',
        class: 'consecutive-failures',
        custom_details: {
          firing: 1,
          acknowledged: 0,
          alerts: [expect.objectContaining({ id: 812, what: 'firing', ip: '203.0.113.10' })],
          omitted: 0,
        },
      },
    });
  });

  it('acknowledges and resolves with the bare event, keyed by the group', () => {
    const batch = sampleBatch([sampleItem({ what: 'acknowledged', acknowledgedBy: 'maria' })]);
    const resolved = sampleBatch([sampleItem({ kind: 'sip-loss', what: 'resolved', resolvedAt: 1 })]);
    expect(renderPagerDuty(batch, KEY)).toEqual([
      { routing_key: KEY, event_action: 'acknowledge', dedup_key: 'switchyard-route-7-consecutive-failures' },
    ]);
    expect(renderPagerDuty(resolved, KEY)).toEqual([
      { routing_key: KEY, event_action: 'resolve', dedup_key: 'switchyard-route-7-sip-loss' },
    ]);
  });

  it('sends the groups in order and describes only each group’s own alerts', () => {
    const events = renderPagerDuty(mixed(), KEY);
    expect(events.map((e) => [e.event_action, e.dedup_key])).toEqual([
      ['acknowledge', 'switchyard-route-7-consecutive-failures'],
      ['trigger', 'switchyard-route-7-cert-expiry'],
    ]);
    const trigger = events[1];
    expect(trigger?.event_action === 'trigger' && trigger.payload).toMatchObject({
      severity: 'warning',
      class: 'cert-expiry',
      custom_details: { alerts: [expect.objectContaining({ id: 3 })] },
    });
  });

  it('keeps a storm readable: summary within 1024 characters, at most 50 alerts in details', () => {
    const events = renderPagerDuty(storm(1000), KEY);
    expect(events).toHaveLength(3);
    for (const e of events) {
      if (e.event_action !== 'trigger') throw new Error('expected triggers');
      expect(e.payload.summary.length).toBeLessThanOrEqual(1024);
      expect(e.payload.custom_details.alerts.length).toBeLessThanOrEqual(50);
      expect(e.payload.component).toBe(`${e.payload.custom_details.alerts.length + e.payload.custom_details.omitted} servers`);
    }
    const first = events[0];
    expect(first?.event_action === 'trigger' && first.payload.summary).toMatch(
      /^Server down \(300 firing\): sbc-0000\.us-east\.example\.net, .*, \+\d+ more$/,
    );
  });

  it('cuts a long summary and keeps hostile text on one line', () => {
    const [event] = renderPagerDuty(sampleBatch([sampleItem({ summary: 'x'.repeat(5_000) })]), KEY);
    expect(event?.event_action === 'trigger' && event.payload.summary.length).toBe(1024);
    const [h] = renderPagerDuty(hostile(), KEY);
    expect(h?.event_action === 'trigger' && h.payload.summary).not.toMatch(/[\r\n]/);
  });

  it('sends a test as a trigger then a resolve under a key of its own', () => {
    const events = renderPagerDuty(testBatch(), KEY);
    expect(events.map((e) => [e.event_action, e.dedup_key])).toEqual([
      ['trigger', 'switchyard-test-55'],
      ['resolve', 'switchyard-test-55'],
    ]);
    expect(events[0]?.event_action === 'trigger' && events[0].payload).toMatchObject({
      severity: 'info',
      class: 'test',
      custom_details: { test: true },
    });
  });

  it('sends nothing for a batch without groups', () => {
    expect(renderPagerDuty(sampleBatch([sampleItem()], { groups: [] }), KEY)).toEqual([]);
  });
});
