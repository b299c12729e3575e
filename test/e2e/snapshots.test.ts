// Snapshots in Chromium: save one with a note, change the live fleet, open the snapshot
// read-only (banner, no edit controls, the host's refusal), compare it with the live fleet, return.
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { callHost, openSession, type Session } from './fixtures';

const sessions: Session[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

// Set SWITCHYARD_SNAPSHOT_SHOTS to a folder to keep screenshots of each step for review.
const SHOTS = process.env['SWITCHYARD_SNAPSHOT_SHOTS'];
async function shot(session: Session, name: string): Promise<void> {
  if (SHOTS) await session.page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

describe('snapshots', () => {
  test('save, open read-only, refuse edits, compare with the live fleet, return', async () => {
    const s = await openSession({ viewport: { width: 1600, height: 900 } });
    sessions.push(s);
    const { page, host } = s;
    expect((await callHost(host, 'fleet:load-demo')).ok).toBe(true);
    const servers = (await callHost<Server[]>(host, 'fleet:list-servers')).data ?? [];
    const target = servers[0]!;

    await s.open('#/snapshots');
    await page.getByTestId('snapshots-empty').waitFor();
    await page.getByTestId('snapshot-name').fill('before-resize');
    await page.getByTestId('snapshot-note').fill('INC-4711 before the resize');
    await page.getByTestId('snapshot-save').click();
    const row = page.locator('tr[data-file="before-resize.snapshot"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('INC-4711 before the resize');

    // A name that is a path is refused beside the field.
    await page.getByTestId('snapshot-name').fill('../escape');
    await page.getByTestId('snapshot-save').click();
    await page.getByText('is a path: give only a file name').waitFor();

    // The live fleet moves on: one server's CPS raised (channels change only through Resize Capacity).
    const { id, status: _s, installRecommended: _i, updatePending: _u, createdAt: _c, updatedAt: _d, ...draftOf } = target;
    const resized = await callHost(host, 'fleet:update-server', { id, draft: { ...draftOf, cps: target.cps + 25 } });
    expect(resized.ok).toBe(true);
    await shot(s, 'snapshots-page');

    // Open it read-only: the banner, the fleet as it was, no edit controls.
    await row.getByRole('button', { name: 'Open read-only' }).click();
    await page.getByTestId('snapshot-banner').waitFor();
    expect(await page.getByTestId('snapshot-file').textContent()).toBe('before-resize.snapshot');
    await expect.poll(() => page.url()).toMatch(/#\/fleet$/);
    await page.getByTestId('read-only-badge').waitFor();
    expect(await page.getByRole('link', { name: '+ Add server' }).count()).toBe(0);
    await shot(s, 'snapshot-fleet');

    await page.goto(`${host.url}#/servers/${id}/config`);
    await page.getByTestId('snapshot-banner').waitFor();
    await page.locator('[id="config.webrtcTls"]').waitFor();
    expect(await page.locator('[id="config.webrtcTls"]').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    await shot(s, 'snapshot-server');

    // The named lists (zones, clusters) are shown as they were, without create, rename or delete.
    for (const [hash, table] of [
      ['#/zones', 'zones-table'],
      ['#/clusters', 'clusters-table'],
    ] as const) {
      await page.goto(`${host.url}${hash}`);
      await page.getByTestId(table).locator('tbody tr').first().waitFor();
      expect(await page.getByRole('button', { name: /^(Create|Rename|Delete)/ }).count()).toBe(0);
      expect(await page.locator('form[aria-label^="Create a"]').count()).toBe(0);
    }

    // An edit sent anyway from the page is refused by the host, with the snapshot's message.
    const refused = await page.evaluate(async (serverId) => {
      // With the page's own credential: the token it keeps in sessionStorage for this origin.
      const token = sessionStorage.getItem('switchyard.token') ?? '';
      const res = await fetch('/api/call', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ method: 'fleet:delete-servers', input: { ids: [serverId] } }),
      });
      return (await res.json()) as { ok: boolean; error?: { code: string; message: string } };
    }, id);
    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe('read-only');
    expect(refused.error?.message).toMatch(/^This is a snapshot taken .* \(before-resize\.snapshot\): read-only\./);
    // The snapshot shows the old CPS.
    const inSnapshot = (await callHost<Server[]>(host, 'fleet:list-servers')).data ?? [];
    expect(inSnapshot.find((x) => x.id === id)?.cps).toBe(target.cps);

    // Compare the snapshot with the live fleet: the changed server, field by field.
    await page.goto(`${host.url}#/snapshots`);
    await page.getByTestId('save-unavailable').waitFor();
    await page.getByTestId('diff-a').selectOption('before-resize.snapshot');
    await page.getByTestId('diff-b').selectOption('live');
    await page.getByTestId('diff-run').click();
    const changed = page.locator(`[data-testid="diff-servers"] li.changed[data-key="${target.ip}"]`);
    await changed.waitFor();
    const text = (await changed.textContent()) ?? '';
    expect(text).toContain('cps');
    expect(text).toContain(String(target.cps));
    expect(text).toContain(String(target.cps + 25));
    await shot(s, 'snapshot-diff');

    // Back to the live fleet, untouched and editable.
    await page.getByTestId('return-live').click();
    await page.getByTestId('snapshot-banner').waitFor({ state: 'detached' });
    await page.goto(`${host.url}#/fleet`);
    await page.getByRole('link', { name: '+ Add server' }).waitFor();
    const live = (await callHost<Server[]>(host, 'fleet:list-servers')).data ?? [];
    expect(live.find((x) => x.id === id)?.cps).toBe(target.cps + 25);
  });
});
