import { describe, expect, it } from 'vitest';
import { isPending, nextResize, RESIZE_ACTIVE_AFTER_MS, withActiveChannels } from './pending-resize';

const T = Date.UTC(2026, 5, 1, 14, 0);

describe('a resize active 15 minutes later', () => {
  it('counts the previous size until then, the new one from then on', () => {
    const resize = nextResize({ id: 'a', channels: 200 }, null, 1500, T);
    expect(resize).toEqual({ serverId: 'a', previousChannels: 200, channels: 1500, requestedAt: T, activeAt: T + RESIZE_ACTIVE_AFTER_MS });
    const servers = [
      { id: 'a', channels: 1500 },
      { id: 'b', channels: 30 },
    ];
    expect(withActiveChannels(servers, [resize], T + 14 * 60_000).map((s) => s.channels)).toEqual([200, 30]);
    expect(withActiveChannels(servers, [resize], T + 15 * 60_000).map((s) => s.channels)).toEqual([1500, 30]);
    expect(isPending(resize, T + RESIZE_ACTIVE_AFTER_MS - 1)).toBe(true);
  });

  it('a second resize within the wait starts a new wait from what the server still carries', () => {
    const first = nextResize({ id: 'a', channels: 200 }, null, 1500, T);
    const second = nextResize({ id: 'a', channels: 1500 }, first, 800, T + 5 * 60_000);
    expect(second).toMatchObject({ previousChannels: 200, channels: 800, activeAt: T + 20 * 60_000 });
    const later = nextResize({ id: 'a', channels: 800 }, second, 900, T + 30 * 60_000);
    expect(later.previousChannels).toBe(800);
  });
});
