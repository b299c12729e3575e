// Opening a snapshot file in a browser console: picked or dropped on the Snapshots page, sent to
// the loopback host, opened read-only with the banner; a file that is not a snapshot is refused
// beside the drop zone with the host's message, and nothing of it stays in the snapshots folder.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { callHost, makeDataDir, openSession, type Session } from './fixtures';

const sessions: Session[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('snapshot upload', () => {
  test('a picked snapshot opens read-only; a dropped file that is not one is refused and removed', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    const s = await openSession({ dataDir });
    sessions.push(s);
    const { page, host } = s;
    const folder = path.join(dataDir, 'snapshots');
    // A snapshot "from the ticket": saved here, its bytes kept, the file removed from the folder.
    expect((await callHost(host, 'fleet:load-demo')).ok).toBe(true);
    expect((await callHost(host, 'snapshots:save', { file: 'saved.snapshot', note: 'INC-815 as attached' })).ok).toBe(true);
    const bytes = readFileSync(path.join(folder, 'saved.snapshot'));
    rmSync(path.join(folder, 'saved.snapshot'));

    await s.open('#/snapshots');
    await page.getByTestId('snapshots-empty').waitFor();
    await page
      .getByTestId('snapshot-file-input')
      .setInputFiles({ name: 'INC-815.snapshot', mimeType: 'application/octet-stream', buffer: bytes });
    await page.getByTestId('snapshot-banner').waitFor();
    expect(await page.getByTestId('snapshot-file').textContent()).toBe('INC-815.snapshot');
    await expect.poll(() => page.url()).toMatch(/#\/fleet$/);
    expect(readdirSync(folder)).toEqual(['INC-815.snapshot']);

    // Dropped: a text file with the right extension.
    await page.goto(`${host.url}#/snapshots`);
    await page.locator('tr[data-file="INC-815.snapshot"]').waitFor();
    await page.getByTestId('snapshot-drop').evaluate((zone) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['minutes of the bridge call, not a database'], 'minutes.snapshot'));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    const error = page.getByTestId('snapshot-open-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('minutes.snapshot is not a Switchyard snapshot: it is not a SQLite database at all.');
    expect(readdirSync(folder)).toEqual(['INC-815.snapshot']);
    // Still showing the snapshot opened before: a refused file changes nothing.
    expect(await page.getByTestId('snapshot-file').textContent()).toBe('INC-815.snapshot');
  });
});
