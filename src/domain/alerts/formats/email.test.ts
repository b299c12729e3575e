import { describe, expect, it } from 'vitest';
import { SUBJECT_MAX, renderEmail } from './email';
import { hostile, mixed, oneAlert, storm, testBatch } from './sample-batches';

describe('alert email', () => {
  it('says what, where, the rule, the figures and when, in plain text', () => {
    const { subject, text } = renderEmail(oneAlert());
    expect(subject).toBe('[Switchyard] FIRING 1 — Server down: edge-1');
    expect(text).toBe(
      [
        'Switchyard alerts: FIRING 1',
        '',
        'FIRING: CRITICAL Server down — edge-1 (zone us-east, cluster edge): SIP: 3 probes lost in a row',
        '  Server: edge-1 (203.0.113.10)',
        '  Rule: Server down, fleet default (value 3, threshold 3)',
        '  When: started 2025-03-01 02:59:41 UTC',
        '',
        '-- ',
        'Sent by Switchyard 0.1.0 through the channel "NOC", delivery #1234, 2025-03-01 02:59:58 UTC.',
        '',
      ].join('\n'),
    );
    expect(text).not.toMatch(/https?:|<a |<\/?[a-z]+>/i);
  });

  it('tells when an alert resolved or was acknowledged, and by whom', () => {
    const { text } = renderEmail(mixed());
    expect(text).toContain('RESOLVED: CRITICAL Server down — edge-1');
    expect(text).toContain('  When: started 2025-03-01 02:59:41 UTC, resolved 2025-03-01 03:00:41 UTC');
    expect(text).toContain(
      'ACKNOWLEDGED: CRITICAL Server down — edge-2 (zone us-east, cluster edge): SIP: 3 probes lost in a row by maria: carrier ticket #4471',
    );
    expect(text).toContain('  When: started 2025-03-01 02:59:41 UTC, acknowledged 2025-03-01 03:00:11 UTC');
  });

  it('keeps the subject to one short line whatever the aliases hold', () => {
    const { subject, text } = renderEmail(hostile());
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(subject).toContain('Zürich');
    // The summary's "\r\nBcc:" stays inside its line: no line of the body starts with it.
    expect(text.split('\n').some((l) => l.startsWith('Bcc:'))).toBe(false);
    expect(text).toContain('東京 ☎');
  });

  it('lists 50 alerts of a storm and counts the rest', () => {
    const { subject, text } = renderEmail(storm(1000));
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(text.split('\n').filter((l) => l.startsWith('FIRING: '))).toHaveLength(50);
    expect(text).toContain('…and 950 more.');
  });

  it('says a test is a test', () => {
    const { subject, text } = renderEmail(testBatch());
    expect(subject).toBe('[Switchyard] Switchyard test message: this channel works');
    expect(
      text.startsWith('This is a test message from Switchyard: this channel works.\nNothing is wrong; the alert below is made up.'),
    ).toBe(true);
  });
});
