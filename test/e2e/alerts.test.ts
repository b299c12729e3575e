// Alerts in Chromium against a real `switchyard serve` (each test its own data folder): a rule
// override saved and an impossible one refused beside its field; a real "Server down" alert on a
// loopback address where nothing answers SIP, counted in the top bar, notified through the
// desktop channel (a click opens the server) and acknowledged with a note; a silence shown on the
// fleet row and the server page, then ended; a Slack channel whose URL is only ever "set". The
// action-maintenance flow, which needs an sshd, is in alerts-maintenance.test.ts.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Alert, AlertRule } from '../../src/contract/alerts';
import type { Channel } from '../../src/contract/alerts-delivery';
import { defaultServerDraft } from '../../src/domain/fleet/defaults';
import { callHost, openSession, type Session } from './fixtures';

/** Nothing listens here: SIP OPTIONS go unanswered, so the server goes down for real. */
const SILENT_IP = '127.0.61.9';

let s: Session;
beforeEach(async () => {
  s = await openSession();
});
afterEach(async () => {
  await s.close();
});

async function ok<T>(method: string, input: unknown = {}): Promise<T> {
  const result = await callHost<T>(s.host, method, input);
  if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
  return result.data as T;
}

async function addServer(ip: string, alias: string): Promise<{ id: string; zoneId: string }> {
  const zone = await ok<{ id: string }>('fleet:create-zone', { name: 'Loopback', description: '' });
  const server = await ok<{ id: string }>('fleet:create-server', {
    ...defaultServerDraft(zone.id),
    ip,
    alias,
    type: 'switch',
    channels: 100,
    cps: 10,
  });
  return { id: server.id, zoneId: zone.id };
}

describe('alerts in the browser', () => {
  test('a rule override is saved from the Rules tab; an impossible one is refused beside its field', async () => {
    const { page } = s;
    const zone = await ok<{ id: string }>('fleet:create-zone', { name: 'EU-West', description: '' });
    // The host checks a rule against the servers it applies to: the zone needs one.
    await ok('fleet:create-server', {
      ...defaultServerDraft(zone.id),
      ip: '127.0.61.11',
      alias: 'eu-sw1',
      type: 'switch',
      channels: 100,
      cps: 10,
    });
    await s.open('#/alerts/rules');
    const latency = page.locator('[data-testid="rule-kind"][data-kind="latency"]');
    await latency.getByTestId('override-level').selectOption('zone');
    await latency.getByTestId('override-target').selectOption(zone.id);
    await latency.getByTestId('add-override-latency').click();
    const form = latency.getByTestId('rule-form');
    await form.locator('#rule-threshold').fill('100');
    await form.getByTestId('save-rule').click();

    const row = latency.locator('[data-testid="rule-row"][data-scope="zone"]');
    await expect.poll(() => row.locator('[data-field="threshold"]').textContent()).toMatch(/100 ms/);
    const saved = (await ok<{ rules: AlertRule[] }>('alerts:list-rules')).rules.find((r) => r.kind === 'latency' && r.scope.id === zone.id);
    expect(saved?.params).toEqual({ threshold: 100 });

    // N = 10 of a window of M = 5 could never raise: refused, said beside "Raise after".
    await row.getByTestId('edit-rule').click();
    await form.locator('#rule-raiseAfter').fill('10');
    await form.locator('#rule-window').fill('5');
    await form.getByTestId('save-rule').click();
    const error = form.locator('[data-field="rule-raiseAfter"] .field-error');
    await expect.poll(() => error.textContent()).toMatch(/Raise after \(N = 10\) cannot be more than the window \(M = 5\)/);
    expect(await form.locator('#rule-raiseAfter').getAttribute('aria-invalid')).toBe('true');
    await form.getByTestId('rule-refused').waitFor();
    const unchanged = (await ok<{ rules: AlertRule[] }>('alerts:list-rules')).rules.find(
      (r) => r.kind === 'latency' && r.scope.id === zone.id,
    );
    expect(unchanged?.params).toEqual({ threshold: 100 });
  });

  test('a silent server raises "Server down", counted in the top bar, and is acknowledged with a note', async () => {
    const { page } = s;
    await s.open('#/settings');
    await page.locator('#probeIntervalSec').fill('1');
    await page.locator('#sipDeadlineMs').fill('500');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(async () => (await ok<{ probeIntervalSec: number }>('settings:get')).probeIntervalSec).toBe(1);
    const server = await addServer(SILENT_IP, 'silent-sw1');

    // The desktop channel's notifications, as the page shows them once allowed: recorded here.
    await s.context.addInitScript(() => {
      const shown: { title: string; body: string; onclick: (() => void) | null }[] = [];
      class Recorded {
        static permission = 'granted';
        static requestPermission = () => Promise.resolve('granted');
        title: string;
        body: string;
        onclick: (() => void) | null = null;
        constructor(title: string, options?: { body?: string }) {
          this.title = title;
          this.body = options?.body ?? '';
          shown.push(this);
        }
        close() {}
      }
      Object.assign(window, { Notification: Recorded, shownNotifications: shown });
    });
    await s.open('#/alerts');
    const row = page.locator(`[data-testid="alert-row"][data-kind="consecutive-failures"]`, { hasText: SILENT_IP });
    await row.waitFor({ timeout: 45_000 });
    expect(await row.textContent()).toMatch(/Critical.*Firing.*Server down.*silent-sw1/);
    const indicator = page.getByTestId('alerts-indicator');
    await expect.poll(async () => Number(await indicator.getAttribute('data-firing'))).toBeGreaterThanOrEqual(1);
    expect(Number(await indicator.getAttribute('data-critical'))).toBeGreaterThanOrEqual(1);
    expect(await indicator.textContent()).toMatch(/firing.*critical/);

    await row.locator('input[type="checkbox"]').check();
    await page.getByTestId('acknowledge-selected').click();
    const dialog = page.getByTestId('ack-dialog');
    await dialog.getByTestId('ack-note').fill('Looking at it: the carrier trunk is down');
    await dialog.getByTestId('ack-confirm').click();
    await dialog.waitFor({ state: 'detached' });

    await expect.poll(() => row.getAttribute('data-state')).toBe('acknowledged');
    const id = Number(await row.getAttribute('data-alert-id'));
    const alert = await ok<Alert>('alerts:get', { id });
    expect(alert.serverId).toBe(server.id);
    expect(alert.ackNote).toBe('Looking at it: the carrier trunk is down');
    const ack = await row.getByTestId('alert-ack').textContent();
    expect(ack).toContain(alert.acknowledgedBy ?? '?');
    expect(ack).toContain('Looking at it: the carrier trunk is down');
    await expect.poll(async () => Number(await indicator.getAttribute('data-firing'))).toBe(0);

    // The "Server down" notification came from the host's desktop channel; a click opens the server.
    type Shown = { shownNotifications: { title: string; body: string; onclick: (() => void) | null }[] };
    await expect
      .poll(() => page.evaluate(() => (window as unknown as Shown).shownNotifications.map((n) => `${n.title} ${n.body}`).join('\n')), {
        timeout: 20_000,
      })
      .toContain('silent-sw1');
    await page.evaluate(() =>
      (window as unknown as Shown).shownNotifications
        .find((n) => n.body.includes('silent-sw1') || n.title.includes('silent-sw1'))
        ?.onclick?.(),
    );
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#/servers/${server.id}`);
    await s.open('#/alerts');

    // The detail names who acknowledged, with the note, and lists the desktop channel's delivery.
    await row.locator('button.open').click();
    const detail = page.getByTestId('alert-detail');
    await expect.poll(() => detail.getByTestId('detail-ack').textContent()).toContain('the carrier trunk is down');
    await expect.poll(() => detail.getByTestId('alert-deliveries').locator('li').count(), { timeout: 15_000 }).toBeGreaterThan(0);
  });

  test('a silence shows on the fleet row and the server page, and ends with End now', async () => {
    const { page } = s;
    const server = await addServer('127.0.61.10', 'quiet-sw1');
    await s.open('#/alerts/silences');
    const form = page.getByTestId('silence-form');
    await form.getByTestId('silence-level').selectOption('server');
    await form.getByTestId('silence-target').selectOption(server.id);
    await form.getByTestId('silence-duration').fill('2h');
    // The reason is required: refused beside its field first.
    await form.getByTestId('create-silence').click();
    await expect.poll(() => form.locator('[data-field="sil-reason"] .field-error').textContent()).toMatch(/Say why/);
    await form.getByTestId('silence-reason').fill('Carrier work on the trunk');
    await form.getByTestId('create-silence').click();
    const silenceRow = page.getByTestId('silence-row');
    await expect.poll(() => silenceRow.count()).toBe(1);
    expect(await silenceRow.textContent()).toMatch(/quiet-sw1.*Carrier work on the trunk/);

    await s.open('#/fleet');
    const fleetRow = page.locator('.vt-row', { hasText: 'quiet-sw1' });
    const badge = fleetRow.getByTestId('hold-badge');
    await expect.poll(() => badge.getAttribute('data-hold')).toBe('silence');
    expect(await badge.textContent()).toContain('Silenced');
    expect(await badge.getAttribute('title')).toMatch(/^Probe status: .+\. Silenced until .+: Carrier work on the trunk/);

    await s.open(`#/servers/${server.id}`);
    const banner = page.getByTestId('hold-banner');
    await expect.poll(() => banner.textContent()).toMatch(/Silenced until .+: Carrier work on the trunk \(by .+\)/);

    await s.open('#/alerts/silences');
    await silenceRow.getByTestId('end-silence').click();
    await expect.poll(() => silenceRow.count()).toBe(0);
    await s.open('#/fleet');
    await fleetRow.waitFor();
    await expect.poll(() => fleetRow.getByTestId('hold-badge').count()).toBe(0);
    expect(await fleetRow.locator('[data-status]').count()).toBeGreaterThan(0);
  });

  test('a Slack channel saved with its URL shows "URL set" and never the URL', async () => {
    const { page } = s;
    const secretPath = '/services/T0AAAA/B0BBBB/s3cretT0kenXyz';
    await s.open('#/alerts/channels');
    await page.getByTestId('add-channel').click();
    const dialog = page.getByTestId('channel-dialog');
    await dialog.getByTestId('channel-name').fill('NOC Slack');
    await dialog.getByTestId('channel-kind').selectOption('webhook');
    await dialog.getByTestId('channel-preset').selectOption('slack');
    // Without its URL a webhook is refused, beside the URL field.
    await dialog.getByTestId('save-channel').click();
    await expect.poll(() => dialog.locator('[data-field="ch-url"] .field-error').textContent()).toMatch(/needs its URL/);
    await dialog.locator('#ch-url').fill(`https://hooks.slack.com${secretPath}`);
    expect(await dialog.locator('#ch-url').getAttribute('type')).toBe('password');
    await dialog.getByTestId('save-channel').click();
    await dialog.waitFor({ state: 'detached' });

    const card = page.locator('[data-testid="channel-card"][data-channel="NOC Slack"]');
    await expect.poll(() => card.getByTestId('secret-url').textContent()).toBe('URL set');
    expect(await card.getByTestId('channel-target').textContent()).toBe('https://hooks.slack.com');
    expect(await page.content()).not.toContain('s3cretT0ken');
    const channels = await ok<Channel[]>('alerts:list-channels');
    expect(JSON.stringify(channels)).not.toContain('s3cretT0ken');
    expect(channels.find((c) => c.name === 'NOC Slack')?.secretsSet.url).toBe(true);

    // Editing shows the secret as set, with an empty field to replace it and a way to clear it.
    await card.getByTestId('edit-channel').click();
    await expect.poll(() => dialog.getByTestId('ch-url-state').textContent()).toBe('URL set');
    expect(await dialog.locator('#ch-url').inputValue()).toBe('');
    await dialog.getByTestId('ch-url-clear').waitFor();
    expect(await page.content()).not.toContain('s3cretT0ken');
  });
});
