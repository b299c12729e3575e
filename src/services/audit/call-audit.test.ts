import { describe, expect, it } from 'vitest';
import type { ActionRunSummary } from '../../contract/actions-methods';
import { describeCall, listNames } from './call-audit';

const run = (aliases: string[], params: Record<string, string> = {}): ActionRunSummary =>
  ({
    label: 'Restart Server',
    params,
    servers: aliases.map((alias, i) => ({ id: `s${i}`, alias, ip: `192.0.2.${i}`, state: 'queued' })),
  }) as unknown as ActionRunSummary;

describe('describeCall', () => {
  it('keeps no line for reads, nor for calls whose area records its own', () => {
    expect(describeCall('fleet:list-servers', false, {}, [])).toBeNull();
    expect(describeCall('accounts:add', true, { name: 'ana' }, {})).toBeNull();
  });

  it('names the servers of a run, long selections shortened, short parameters shown', () => {
    expect(describeCall('actions:run', true, {}, run(['sw-1', 'sw-2']))).toEqual({
      kind: 'action-run',
      detail: 'Restart Server on sw-1, sw-2',
    });
    const many = describeCall(
      'actions:run',
      true,
      {},
      run(
        Array.from({ length: 12 }, (_, i) => `sw-${i}`),
        { channels: '2000', installScript: 'x'.repeat(500) },
      ),
    );
    expect(many?.detail).toBe('Restart Server on sw-0, sw-1, sw-2, sw-3, sw-4, sw-5, sw-6, sw-7 and 4 more (channels=2000)');
  });

  it('names a deployment by the new server and its run, never its SSH password', () => {
    const line = describeCall(
      'platform:deploy',
      true,
      { draft: { alias: 'sw-new', ip: '192.0.2.40' }, password: 'hunter2-secret', installParams: {} },
      { deployId: 'd-1', balance: { ok: true } },
    );
    expect(line).toEqual({ kind: 'action-run', detail: 'Deploy Server on sw-new (192.0.2.40), run d-1' });
    expect(JSON.stringify(line)).not.toContain('hunter2');
  });

  it('writes settings changes with their values and imports with their counts', () => {
    expect(describeCall('settings:update', true, { probeIntervalSec: 10, defaultSshUser: 'noc' }, {})?.detail).toBe(
      'Settings: probeIntervalSec → 10, defaultSshUser → noc',
    );
    expect(describeCall('fleet:import', true, { format: 'csv', text: '…' }, { servers: 3, zones: 1, clusters: 0, rtpServers: 2 })).toEqual({
      kind: 'import',
      detail: 'Imported 3 servers, 1 zone, 0 clusters, 2 RTP servers from CSV',
    });
  });

  it('never copies a field that is not a name: passwords, keys and URLs stay out', () => {
    const secretInputs: [string, Record<string, unknown>][] = [
      ['ssh:set-secret', { serverId: 'srv-1', kind: 'password', value: 'hunter2' }],
      ['power:set-password', { serverId: 'srv-1', password: 'hunter2' }],
      ['apiban:set-key', { key: 'hunter2', baseUrl: 'https://hunter2.example' }],
      ['alerts:save-channel', { name: 'Pager', config: { kind: 'webhook', url: 'https://hooks.example/hunter2' } }],
    ];
    for (const [method, input] of secretInputs) {
      const line = describeCall(method, true, input, { ok: true, password: 'hunter2' });
      expect(line?.kind).toBe('change');
      expect(line?.detail.startsWith(method)).toBe(true);
      expect(line?.detail).not.toContain('hunter2');
    }
    expect(describeCall('ssh:set-secret', true, secretInputs[0]?.[1], {})?.detail).toBe('ssh:set-secret: serverId srv-1; kind password');
  });

  it('lists names up to a bound', () => {
    expect(listNames(['a', 'b', 'c'], 2)).toBe('a, b and 1 more');
    expect(listNames([])).toBe('');
  });
});
