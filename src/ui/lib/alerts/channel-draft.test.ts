import { describe, expect, test } from 'vitest';
import type { Channel } from '../../../contract/alerts-delivery';
import { draftIssues, draftOfChannel, inputOfDraft } from './channel-draft';
import { channelTarget, outcomeText, secretsFor } from './channel-words';

const slack: Channel = {
  id: 4,
  name: 'NOC Slack',
  enabled: true,
  config: { kind: 'webhook', preset: 'slack', timeoutMs: 10_000 },
  secretsSet: { url: true, routingKey: false, password: false },
  target: 'https://hooks.slack.com',
  createdAt: 0,
  lastDelivery: null,
  failing: false,
};

describe('the channel editor', () => {
  test('an existing channel keeps its secrets unless one is typed or cleared', () => {
    const draft = draftOfChannel(slack);
    expect(inputOfDraft(draft)).toEqual({
      id: 4,
      name: 'NOC Slack',
      enabled: true,
      config: { kind: 'webhook', preset: 'slack', timeoutMs: 10_000 },
      secrets: {},
    });
    expect(inputOfDraft({ ...draft, secrets: { ...draft.secrets, url: '  https://hooks.slack.com/services/x  ' } }).secrets).toEqual({
      url: 'https://hooks.slack.com/services/x',
    });
    expect(inputOfDraft({ ...draft, secrets: { ...draft.secrets, url: null } }).secrets).toEqual({ url: null });
    expect(inputOfDraft({ ...draft, secrets: { ...draft.secrets, url: '   ' } }).secrets).toEqual({});
  });

  test('secrets the configuration does not use are never sent', () => {
    const draft = { ...draftOfChannel(slack), secrets: { url: 'https://x.example', routingKey: 'key', password: 'pw' } };
    expect(Object.keys(inputOfDraft(draft).secrets)).toEqual(['url']);
    expect(secretsFor({ kind: 'webhook', preset: 'pagerduty', timeoutMs: 10_000 })).toEqual(['routingKey', 'url']);
    expect(secretsFor({ kind: 'desktop' })).toEqual([]);
  });

  test('an email channel: the recipient list split, no user means no sign-in, an empty CA means the system one', () => {
    const draft = {
      ...draftOfChannel(null),
      name: 'Mail',
      kind: 'email' as const,
      host: ' smtp.example.net ',
      port: '',
      security: 'tls' as const,
      from: 'sy@example.net',
      to: 'a@example.net,\nb@example.net',
      timeoutMs: '',
    };
    const input = inputOfDraft(draft);
    expect(input.config).toEqual({
      kind: 'email',
      host: 'smtp.example.net',
      port: 465,
      security: 'tls',
      user: null,
      from: 'sy@example.net',
      to: ['a@example.net', 'b@example.net'],
      timeoutMs: 15_000,
      caPem: null,
    });
    expect(input.secrets).toEqual({});
    expect(draftIssues({ ...draft, port: 'abc' })).toEqual([{ field: 'config.port', message: 'Port: "abc" is not a number.' }]);
  });

  test('where it goes and what came back, in words', () => {
    expect(channelTarget(slack)).toBe('https://hooks.slack.com');
    expect(outcomeText({ ok: true, status: 200, error: null, ms: 84.6 })).toBe('Sent: 200 in 85 ms');
    expect(outcomeText({ ok: true, status: null, error: null, ms: 2 })).toBe('Sent in 2 ms');
    expect(outcomeText({ ok: false, status: 404, error: 'Not Found', ms: 120 })).toBe('Failed: 404: Not Found (120 ms)');
    expect(outcomeText({ ok: false, status: null, error: 'timed out', ms: 10_000 })).toBe('Failed: no answer: timed out (10000 ms)');
  });
});
