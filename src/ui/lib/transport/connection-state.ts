// Whether the page currently hears the host's events. A Svelte-store-shaped observable
// (`subscribe` calls back at once and returns the unsubscribe), so a component can write
// `$connectionState`, and the UI can refetch what it shows when the state returns to 'open'
// (events sent while the socket was down are not replayed).

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface ConnectionState {
  get(): ConnectionStatus;
  subscribe(listener: (status: ConnectionStatus) => void): () => void;
}

export interface WritableConnectionState extends ConnectionState {
  set(status: ConnectionStatus): void;
}

export function createConnectionState(initial: ConnectionStatus = 'connecting'): WritableConnectionState {
  let current = initial;
  const listeners = new Set<(status: ConnectionStatus) => void>();
  return {
    get: () => current,
    set(status) {
      if (status === current) return;
      current = status;
      for (const listener of [...listeners]) listener(status);
    },
    subscribe(listener) {
      listeners.add(listener);
      listener(current);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
