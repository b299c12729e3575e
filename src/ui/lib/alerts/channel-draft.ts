// A channel as its editor holds it (texts as typed) and the contract input it becomes. Secrets
// are write-only: the editor starts with none of them and sends only what the user changed
// (a new value, or null to clear it); left out, the host keeps what it has.
import type { Channel, ChannelInput, ChannelKind, ChannelSecretName, SmtpSecurity, WebhookPreset } from '../../../contract/alerts-delivery';
import { secretsFor } from './channel-words';
import { splitList } from './words';

/** undefined: keep as is; null: clear; a string: replace. */
export type SecretChange = string | null | undefined;

export interface ChannelDraft {
  id: number | null;
  name: string;
  enabled: boolean;
  kind: ChannelKind;
  preset: WebhookPreset;
  timeoutMs: string;
  host: string;
  port: string;
  security: SmtpSecurity;
  user: string;
  from: string;
  to: string;
  caPem: string;
  secrets: Record<ChannelSecretName, SecretChange>;
}

export const DEFAULT_PORT: Readonly<Record<SmtpSecurity, number>> = { starttls: 587, tls: 465, none: 25 };
const DEFAULT_TIMEOUT: Readonly<Record<ChannelKind, number>> = { desktop: 0, webhook: 10_000, email: 15_000 };

export function draftOfChannel(channel: Channel | null): ChannelDraft {
  const c = channel?.config;
  return {
    id: channel?.id ?? null,
    name: channel?.name ?? '',
    enabled: channel?.enabled ?? true,
    kind: c?.kind ?? 'webhook',
    preset: c?.kind === 'webhook' ? c.preset : 'slack',
    timeoutMs: c && c.kind !== 'desktop' ? String(c.timeoutMs) : '',
    host: c?.kind === 'email' ? c.host : '',
    port: c?.kind === 'email' ? String(c.port) : String(DEFAULT_PORT.starttls),
    security: c?.kind === 'email' ? c.security : 'starttls',
    user: c?.kind === 'email' ? (c.user ?? '') : '',
    from: c?.kind === 'email' ? c.from : '',
    to: c?.kind === 'email' ? c.to.join(', ') : '',
    caPem: c?.kind === 'email' ? (c.caPem ?? '') : '',
    secrets: { url: undefined, routingKey: undefined, password: undefined },
  };
}

/** A number as typed; empty takes the default. */
function numberOf(text: string, fallback: number): number {
  const t = text.trim();
  return t === '' ? fallback : Number(t);
}

/** Values the browser can already tell are not numbers (JSON would carry them as null). */
export function draftIssues(d: ChannelDraft): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  if (d.kind !== 'desktop' && !Number.isFinite(numberOf(d.timeoutMs, 0)))
    issues.push({ field: 'config.timeoutMs', message: `Timeout: "${d.timeoutMs}" is not a number of milliseconds.` });
  if (d.kind === 'email' && !Number.isFinite(numberOf(d.port, 0)))
    issues.push({ field: 'config.port', message: `Port: "${d.port}" is not a number.` });
  return issues;
}

export function inputOfDraft(d: ChannelDraft): ChannelInput {
  const timeoutMs = numberOf(d.timeoutMs, DEFAULT_TIMEOUT[d.kind]);
  const config: ChannelInput['config'] =
    d.kind === 'desktop'
      ? { kind: 'desktop' }
      : d.kind === 'webhook'
        ? { kind: 'webhook', preset: d.preset, timeoutMs }
        : {
            kind: 'email',
            host: d.host.trim(),
            port: numberOf(d.port, DEFAULT_PORT[d.security]),
            security: d.security,
            user: d.user.trim() === '' ? null : d.user.trim(),
            from: d.from.trim(),
            to: splitList(d.to),
            timeoutMs,
            caPem: d.caPem.trim() === '' ? null : d.caPem.trim(),
          };
  const secrets: ChannelInput['secrets'] = {};
  for (const name of secretsFor(config)) {
    const change = d.secrets[name];
    if (change === null) secrets[name] = null;
    else if (change !== undefined && change.trim() !== '') secrets[name] = name === 'password' ? change : change.trim();
  }
  return { ...(d.id === null ? {} : { id: d.id }), name: d.name.trim(), enabled: d.enabled, config, secrets };
}
