// The email transport: one plain-text message per delivery, over SMTP with nodemailer.
//
// security 'tls' is implicit TLS from the first byte (usually port 465); 'starttls' requires the
// upgrade (a server that does not offer it fails the delivery rather than see the password in
// clear); 'none' never upgrades. A CA given with the channel is the only one trusted for it.
// Failures say what the SMTP server itself replied: a refused login is its 535 and its text,
// and permanent; a connection refused or a silent server is retried.
import nodemailer from 'nodemailer';
import { renderEmail } from '../../../domain/alerts/formats';
import type { NoticeBatch } from '../../../domain/alerts/notice';
import type { StoredChannel } from '../../store/alert-channels-repo';
import { redactor } from './redact';
import type { SendResult, Transport } from './transport';
import { errorMessage } from '../../../domain/error-message';

type EmailConfig = Extract<StoredChannel['config'], { kind: 'email' }>;
type Failure = Omit<SendResult, 'ms'>;

const fail = (error: string, permanent: boolean, status: number | null = null): Failure => ({ ok: false, status, error, permanent });

interface SmtpError {
  code: string | null;
  /** The system error behind it (ECONNREFUSED for a refused connection). */
  originalCode: string | null;
  responseCode: number | null;
  response: string | null;
  command: string | null;
  permanent: boolean | null;
  message: string;
}

function smtpError(error: unknown): SmtpError {
  const e: Record<string, unknown> = typeof error === 'object' && error !== null ? { ...error } : {};
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    code: str(e.code),
    originalCode: str(e.originalCode),
    responseCode: typeof e.responseCode === 'number' ? e.responseCode : null,
    response: str(e.response),
    command: str(e.command),
    permanent: typeof e.permanent === 'boolean' ? e.permanent : null,
    message: errorMessage(error),
  };
}

const CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|UNABLE_TO_GET_ISSUER/;

/** The SMTP command a reply answered, in words. */
function stage(command: string | null): string {
  if (!command) return 'the message';
  if (command.startsWith('AUTH')) return 'the login';
  if (command.startsWith('MAIL')) return 'the sender';
  if (command.startsWith('RCPT')) return 'a recipient';
  if (command === 'DATA' || command === 'DATA-END' || command === 'message') return 'the message';
  return command;
}

function describe(error: unknown, where: string, timeoutMs: number, redact: (t: string) => string): Failure {
  const e = smtpError(error);
  const sys = e.originalCode ?? e.code;
  // Asked for STARTTLS and refused (454 "TLS not available"): a setting to change, not a
  // passing trouble, and never a reason to go on in clear.
  if (e.command === 'STARTTLS' || (e.code === 'ETLS' && /STARTTLS/i.test(e.message))) {
    const said = e.response ? ` (it answered: ${redact(e.response)})` : '';
    return fail(
      `The SMTP server ${where} does not offer STARTTLS${said}; choose TLS or no encryption in the channel settings if that is intended.`,
      true,
      e.responseCode,
    );
  }
  if (e.responseCode !== null && e.response !== null) {
    const permanent = e.permanent ?? e.responseCode >= 500;
    return fail(`The SMTP server ${where} refused ${stage(e.command)}: ${redact(e.response)}`, permanent, e.responseCode);
  }
  if (e.code === 'EABORT') return fail(`Sending to ${where} was cancelled.`, false);
  if (e.code === 'ETIMEDOUT') return fail(`No answer from the SMTP server ${where} within ${timeoutMs / 1000} s.`, false);
  if (sys === 'ECONNREFUSED') return fail(`Could not connect to the SMTP server ${where}: the connection was refused.`, false);
  if (sys === 'ENOTFOUND' || sys === 'EAI_AGAIN' || e.code === 'EDNS')
    return fail(`The SMTP server's name ${where} does not resolve.`, false);
  if (sys !== null && CERT_CODES.test(sys)) {
    return fail(
      `The TLS certificate of ${where} is not trusted (${redact(e.message)}): set the server's CA certificate in the channel settings, or fix its certificate.`,
      true,
    );
  }
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') return fail(`Login to ${where} failed: ${redact(e.message)}`, true);
  return fail(`Sending to the SMTP server ${where} failed: ${redact(e.message)}`, false);
}

/** The reply code at the start of the server's final answer ("250 2.0.0 Ok: queued"). */
const replyCode = (response: unknown): number | null => {
  const m = typeof response === 'string' ? /^(\d{3})/.exec(response) : null;
  return m ? Number(m[1]) : null;
};

function messageId(batch: NoticeBatch, from: string): string {
  // The same delivery keeps its Message-ID on every retry: mail systems may drop the repeat.
  const domain = from.split('@')[1] ?? 'switchyard.invalid';
  return `<switchyard.delivery-${batch.deliveryId}.${batch.createdAt}@${domain}>`;
}

export function createEmailTransport(): Transport {
  async function deliver(config: EmailConfig, password: string | null, batch: NoticeBatch, signal?: AbortSignal): Promise<Failure> {
    const where = `${config.host}:${config.port}`;
    if (config.user !== null && !password)
      return fail(`The SMTP password for ${config.user} is not set: set it in the channel settings.`, true);
    const redact = redactor([password]);
    const transporter = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.security === 'tls',
      requireTLS: config.security === 'starttls',
      ignoreTLS: config.security === 'none',
      auth: config.user !== null && password ? { user: config.user, pass: password } : undefined,
      tls: { ...(config.caPem ? { ca: [config.caPem] } : {}), minVersion: 'TLSv1.2' },
      connectionTimeout: config.timeoutMs,
      greetingTimeout: config.timeoutMs,
      socketTimeout: config.timeoutMs,
      logger: false,
      debug: false,
    });
    const { subject, text } = renderEmail(batch);
    try {
      const info = await transporter.sendMail({
        from: config.from,
        to: config.to,
        subject,
        text,
        messageId: messageId(batch, config.from),
        // RFC 3834: machine-sent; vacation responders and ticket systems should not answer it.
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Switchyard-Delivery': String(batch.deliveryId) },
        disableFileAccess: true,
        disableUrlAccess: true,
        signal,
      });
      const refused = info.rejected;
      // Some recipients got it: retrying would send it to them again, so it counts as sent.
      const note = refused.length > 0 ? `Sent, but ${where} refused ${refused.length} recipient(s): ${refused.join(', ')}.` : null;
      return { ok: true, status: replyCode(info.response), error: note };
    } catch (error) {
      return describe(error, where, config.timeoutMs, redact);
    } finally {
      transporter.close();
    }
  }

  return {
    async send(channel, secrets, batch, signal) {
      const started = performance.now();
      const result =
        channel.config.kind === 'email'
          ? await deliver(channel.config, secrets.password, batch, signal)
          : fail(`The channel "${channel.name}" is not an email channel.`, true);
      return { ...result, ms: performance.now() - started };
    },
  };
}
