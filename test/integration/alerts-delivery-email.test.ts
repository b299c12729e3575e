import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SmtpSecurity } from '../../src/contract/alerts-delivery';
import { renderEmail } from '../../src/domain/alerts/formats';
import { hostile, oneAlert, storm } from '../../src/domain/alerts/formats/sample-batches';
import { createEmailTransport } from '../../src/services/alerts/transports/email';
import type { ChannelSecretValues } from '../../src/services/alerts/transports/transport';
import type { StoredChannel } from '../../src/services/store/alert-channels-repo';
import { freePort } from '../helpers/free-port';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { until } from '../helpers/until';

// The email transport against Debian's aiosmtpd on 127.0.0.1: STARTTLS with a login, implicit
// TLS, plain SMTP; a wrong password answered by the server's own 535; a refused connection and a
// server that never greets, both worth retrying; certificates from a CA made by openssl.

const USER = 'alerts@noc.example.net';
const PASSWORD = 'c0rrect-h0rse-Battery';

let starttls: TestSmtpServer;
let implicit: TestSmtpServer;
let plain: TestSmtpServer;
beforeAll(async () => {
  [starttls, implicit, plain] = await Promise.all([
    startSmtpServer({ security: 'starttls', auth: { user: USER, password: PASSWORD } }),
    startSmtpServer({ security: 'tls', auth: { user: USER, password: PASSWORD, mechanism: 'LOGIN' } }),
    startSmtpServer({ security: 'none' }),
  ]);
});
beforeEach(() => {
  for (const server of [starttls, implicit, plain]) server.messages.length = 0;
});
afterAll(async () => {
  await Promise.all([starttls, implicit, plain].filter(Boolean).map((s) => s.stop()));
});

function channel(
  port: number,
  security: SmtpSecurity,
  over: { user?: string | null; caPem?: string | null; timeoutMs?: number; to?: string[] } = {},
): StoredChannel {
  return {
    id: 5,
    name: 'NOC mail',
    enabled: true,
    config: {
      kind: 'email',
      host: '127.0.0.1',
      port,
      security,
      user: over.user === undefined ? USER : over.user,
      from: 'switchyard@noc.example.net',
      to: over.to ?? ['oncall@example.net', 'backup@example.net'],
      timeoutMs: over.timeoutMs ?? 10_000,
      caPem: over.caPem === undefined ? null : over.caPem,
    },
    target: null,
    createdAt: 0,
    failing: false,
    failures: 0,
  };
}

const secrets = (password: string | null = PASSWORD): ChannelSecretValues => ({ url: null, routingKey: null, password });
const transport = createEmailTransport();

describe('email delivered', () => {
  it('over STARTTLS with a login, as rendered', async () => {
    const batch = oneAlert();
    const result = await transport.send(channel(starttls.port, 'starttls', { caPem: starttls.caPem }), secrets(), batch);
    expect(result).toMatchObject({ ok: true, status: 250, error: null });
    const [mail] = await until('the message', () => (starttls.messages.length > 0 ? starttls.messages : null));
    const expected = renderEmail(batch);
    expect(mail).toMatchObject({
      mailFrom: 'switchyard@noc.example.net',
      rcptTos: ['oncall@example.net', 'backup@example.net'],
      subject: expected.subject,
      tls: true,
      login: USER,
    });
    expect(mail?.text).toBe(expected.text);
    expect(mail?.headers).toMatchObject({
      'auto-submitted': 'auto-generated',
      'x-switchyard-delivery': '1234',
      'message-id': '<switchyard.delivery-1234.1740797998000@noc.example.net>',
    });
  });

  it('with non-ASCII and hostile text intact and no header smuggled in', async () => {
    const batch = hostile();
    const result = await transport.send(channel(starttls.port, 'starttls', { caPem: starttls.caPem }), secrets(), batch);
    expect(result.ok).toBe(true);
    const [mail] = await until('the message', () => (starttls.messages.length > 0 ? starttls.messages : null));
    expect(mail?.subject).toBe(renderEmail(batch).subject);
    expect(mail?.subject).toContain('Zürich');
    expect(mail?.text).toContain('東京 ☎');
    expect(mail?.headers).not.toHaveProperty('bcc');
    expect(mail?.rcptTos).toEqual(['oncall@example.net', 'backup@example.net']);
  });

  it('over implicit TLS, logging in with AUTH LOGIN', async () => {
    const result = await transport.send(channel(implicit.port, 'tls', { caPem: implicit.caPem }), secrets(), storm(1000));
    expect(result).toMatchObject({ ok: true, status: 250 });
    const [mail] = await until('the message', () => (implicit.messages.length > 0 ? implicit.messages : null));
    expect(mail).toMatchObject({ tls: true, login: USER, mechanism: 'LOGIN' });
    expect(mail?.text).toContain('…and 950 more.');
  });

  it('over plain SMTP without a login', async () => {
    const result = await transport.send(channel(plain.port, 'none', { user: null }), secrets(null), oneAlert());
    expect(result).toMatchObject({ ok: true, status: 250 });
    const [mail] = await until('the message', () => (plain.messages.length > 0 ? plain.messages : null));
    expect(mail).toMatchObject({ tls: false, login: null });
  });
});

describe('email failures', () => {
  it('counts a message some recipients got as sent, and names the refused ones', async () => {
    const result = await transport.send(
      channel(plain.port, 'none', { user: null, to: ['oncall@example.net', 'nobody@example.net'] }),
      secrets(null),
      oneAlert(),
    );
    expect(result).toMatchObject({
      ok: true,
      status: 250,
      error: `Sent, but 127.0.0.1:${plain.port} refused 1 recipient(s): nobody@example.net.`,
    });
    const [mail] = await until('the message', () => (plain.messages.length > 0 ? plain.messages : null));
    expect(mail?.rcptTos).toEqual(['oncall@example.net']);
  });

  it('fails when every recipient is refused, with the reply', async () => {
    const result = await transport.send(channel(plain.port, 'none', { user: null, to: ['nobody@example.net'] }), secrets(null), oneAlert());
    expect(result).toMatchObject({ ok: false, status: 550, permanent: true });
    expect(result.error).toContain('550 5.1.1 No such user here');
  });

  it("reports a wrong password with the server's own 535 reply, permanent", async () => {
    const result = await transport.send(
      channel(starttls.port, 'starttls', { caPem: starttls.caPem }),
      secrets('wrong-Password-123'),
      oneAlert(),
    );
    expect(result).toMatchObject({ ok: false, status: 535, permanent: true });
    expect(result.error).toBe(`The SMTP server 127.0.0.1:${starttls.port} refused the login: 535 5.7.8 Authentication credentials invalid`);
    expect(starttls.messages).toEqual([]);
  });

  it('asks for the password when a user is set without one', async () => {
    const result = await transport.send(channel(starttls.port, 'starttls', { caPem: starttls.caPem }), secrets(null), oneAlert());
    expect(result).toMatchObject({
      ok: false,
      status: null,
      permanent: true,
      error: `The SMTP password for ${USER} is not set: set it in the channel settings.`,
    });
  });

  it('reports a refused connection, to be retried', async () => {
    const port = await freePort();
    const result = await transport.send(channel(port, 'starttls'), secrets(), oneAlert());
    expect(result).toMatchObject({
      ok: false,
      status: null,
      permanent: false,
      error: `Could not connect to the SMTP server 127.0.0.1:${port}: the connection was refused.`,
    });
  });

  it('cuts a server that never greets at the timeout, to be retried', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const started = performance.now();
      const result = await transport.send(channel(port, 'none', { user: null, timeoutMs: 600 }), secrets(null), oneAlert());
      expect(result).toMatchObject({
        ok: false,
        status: null,
        permanent: false,
        error: `No answer from the SMTP server 127.0.0.1:${port} within 0.6 s.`,
      });
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('refuses a certificate from an untrusted CA', async () => {
    const result = await transport.send(channel(starttls.port, 'starttls', { caPem: null }), secrets(), oneAlert());
    expect(result).toMatchObject({ ok: false, status: null, permanent: true });
    expect(result.error).toMatch(/TLS certificate of 127\.0\.0\.1:\d+ is not trusted/);
    expect(result.error).not.toContain(PASSWORD);
  });

  it('refuses to send in clear when STARTTLS is required but not offered', async () => {
    const result = await transport.send(channel(plain.port, 'starttls', { user: null }), secrets(null), oneAlert());
    expect(result).toMatchObject({ ok: false, status: 454, permanent: true });
    expect(result.error).toBe(
      `The SMTP server 127.0.0.1:${plain.port} does not offer STARTTLS (it answered: 454 TLS not available); choose TLS or no encryption in the channel settings if that is intended.`,
    );
    expect(plain.messages).toEqual([]);
  });
});
