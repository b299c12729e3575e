import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ToolRunBrief } from '../../src/contract/tools-methods';
import { callHost, openSession, ROOT, type Session } from './fixtures';

// Pasted text read like our own runs: a customer's Windows ping in German (a CP850 file, decoded by
// the host), an mtr report, both shown in the run tables and charts, one compared with a live run.

let s: Session;
beforeEach(async () => {
  s = await openSession();
});
afterEach(async () => {
  await s.close();
});

const fixture = (rel: string) => path.join(ROOT, 'test/fixtures', rel);

describe('Paste panel', () => {
  test('a German Windows ping file is recognised, tabled, charted, compared with a live ping and saved', async () => {
    const { page } = s;
    await s.open('#/tools');
    await page.getByTestId('mode-paste').click();
    await page.locator('[data-testid="paste-panel"] input[type="file"]').setInputFiles(fixture('ping/windows-de-abbreviated.txt'));
    const kind = page.locator('[data-testid="paste-kind"][data-kind="ping"]');
    await kind.waitFor();
    expect(await kind.textContent()).toMatch(/Ping · Windows, German · CP850/);
    expect(await page.locator('#paste-text').inputValue()).toMatch(/^Ping wird ausgeführt für 1\.1\.1\.1/);
    expect(await page.getByTestId('ping-sent').textContent()).toBe('5');
    expect(await page.getByTestId('ping-avg').textContent()).toMatch(/16\.0/);
    expect(await page.locator('[data-testid="ping-replies"] tr[data-seq]').count()).toBe(1);
    await page.locator('[data-testid="ping-chart"] canvas').waitFor();

    await page.locator('#paste-target').fill('127.0.0.1');
    await page.getByTestId('compare-live').click();
    const panel = page.getByTestId('compare-panel');
    await panel.waitFor();
    await expect.poll(() => page.getByTestId('compare-verdict').textContent(), { timeout: 20_000 }).toMatch(/^This workstation adds less latency/);
    expect(await panel.locator('[data-testid="ping-replies"]').count()).toBe(2);

    await page.getByTestId('save-pasted').click();
    await expect.poll(async () => (await callHost<ToolRunBrief[]>(s.host, 'tools:list-runs')).data?.filter((r) => r.source === 'pasted').length).toBe(1);
    const runs = (await callHost<ToolRunBrief[]>(s.host, 'tools:list-runs')).data ?? [];
    expect(runs.find((r) => r.source === 'pasted')).toMatchObject({ tool: 'ping', target: '127.0.0.1', params: { flavor: 'windows', language: 'de', encoding: 'cp850' } });
    await expect.poll(() => page.locator('[data-testid="tool-history"] li', { hasText: 'pasted' }).count()).toBe(1);
  });

  test('an mtr report shows its hops (several hosts per hop) and chart; nonsense says why', async () => {
    const { page } = s;
    await s.open('#/tools');
    await page.getByTestId('mode-paste').click();
    await page.locator('[data-testid="paste-panel"] input[type="file"]').setInputFiles(fixture('mtr/report-multipath-r540.txt'));
    await page.locator('[data-testid="paste-kind"][data-kind="mtr"]').waitFor();
    expect(await page.locator('[data-testid="mtr-hops"] tr[data-hop]').count()).toBe(8);
    const hop6 = await page.locator('[data-testid="mtr-hops"] tr[data-hop="6"] td.hosts div').allTextContents();
    expect(hop6).toEqual(['216.239.49.30', '216.239.49.38', '216.239.49.36', '216.239.49.28']);
    await page.locator('[data-testid="mtr-chart"] canvas').waitFor();

    await page.locator('#paste-text').fill('this is not a tool output at all');
    await page.getByRole('button', { name: 'Read', exact: true }).click();
    await page.locator('[data-testid="paste-kind"][data-kind="unknown"]').waitFor();
    expect(await page.getByTestId('paste-reason').textContent()).toMatch(/neither ping, mtr nor a SIP message/);
  });
});
