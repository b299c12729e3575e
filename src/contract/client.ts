import type { EventName, EventPayload } from './events';
import type { InputOf, MethodName, OutputOf } from './methods';
import type { CallError, Result } from './result';

/** What a transport must offer: the Electron preload and the web client both implement it. */
export interface Transport {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** A refused call, carrying the host's typed error so the UI can put it beside the field. */
export class CallFailed extends Error {
  readonly error: CallError;
  constructor(method: string, error: CallError) {
    super(error.message);
    this.name = `CallFailed(${method})`;
    this.error = error;
  }
}

export interface Client {
  /** Resolves with the output or rejects with CallFailed. */
  call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>>;
  /** Resolves with the envelope itself, for callers that branch on errors. */
  attempt<M extends MethodName>(method: M, input: InputOf<M>): Promise<Result<OutputOf<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createClient(transport: Transport): Client {
  const attempt = async <M extends MethodName>(method: M, input: InputOf<M>) =>
    (await transport.invoke(method, input)) as Result<OutputOf<M>>;
  return {
    attempt,
    async call(method, input) {
      const result = await attempt(method, input);
      if (!result.ok) throw new CallFailed(method, result.error);
      return result.data;
    },
    on(event, listener) {
      return transport.on(event, (payload) => listener(payload as EventPayload<typeof event>));
    },
  };
}
