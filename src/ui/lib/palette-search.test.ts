import { describe, expect, it } from 'vitest';
import { ACTION_LABELS, ACTION_MENU } from '../../contract/action-names';
import { MAX_RESULTS, searchPalette, type PaletteSources } from './palette-search';
import { SCREENS } from './screens';

const SERVERS = [
  { id: 's1', alias: 'edge-ashburn-1', ip: '10.0.0.1' },
  { id: 's2', alias: 'edge-ashburn-2', ip: '10.0.0.2' },
  { id: 's3', alias: 'core-frankfurt', ip: '192.168.7.40' },
  { id: 's4', alias: '', ip: '172.16.0.9' },
];

const src = (over: Partial<PaletteSources> = {}): PaletteSources => ({
  screens: SCREENS,
  servers: SERVERS,
  actions: ACTION_MENU.map((name) => ({ name, label: ACTION_LABELS[name] })),
  currentServerId: null,
  readOnly: false,
  serverHref: (id) => `#/servers/${id}`,
  ...over,
});

const labels = (query: string, over: Partial<PaletteSources> = {}) => searchPalette(query, src(over)).map((i) => `${i.kind}:${i.label}`);

describe('command palette search', () => {
  it('lists every screen for an empty query, and no servers or actions', () => {
    const items = searchPalette('', src());
    expect(items.map((i) => i.kind)).toEqual(Array(Math.min(SCREENS.length, MAX_RESULTS)).fill('screen'));
  });

  it('finds a screen by its title, another word for it, or part of a word', () => {
    expect(labels('zones')[0]).toBe('screen:Go to Zones');
    expect(labels('traceroute')).toEqual(['screen:Go to Tools']);
    expect(labels('rtp')[0]).toBe('screen:Go to RTP servers');
    const zones = searchPalette('zones', src())[0];
    expect(zones).toMatchObject({ href: '#/zones', hint: 'g z' });
  });

  it('matches one or two letters only at the start of a word', () => {
    const items = searchPalette('re', src({ currentServerId: 's1' }));
    // Zones (regions), RTP (relay) and Advisor (recommendations) have a word starting "re"; Fleet,
    // Tools and the rest only hold it inside one ("servers", "traceroute").
    expect(items.map((i) => i.label)).toEqual([
      'Restart Server…',
      'Resize Capacity…',
      'Restart SIP service…',
      'Go to Zones',
      'Go to RTP servers',
      'Go to Advisor',
    ]);
    // "ash" is long enough to be found inside a word.
    expect(labels('shbu')).toEqual(['server:edge-ashburn-1', 'server:edge-ashburn-2']);
  });

  it('finds servers by alias or IP, every word having to match', () => {
    expect(labels('ashburn')).toEqual(['server:edge-ashburn-1', 'server:edge-ashburn-2']);
    expect(labels('ashburn 2')).toContain('server:edge-ashburn-2');
    expect(labels('ashburn 2')).not.toContain('server:edge-ashburn-1');
    expect(labels('192.168.7')).toEqual(['server:core-frankfurt']);
    // A server without an alias is shown by its IP.
    expect(searchPalette('172.16', src())[0]).toMatchObject({ kind: 'server', label: '172.16.0.9', href: '#/servers/s4' });
  });

  it('offers actions on a server the query names, only with a word beyond the name', () => {
    expect(labels('frankfurt').filter((l) => l.startsWith('action:'))).toEqual([]);
    const items = searchPalette('frankfurt restart', src());
    const actions = items.filter((i) => i.kind === 'action');
    expect(actions.map((a) => a.label)).toEqual(['Restart Server…', 'Restart SIP service…']);
    expect(actions[0]).toMatchObject({ action: 'restart', serverId: 's3', hint: 'core-frankfurt' });
    expect(items[0]?.kind).toBe('action');
  });

  it("offers the open server's actions without its name", () => {
    const items = searchPalette('power', src({ currentServerId: 's2' }));
    expect(items[0]).toMatchObject({ kind: 'action', action: 'power-cycle', serverId: 's2', label: 'Power Cycle…' });
    const all = searchPalette('', src({ currentServerId: 's2' })).filter((i) => i.kind === 'action');
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((a) => a.kind === 'action' && a.serverId === 's2')).toBe(true);
  });

  it('offers no action on a read-only console', () => {
    expect(labels('frankfurt restart', { readOnly: true }).some((l) => l.startsWith('action:'))).toBe(false);
    expect(labels('', { readOnly: true, currentServerId: 's1' }).some((l) => l.startsWith('action:'))).toBe(false);
  });

  it('says so by returning nothing when nothing matches, and never more than the cap', () => {
    expect(searchPalette('zzzz-nothing', src())).toEqual([]);
    const many = Array.from({ length: 50 }, (_, i) => ({ id: `m${i}`, alias: `media-${i}`, ip: `10.1.0.${i}` }));
    expect(searchPalette('media', src({ servers: many })).length).toBe(MAX_RESULTS);
  });

  it('gives every item a unique key', () => {
    const items = searchPalette('e', src({ currentServerId: 's1' }));
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
  });
});
