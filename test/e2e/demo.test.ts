// `switchyard demo` as a newcomer starts it, seen through the API and in Chromium: its own process
// and data folder, the real probes (SIP over UDP/TCP/TLS, fping) against the built-in responder
// on the demo's loopback addresses. The fleet lives: servers online, the overloaded one degraded
// by its 503, the silent one "SIP down, host up"; the table sorts by SIP latency and hides a
// column; stopping the process frees the SIP ports.
//
// In the e2e project on purpose: it answers on the demo addresses (127.0.x.y:5060), which other
// e2e files need silent, and e2e files run one at a time.
import dgram from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo } from '../../src/contract/app';
import type { Server } from '../../src/contract/fleet';
import type { LatestEntry } from '../../src/contract/monitoring-methods';
import { reachabilityOf } from '../../src/domain/monitoring/reachability';
import { startListening, type ServeProcess } from '../helpers/serve-process';
import { launchBrowser } from './fixtures';

let dir: string;
let demo: ServeProcess;
let browser: Browser;
let page: Page;

async function call<T>(method: string, input: unknown = {}): Promise<T> {
  const url = new URL(demo.url);
  const res = await fetch(`${url.origin}/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${url.searchParams.get('token') ?? ''}` },
    body: JSON.stringify({ method, input }),
  });
  const body = (await res.json()) as { ok: boolean; data: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.data;
}

function canBind(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ address, port, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

/** [ip, SIP latency text] of the rendered rows, top to bottom. */
const sipColumn = () =>
  page
    .locator('.vt-row')
    .evaluateAll((rows) =>
      rows.map((r) => [
        r.querySelector('a')?.textContent?.trim() ?? '',
        r.querySelector('[data-testid="cell-sipMs"]')?.textContent?.trim() ?? '',
      ]),
    );

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'switchyard-demo-'));
  // The demo opens its folder twice (import, then serve): slower to start than serve on a busy machine.
  demo = await startListening('demo', ['--data', dir], {}, 60_000);
  // Probe every second with a short deadline so "down" (three losses in a row) shows in seconds.
  await call('settings:update', { probeIntervalSec: 1, sipDeadlineMs: 1_500 });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await demo?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('switchyard demo', () => {
  it('says where its data is, labels itself a demo and imports the demo fleet', async () => {
    expect(demo.stderr()).toContain(`demo data folder ${dir}`);
    const info = await call<AppInfo>('app:info');
    expect(info.demo).toBe(true);
    expect(info.dataDir).toBe(dir);
    expect((await call<Server[]>('fleet:list-servers')).map((s) => s.ip)).toContain('127.0.30.22');
  });

  it('lives: servers online, the 503 one degraded, the silent one down while its host pings', async () => {
    const servers = await call<Server[]>('fleet:list-servers');
    const idOf = (ip: string) => servers.find((s) => s.ip === ip)?.id ?? '';
    let byIp = (_ip: string): LatestEntry | undefined => undefined;
    await expect
      .poll(
        async () => {
          const entries = await call<LatestEntry[]>('monitoring:latest');
          byIp = (ip) => entries.find((e) => e.serverId === idOf(ip));
          const silent = byIp('127.0.30.22');
          return (
            entries.filter((e) => e.status === 'online').length >= 5 &&
            byIp('127.0.30.12')?.status === 'degraded' &&
            silent?.status === 'down' &&
            silent.icmp?.rttMs !== null
          );
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBe(true);
    expect(byIp('127.0.30.12')?.sip?.code).toBe(503);
    expect(reachabilityOf(byIp('127.0.30.22')!)).toBe('sip-down-host-up');
    // The slow one answers from about 150 ms away; the TLS dispatcher over TLS, its pin the demo's
    // (a single probe lost on a loaded machine may leave it degraded for a while: not down).
    expect(byIp('127.0.20.11')?.sip?.rttMs).toBeGreaterThan(100);
    expect(['online', 'degraded']).toContain(byIp('127.0.10.1')?.status);
    expect(byIp('127.0.10.1')?.reason).not.toMatch(/SIP TLS: \d+ lost in a row/);
  });

  it('shows the Demo label, online rows and a "SIP down, host up" row in Chromium', async () => {
    await page.goto(demo.url);
    const badge = page.getByTestId('demo-badge');
    await badge.waitFor();
    expect(await badge.getAttribute('title')).toMatch(/demo fleet answered by a built-in responder/i);
    await expect.poll(() => page.locator('.vt-row [data-status="online"]').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
    const silentRow = page.locator('.vt-row', { hasText: '127.0.30.22' });
    await expect.poll(() => silentRow.locator('[data-status="down"]').textContent(), { timeout: 10_000 }).toContain('SIP down, host up');
    // The hover card says the same.
    await silentRow.getByTestId('status-icon').hover();
    await expect.poll(() => page.getByTestId('latency-card').textContent()).toContain('SIP down, host up');
    await page.mouse.move(5, 880);
  });

  it('sorts by SIP latency, fastest first, and keeps the slow and silent servers last', async () => {
    await page.locator('.sort-btn', { hasText: /^SIP/ }).first().click();
    await page.mouse.move(5, 880);
    await expect
      .poll(
        async () => {
          const rows = await sipColumn();
          const values = rows.map(([, t = '']) => (/^\d/.test(t) ? Number.parseFloat(t) : Number.POSITIVE_INFINITY));
          return values.length > 5 && values.every((v, i) => i === 0 || (values[i - 1] ?? 0) <= v);
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    const order = (await sipColumn()).map(([ip]) => ip ?? '');
    expect(order.indexOf('127.0.20.11')).toBeGreaterThan(order.indexOf('127.0.10.11'));
    expect(order.indexOf('127.0.30.22')).toBeGreaterThan(order.indexOf('127.0.20.11'));
  });

  it('hides a column from the chooser, and the choice survives a reload', async () => {
    const header = page.locator('[role="columnheader"]', { hasText: 'ICMP loss' });
    expect(await header.count()).toBe(1);
    await page.getByTestId('columns-button').click();
    await page.getByTestId('column-chooser').getByLabel('ICMP loss').uncheck();
    await expect.poll(() => header.count()).toBe(0);
    expect(await page.locator('[data-testid="cell-icmpLoss"]').count()).toBe(0);
    await page.reload();
    await page.locator('.vt-row').first().waitFor();
    expect(await page.locator('[role="columnheader"]', { hasText: 'ICMP loss' }).count()).toBe(0);
    expect(await page.locator('[role="columnheader"]', { hasText: 'ICMP' }).count()).toBe(1);
  });

  it('counts each status chip within the other filters', async () => {
    const onlineChip = page.getByRole('group', { name: 'Filter by Status' }).getByRole('button', { name: /^Online/ });
    const count = async () => Number((await onlineChip.locator('.n').textContent()) ?? 'NaN');
    const all = await count();
    await page
      .getByRole('group', { name: 'Filter by Zone' })
      .getByRole('button', { name: /^UK-London/ })
      .click();
    await expect.poll(count).toBeLessThan(all);
    // The chip's count is what turning it on shows.
    const expected = await count();
    await onlineChip.click();
    await expect.poll(() => page.locator('.vt-row').count()).toBe(expected);
  });

  it('stops its responder with the process', async () => {
    expect(await canBind('127.0.10.2', 5060)).toBe(false);
    const exit = await demo.stop();
    expect(exit.code).toBe(0);
    expect(await canBind('127.0.10.2', 5060)).toBe(true);
  });
});
