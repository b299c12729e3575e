import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { callHost, openSession, type Session } from './fixtures';

// Issue 16 item 6: a cookie for 127.0.0.1 is sent to every port of that address, so another local
// web app the operator opens received the console's token. Now the page holds the token itself
// (sessionStorage, per origin) and sends it as a Bearer header; the only cookie is a single-use
// ticket scoped to /api/session. Here a real Chromium signs in, then visits another local port
// that records everything it is sent.

let session: Session | null = null;
let other: Server | null = null;
afterEach(async () => {
  await session?.close();
  session = null;
  await new Promise<void>((resolve) => (other ? other.close(() => resolve()) : resolve()));
  other = null;
});

function recordingServer(): Promise<{ server: Server; port: number; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>other local app</title><p>other</p>');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, seen })),
  );
}

describe('the token is bound to this host and port', () => {
  it('works in the browser, survives a reload, and never reaches another local port', async () => {
    session = await openSession();
    const { page, context, host } = session;
    await session.open('#/fleet');
    // A call that needs the token, made by the page itself.
    await expect(page.evaluate(() => sessionStorage.getItem('switchyard.token'))).resolves.toBe(host.token);

    const recorder = await recordingServer();
    other = recorder.server;
    const visit = await context.newPage();
    await visit.goto(`http://127.0.0.1:${recorder.port}/`);
    await visit.goto(`http://127.0.0.1:${recorder.port}/api/session`);
    await visit.evaluate(() => fetch('/api/session', { method: 'POST', credentials: 'include' }).then((r) => r.text()));
    expect(recorder.seen.length).toBeGreaterThanOrEqual(3);
    for (const headers of recorder.seen) {
      expect(JSON.stringify(headers)).not.toContain(host.token);
      // Whatever ticket cookie went along is already spent: it buys nothing at our host.
      const cookie = headers.cookie;
      if (cookie === undefined) continue;
      const stolen = await fetch(`${host.origin}/api/session`, { method: 'POST', headers: { cookie } });
      expect(stolen.status).toBe(401);
      expect(await stolen.text()).not.toContain(host.token);
    }
    // Another port's page has no token of ours in its storage either (storage is per origin).
    await expect(visit.evaluate(() => sessionStorage.getItem('switchyard.token'))).resolves.toBeNull();

    await page.reload();
    await page.locator('[data-testid="live-indicator"][data-state="open"]').waitFor();
    await page.locator('main .page, main .page-body').first().waitFor();
    // Scripts keep using the printed token as a Bearer header.
    await expect(callHost(host, 'app:info')).resolves.toMatchObject({ ok: true });
  });
});
