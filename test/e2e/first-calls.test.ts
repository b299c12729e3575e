import { afterEach, describe, expect, test } from 'vitest';
import { FIRST_CALLS, callBody } from '../../src/ui/lib/transport/first-calls';
import { callHost, openSession, type Session } from './fixtures';

// The boot script sends the calls every screen makes first while the console's scripts load
// (src/ui/lib/transport/first-calls.ts). Each must be exactly what the stores then ask, or the
// reply goes unused and the call is made twice: this holds the list to the stores.

const sessions: Session[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

describe('the first calls', () => {
  test('are sent once, before the console has started, and their replies are the ones the screens use', async () => {
    const s = await openSession();
    sessions.push(s);
    expect((await callHost(s.host, 'fleet:load-demo')).ok).toBe(true);
    const { page } = s;
    const calls: string[] = [];
    let sessionRequests = 0;
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/session') sessionRequests += 1;
      if (url.pathname === '/api/call') calls.push(request.postData() ?? '');
    });
    await s.open('#/fleet');
    await page.locator('.vt-row').first().waitFor();
    // The screens' own reads have all been made once the fleet and the live values show.
    await page.getByTestId('overview-counts').or(page.locator('.vt-row .status-badge, .vt-row [data-status]').first()).first().waitFor();
    await page.waitForTimeout(1_000);
    const count = (body: string) => calls.filter((c) => c === body).length;
    for (const { method, input } of FIRST_CALLS) expect(count(callBody(method, input)), method).toBe(1);
    // No store asked for a first call's method with other input (which would leave the early reply unused).
    const methods = new Set<string>(FIRST_CALLS.map((c) => c.method));
    const twice = calls.filter(
      (c) => methods.has((JSON.parse(c) as { method: string }).method) && !FIRST_CALLS.some((f) => callBody(f.method, f.input) === c),
    );
    expect(twice).toEqual([]);
    expect(sessionRequests).toBe(1);
    // The rows are the host's: the demo fleet, read through the early reply.
    const aliases = await page.locator('.vt-row').allInnerTexts();
    const listed = (await callHost<{ alias: string }[]>(s.host, 'fleet:list-rows')).data ?? [];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.some((row) => aliases.some((text) => text.includes(row.alias)))).toBe(true);
  });
});
