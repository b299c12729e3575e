import { describe, expect, it } from 'vitest';
import { parseFpingLine } from './fping-line';

describe('parseFpingLine', () => {
  it('reads replies and timeouts of fping -l, with or without -D timestamps', () => {
    expect(parseFpingLine('127.0.0.1  : [3], 64 bytes, 0.046 ms (0.046 avg, 0% loss)')).toEqual({ target: '127.0.0.1', seq: 3, rttMs: 0.046 });
    expect(parseFpingLine('10.254.0.2 : [1], timed out (NaN avg, 100% loss)')).toEqual({ target: '10.254.0.2', seq: 1, rttMs: null });
    expect(parseFpingLine('[1795610953.21248] 127.0.0.3  : [0], 64 bytes, 0.113 ms (0.113 avg, 0% loss)')).toEqual({ target: '127.0.0.3', seq: 0, rttMs: 0.113, timestamp: 1795610953212 });
    expect(parseFpingLine('host.example : [12], 84 bytes, 12.5 ms (12.1 avg, 0% loss)')).toMatchObject({ target: 'host.example', rttMs: 12.5 });
  });

  it('ignores everything that is not a per-probe result', () => {
    for (const line of ['', 'ICMP Host Unreachable from 10.254.0.1 for ICMP Echo sent to 10.254.0.2', '127.0.0.1 : xmt/rcv/%loss = 3/3/0%, min/avg/max = 0.04/0.05/0.06', '127.0.0.1 : 0.055 0.050 0.053', 'garbage : [x], 64 bytes']) {
      expect(parseFpingLine(line)).toBeNull();
    }
  });
});
