// A Slack incoming-webhook message: a header, the batch's title, one line per alert, a footer.
//
// Slack reads &, < and > as markup (<!channel>, <https://…|links>), so every piece of text that
// came from an operator or a server is escaped; the header is built from Switchyard's own words
// only, so it never needs escaping (plain_text). Slack has no escape for *, _, ~ and `: in an
// alias they can at most change emphasis within that alert's own line, since each line is kept
// to one line. Limits respected: 50 blocks a message, 3000 characters a section, 150 a header.
import { MAX_LISTED_ITEMS, batchTitle, type NoticeBatch, type NoticeItem } from '../notice';
import { listed } from './listing';
import { changeWords, clip, iso, lineParts, oneLine } from './text';

export interface SlackText {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}

export type SlackBlock =
  { type: 'header'; text: SlackText } | { type: 'section'; text: SlackText } | { type: 'context'; elements: SlackText[] };

export interface SlackBody {
  /** Shown in notifications and by clients that cannot draw blocks. */
  text: string;
  blocks: SlackBlock[];
}

export const SLACK_MAX_BLOCKS = 50;
export const SLACK_MAX_SECTION = 3000;
const SLACK_MAX_HEADER = 150;
/** An alert's line before escaping; escaped (at most 5× longer) two still fit one section. */
const LINE_MAX = 280;
const TITLE_MAX = 500;

export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function headline(batch: NoticeBatch): string {
  if (batch.test) return 'Switchyard test message';
  return clip(`Switchyard: ${changeWords(batch.items)}`, SLACK_MAX_HEADER);
}

function itemMrkdwn(item: NoticeItem): string {
  const { word, rest } = lineParts(item);
  return `*${word}* ${slackEscape(clip(rest, LINE_MAX))}`;
}

/**
 * Item lines packed into as few sections as fit, each under Slack's per-section limit, in at
 * most `maxSections`; returns how many items made it (the rest are counted as "more").
 */
function sections(items: NoticeItem[], maxSections: number): { blocks: SlackBlock[]; count: number } {
  const texts: string[] = [];
  let count = 0;
  for (const item of items) {
    const line = itemMrkdwn(item);
    const last = texts.length - 1;
    if (last >= 0 && (texts[last] ?? '').length + 1 + line.length <= SLACK_MAX_SECTION) texts[last] += `\n${line}`;
    else if (texts.length < maxSections) texts.push(line);
    else break;
    count += 1;
  }
  return { blocks: texts.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } })), count };
}

export function renderSlack(batch: NoticeBatch): SlackBody {
  const title = slackEscape(clip(oneLine(batchTitle(batch)), TITLE_MAX));
  const { shown, omitted } = listed(batch.items, MAX_LISTED_ITEMS);
  const footer = slackEscape(
    clip(
      oneLine(`Switchyard ${batch.version} · channel ${batch.channel.name} · delivery #${batch.deliveryId} · ${iso(batch.createdAt)}`),
      300,
    ),
  );
  // Header, title, "more" and footer take four blocks; the lines get the rest (they need about
  // half of it at most: two escaped lines always fit one section).
  const lines = sections(shown, SLACK_MAX_BLOCKS - 4);
  const more = omitted + shown.length - lines.count;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: headline(batch) } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: batch.test ? `${title}\nNothing is wrong: this message only checks the channel.` : title },
    },
    ...lines.blocks,
  ];
  if (more > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `…and ${more} more` } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: footer }] });
  return { text: title, blocks };
}
