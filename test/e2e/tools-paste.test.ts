import { readFileSync } from 'node:fs';
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
    // Five sent, five received, one shown: the other four were cut from the paste, not lost.
    expect(await page.locator('[data-testid="ping-replies"] tr[data-lost]').count()).toBe(0);
    expect(await page.locator('[data-testid="ping-replies"] tr[data-skipped="4"]').textContent()).toMatch(/^2–5\s*Not in the pasted text/);
    await page.locator('[data-testid="ping-chart"] canvas').waitFor();

    await page.locator('#paste-target').fill('127.0.0.1');
    await page.getByTestId('compare-live').click();
    const panel = page.getByTestId('compare-panel');
    await panel.waitFor();
    await expect
      .poll(() => page.getByTestId('compare-verdict').textContent(), { timeout: 20_000 })
      .toMatch(/^This workstation adds less latency/);
    expect(await panel.locator('[data-testid="ping-replies"]').count()).toBe(2);

    await page.getByTestId('save-pasted').click();
    await expect
      .poll(async () => (await callHost<ToolRunBrief[]>(s.host, 'tools:list-runs')).data?.filter((r) => r.source === 'pasted').length)
      .toBe(1);
    const runs = (await callHost<ToolRunBrief[]>(s.host, 'tools:list-runs')).data ?? [];
    expect(runs.find((r) => r.source === 'pasted')).toMatchObject({
      tool: 'ping',
      target: '127.0.0.1',
      params: { flavor: 'windows', language: 'de', encoding: 'cp850' },
    });
    await expect.poll(() => page.locator('[data-testid="tool-history"] li', { hasText: 'pasted' }).count()).toBe(1);
  });

  test('an mtr report and an interactive mtr screen show their hops; a ping with a gap shows its lost rows; nonsense says why', async () => {
    const { page } = s;
    await s.open('#/tools');
    await page.getByTestId('mode-paste').click();
    await page.locator('[data-testid="paste-panel"] input[type="file"]').setInputFiles(fixture('mtr/report-multipath-r540.txt'));
    await page.locator('[data-testid="paste-kind"][data-kind="mtr"]').waitFor();
    expect(await page.locator('[data-testid="mtr-hops"] tr[data-hop]').count()).toBe(8);
    const hop6 = await page.locator('[data-testid="mtr-hops"] tr[data-hop="6"] td.hosts div').allTextContents();
    expect(hop6).toEqual(['216.239.49.30', '216.239.49.38', '216.239.49.36', '216.239.49.28']);
    await page.locator('[data-testid="mtr-chart"] canvas').waitFor();

    // The interactive screen as copied from a terminal: Snt per hop, waiting hops, extra addresses.
    await page.locator('#paste-text').fill(readFileSync(fixture('mtr/screen-asn-ecmp-waiting.txt'), 'utf8'));
    await page.getByRole('button', { name: 'Read', exact: true }).click();
    await expect.poll(() => page.getByTestId('paste-kind').textContent()).toMatch(/MTR · interactive screen/);
    expect(await page.locator('[data-testid="mtr-hops"] tr[data-hop]').count()).toBe(17);
    expect(await page.locator('[data-testid="mtr-hops"] tr[data-hop="10"] td.hosts div').allTextContents()).toEqual([
      '142.250.56.219',
      '209.85.254.20',
      '142.251.49.24',
    ]);

    // seq 4 never answered, and the count says the sixth did not either.
    const gap = [
      'PING 127.0.0.9 (127.0.0.9) 56(84) bytes of data.',
      ...[1, 2, 3, 5].map((n) => `64 bytes from 127.0.0.9: icmp_seq=${n} ttl=64 time=0.0${n} ms`),
      '',
      '--- 127.0.0.9 ping statistics ---',
      '6 packets transmitted, 4 received, 33.3333% packet loss, time 5006ms',
      'rtt min/avg/max/mdev = 0.010/0.027/0.050/0.015 ms',
    ].join('\n');
    await page.locator('#paste-text').fill(gap);
    await page.getByRole('button', { name: 'Read', exact: true }).click();
    const rows = page.locator('[data-testid="ping-replies"] tr[data-seq]');
    await expect
      .poll(() =>
        rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-seq') ?? ''}${tr.hasAttribute('data-lost') ? ' lost' : ''}`)),
      )
      .toEqual(['1', '2', '3', '4 lost', '5', '6 lost']);
    expect(await page.locator('[data-testid="ping-replies"] tr[data-seq="4"]').textContent()).toMatch(/Lost: no reply/);
    await page.locator('[data-testid="ping-chart"] canvas').waitFor();

    await page.locator('#paste-text').fill('this is not a tool output at all');
    await page.getByRole('button', { name: 'Read', exact: true }).click();
    await page.locator('[data-testid="paste-kind"][data-kind="unknown"]').waitFor();
    expect(await page.getByTestId('paste-reason').textContent()).toMatch(/neither ping, mtr nor a SIP message/);
  });

  test('a SIP message dropped from a trace is inspected, saved, listed, opened from the history and exported', async () => {
    const { page } = s;
    const file = fixture('sip/rfc4475/3.3.15-sdp01.sip');
    await s.open('#/tools');
    await page.getByTestId('mode-paste').click();
    await page.locator('[data-testid="paste-panel"] input[type="file"]').setInputFiles(file);
    await page.locator('[data-testid="paste-kind"][data-kind="sip"]').waitFor();
    expect(await page.locator('[data-testid="paste-panel"] [data-testid="sip-valid"]').textContent()).toMatch(/Valid/);
    // Ping and MTR only: there is nothing to run live against a SIP message.
    expect(await page.getByTestId('compare-live').count()).toBe(0);

    await page.getByTestId('save-pasted').click();
    const entry = page.locator('[data-testid="tool-history"] li', { hasText: 'SIP message' });
    await entry.waitFor();
    expect(await entry.textContent()).toMatch(/sip:user@example\.com[\s\S]*pasted[\s\S]*INVITE · valid/);
    expect(await page.getByTestId('save-pasted').textContent()).toMatch(/Saved/);

    await entry.locator('button.open').click();
    const panel = page.getByTestId('run-panel');
    await panel.waitFor();
    expect(await panel.locator('h2').textContent()).toMatch(/SIP message\s+sip:user@example\.com/);
    expect(await panel.locator('[data-testid="sip-inspector"] code').first().textContent()).toMatch(
      /INVITE\s+sip:user@example\.com\s+SIP\/2\.0/,
    );
    expect(await panel.locator('[data-testid="sip-valid"]').textContent()).toMatch(/Valid/);

    const [raw] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Raw text' }).click()]);
    expect(raw.suggestedFilename()).toMatch(/^sip-sip_user_example\.com-.*\.txt$/);
    expect(readFileSync(await raw.path(), 'latin1')).toBe(readFileSync(file, 'latin1'));
    const [json] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'JSON' }).click()]);
    expect(JSON.parse(readFileSync(await json.path(), 'utf8'))).toMatchObject({
      tool: 'sip',
      source: 'pasted',
      result: { kind: 'request', method: 'INVITE', valid: true },
    });
  });

  test('a SIP message pasted from the clipboard keeps its CRLF: inspected as valid and saved as it was', async () => {
    const { page } = s;
    const message = readFileSync(fixture('sip/rfc4475/3.3.15-sdp01.sip'), 'latin1');
    await s.open('#/tools');
    await page.getByTestId('mode-paste').click();
    // What a paste does: the box shows the text with LF line ends, the event carries the clipboard's own.
    await page.locator('#paste-text').fill(message.replace(/\r\n/g, '\n'));
    await page.locator('#paste-text').evaluate((box, raw) => {
      const data = new DataTransfer();
      data.setData('text/plain', raw);
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    }, message);
    await page.locator('[data-testid="paste-kind"][data-kind="sip"]').waitFor();
    expect(await page.locator('[data-testid="paste-panel"] [data-testid="sip-valid"]').textContent()).toMatch(/Valid/);
    expect(await page.locator('[data-testid="paste-panel"] [data-testid="sip-problems"]').count()).toBe(0);
    await page.getByTestId('save-pasted').click();
    await expect.poll(async () => (await callHost<ToolRunBrief[]>(s.host, 'tools:list-runs')).data?.length).toBe(1);
    const [brief] = (await callHost<ToolRunBrief[]>(s.host, 'tools:list-runs')).data ?? [];
    const run = await callHost<{ rawOutput: string }>(s.host, 'tools:get-run', { id: brief?.id });
    expect(run.data?.rawOutput).toBe(message);

    // Edited after the paste: what the box shows is what is read.
    await page.locator('#paste-text').fill(message.replace(/\r\n/g, '\n').replace('INVITE sip:user', 'INVITE sip:other'));
    await page.getByRole('button', { name: 'Read', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="paste-panel"] [data-testid="sip-problems"]').textContent()).toMatch(/bare-lf/);
  });
});
