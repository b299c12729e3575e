// Which items a message lists. A storm of a thousand alerts is one readable message: at most
// MAX_LISTED_ITEMS lines, the rest counted. Listed in order of urgency (what still needs someone
// first, then by severity), keeping the engine's order among equals, so the lines cut from a
// storm are the least urgent ones.
import type { Severity } from '../../../contract/alerts';
import { MAX_LISTED_ITEMS, SEVERITY_RANK, type NoticeItem, type NoticeWhat } from '../notice';

const WHAT_RANK: Readonly<Record<NoticeWhat, number>> = { firing: 5, flapping: 4, reminder: 3, acknowledged: 2, resolved: 1 };

export function byUrgency(items: readonly NoticeItem[]): NoticeItem[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort(
      (a, b) =>
        WHAT_RANK[b.item.what] - WHAT_RANK[a.item.what] ||
        SEVERITY_RANK[b.item.severity] - SEVERITY_RANK[a.item.severity] ||
        a.index - b.index,
    )
    .map((e) => e.item);
}

export function listed(items: readonly NoticeItem[], max: number = MAX_LISTED_ITEMS): { shown: NoticeItem[]; omitted: number } {
  const shown = byUrgency(items).slice(0, max);
  return { shown, omitted: items.length - shown.length };
}

/** Still needs someone: not resolved and not acknowledged. */
export const isOpen = (item: NoticeItem): boolean => item.what !== 'resolved' && item.what !== 'acknowledged';

/** The highest severity among the items that still need someone; 'resolved' when none does. */
export function overallSeverity(items: readonly NoticeItem[]): Severity | 'resolved' {
  let top: Severity | 'resolved' = 'resolved';
  for (const item of items) {
    if (isOpen(item) && (top === 'resolved' || SEVERITY_RANK[item.severity] > SEVERITY_RANK[top])) top = item.severity;
  }
  return top;
}
