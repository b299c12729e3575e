import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../domain/monitoring/status';
import type { ProbeKind, Sample } from '../../domain/monitoring/sample';
import { LiveState, SPARK_SAMPLES } from './live-state';

// What the live state holds once every window is full. It used to keep one object per sample:
// about 105 bytes each, 190 MB at 10,000 servers × 3 kinds, grown over the first five minutes of
// `serve` and walked by every full garbage collection.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function retainedBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('live state memory', () => {
  it(
    'holds a full window of every server and kind in a few dozen bytes a probe, and no more after further rounds',
    { timeout: 60_000 },
    () => {
      const servers = Array.from({ length: 1_000 }, (_, i) => `server-${String(i).padStart(6, '0')}`);
      const kinds: ProbeKind[] = ['sip-udp', 'icmp', 'tcp'];
      const before = retainedBytes();
      const live = new LiveState(DEFAULT_THRESHOLDS);
      const admin = new Map(servers.map((id) => [id, { adminState: 'running' as const, expiresAt: null }]));
      const round = (r: number) => {
        for (const serverId of servers)
          for (const kind of kinds) {
            const at = 1_700_000_000_000 + r * 5_000 + Math.random();
            const sample: Sample =
              kind === 'sip-udp' ? { serverId, kind, at, rttMs: Math.random(), code: 200 } : { serverId, kind, at, rttMs: Math.random() };
            live.add(sample);
          }
        live.derive(admin, 1_700_000_000_000 + r * 5_000);
        live.takeUpdates();
      };
      for (let r = 0; r < SPARK_SAMPLES; r += 1) round(r);
      const kept = live.kept;
      expect(kept).toBe(servers.length * kinds.length * SPARK_SAMPLES);
      const full = retainedBytes() - before;
      expect(full / kept).toBeLessThan(40);
      for (let r = SPARK_SAMPLES; r < 2 * SPARK_SAMPLES; r += 1) round(r);
      expect(live.kept).toBe(kept);
      expect(retainedBytes() - before).toBeLessThan(full * 1.1 + 1_000_000);
    },
  );
});
