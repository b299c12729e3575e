// The fleet page and the Overview with 10,000 live servers. A real `switchyard serve` probes a
// generated loopback fleet every 5 s (ICMP answers every 127/8 address, nothing listens for SIP),
// imported while the page is open: the page learns every server's status from the host's grouped
// pushes only, and must end showing what the host says of each.
// Search and the filter chips are checked row for row against the generated fleet.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ServerRow } from '../../src/contract/fleet';
import type { LatestSummary } from '../../src/contract/monitoring-methods';
import { STATUS_LABEL } from '../../src/domain/monitoring/reachability';
import { loopbackAlias, loopbackFleetJson, loopbackIp, LOOPBACK_ZONES } from '../helpers/loopback-fleet';
import { callHost, openSession, type Session } from './fixtures';

const N = 10_000;

let s: Session;
/** Calls for the statuses the page made itself (the first may be written into the page instead). */
let statusReads = 0;
beforeAll(async () => {
  s = await openSession({ viewport: { width: 1400, height: 900 } });
  s.page.on('request', (r) => {
    if (r.url().endsWith('/api/call') && (r.postData() ?? '').includes('"monitoring:latest-summaries"')) statusReads += 1;
  });
}, 90_000);
afterAll(async () => {
  await s?.close();
});

/** Each status with how many servers have it, as the host sees them now (the page's rule: `liveStatus`). */
async function hostCounts(): Promise<Record<string, number>> {
  const rows = (await callHost<ServerRow[]>(s.host, 'fleet:list-rows')).data ?? [];
  const latest = new Map(((await callHost<LatestSummary[]>(s.host, 'monitoring:latest-summaries')).data ?? []).map((e) => [e.serverId, e]));
  const counts: Record<string, number> = {};
  for (const row of rows) {
    const status = row.status === 'stopped' || row.status === 'expired' ? row.status : (latest.get(row.id)?.status ?? row.status);
    counts[STATUS_LABEL[status]] = (counts[STATUS_LABEL[status]] ?? 0) + 1;
  }
  return sortedKeys(counts);
}

/** A filter group's chips as the page shows them: label → count (chips at 0 left out), by label. */
async function chips(group: string): Promise<Record<string, number>> {
  const shown = await s.page
    .getByRole('group', { name: `Filter by ${group}` })
    .locator('.chip:not(.more)')
    .evaluateAll((els) =>
      els.map((el) => {
        const n = el.querySelector('.n')?.textContent ?? '';
        return [(el.textContent ?? '').slice(0, -n.length || undefined).trim(), Number(n)] as const;
      }),
    );
  return sortedKeys(Object.fromEntries(shown.filter(([, n]) => n > 0)));
}

function sortedKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** The generated fleet's servers matching a search as the table does (IP or alias, any case). */
function expected(q: string): number[] {
  return Array.from({ length: N }, (_, i) => i).filter((i) => loopbackIp(i).includes(q) || loopbackAlias(i).includes(q));
}

function tally(ids: number[], of: (i: number) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of ids) out[of(i)] = (out[of(i)] ?? 0) + 1;
  return sortedKeys(out);
}

const zoneOf = (i: number) => LOOPBACK_ZONES[i % LOOPBACK_ZONES.length] ?? '';
const typeOf = (i: number) => (i % 10 === 0 ? 'Dispatcher' : 'Switch');
const renderedIps = () => s.page.locator('.vt-row a').allTextContents();

describe('the console at 10,000 live servers', { timeout: 180_000 }, () => {
  test("every server's latest status reaches the fleet page and the Overview through the pushes", async () => {
    // The page is open before the fleet exists: it has read no status of any of these servers, and
    // reads none later (a re-read happens only after the link was lost), so every status it
    // shows came by the pushes.
    await s.open('#/fleet');
    const imported = await callHost(s.host, 'fleet:import', { format: 'json', text: loopbackFleetJson(N) });
    expect(imported.ok).toBe(true);
    expect((await callHost(s.host, 'settings:update', { probeIntervalSec: 5, sipDeadlineMs: 500 })).ok).toBe(true);
    await s.page.locator('.vt-row').first().waitFor();
    // Once every server has been probed (nothing "Unknown" left on the host), the page says the same of each.
    const agreed = async (): Promise<string> => {
      const [page, host] = [JSON.stringify(await chips('Status')), await hostCounts()];
      return host.Unknown === undefined && page === JSON.stringify(host) ? 'same' : `page ${page}, host ${JSON.stringify(host)}`;
    };
    await expect.poll(agreed, { timeout: 60_000 }).toBe('same');
    expect(Object.values(await chips('Status')).reduce((a, b) => a + b, 0)).toBe(N);
    expect(statusReads).toBeLessThanOrEqual(1);

    await s.page.goto(`${s.host.url}#/overview`);
    await s.page.getByTestId('overview-tile').first().waitFor();
    const overview = async (): Promise<string> => {
      const c = await hostCounts();
      const rest = N - (c.Down ?? 0) - (c.Degraded ?? 0) - (c.Online ?? 0);
      const want = `${c.Down ?? 0} down ${c.Degraded ?? 0} degraded ${c.Online ?? 0} online${rest > 0 ? ` ${rest} stopped` : ''}`;
      const text = ((await s.page.getByTestId('overview-counts').textContent()) ?? '').replace(/,/g, '').replace(/\s+/g, ' ');
      return text.includes(want) ? 'same' : `${text} ≠ ${want}`;
    };
    await expect.poll(overview, { timeout: 30_000 }).toBe('same');
  });

  test('search shows exactly the matching rows, in address order, and the chips count them', async () => {
    await s.open('#/fleet');
    const search = s.page.getByRole('searchbox');
    for (const q of ['127.100.3.', 'uk-london-sw01', 'nothing-matches']) {
      const ids = expected(q);
      await search.fill(q);
      await expect
        .poll(async () => (await s.page.getByTestId('fleet-count').textContent())?.trim())
        .toBe(`${ids.length} of 10,000 servers`);
      if (ids.length === 0) {
        await expect.poll(() => s.page.getByText(`No server matches “${q}”`).count()).toBe(1);
        continue;
      }
      const rendered = await renderedIps();
      expect(rendered.length).toBeGreaterThan(10);
      expect(rendered).toEqual(ids.map(loopbackIp).slice(0, rendered.length));
      expect(await chips('Zone')).toEqual(tally(ids, zoneOf));
      expect(await chips('Type')).toEqual(tally(ids, typeOf));
    }

    // A chip narrows the search: the uk-london dispatchers among uk-london-sw01xxx.
    await search.fill('uk-london-sw01');
    await s.page
      .getByRole('group', { name: 'Filter by Type' })
      .getByRole('button', { name: /^Dispatcher/ })
      .click();
    const dispatchers = expected('uk-london-sw01').filter((i) => i % 10 === 0);
    await expect
      .poll(async () => (await s.page.getByTestId('fleet-count').textContent())?.trim())
      .toBe(`${dispatchers.length} of 10,000 servers`);
    expect(await renderedIps()).toEqual(dispatchers.map(loopbackIp).slice(0, (await renderedIps()).length));
    // The Type group still offers both (each chip says what it would show with the search alone).
    expect(await chips('Type')).toEqual(tally(expected('uk-london-sw01'), typeOf));
    expect(await chips('Zone')).toEqual({ 'uk-london': dispatchers.length });
  });
});
