import { describe, expect, it } from 'vitest';
import { routeMatches, type RouteRule, type RoutedChange } from './routing';

const route: RouteRule = {
  id: 1,
  channelId: 7,
  enabled: true,
  severities: ['critical', 'warning'],
  kinds: [],
  scope: { level: 'fleet', id: null },
  notifyResolved: true,
};
const change: RoutedChange = {
  kind: 'consecutive-failures',
  severity: 'critical',
  what: 'firing',
  zoneId: 'z1',
  clusterId: 'c1',
  channelId: null,
};

describe('routes', () => {
  it('pick by severity, kind and scope', () => {
    expect(routeMatches(route, change)).toBe(true);
    expect(routeMatches(route, { ...change, severity: 'info' })).toBe(false);
    expect(routeMatches({ ...route, kinds: ['latency'] }, change)).toBe(false);
    expect(routeMatches({ ...route, scope: { level: 'zone', id: 'z2' } }, change)).toBe(false);
    expect(routeMatches({ ...route, scope: { level: 'cluster', id: 'c1' } }, change)).toBe(true);
    expect(routeMatches({ ...route, enabled: false }, change)).toBe(false);
  });

  it('send resolutions only where asked', () => {
    expect(routeMatches({ ...route, notifyResolved: false }, { ...change, what: 'resolved' })).toBe(false);
    expect(routeMatches({ ...route, notifyResolved: false }, { ...change, what: 'reminder' })).toBe(true);
  });

  it('never tell a failing channel about itself', () => {
    expect(routeMatches(route, { ...change, kind: 'channel-failing', severity: 'warning', channelId: 7 })).toBe(false);
    expect(routeMatches(route, { ...change, kind: 'channel-failing', severity: 'warning', channelId: 8 })).toBe(true);
  });
});
