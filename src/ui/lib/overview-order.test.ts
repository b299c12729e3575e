import { describe, expect, it } from 'vitest';
import type { ServerRow, ServerStatus } from '../../contract/fleet';
import type { LatestSummary } from '../../contract/monitoring-methods';
import { worstFirst, type WallTile } from './overview-order';

function tile(ip: string, status: ServerStatus, values: { loss?: number; rtt?: number | null } = {}): WallTile {
  const server = { id: ip.replace(/\./g, '-'), ip, alias: ip, status } as ServerRow;
  const entry: LatestSummary | undefined =
    values.loss === undefined && values.rtt === undefined
      ? undefined
      : {
          serverId: server.id,
          status,
          reason: '',
          sip: values.rtt === undefined ? null : { rttMs: values.rtt, code: 200, at: 0 },
          icmp: null,
          sipLossPct: values.loss ?? 0,
          icmpLossPct: 0,
        };
  return { server, status, entry };
}

describe('worstFirst', () => {
  it('puts status first, then loss, then the slowest SIP answer', () => {
    const order = worstFirst([
      tile('10.0.0.1', 'online', { rtt: 1 }),
      tile('10.0.0.2', 'online', { rtt: 9 }),
      tile('10.0.0.3', 'degraded', { loss: 5, rtt: 2 }),
      tile('10.0.0.4', 'degraded', { loss: 20, rtt: 2 }),
      tile('10.0.0.5', 'down', { loss: 100, rtt: null }),
      tile('10.0.0.6', 'stopped'),
    ]).map((t) => t.server.ip);
    expect(order).toEqual(['10.0.0.5', '10.0.0.4', '10.0.0.3', '10.0.0.6', '10.0.0.2', '10.0.0.1']);
  });

  it('breaks ties by address in numeric order, not text order', () => {
    const order = worstFirst([tile('10.0.0.10', 'online'), tile('10.0.0.9', 'online'), tile('9.255.0.1', 'online')]).map(
      (t) => t.server.ip,
    );
    expect(order).toEqual(['9.255.0.1', '10.0.0.9', '10.0.0.10']);
  });

  it('sorts the array it is given and returns it', () => {
    const tiles = [tile('10.0.0.2', 'online'), tile('10.0.0.1', 'down')];
    expect(worstFirst(tiles)).toBe(tiles);
    expect(tiles.map((t) => t.server.ip)).toEqual(['10.0.0.1', '10.0.0.2']);
  });
});
