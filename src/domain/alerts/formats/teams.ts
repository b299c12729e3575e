// A Microsoft Teams message for an incoming webhook made with Workflows ("Post to a channel when
// a webhook request is received"): one Adaptive Card 1.4.
//
// Text that came from an operator or a server goes into RichTextBlock TextRuns, which Teams
// shows as written (a TextBlock would read it as Markdown, so "[x](https://…)" in an alias would
// become a link). Teams refuses a message over about 28 KB: alert lines are added while the
// card stays under a budget below that, the rest are counted.
import { batchTitle, type NoticeBatch, type NoticeItem } from '../notice';
import { listed, overallSeverity } from './listing';
import { changeWords, clip, iso, lineParts, oneLine } from './text';

export type TeamsColor = 'Default' | 'Attention' | 'Warning' | 'Good' | 'Accent';

export interface TeamsTextRun {
  type: 'TextRun';
  text: string;
  weight?: 'Bolder';
  size?: 'Medium';
  color?: TeamsColor;
  isSubtle?: boolean;
}

export type TeamsElement =
  | { type: 'RichTextBlock'; inlines: TeamsTextRun[]; separator?: boolean; spacing?: 'Small' | 'Medium' }
  | { type: 'TextBlock'; text: string; wrap: true; isSubtle?: boolean; weight?: 'Bolder' };

export interface TeamsCard {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  type: 'AdaptiveCard';
  version: '1.4';
  body: TeamsElement[];
  msteams: { width: 'Full' };
}

export interface TeamsBody {
  type: 'message';
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: TeamsCard }];
}

/** Bytes of JSON the card may take; Teams' own limit is about 28 KB for the whole request. */
export const TEAMS_BUDGET_BYTES = 24_000;
const LINE_MAX = 400;

const bytes = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).length;

function colorOf(item: NoticeItem): TeamsColor {
  if (item.what === 'resolved') return 'Good';
  if (item.what === 'acknowledged') return 'Accent';
  return item.severity === 'critical' ? 'Attention' : item.severity === 'warning' ? 'Warning' : 'Accent';
}

const HEAD_COLOR: Readonly<Record<ReturnType<typeof overallSeverity>, TeamsColor>> = {
  critical: 'Attention',
  warning: 'Warning',
  info: 'Accent',
  resolved: 'Good',
};

function headline(batch: NoticeBatch): { text: string; color: TeamsColor } {
  if (batch.test) return { text: 'Switchyard test message', color: 'Accent' };
  const color = HEAD_COLOR[overallSeverity(batch.items)];
  return { text: `Switchyard: ${changeWords(batch.items)}`, color };
}

function itemBlock(item: NoticeItem): TeamsElement {
  const { word, rest } = lineParts(item);
  return {
    type: 'RichTextBlock',
    spacing: 'Small',
    inlines: [
      { type: 'TextRun', text: word, weight: 'Bolder', color: colorOf(item) },
      { type: 'TextRun', text: ` ${clip(rest, LINE_MAX)}` },
    ],
  };
}

export function renderTeams(batch: NoticeBatch): TeamsBody {
  const head = headline(batch);
  const intro = batch.test ? `${batchTitle(batch)}. Nothing is wrong: this message only checks the channel.` : batchTitle(batch);
  const top: TeamsElement[] = [
    { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: head.text, weight: 'Bolder', size: 'Medium', color: head.color }] },
    { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: clip(oneLine(intro), 1_000) }] },
  ];
  const footer: TeamsElement = {
    type: 'RichTextBlock',
    separator: true,
    inlines: [
      {
        type: 'TextRun',
        text: clip(
          oneLine(`Switchyard ${batch.version} · channel ${batch.channel.name} · delivery #${batch.deliveryId} · ${iso(batch.createdAt)}`),
          300,
        ),
        isSubtle: true,
      },
    ],
  };
  const { shown, omitted } = listed(batch.items);
  // Room for the envelope, the top, the footer and a "more" line, then alert lines while they fit.
  let used = bytes(top) + bytes(footer) + 600;
  const lines: TeamsElement[] = [];
  for (const item of shown) {
    const block = itemBlock(item);
    const size = bytes(block) + 1;
    if (used + size > TEAMS_BUDGET_BYTES) break;
    used += size;
    lines.push(block);
  }
  const more = omitted + shown.length - lines.length;
  const body: TeamsElement[] = [...top, ...lines];
  if (more > 0) body.push({ type: 'TextBlock', text: `…and ${more} more`, wrap: true, isSubtle: true });
  body.push(footer);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}
