import { connectionState } from '../transport';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The transport's link to the host, as state the top bar can show. */
class Connection {
  #state = $state<ConnectionState>(connectionState.get());

  constructor() {
    connectionState.subscribe((next) => (this.#state = next));
  }

  get state(): ConnectionState {
    return this.#state;
  }
}

export const connection = new Connection();
