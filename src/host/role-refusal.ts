import type { CallError } from '../contract/result';
import type { Role } from '../contract/roles';

// The refusal a caller below a method's role gets (dispatch.ts), in words a person reads:
// "Viewer accounts cannot acknowledge alerts (alerts:acknowledge): it needs operator."

/** `fleet:create-server` → "create server"; a one-word verb takes its area: `alerts:acknowledge` → "acknowledge alerts". */
export function methodWords(method: string): string {
  const [area = method, verb = ''] = method.split(':');
  return verb.includes('-') ? verb.replaceAll('-', ' ') : `${verb} ${area}`.trim();
}

export function roleRefusal(method: string, have: Role, need: Role): CallError {
  const who = `${have.charAt(0).toUpperCase()}${have.slice(1)}`;
  return { code: 'forbidden', message: `${who} accounts cannot ${methodWords(method)} (${method}): it needs ${need}.` };
}
