import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors';
import { createTransferService } from '../../src/services/fleet/transfer';
import { openStore, type Store } from '../../src/services/store/store';

// An import of 10,000 servers from CSV into a real store: each row is checked against the fleet
// and the rows before it by lookups (services/fleet/import-context.ts), so the whole import is
// linear. The checks must still catch what the scans caught: clashes with the fleet and within
// the file (an address written differently, an alias in another case), and failover targets named
// further down the file.

const HEADER = 'kind,ip,alias,type,cluster,zone,channels,cps,failover_enabled,failover_target';

function row(i: number, extra: { ip?: string; alias?: string; cluster?: string; failover?: string } = {}): string {
  const ip = extra.ip ?? `127.${10 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 2}`;
  const failover = extra.failover === undefined ? 'false,' : `true,${extra.failover}`;
  return `server,${ip},${extra.alias ?? `sw-${i}`},switch,${extra.cluster ?? ''},zone-${i % 8},100,10,${failover}`;
}

function transfer(store: Store) {
  return createTransferService({ store, clock: () => Date.UTC(2026, 11, 2), emit: () => undefined }, () => 'root');
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the import was accepted');
}

describe('fleet import at 10,000 servers', () => {
  it('imports 10,000 rows with their zones and a failover target named further down, in seconds', () => {
    const store = openStore({ file: ':memory:' });
    try {
      const lines = [HEADER];
      for (let i = 0; i < 10_000; i += 1) {
        if (i === 0) lines.push(row(i, { cluster: 'core', failover: 'SW-9999' }));
        else if (i === 9_999) lines.push(row(i, { cluster: 'core' }));
        else lines.push(row(i));
      }
      const started = performance.now();
      const summary = transfer(store).importText('csv', lines.join('\n'));
      const seconds = (performance.now() - started) / 1000;
      expect(summary).toEqual({ zones: 8, clusters: 1, servers: 10_000, rtpServers: 0 });
      const servers = store.servers.list();
      expect(servers).toHaveLength(10_000);
      const byAlias = new Map(servers.map((s) => [s.alias, s]));
      expect(byAlias.get('sw-0')?.config.capacityFailover).toEqual({ enabled: true, targetId: byAlias.get('sw-9999')?.id });
      expect(byAlias.get('sw-9999')?.clusterId).toBe(byAlias.get('sw-0')?.clusterId);
      // Scanning the fleet for every row took about 15 s for 1,000 rows; lookups take well under
      // a second here. The bound is loose for a loaded machine and still fails a quadratic import.
      expect(seconds).toBeLessThan(45);
    } finally {
      store.close();
    }
  });

  it('refuses a clash with the fleet or an earlier row of the file, naming the row, and stores nothing', () => {
    const store = openStore({ file: ':memory:' });
    try {
      transfer(store).importText('csv', [HEADER, row(0, { alias: 'Edge-1', ip: '2001:db8::1' })].join('\n'));
      const before = store.servers.list();
      const big = (last: string) => {
        const lines = [HEADER];
        for (let i = 1; i < 1_000; i += 1) lines.push(row(i));
        lines.push(last);
        return lines.join('\n');
      };
      const ipOfTheFleet = refusal(() => transfer(store).importText('csv', big(row(5_000, { ip: '2001:0DB8:0:0::1' }))));
      expect(ipOfTheFleet).toMatchObject({ row: 1_001, field: 'ip' });
      expect(ipOfTheFleet.message).toContain('Edge-1');
      const ipOfAnEarlierRow = refusal(() => transfer(store).importText('csv', big(row(5_000, { ip: row(7).split(',')[1] }))));
      expect(ipOfAnEarlierRow).toMatchObject({ row: 1_001, field: 'ip' });
      expect(ipOfAnEarlierRow.message).toContain('sw-7');
      const aliasOfTheFleet = refusal(() => transfer(store).importText('csv', big(row(5_000, { alias: 'EDGE-1' }))));
      expect(aliasOfTheFleet).toMatchObject({ row: 1_001, field: 'alias' });
      const aliasOfAnEarlierRow = refusal(() => transfer(store).importText('csv', big(row(5_000, { alias: 'SW-12' }))));
      expect(aliasOfAnEarlierRow).toMatchObject({ row: 1_001, field: 'alias' });
      const unknownTarget = refusal(() => transfer(store).importText('csv', big(row(5_000, { cluster: 'core', failover: 'nobody' }))));
      expect(unknownTarget.message).toContain('nobody');
      expect(store.servers.list()).toEqual(before);
      expect(store.zones.list().map((z) => z.name)).toEqual(['zone-0']);
      expect(store.clusters.list()).toEqual([]);
    } finally {
      store.close();
    }
  });
});
