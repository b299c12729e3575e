import type { ServerDraft } from '../../src/contract/fleet';
import { defaultServerDraft } from '../../src/domain/fleet/defaults';
import { openHost, type HostApp } from '../../src/host/app';
import type { InputOf, MethodName, OutputOf } from '../../src/contract/methods';

export function draft(zoneId: string, overrides: Partial<ServerDraft> = {}): ServerDraft {
  return { ...defaultServerDraft(zoneId), ...overrides };
}

/** Calls the host the way a transport does, and unwraps the envelope or throws with its error. */
export async function call<M extends MethodName>(app: HostApp, method: M, input: InputOf<M>): Promise<OutputOf<M>> {
  const result = await app.dispatch(method, input);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { error: result.error });
  return result.data as OutputOf<M>;
}

export function openTestHost(dataDir: string, now = () => Date.UTC(2026, 10, 25, 12)): HostApp {
  return openHost({ dataDir, clock: now, log: () => {} });
}
