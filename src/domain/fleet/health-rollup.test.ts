import { describe, expect, it } from 'vitest';
import type { ServerStatus } from '../../contract/fleet';
import { healthByGroup, healthOf, statusFromVantage } from './health-rollup';

interface S {
  id: string;
  cluster: string | null;
  status: ServerStatus;
}

const servers: S[] = [
  { id: 'a', cluster: 'core', status: 'online' },
  { id: 'b', cluster: 'core', status: 'online' },
  { id: 'c', cluster: 'core', status: 'degraded' },
  { id: 'd', cluster: 'core', status: 'down' },
  { id: 'e', cluster: 'edge', status: 'down' },
  { id: 'f', cluster: 'edge', status: 'expired' },
  { id: 'g', cluster: 'edge', status: 'stopped' },
  { id: 'h', cluster: 'edge', status: 'unknown' },
  { id: 'i', cluster: null, status: 'down' },
];

describe('health roll-up', () => {
  it('counts each group by live status, leaving out servers in no group', () => {
    const byCluster = healthByGroup(
      servers,
      (s) => s.cluster,
      (s) => s.status,
    );
    expect(byCluster.get('core')).toEqual({ up: 2, degraded: 1, down: 1, other: 0, total: 4 });
    // Expired, stopped and not probed are not network failures: counted apart.
    expect(byCluster.get('edge')).toEqual({ up: 0, degraded: 0, down: 1, other: 3, total: 4 });
    expect([...byCluster.keys()].sort()).toEqual(['core', 'edge']);
  });

  it('follows the status it is given, not the one stored (live state wins)', () => {
    const live = new Map<string, ServerStatus>([['a', 'down']]);
    const counts = healthByGroup(
      servers,
      (s) => s.cluster,
      (s) => live.get(s.id) ?? s.status,
    ).get('core');
    expect(counts).toEqual({ up: 1, degraded: 1, down: 2, other: 0, total: 4 });
  });

  it('totals a whole list, and an empty one is all zeros', () => {
    expect(healthOf(servers, (s) => s.status)).toEqual({ up: 2, degraded: 1, down: 3, other: 3, total: 9 });
    expect(healthOf([], () => 'online')).toEqual({ up: 0, degraded: 0, down: 0, other: 0, total: 0 });
  });

  it('reads an RTP server from its vantage points, ignoring stale samples', () => {
    const now = 1_000_000;
    const stale = 60_000;
    expect(statusFromVantage([], now, stale)).toBe('unknown');
    expect(statusFromVantage([null, { at: now - 120_000, rttMs: 3 }], now, stale)).toBe('unknown');
    expect(
      statusFromVantage(
        [
          { at: now - 1_000, rttMs: 3 },
          { at: now - 2_000, rttMs: 4 },
        ],
        now,
        stale,
      ),
    ).toBe('online');
    expect(
      statusFromVantage(
        [
          { at: now - 1_000, rttMs: null },
          { at: now - 2_000, rttMs: 4 },
        ],
        now,
        stale,
      ),
    ).toBe('degraded');
    expect(
      statusFromVantage(
        [
          { at: now - 1_000, rttMs: null },
          { at: now - 500_000, rttMs: 4 },
        ],
        now,
        stale,
      ),
    ).toBe('down');
  });
});
