import { describe, expect, it } from 'vitest';
import { renderDesktop } from './desktop';
import { mixed, oneAlert, sampleBatch, sampleItem, storm, testBatch } from './sample-batches';

describe('desktop notification', () => {
  it('names the one server involved so a click opens it', () => {
    expect(renderDesktop(oneAlert())).toEqual({
      title: 'FIRING 1 — Server down: edge-1',
      body: 'FIRING CRITICAL Server down — edge-1 (zone us-east, cluster edge): SIP: 3 probes lost in a row',
      severity: 'critical',
      serverId: 'edge-1',
      alertIds: [812],
    });
  });

  it('shows the first lines of a storm, its highest open severity and no single server', () => {
    const push = renderDesktop(storm(1000));
    expect(push.body.split('\n')).toHaveLength(4);
    expect(push.body.split('\n')[3]).toBe('…and 997 more');
    expect(push.severity).toBe('critical');
    expect(push.serverId).toBeNull();
    expect(push.alertIds).toHaveLength(1000);
  });

  it('is "resolved" when nothing in it still needs someone', () => {
    const batch = sampleBatch([
      sampleItem({ what: 'resolved', resolvedAt: 1 }),
      sampleItem({ alertId: 2, what: 'acknowledged', severity: 'warning' }),
    ]);
    expect(renderDesktop(batch).severity).toBe('resolved');
    expect(renderDesktop(mixed()).severity).toBe('warning');
  });

  it('points nowhere for a test', () => {
    const push = renderDesktop(testBatch());
    expect(push).toMatchObject({ title: 'Switchyard test message: this channel works', serverId: null, alertIds: [] });
  });
});
