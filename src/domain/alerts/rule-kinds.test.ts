import { describe, expect, it } from 'vitest';
import { RuleParams } from '../../contract/alerts';
import { fieldsOf, overrideIssues, paramsIssues, raiseCountOf, RULE_KIND_NAMES, RULE_KINDS } from './rule-kinds';

describe('rule kinds', () => {
  it('every default is a valid, possible rule', () => {
    for (const kind of RULE_KIND_NAMES) {
      expect(RuleParams.safeParse(RULE_KINDS[kind].defaults).success).toBe(true);
      expect(paramsIssues(kind, RULE_KINDS[kind].defaults)).toEqual([]);
    }
  });

  it('a user who configures nothing still hears about a server going down', () => {
    expect(RULE_KINDS['consecutive-failures'].defaults).toMatchObject({
      enabled: true,
      severity: 'critical',
      raiseAfter: 3,
      clearAfter: 2,
    });
  });

  it('refuses values a kind does not use, naming them', () => {
    expect(overrideIssues('cert-expiry', { probe: 'icmp' })).toEqual([
      { field: 'params.probe', message: 'Certificate expiry rules do not use "Probe".' },
    ]);
    expect(overrideIssues('latency', { threshold: 10, probe: 'icmp' })).toEqual([]);
  });

  it('refuses impossible thresholds', () => {
    expect(overrideIssues('sip-loss', { threshold: 120 })[0]?.field).toBe('params.threshold');
    expect(overrideIssues('sip-loss', { threshold: 0 })[0]?.message).toMatch(/above 0 %/);
    expect(overrideIssues('latency', { threshold: 0 })[0]?.field).toBe('params.threshold');
  });

  it('N must fit in M', () => {
    expect(paramsIssues('latency', { ...RULE_KINDS.latency.defaults, raiseAfter: 6, window: 5 })).toEqual([
      { field: 'params.raiseAfter', message: 'Raise after (N = 6) cannot be more than the window (M = 5): the rule could never raise.' },
    ]);
    // Consecutive failures has no window of its own: N is the window.
    expect(paramsIssues('consecutive-failures', { ...RULE_KINDS['consecutive-failures'].defaults, raiseAfter: 50, window: 3 })).toEqual([]);
    expect(fieldsOf('consecutive-failures')).not.toContain('window');
  });

  it('a loss threshold is the share of the window, at least one probe', () => {
    const p = RULE_KINDS['sip-loss'].defaults;
    expect(raiseCountOf('sip-loss', { ...p, threshold: 20, window: 20 })).toBe(4);
    expect(raiseCountOf('sip-loss', { ...p, threshold: 25, window: 8 })).toBe(2);
    expect(raiseCountOf('sip-loss', { ...p, threshold: 1, window: 10 })).toBe(1);
    expect(raiseCountOf('sip-loss', { ...p, threshold: 100, window: 10 })).toBe(10);
  });
});
