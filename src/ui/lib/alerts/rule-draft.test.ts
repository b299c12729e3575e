import { describe, expect, test } from 'vitest';
import type { AlertRule } from '../../../contract/alerts';
import { draftOf, formatRuleValue, inheritedFor, labelOf, paramsOf } from './rule-draft';

const rule = (kind: AlertRule['kind'], level: AlertRule['scope']['level'], id: string | null, params: AlertRule['params']): AlertRule => ({
  id: Math.floor(Math.random() * 1e6),
  kind,
  scope: { level, id },
  scopeLabel: level === 'fleet' ? 'Fleet' : `${level} ${id}`,
  params,
  updatedAt: 0,
  updatedBy: 'noc',
});

describe('the rule editor draft', () => {
  test('only the values the kind uses, empty where the scope inherits', () => {
    const draft = draftOf('latency', { threshold: 100, enabled: false });
    expect(draft).toEqual({
      enabled: 'off',
      severity: '',
      renotifyMin: '',
      probe: '',
      threshold: '100',
      raiseAfter: '',
      window: '',
      clearAfter: '',
    });
    expect(Object.keys(draftOf('cert-expiry', {}))).toEqual(['enabled', 'severity', 'renotifyMin', 'threshold']);
  });

  test('becomes the override to send: typed values only, numbers as numbers', () => {
    const { params, issues } = paramsOf('latency', {
      enabled: 'on',
      severity: 'critical',
      threshold: ' 80 ',
      raiseAfter: '',
      window: '5',
      probe: '',
    });
    expect(issues).toEqual([]);
    expect(params).toEqual({ enabled: true, severity: 'critical', threshold: 80, window: 5 });
  });

  test('a value that is not a number is named with its field, in words', () => {
    const { issues } = paramsOf('latency', { threshold: '12ms' });
    expect(issues).toEqual([{ field: 'params.threshold', message: 'Threshold (ms): "12ms" is not a number.' }]);
  });

  test('values read with their units', () => {
    expect(formatRuleValue('latency', 'threshold', 250)).toBe('250 ms');
    expect(formatRuleValue('sip-loss', 'threshold', 20)).toBe('20 %');
    expect(formatRuleValue('latency', 'renotifyMin', 0)).toBe('never');
    expect(formatRuleValue('latency', 'renotifyMin', 60)).toBe('60 min');
    expect(formatRuleValue('latency', 'severity', 'critical')).toBe('Critical');
    expect(formatRuleValue('latency', 'probe', 'icmp')).toBe('ICMP');
    expect(formatRuleValue('latency', 'enabled', false)).toBe('Off');
    expect(labelOf('cert-expiry', 'threshold')).toBe('Threshold (days)');
    expect(labelOf('latency', 'window')).toBe('Window (M)');
  });

  test('what a scope inherits: defaults for the fleet, the fleet for a zone, every layer above a server', () => {
    const rules = [
      rule('latency', 'fleet', null, { threshold: 150 }),
      rule('latency', 'zone', 'z1', { threshold: 80, severity: 'critical' }),
      rule('latency', 'server', 's1', { threshold: 40 }),
    ];
    expect(inheritedFor('latency', 'fleet', null, rules, null).params.threshold).toBe(250);
    const zone = inheritedFor('latency', 'zone', 'z1', rules, null);
    expect(zone.params.threshold).toBe(150);
    expect(zone.sources.threshold).toEqual({ level: 'fleet', label: 'fleet' });
    const server = { id: 's1', alias: 'sw1', zoneId: 'z1', zoneName: 'EU-West', clusterId: null, clusterName: null };
    const own = inheritedFor('latency', 'server', 's1', rules, server);
    expect(own.params.threshold).toBe(80);
    expect(own.sources.threshold).toEqual({ level: 'zone', label: 'zone EU-West' });
    expect(own.sources.window).toEqual({ level: 'default', label: 'default' });
  });
});
