// Screenshots of the snapshot screens: `npx tsx scripts/snapshot-screenshots.ts OUTDIR [THEME]`.
// Starts its own `switchyard serve` on the demo fleet with two certificates, saves a snapshot,
// then changes the live fleet (a server resized, one certificate renamed and re-assigned, one
// removed, one imported) and shoots at 1280×720: the Snapshots page, the comparison with its
// certificate changes, and the snapshot's banner on the fleet and on a server page.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Server } from '../src/contract/fleet';
import type { CertificateRecord } from '../src/services/store/certificates-repo';
import { openStore } from '../src/services/store/store';
import { callHost } from '../test/e2e/fixtures';
import { openStage, ready, SIZES, themedPage } from './screenshot-kit';

const [, SIZE] = SIZES;
const DAY = 86_400_000;

function certificate(id: string, name: string, fingerprint: string, now: number): CertificateRecord {
  return {
    id,
    name,
    subject: `CN=${name}.example.net`,
    issuer: 'CN=Example Issuing CA',
    serialNumber: id,
    sans: { dns: [`${name}.example.net`], ip: [] },
    notBefore: now - 30 * DAY,
    notAfter: now + 300 * DAY,
    fingerprint256: fingerprint,
    chainPem: '-',
    chainLength: 2,
    hasKey: true,
    importedAt: now,
  };
}

const fp = (byte: string) => Array.from({ length: 32 }, () => byte).join(':');

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? 'screenshots');
  const theme = process.argv[3] ?? 'light';
  await mkdir(outDir, { recursive: true });
  const stage = await openStage();
  const { host, browser, dataDir } = stage;
  try {
    await callHost(host, 'fleet:load-demo');
    const servers = (await callHost<Server[]>(host, 'fleet:list-servers')).data ?? [];
    const [sw1, sw2] = servers.filter((s) => s.type === 'switch');
    if (!sw1 || !sw2) throw new Error('the demo fleet has no two switches');
    // Certificates straight into the fleet's database (the host reads it on every call).
    const store = openStore({ file: path.join(dataDir, 'switchyard.db') });
    const now = Date.now();
    store.certificates.insert(certificate('c-edge', 'edge-eu', fp('3A'), now));
    store.certificates.insert(certificate('c-legacy', 'legacy-wildcard', fp('7F'), now));
    store.certificates.assign(sw1.id, 'c-edge', 'server', ['sip.example.net'], now);
    store.certificates.assign(sw2.id, 'c-legacy', 'server', [], now);
    await callHost(host, 'snapshots:save', { file: 'before-renewal', note: 'CHG-2231 before the certificate renewal' });

    store.db.prepare("UPDATE certificates SET name = 'edge-eu-2027' WHERE id = 'c-edge'").run();
    store.certificates.assign(sw1.id, 'c-edge', 'server', ['sip.example.net', 'voice.example.net'], now);
    store.certificates.assign(sw2.id, 'c-edge', 'client', [], now);
    store.certificates.unassignEverywhere('c-legacy');
    store.certificates.delete('c-legacy');
    store.certificates.insert(certificate('c-new', 'media-tls', fp('C4'), now));
    store.close();
    const { id, status: _s, installRecommended: _i, updatePending: _u, createdAt: _c, updatedAt: _d, ...draft } = sw1;
    await callHost(host, 'fleet:update-server', { id, draft: { ...draft, channels: sw1.channels + 250 } });

    await themedPage(browser, SIZE, theme, async (page) => {
      const shot = (name: string) => page.screenshot({ path: path.join(outDir, `${name}-${SIZE.width}x${SIZE.height}-${theme}.png`) });

      await page.goto(`${host.url}#/snapshots`);
      await ready(page);
      await page.locator('tr[data-file="before-renewal.snapshot"]').waitFor();
      await shot('snapshots-page');

      await page.getByTestId('diff-a').selectOption('before-renewal.snapshot');
      await page.getByTestId('diff-b').selectOption('live');
      await page.getByTestId('diff-run').click();
      await page.getByTestId('diff-certificates').waitFor();
      await page.getByTestId('snapshot-diff').scrollIntoViewIfNeeded();
      await shot('snapshot-diff');
      await page.getByTestId('diff-certificates').scrollIntoViewIfNeeded();
      await shot('snapshot-diff-certificates');

      await page.locator('tr[data-file="before-renewal.snapshot"]').getByRole('button', { name: 'Open read-only' }).click();
      await page.getByTestId('snapshot-banner').waitFor();
      await page.locator('.vt-row').first().waitFor();
      // Off the table: rows under the pointer hold their order (and statuses) on purpose.
      await page.mouse.move(640, 20);
      await shot('snapshot-fleet');
      await page.goto(`${host.url}#/servers/${sw1.id}`);
      await page.getByTestId('snapshot-banner').waitFor();
      await page.locator('main .page-body').first().waitFor();
      await shot('snapshot-server');
    });
  } finally {
    await stage.close();
  }
}

await main();
