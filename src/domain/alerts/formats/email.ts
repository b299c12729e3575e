// An alert email: plain text only, no links and no HTML (read in any client, safe to forward to
// a pager gateway). One block per alert: what happened and where, the figures, the rule, when.
import { MAX_LISTED_ITEMS, batchTitle, type NoticeBatch, type NoticeItem } from '../notice';
import { listed } from './listing';
import { changeWords, clip, lineParts, oneLine } from './text';

export interface EmailMessage {
  subject: string;
  text: string;
}

/** Long enough to read on a phone's lock screen, short enough for every client and gateway. */
export const SUBJECT_MAX = 180;
const LINE_MAX = 1_000;

/** "2025-03-01 02:59:41 UTC": unambiguous for a team spread over time zones. */
export function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function emailSubject(batch: NoticeBatch): string {
  // oneLine drops CR and LF: a header must stay one header.
  return clip(oneLine(`[Switchyard] ${batchTitle(batch)}`), SUBJECT_MAX);
}

function figures(item: NoticeItem): string {
  const parts = [item.value === null ? null : `value ${item.value}`, item.threshold === null ? null : `threshold ${item.threshold}`].filter(
    Boolean,
  );
  return parts.join(', ');
}

function itemBlock(item: NoticeItem): string {
  const { word, rest } = lineParts(item);
  const server = item.subject.type === 'server' ? [item.subject.label, item.ip && `(${item.ip})`].filter(Boolean).join(' ') : null;
  const when = [
    `started ${utc(item.startedAt)}`,
    item.resolvedAt !== null ? `resolved ${utc(item.resolvedAt)}` : null,
    item.at !== item.startedAt && item.at !== item.resolvedAt ? `${item.what} ${utc(item.at)}` : null,
  ].filter(Boolean);
  const lines = [
    `${word}: ${clip(rest, LINE_MAX)}`,
    server ? `  Server: ${clip(oneLine(server), LINE_MAX)}` : null,
    `  Rule: ${clip(oneLine(`${item.kindLabel}, ${item.ruleSource}`), LINE_MAX)}${figures(item) ? ` (${figures(item)})` : ''}`,
    `  When: ${when.join(', ')}`,
  ];
  return lines.filter((l): l is string => l !== null).join('\n');
}

export function renderEmail(batch: NoticeBatch): EmailMessage {
  const { shown, omitted } = listed(batch.items, MAX_LISTED_ITEMS);
  const intro = batch.test
    ? ['This is a test message from Switchyard: this channel works.', 'Nothing is wrong; the alert below is made up.']
    : [`Switchyard alerts: ${changeWords(batch.items)}`];
  const text = [
    ...intro,
    '',
    ...shown.flatMap((item) => [itemBlock(item), '']),
    ...(omitted > 0 ? [`…and ${omitted} more.`, ''] : []),
    '-- ',
    clip(
      oneLine(
        `Sent by Switchyard ${batch.version} through the channel "${batch.channel.name}", delivery #${batch.deliveryId}, ${utc(batch.createdAt)}.`,
      ),
      LINE_MAX,
    ),
    '',
  ].join('\n');
  return { subject: emailSubject(batch), text };
}
