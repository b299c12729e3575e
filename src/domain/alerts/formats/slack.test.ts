import { describe, expect, it } from 'vitest';
import { SLACK_MAX_BLOCKS, SLACK_MAX_SECTION, renderSlack, slackEscape, type SlackBlock } from './slack';
import { hostile, mixed, oneAlert, sampleBatch, sampleItem, storm, testBatch } from './sample-batches';

const texts = (blocks: SlackBlock[]): string[] =>
  blocks.flatMap((b) => (b.type === 'context' ? b.elements.map((e) => e.text) : [b.text.text]));

describe('Slack body', () => {
  it('has a header, the title, a bold line per alert and a footer', () => {
    const body = renderSlack(oneAlert());
    expect(body.text).toBe('FIRING 1 — Server down: edge-1');
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Switchyard: FIRING 1' } });
    expect(body.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'FIRING 1 — Server down: edge-1' } });
    expect(body.blocks[2]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*FIRING* CRITICAL Server down — edge-1 (zone us-east, cluster edge): SIP: 3 probes lost in a row' },
    });
    expect(body.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Switchyard 0.1.0 · channel NOC · delivery #1234 · 2025-03-01T02:59:58.000Z' }],
    });
  });

  it('escapes &, < and > the way Slack requires', () => {
    expect(slackEscape('a & <b> c')).toBe('a &amp; &lt;b&gt; c');
  });

  it('keeps hostile text inert: no markup, no mentions, no extra lines', () => {
    const body = renderSlack(hostile());
    const all = [body.text, ...texts(body.blocks)].join('\n');
    expect(all).not.toMatch(/<script|<!channel>|<https?:/);
    expect(all).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('Zürich');
    expect(all).toContain('東京 ☎');
    expect(all).toContain('Ops &lt;team&gt; &amp; "friends"');
    const line = body.blocks[2];
    expect(line?.type === 'section' && line.text.text.split('\n')).toHaveLength(1);
    expect(line?.type === 'section' && line.text.text).toMatch(
      /^\*FIRING\* CRITICAL Server down — Zürich .* \*edge\* _one_ FIRING fake line &amp; more/,
    );
  });

  it('stays within Slack limits for a storm and says how many more', () => {
    const body = renderSlack(storm(1000));
    expect(body.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    for (const b of body.blocks) if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_MAX_SECTION);
    const lines = texts(body.blocks)
      .join('\n')
      .split('\n')
      .filter((l) => l.startsWith('*'));
    expect(lines).toHaveLength(50);
    expect(texts(body.blocks)).toContain('…and 950 more');
  });

  it('stays within Slack limits when every line is as long and as escaped as can be', () => {
    const items = Array.from({ length: 50 }, (_, n) => sampleItem({ alertId: n, summary: '&'.repeat(5_000) }));
    const body = renderSlack(sampleBatch(items));
    expect(body.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    for (const b of body.blocks) if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_MAX_SECTION);
    expect(
      texts(body.blocks)
        .join('\n')
        .split('\n')
        .filter((l) => l.startsWith('*FIRING*')),
    ).toHaveLength(50);
  });

  it('says a test is a test', () => {
    const body = renderSlack(testBatch());
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Switchyard test message' } });
    expect(texts(body.blocks).join('\n')).toContain('Nothing is wrong');
  });

  it('shows resolutions and acknowledgements with who acknowledged', () => {
    const all = texts(renderSlack(mixed()).blocks).join('\n');
    expect(all).toContain('*RESOLVED* CRITICAL Server down — edge-1');
    expect(all).toContain(
      '*ACKNOWLEDGED* CRITICAL Server down — edge-2 (zone us-east, cluster edge): SIP: 3 probes lost in a row by maria: carrier ticket #4471',
    );
  });
});
