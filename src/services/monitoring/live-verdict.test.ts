import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, deriveStatus } from '../../domain/monitoring/status';
import type { ProbeKind, Sample } from '../../domain/monitoring/sample';
import { verdictOfWindows, type KindRow } from './live-verdict';
import { ProbeWindows } from './probe-windows';

// The columns' verdict against the rules' own, where the latency rule decides: half the answers
// or more slow, windows odd and even, so the shortcut that skips the median is held to the sort.

describe('verdict over probe windows', () => {
  it('says what deriveStatus says over the same probes, slow medians included', () => {
    let seed = 4;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const kinds: ProbeKind[] = ['icmp', 'sip-udp', 'tcp'];
    let slowVerdicts = 0;
    for (let round = 0; round < 300; round += 1) {
      const thresholds = { ...DEFAULT_THRESHOLDS, windowSamples: 2 + Math.floor(random() * 9), maxLatencyMs: 100 };
      const windows = new ProbeWindows(12);
      const rows: KindRow[] = [];
      const samples: Sample[] = [];
      const slowShare = random();
      for (let i = 0; i < 30; i += 1) {
        const kind = kinds[Math.floor(random() * kinds.length)] as ProbeKind;
        const r = random();
        // Exactly the limit now and then: not above it, so not slow.
        const rttMs = r < 0.1 ? null : r < 0.15 ? 100 : random() < slowShare ? 100 + random() * 50 : random() * 99;
        const code = rttMs === null ? undefined : random() < 0.05 ? 503 : 200;
        const at = i * 1_000;
        let row = rows.find((k) => k.kind === kind)?.row;
        if (row === undefined) {
          row = windows.open();
          rows.push({ kind, row });
        }
        windows.add(row, at, rttMs, code);
        samples.push({ serverId: 'a', kind, at, rttMs, ...(code === undefined ? {} : { code }) });
      }
      const kept = rows.flatMap(({ kind }) => samples.filter((s) => s.kind === kind).slice(-12));
      const expected = deriveStatus({ adminState: 'running', expiresAt: null, now: 30_000, samples: kept, thresholds });
      expect(verdictOfWindows(windows, rows, thresholds), `round ${round}`).toEqual(expected);
      if (expected.reasons.some((r) => r.rule === 'latency')) slowVerdicts += 1;
    }
    expect(slowVerdicts).toBeGreaterThan(30);
  });
});
