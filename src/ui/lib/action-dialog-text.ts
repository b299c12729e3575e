import type { ActionPlan } from '../../contract/actions-methods';

// Words the action dialog shows that are not the host's plan itself: the message under a typed
// confirmation that does not match, and a host error made readable whatever its shape.

/**
 * The message under the typed confirmation, or null while it matches, is empty, or is still being
 * typed towards the expected text ("1" on the way to "12").
 */
export function typedConfirmationProblem(
  plan: Pick<ActionPlan, 'confirm' | 'confirmText' | 'confirmHint' | 'label' | 'servers'>,
  typed: string,
): string | null {
  if (plan.confirm !== 'typed' || plan.confirmText === null) return null;
  const text = typed.trim();
  const expected = plan.confirmText;
  if (text === '' || text === expected) return null;
  if (text.length < expected.length && expected.startsWith(text)) return null;
  const count = plan.servers.length;
  const what = plan.confirmHint ?? 'the number of servers';
  const onWhat = count === 1 ? plan.label : `${plan.label} on ${count} servers`;
  return `"${text.slice(0, 20)}" is not ${what}: type ${expected} to run ${onWhat}.`;
}

interface IssueLike {
  message?: unknown;
  path?: unknown;
}

/**
 * A host error as sentences. Schema failures that reached a message as their JSON text (an array
 * of `{ path, message }`) are read back and written one sentence each, so a dialog never shows
 * `[{"code":…}]`; anything else is returned as it came, ending with a full stop.
 */
export function errorSentences(message: string): string {
  const text = message.trim();
  const start = text.search(/[[{]/);
  if (start >= 0) {
    try {
      const parsed: unknown = JSON.parse(text.slice(start));
      const list = (Array.isArray(parsed) ? parsed : [parsed]) as IssueLike[];
      const sentences = list
        .filter((i) => typeof i === 'object' && i !== null && typeof i.message === 'string')
        .map((i) => {
          const path = Array.isArray(i.path) && i.path.length > 0 ? `${i.path.map(String).join(' ')}: ` : '';
          return `${path}${String(i.message).replace(/\.?$/, '.')}`;
        });
      if (sentences.length > 0) {
        const before = text.slice(0, start).trim().replace(/:$/, '');
        return [before === '' ? null : `${before}:`, ...sentences].filter((s) => s !== null).join(' ');
      }
    } catch {
      // Not JSON after all: the message is already words.
    }
  }
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}
