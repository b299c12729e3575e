import { describe, expect, it } from 'vitest';
import { SamplesPush } from '../../contract/monitoring-methods';
import { DEFAULT_THRESHOLDS } from '../../domain/monitoring/status';
import type { ProbeKind, Sample } from '../../domain/monitoring/sample';
import { LiveState, type AdminView } from './live-state';

// The samples push leaves the host unchecked (EventBus.emitOwn): the live state that builds it is
// held to the contract here instead, over every shape an update takes.

const running: AdminView = { adminState: 'running', expiresAt: null };

describe('live state push', () => {
  it('builds updates the contract accepts as they are: losses, codes, late probes, every status', () => {
    const live = new LiveState({ ...DEFAULT_THRESHOLDS, downAfterLosses: 2 });
    const admin = new Map<string, AdminView>([
      ['up', running],
      ['down', running],
      ['slow', running],
      ['stopped', { adminState: 'stopped', expiresAt: null }],
      ['expired', { adminState: 'running', expiresAt: 1 }],
    ]);
    const kinds: ProbeKind[] = ['sip-udp', 'icmp', 'tcp'];
    for (let i = 0; i < 8; i += 1) {
      for (const kind of kinds) {
        const code = kind === 'sip-udp' ? (i === 5 ? 503 : 200) : undefined;
        const at = 1_000 * i - (i === 4 ? 1_500 : 0);
        const add = (serverId: string, rttMs: number | null) =>
          live.add({ serverId, kind, at, rttMs, ...(rttMs === null || code === undefined ? {} : { code }) } satisfies Sample);
        add('up', 0.25 + i / 1_000);
        add('down', i > 3 ? null : 1);
        add('slow', 400);
        add('stopped', 1);
        add('expired', 1);
      }
      live.derive(admin, 1_000 * i);
      const updates = live.takeUpdates();
      expect(SamplesPush.parse({ updates })).toEqual({ updates });
    }
    expect([...admin.keys()].map((id) => live.status(id))).toEqual(['online', 'down', 'degraded', 'stopped', 'expired']);
  });

  it('forgets what changed when nobody takes the push, so nothing piles up for the next one', () => {
    const live = new LiveState(DEFAULT_THRESHOLDS);
    const admin = new Map([['a', running]]);
    for (let i = 0; i < 100; i += 1) {
      live.add({ serverId: 'a', kind: 'sip-udp', at: i * 1_000, rttMs: 1, code: 200 });
      live.derive(admin, i * 1_000);
      live.dropUpdates();
    }
    expect(live.takeUpdates()).toEqual([]);
    live.add({ serverId: 'a', kind: 'sip-udp', at: 100_000, rttMs: 2, code: 200 });
    const [update] = live.takeUpdates();
    expect(update).toMatchObject({ serverId: 'a', addedSip: [2], addedIcmp: [], sip: { rttMs: 2, code: 200, at: 100_000 } });
  });
});
