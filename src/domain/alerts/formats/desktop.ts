// The desktop channel's notification: one per batch, short enough for the operating system's
// notification centre (titles are cut around 60–120 characters, bodies after a few lines).
import type { AlertNotifyPush } from '../../../contract/alerts-methods';
import { batchTitle, type NoticeBatch } from '../notice';
import { listed, overallSeverity } from './listing';
import { clip, oneLine, lineParts } from './text';

const BODY_LINES = 3;
const TITLE_MAX = 120;
const LINE_MAX = 160;

export function renderDesktop(batch: NoticeBatch): AlertNotifyPush {
  const { shown, omitted } = listed(batch.items, BODY_LINES);
  const lines = shown.map((item) => {
    const { word, rest } = lineParts(item);
    return clip(`${word} ${rest}`, LINE_MAX);
  });
  if (omitted > 0) lines.push(`…and ${omitted} more`);
  // A test's alert is made up: nothing to open when the notification is clicked.
  const servers = new Set(batch.items.map((i) => i.serverId).filter((id): id is string => id !== null));
  const [only] = servers;
  return {
    title: clip(oneLine(batchTitle(batch)), TITLE_MAX),
    body: lines.join('\n'),
    severity: overallSeverity(batch.items),
    serverId: !batch.test && servers.size === 1 && only !== undefined ? only : null,
    alertIds: batch.test ? [] : batch.items.map((i) => i.alertId),
  };
}
