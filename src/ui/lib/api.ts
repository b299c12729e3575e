import { CallFailed, createClient } from '../../contract/client';
import type { CallError } from '../../contract/result';
import { connectTransport } from './transport';

/** The one contract client of the renderer; every screen calls the host through it. */
export const api = createClient(connectTransport());

/** The host's typed error for anything a call threw (a refusal, or a dropped connection). */
export function callError(error: unknown): CallError {
  if (error instanceof CallFailed) return error.error;
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Switchyard could not reach its host: ${message}` };
}
