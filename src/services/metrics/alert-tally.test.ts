import { describe, expect, it } from 'vitest';
import { AlertKind, Severity } from '../../contract/alerts';
import { tallyAlerts, type OpenAlertFacts } from './alert-tally';

describe('alert tally', () => {
  it('splits open alerts as the top bar does: firing, held (firing on a held server), acknowledged', () => {
    const open: OpenAlertFacts[] = [
      { severity: 'critical', kind: 'consecutive-failures', state: 'firing', serverId: 's1' },
      { severity: 'critical', kind: 'consecutive-failures', state: 'firing', serverId: 's2' },
      { severity: 'critical', kind: 'consecutive-failures', state: 'acknowledged', serverId: 's2' },
      { severity: 'warning', kind: 'sip-loss', state: 'firing', serverId: 's1' },
      { severity: 'info', kind: 'channel-failing', state: 'firing', serverId: null },
    ];
    const counts = tallyAlerts(open, (id) => id === 's2');
    const of = (severity: string, kind: string) => counts.find((c) => c.severity === severity && c.kind === kind);
    expect(of('critical', 'consecutive-failures')).toMatchObject({ firing: 1, held: 1, acknowledged: 1 });
    expect(of('warning', 'sip-loss')).toMatchObject({ firing: 1, held: 0, acknowledged: 0 });
    expect(of('info', 'channel-failing')).toMatchObject({ firing: 1, held: 0, acknowledged: 0 });
  });

  it('lists every severity and kind, zeros included, in a fixed order', () => {
    const counts = tallyAlerts([], () => false);
    expect(counts).toHaveLength(Severity.options.length * AlertKind.options.length);
    expect(counts.every((c) => c.firing === 0 && c.held === 0 && c.acknowledged === 0)).toBe(true);
    expect(tallyAlerts([], () => false)).toEqual(counts);
  });
});
