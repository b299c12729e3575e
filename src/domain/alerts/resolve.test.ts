import { describe, expect, it } from 'vitest';
import { RuleIndex, ruleSourceText, type ServerScope } from './resolve';

const server: ServerScope = { id: 's1', alias: 'sw1', zoneId: 'z', zoneName: 'EU', clusterId: 'c', clusterName: 'core' };

describe('resolving a rule for a server', () => {
  it('goes default < fleet < zone < cluster < server, value by value, with sources', () => {
    const index = new RuleIndex([
      { kind: 'latency', level: 'server', scopeId: 's1', params: { severity: 'critical' } },
      { kind: 'latency', level: 'zone', scopeId: 'z', params: { threshold: 80, window: 9 } },
      { kind: 'latency', level: 'cluster', scopeId: 'c', params: { threshold: 40 } },
      { kind: 'latency', level: 'fleet', scopeId: null, params: { enabled: true, threshold: 150 } },
      { kind: 'latency', level: 'zone', scopeId: 'other', params: { threshold: 1 } },
    ]);
    const rule = index.effective('latency', server);
    expect(rule.params).toMatchObject({ enabled: true, threshold: 40, window: 9, severity: 'critical', raiseAfter: 3 });
    expect(rule.sources.threshold).toEqual({ level: 'cluster', label: 'cluster core' });
    expect(rule.sources.window).toEqual({ level: 'zone', label: 'zone EU' });
    expect(rule.sources.raiseAfter).toEqual({ level: 'default', label: 'default' });
    expect(ruleSourceText(rule)).toBe('server sw1');
    expect(index.effective('latency', null).params.threshold).toBe(150);
  });

  it('a fleet-only kind ignores narrower rows', () => {
    const index = new RuleIndex([{ kind: 'apiban-sync', level: 'server', scopeId: 's1', params: { enabled: false } }]);
    expect(index.effective('apiban-sync', server).params.enabled).toBe(true);
  });
});
