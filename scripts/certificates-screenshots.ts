// Screenshots of certificates on servers: `npx tsx scripts/certificates-screenshots.ts [OUTDIR]`
// (default .tmp/screenshots/certificates). Starts the certificate lab (a real sshd and a real
// Kamailio with TLS, see test/helpers/cert-lab.ts) and its own `switchyard serve`, assigns test1.com
// and test2.com (installed and checked for real) and an expired certificate for old.test3.com (so a
// finding shows), then shoots the server's Certificates tab, with the tls.cfg written opened, and
// the Certificates page at 1600×900 and 1280×720 in both themes.
import type { ServerDeploy } from '../src/contract/cert-deploy-methods';
import { defaultServerDraft } from '../src/domain/fleet/defaults';
import { startCertLab } from '../test/helpers/cert-lab';
import type { Host } from '../test/e2e/fixtures';
import { copyToDocsAs, ok, openStage, outputDir, shootAll, until, type Shot } from './screenshot-kit';

/** Waits for the install and its checks to end. */
async function settled(host: Host, serverId: string): Promise<void> {
  await until('the install to end', async () => {
    const status = await ok<ServerDeploy>(host, 'certs:deploy-status', { serverId });
    return !status.running && status.install?.state !== 'running' && status.checks.length > 0 ? true : null;
  });
}

async function main(): Promise<void> {
  const outDir = await outputDir('.tmp/screenshots/certificates');
  const lab = await startCertLab();
  const stage = await openStage({ prepare: (dataDir) => lab.prepare(dataDir) });
  const { host, browser } = stage;
  try {
    const zone = await ok<{ id: string }>(host, 'fleet:create-zone', { name: 'US-East', description: '' });
    const server = await ok<{ id: string }>(host, 'fleet:create-server', lab.serverInput(zone.id, defaultServerDraft(zone.id) as never));
    const ids: string[] = [];
    for (const leaf of [lab.leaves.test1, lab.leaves.test2, lab.leaves.expired])
      ids.push((await ok<{ id: string }>(host, 'certs:import', { pem: leaf.certPem, keyPem: leaf.keyPem })).id);
    await ok(host, 'certs:assign', {
      serverId: server.id,
      certificateId: ids[0],
      type: 'server',
      domains: ['test1.com', 'sip.test1.com'],
      install: false,
    });
    await ok(host, 'certs:assign', {
      serverId: server.id,
      certificateId: ids[2],
      type: 'server',
      domains: ['old.test3.com'],
      install: false,
    });
    await ok(host, 'certs:assign', { serverId: server.id, certificateId: ids[1], type: 'server', domains: ['test2.com'] });
    await settled(host, server.id);
    await ok(host, 'acme:save-settings', {
      directoryUrl: 'https://acme-staging-v02.api.letsencrypt.org/directory',
      email: 'noc@example.net',
    });

    const shots: Shot[] = [
      {
        name: 'cert-check',
        hash: `#/servers/${server.id}/certificates`,
        prepare: async (page) => void (await page.locator('[data-testid="cert-checks"] tr[data-domain="test2.com"]').waitFor()),
      },
      {
        name: 'cert-tls-cfg',
        hash: `#/servers/${server.id}/certificates`,
        prepare: async (page) => {
          await page.getByRole('button', { name: 'Show the tls.cfg written' }).click();
          await page.locator('[data-testid="cert-tls-cfg"]').scrollIntoViewIfNeeded();
        },
      },
      {
        name: 'certs-page',
        hash: '#/certificates',
        prepare: async (page) => void (await page.locator('[data-testid="certs-served"] tr[data-server="lab-sbc1"]').waitFor()),
      },
      {
        name: 'certs-page-acme',
        hash: '#/certificates',
        prepare: async (page) => {
          await page.locator('[data-testid="acme"]').scrollIntoViewIfNeeded();
          await page.locator('[data-testid="acme-directory"]').waitFor();
        },
      },
    ];
    await shootAll(browser, host.url, outDir, shots, { pointerAway: true, settle: 300 });
    await copyToDocsAs(outDir, [
      ['cert-check-1600x900-dark', 'certificates-served-dark'],
      ['certs-page-1600x900-light', 'certificates-page-light'],
    ]);
  } finally {
    await stage.close();
    await lab.stop();
  }
}

await main();
