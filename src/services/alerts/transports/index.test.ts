import { describe, expect, it } from 'vitest';
import type { AlertNotifyPush } from '../../../contract/alerts-methods';
import type { ChannelConfig } from '../../../contract/alerts-delivery';
import { oneAlert } from '../../../domain/alerts/formats/sample-batches';
import type { StoredChannel } from '../../store/alert-channels-repo';
import { createTransports } from './index';

const channel = (config: ChannelConfig): StoredChannel => ({
  id: 1,
  name: 'c',
  enabled: true,
  config,
  target: null,
  createdAt: 0,
  failing: false,
  failures: 0,
});
const none = { url: null, routingKey: null, password: null };

describe('transports by channel kind', () => {
  it('sends the desktop channel as one notification, always ok', async () => {
    const pushes: AlertNotifyPush[] = [];
    const transportOf = createTransports({ notify: (p) => pushes.push(p) });
    const result = await transportOf(channel({ kind: 'desktop' })).send(channel({ kind: 'desktop' }), none, oneAlert());
    expect(result).toMatchObject({ ok: true, status: null, error: null });
    expect(pushes).toEqual([
      expect.objectContaining({ title: 'FIRING 1 — Server down: edge-1', severity: 'critical', serverId: 'edge-1', alertIds: [812] }),
    ]);
  });

  it('picks the webhook and email transports by kind', async () => {
    const calls: string[] = [];
    const transportOf = createTransports({
      notify: () => undefined,
      fetch: (input) => {
        calls.push(String(input));
        return Promise.resolve(new Response('ok', { status: 200 }));
      },
    });
    const hook = channel({ kind: 'webhook', preset: 'generic', timeoutMs: 1_000 });
    expect(await transportOf(hook).send(hook, { ...none, url: 'https://receiver.example/hook' }, oneAlert())).toMatchObject({
      ok: true,
      status: 200,
    });
    expect(calls).toEqual(['https://receiver.example/hook']);
    const mail = channel({
      kind: 'email',
      host: 'smtp.example',
      port: 587,
      security: 'starttls',
      user: 'u',
      from: 'a@b.example',
      to: ['c@d.example'],
      timeoutMs: 1_000,
      caPem: null,
    });
    // No password: refused before any connection is tried.
    expect(await transportOf(mail).send(mail, none, oneAlert())).toMatchObject({
      ok: false,
      permanent: true,
      error: 'The SMTP password for u is not set: set it in the channel settings.',
    });
  });
});
