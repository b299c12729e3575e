import type { Store } from '../services/store/store';

/**
 * The store every service is built with: it forwards each access to the store of the current
 * session (the live fleet, or an open snapshot), so switching to a snapshot needs no service to
 * be rebuilt and no handler can keep reading the old one. Repositories are forwarded one level
 * deeper too, so a service that kept `store.toolRuns` from its constructor still follows the switch.
 */
export function createSessionStore(current: () => Store): Store {
  const repos = new Map<PropertyKey, unknown>();
  const repoProxy = (key: PropertyKey): unknown => {
    let proxy = repos.get(key);
    if (proxy === undefined) {
      proxy = new Proxy(
        {},
        {
          get: (_target, name) => Reflect.get(Reflect.get(current(), key) as object, name),
          has: (_target, name) => Reflect.has(Reflect.get(current(), key) as object, name),
        },
      );
      repos.set(key, proxy);
    }
    return proxy;
  };
  return new Proxy({} as Store, {
    get(_target, key) {
      const value: unknown = Reflect.get(current(), key);
      // Repositories are plain objects of functions; the database handle and values pass through.
      if (key !== 'db' && value !== null && typeof value === 'object') return repoProxy(key);
      return value;
    },
    has: (_target, key) => Reflect.has(current(), key),
  });
}
