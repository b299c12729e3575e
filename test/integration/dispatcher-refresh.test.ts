import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LatestSummary } from '../../src/contract/monitoring-methods';
import { defaultServerDraft } from '../../src/domain/fleet/defaults';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { createDispatcherViewService } from '../../src/services/dispatcher/dispatcher-view-service';
import { openStore, type Store } from '../../src/services/store/store';

// The load poll reads every dispatcher's destinations and shows none of them: `refresh` keeps what
// was read (or why it failed) in a real SQLite store without comparing it with the whole fleet,
// which is what `view` does for a page that asks. At 10,000 servers and 1,000 dispatchers the
// comparison on every poll kept the host busy for seconds at a time. No server is contacted here:
// the command's failure is what is kept (the real read is in dispatcher-view-kamailio.test.ts).

let store: Store;
let probesAsked: number;
const LB = 'lb-1';

function service() {
  return createDispatcherViewService({
    store,
    exec: () => Promise.reject(new Error('connect ECONNREFUSED')),
    recipes: defaultRecipeBook,
    clock: () => 5_000,
    probes: (ids): LatestSummary[] => {
      probesAsked += ids.length;
      return [];
    },
  });
}

beforeEach(() => {
  probesAsked = 0;
  store = openStore({ file: ':memory:' });
  store.zones.insert({ id: 'z1', name: 'EU', description: '', createdAt: 0 });
  for (const [id, ip, type] of [
    [LB, '192.0.2.1', 'dispatcher'],
    ['sw-1', '192.0.2.11', 'switch'],
    ['sw-2', '192.0.2.12', 'switch'],
  ] as const) {
    store.servers.insert({
      ...defaultServerDraft('z1'),
      ip,
      alias: id,
      type,
      id,
      installRecommended: false,
      updatePending: false,
      createdAt: 0,
      updatedAt: 0,
    });
  }
});
afterEach(() => store.close());

describe("a dispatcher's destinations read on the load poll", () => {
  it('are kept without building the view (no probe of the fleet is looked up)', async () => {
    const views = service();
    await views.refresh(LB);
    expect(probesAsked).toBe(0);
    // What was kept is what a page asking afterwards is shown.
    const view = views.view(LB);
    expect(view.errorAt).toBe(5_000);
    expect(view.error).toMatch(/could not be reached over SSH: connect ECONNREFUSED/);
    expect(probesAsked).toBe(3);
  });

  it('read when asked still answers with the view', async () => {
    const view = await service().read(LB);
    expect(view.serverId).toBe(LB);
    expect(view.error).toMatch(/lb-1 \(192\.0\.2\.1\)/);
  });

  it('a switch has no destinations to read', async () => {
    await expect(service().refresh('sw-1')).rejects.toThrow(/is a switch/);
  });
});
