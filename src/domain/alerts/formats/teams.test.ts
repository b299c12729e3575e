import { describe, expect, it } from 'vitest';
import { TEAMS_BUDGET_BYTES, renderTeams, type TeamsBody } from './teams';
import { HOSTILE_ALIAS, hostile, mixed, oneAlert, sampleBatch, sampleItem, storm, testBatch } from './sample-batches';

const card = (body: TeamsBody) => body.attachments[0].content;
const runs = (body: TeamsBody): string[] =>
  card(body).body.flatMap((e) => (e.type === 'RichTextBlock' ? [e.inlines.map((r) => r.text).join('')] : [e.text]));

describe('Teams body', () => {
  it('is a message with one Adaptive Card 1.4', () => {
    const body = renderTeams(oneAlert());
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card(body)).toMatchObject({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
    });
    expect(runs(body)).toEqual([
      'Switchyard: FIRING 1',
      'FIRING 1 — Server down: edge-1',
      'FIRING CRITICAL Server down — edge-1 (zone us-east, cluster edge): SIP: 3 probes lost in a row',
      'Switchyard 0.1.0 · channel NOC · delivery #1234 · 2025-03-01T02:59:58.000Z',
    ]);
    const head = card(body).body[0];
    expect(head?.type === 'RichTextBlock' && head.inlines[0]?.color).toBe('Attention');
  });

  it('puts operator text in text runs, never in Markdown text blocks', () => {
    const body = renderTeams(hostile());
    const blocks = card(body).body;
    for (const b of blocks) if (b.type === 'TextBlock') expect(b.text).toMatch(/^…and \d+ more$/);
    expect(runs(body).join('\n')).toContain(HOSTILE_ALIAS.replace('\n', ' '));
    expect(runs(body).every((t) => !t.includes('\n'))).toBe(true);
  });

  it('stays under its size budget for a storm and counts what it left out', () => {
    const body = renderTeams(storm(1000));
    const size = new TextEncoder().encode(JSON.stringify(body)).length;
    expect(size).toBeLessThanOrEqual(TEAMS_BUDGET_BYTES);
    const more = runs(body).find((t) => t.startsWith('…and'));
    const listed = card(body).body.length - 3 - (more ? 1 : 0);
    expect(listed).toBeGreaterThan(20);
    expect(more).toBe(`…and ${1000 - listed} more`);
  });

  it('cuts long non-ASCII lines and still stays under budget', () => {
    const items = Array.from({ length: 50 }, (_, n) => sampleItem({ alertId: n, summary: '東京'.repeat(2_000) }));
    const body = renderTeams(sampleBatch(items));
    expect(new TextEncoder().encode(JSON.stringify(body)).length).toBeLessThanOrEqual(TEAMS_BUDGET_BYTES);
  });

  it('says a test is a test, and colours resolutions green when nothing is open', () => {
    expect(runs(renderTeams(testBatch()))[0]).toBe('Switchyard test message');
    const resolved = renderTeams(sampleBatch([sampleItem({ what: 'resolved', resolvedAt: 1 })]));
    const head = card(resolved).body[0];
    expect(head?.type === 'RichTextBlock' && head.inlines[0]?.color).toBe('Good');
    expect(runs(renderTeams(mixed())).join('\n')).toContain('ACKNOWLEDGED CRITICAL Server down — edge-2');
  });
});
