import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ToolRunBrief } from '../../src/contract/tools-methods';
import { callHost, openSession, type Session } from './fixtures';

// Ping and MTR from this workstation, live in Chromium, against the real binaries on loopback.

let s: Session;
beforeEach(async () => {
  s = await openSession();
});
afterEach(async () => {
  await s.close();
});

/** True when the run panel shows at least `rows` replies (or hops) while still running. */
async function seenLive(selector: string, rows: number): Promise<void> {
  await s.page.waitForFunction(
    ({ selector, rows }) => {
      // This file is compiled without the DOM's types; in the page, globalThis is the window.
      const doc = (
        globalThis as unknown as {
          document: {
            querySelector(q: string): { getAttribute(n: string): string | null } | null;
            querySelectorAll(q: string): { length: number };
          };
        }
      ).document;
      return (
        doc.querySelector('[data-testid="run-panel"]')?.getAttribute('data-status') === 'running' &&
        doc.querySelectorAll(selector).length >= rows
      );
    },
    { selector, rows },
    { timeout: 20_000, polling: 50 },
  );
}

async function pickTool(name: 'Ping' | 'MTR'): Promise<void> {
  await s.page.locator('[data-testid="run-form"] .seg label', { hasText: name }).click();
}

describe('Tools page: local runs', () => {
  test('a ping to 127.0.0.1 fills the table and summary while it runs, then is kept in the history', async () => {
    const { page } = s;
    await s.open('#/tools');
    await page.getByLabel('Target').fill('127.0.0.1');
    await page.getByLabel('Count').fill('8');
    await page.getByLabel('Interval s').fill('0.3');
    await page.getByRole('button', { name: 'Run ping' }).click();
    await seenLive('[data-testid="ping-replies"] tbody tr[data-seq]', 2);
    await page.locator('[data-testid="ping-chart"] canvas').waitFor();
    await expect.poll(() => page.getByTestId('run-panel').getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    expect(await page.locator('[data-testid="ping-replies"] tbody tr[data-seq]').count()).toBe(8);
    expect(await page.getByTestId('ping-sent').textContent()).toBe('8');
    expect(await page.getByTestId('ping-loss').textContent()).toMatch(/0%/);
    await expect.poll(() => page.locator('[data-testid="tool-history"] li[data-status="done"]').count()).toBe(1);

    // Export: the CSV has a header and one line per reply.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^ping-127\.0\.0\.1-\d{8}-\d{4}\.csv$/);
  });

  test('a bad target is refused beside the field and nothing runs', async () => {
    const { page } = s;
    await s.open('#/tools');
    await page.getByLabel('Target').fill('127.0.0.1;reboot');
    await page.getByRole('button', { name: 'Run ping' }).click();
    const error = page.locator('[id="tool-target-error"]');
    await expect.poll(() => error.textContent()).toMatch(/"127\.0\.0\.1;reboot" contains ";"/);
    expect(await page.getByLabel('Target').getAttribute('aria-invalid')).toBe('true');
    expect((await callHost<ToolRunBrief[]>(s.host, 'tools:list-runs')).data).toEqual([]);
  });

  test('an MTR to 127.0.0.1 shows its hop table live; two runs compare side by side', async () => {
    const { page } = s;
    await s.open('#/tools');
    await pickTool('MTR');
    await page.getByLabel('Target').fill('127.0.0.1');
    await page.getByLabel('Rounds').fill('2');
    await page.getByRole('button', { name: 'Run MTR' }).click();
    await seenLive('[data-testid="mtr-hops"] tbody tr[data-hop]', 1);
    expect(await page.locator('[data-testid="mtr-hops"] tr[data-hop="1"] td.hosts').textContent()).toContain('127.0.0.1');
    await expect.poll(() => page.getByTestId('run-panel').getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    await page.locator('[data-testid="mtr-chart"] canvas').waitFor();

    // A second run to the same target, then both ticked and compared.
    await pickTool('Ping');
    await page.getByLabel('Count').fill('3');
    await page.getByLabel('Interval s').fill('0.2');
    await page.getByRole('button', { name: 'Run ping' }).click();
    await expect.poll(() => page.getByTestId('run-panel').getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    await s.page.locator('[data-testid="run-panel"] button:has-text("■ Cancel")').waitFor({ state: 'detached' });
    await pickTool('MTR');
    await page.getByRole('button', { name: 'Run MTR' }).click();
    await expect.poll(() => page.getByTestId('run-panel').getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    const mtrRuns = page.locator('[data-testid="tool-history"] li', { hasText: 'MTR' });
    await expect.poll(() => mtrRuns.count()).toBe(2);
    await mtrRuns.nth(0).getByRole('checkbox').check();
    await mtrRuns.nth(1).getByRole('checkbox').check();
    await page.getByTestId('compare-picked').click();
    const verdict = page.getByTestId('compare-verdict');
    await expect.poll(() => verdict.textContent()).toMatch(/this workstation/);
    expect(await page.locator('[data-testid="compare-panel"] [data-testid="mtr-hops"]').count()).toBe(2);
  });
});
