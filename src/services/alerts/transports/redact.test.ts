import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './http-answer';
import { origin, redactor, urlSecrets } from './redact';

describe('secrets out of error texts', () => {
  it('names a receiver by scheme, host and port only', () => {
    expect(origin(new URL('https://hooks.slack.com/services/T0/B0/XXXX'))).toBe('https://hooks.slack.com:443');
    expect(origin(new URL('http://[::1]:8080/x?y=z'))).toBe('http://[::1]:8080');
  });

  it('cuts the token of a Slack or Teams URL out of what a receiver echoes', () => {
    const slack = new URL('https://hooks.slack.com/services/T0123/B0456/abcDEF123ghi');
    const teams = new URL(
      'https://prod-12.westus.logic.azure.com/workflows/0a1b2c3d/triggers/manual/paths/invoke?api-version=2016-06-01&sig=S1gnatureXYZ',
    );
    const redact = redactor([...urlSecrets(slack), ...urlSecrets(teams), 'R0UTINGKEY1']);
    expect(redact('no_service for /services/T0123/B0456/abcDEF123ghi')).toBe('no_service for [redacted]');
    expect(redact('bad token abcDEF123ghi')).toBe('bad token [redacted]');
    expect(redact('sig=S1gnatureXYZ refused; key R0UTINGKEY1')).toBe('[redacted] refused; key [redacted]');
    expect(redact('abcDEF%31 plain text / v2')).toBe('abcDEF%31 plain text / v2');
  });
});

describe('Retry-After', () => {
  it('reads seconds and dates', () => {
    const now = Date.UTC(2025, 2, 1, 12);
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(retryAfterMs(new Date(now - 30_000).toUTCString(), now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});
