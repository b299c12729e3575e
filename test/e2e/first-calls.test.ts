import { afterEach, describe, expect, test } from 'vitest';
import { FIRST_CALLS, callBody } from '../../src/ui/lib/transport/first-calls';
import { callHost, openSession, type Session } from './fixtures';

// The calls every screen makes first (src/contract/first-screen.ts) are answered before the
// console asks: written into the page opened from the printed URL, and sent by the console's start
// on a reload (src/ui/lib/transport/first-calls.ts). Each must be exactly what the stores then
// ask, or the answer goes unused and the call is made again: this holds the list to the stores.

const sessions: Session[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

describe('the first calls', () => {
  test('are answered in the page, then on a reload sent once each, and their replies are the ones the screens use', async () => {
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
    const count = (body: string) => calls.filter((c) => c === body).length;
    const shown = async () => {
      await page.locator('.vt-row').first().waitFor();
      // The screens' own reads have all been made once the fleet and the live values show.
      await page.getByTestId('overview-counts').or(page.locator('.vt-row .status-badge, .vt-row [data-status]').first()).first().waitFor();
      await page.waitForTimeout(1_000);
    };
    await s.open('#/fleet');
    await shown();
    // Opened from the printed URL: every answer was in the page, none was asked for.
    for (const { method, input } of FIRST_CALLS) expect(count(callBody(method, input)), method).toBe(0);
    calls.length = 0;
    await page.reload();
    await shown();
    for (const { method, input } of FIRST_CALLS) expect(count(callBody(method, input)), method).toBe(1);
    // No store asked for a first call's method with other input (which would leave the early reply unused).
    const methods = new Set<string>(FIRST_CALLS.map((c) => c.method));
    const twice = calls.filter(
      (c) => methods.has((JSON.parse(c) as { method: string }).method) && !FIRST_CALLS.some((f) => callBody(f.method, f.input) === c),
    );
    expect(twice).toEqual([]);
    // One token exchange per page: the opening from the printed URL, and the reload's.
    expect(sessionRequests).toBe(2);
    // The rows are the host's: the demo fleet, read through the early reply.
    const aliases = await page.locator('.vt-row').allInnerTexts();
    const listed = (await callHost<{ alias: string }[]>(s.host, 'fleet:list-rows')).data ?? [];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.some((row) => aliases.some((text) => text.includes(row.alias)))).toBe(true);
  });
});
