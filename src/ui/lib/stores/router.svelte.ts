// Hash routing (`#/fleet`, `#/servers/<id>/config`), so a reload keeps the page and links work
// in the browser and the desktop window alike.
import { isPlainScreen, type PlainScreen } from '../screens';

export type ServerTab = 'summary' | 'config' | 'tools' | 'actions' | 'certificates' | 'registrations' | 'destinations';
export type AlertsTab = 'alerts' | 'rules' | 'channels' | 'silences';

// Screens are one list (lib/screens.ts); a plain screen's route is its name.
export type Route =
  | { name: PlainScreen }
  | { name: 'server'; id: string; tab: ServerTab }
  | { name: 'new-server'; tab: ServerTab }
  | { name: 'actions'; runId: string | null }
  | { name: 'alerts'; tab: AlertsTab }
  | { name: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/fleet';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [head, id, tabPart] = parts;
  const tab: ServerTab =
    tabPart === 'config' ||
    tabPart === 'tools' ||
    tabPart === 'actions' ||
    tabPart === 'certificates' ||
    tabPart === 'registrations' ||
    tabPart === 'destinations'
      ? tabPart
      : 'summary';
  switch (head) {
    case undefined:
    case 'fleet':
      return { name: 'fleet' };
    case 'servers':
      if (id === 'new') return { name: 'new-server', tab };
      if (id) return { name: 'server', id, tab };
      return { name: 'fleet' };
    case 'actions':
      return { name: 'actions', runId: id ?? null };
    case 'alerts':
      return { name: 'alerts', tab: id === 'rules' || id === 'channels' || id === 'silences' ? id : 'alerts' };
    default:
      return isPlainScreen(head) ? { name: head } : { name: 'not-found', path };
  }
}

export function serverHref(id: string, tab: ServerTab = 'summary'): string {
  return `#/servers/${encodeURIComponent(id)}${tab === 'summary' ? '' : `/${tab}`}`;
}

export function alertsHref(tab: AlertsTab = 'alerts'): string {
  return tab === 'alerts' ? '#/alerts' : `#/alerts/${tab}`;
}

/** Returns true to hold a navigation to `next` back (unsaved changes); the router remembers where to go. */
export type Guard = (next: Route) => boolean;

class Router {
  #hash = $state(location.hash);
  #guard: Guard | null = null;
  #pending = $state<string | null>(null);
  readonly route = $derived(parseRoute(this.#hash));

  constructor() {
    window.addEventListener('hashchange', () => this.#onHashChange());
  }

  /** A navigation held by the guard, waiting for the user to discard or keep editing. */
  get pending(): string | null {
    return this.#pending;
  }

  go(hash: string): void {
    if (hash === location.hash) return;
    location.hash = hash;
  }

  /** Same page, another URL, no history entry (after "Add server" saved, for instance). */
  replace(hash: string): void {
    history.replaceState(null, '', hash);
    this.#hash = location.hash;
  }

  setGuard(guard: Guard | null): void {
    this.#guard = guard;
  }

  discardAndContinue(): void {
    const target = this.#pending;
    this.#pending = null;
    this.#guard = null;
    if (target !== null) this.go(target);
  }

  stay(): void {
    this.#pending = null;
  }

  #onHashChange(): void {
    const next = location.hash;
    if (this.#guard?.(parseRoute(next))) {
      // Put the old address back without another hashchange, and ask.
      history.replaceState(null, '', this.#hash || '#/fleet');
      this.#pending = next;
      return;
    }
    this.#hash = next;
  }
}

export const router = new Router();
